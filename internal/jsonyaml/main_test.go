package jsonyaml_test

import (
	"flag"
	"os"
	"testing"
)

// TestMain bounds to 5 s the time the fuzzing engine spends minimising
// each new input, unless -test.fuzzminimizetime says otherwise (the
// command line is parsed after this, by m.Run). The default, a minute,
// let fuzz targets stand at 0 execs/s for a third of a 60 s run on a
// loaded machine. Failing inputs are still written; they may be less
// minimal.
func TestMain(m *testing.M) {
	if err := flag.Set("test.fuzzminimizetime", "5s"); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}
