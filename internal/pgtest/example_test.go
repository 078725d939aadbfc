package pgtest_test

import (
	"fmt"

	"github.com/mepkit/mepkit/internal/pgtest"
)

// A test calls pgtest.DSN(t, "what it runs") for the server, or a skip
// that says how to get one, then pgtest.Schema(t, dsn, "mytest_") for a
// schema of its own, dropped when the test ends.
func Example() {
	fmt.Println("the tests read the server's DSN from", pgtest.EnvDSN)
	// Output: the tests read the server's DSN from MEPKIT_POSTGRES
}
