package policyfile_test

import (
	"flag"
	"os"
	"testing"
)

// TestMain bounds to 5 s the time the fuzzing engine spends minimising
// each new input, unless -test.fuzzminimizetime says otherwise (the
// command line is parsed after this). The default, a minute, let
// FuzzParse stand at 0 execs/s for half of a 60 s run on a loaded machine:
// every candidate the engine tries parses a file and searches a month for
// a slot. Failing inputs are still written; they may be less minimal.
func TestMain(m *testing.M) {
	if err := flag.Set("test.fuzzminimizetime", "5s"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
