package fuzzing_test

import (
	"flag"
	"fmt"

	"github.com/mepkit/mepkit/internal/fuzzing"
)

// A package whose TestMain has more to do calls BoundMinimization itself;
// the others use fuzzing.Main as their TestMain.
func ExampleBoundMinimization() {
	fuzzing.BoundMinimization()
	fmt.Println(flag.Lookup("test.fuzzminimizetime").Value)
	// Output: 5s
}
