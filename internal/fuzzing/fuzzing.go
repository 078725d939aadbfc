// Package fuzzing holds what the fuzz targets of the module share: a bound
// on the time the fuzzing engine spends minimising each new input. It is
// for test binaries only.
package fuzzing

import (
	"flag"
	"os"
	"testing"
)

// MinimizeTime is the bound that BoundMinimization sets: the engine's
// default, a minute, let fuzz targets stand at 0 execs/s for a third to a
// half of a 60 s run on a loaded machine. Failing inputs are still written;
// they may be less minimal.
const MinimizeTime = "5s"

// BoundMinimization sets -test.fuzzminimizetime to MinimizeTime. Call it
// from TestMain before m.Run, which parses the command line: a
// -test.fuzzminimizetime given there still wins. It panics if the flag is
// not registered, that is outside a test binary.
func BoundMinimization() {
	if err := flag.Set("test.fuzzminimizetime", MinimizeTime); err != nil {
		panic(err)
	}
}

// Main is the TestMain of a package with fuzz targets and nothing else to
// set up: it bounds minimisation, runs the tests and exits with their
// status.
func Main(m *testing.M) {
	BoundMinimization()
	os.Exit(m.Run())
}
