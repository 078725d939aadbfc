package main

import (
	"flag"
	"os"
	"testing"
)

// TestMain bounds to 5 s the time the fuzzing engine spends minimising
// each new input, unless -test.fuzzminimizetime says otherwise (the
// command line is parsed after this, by m.Run). The default, a minute,
// lets a fuzz target stand at 0 execs/s for much of a 60 s run on a
// loaded machine, each candidate rendering whole pages. Failing inputs
// are still written; they may be less minimal.
func TestMain(m *testing.M) {
	if err := flag.Set("test.fuzzminimizetime", "5s"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
