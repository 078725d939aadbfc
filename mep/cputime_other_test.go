//go:build !unix

package mep_test

import "time"

// cpuTime returns 0 where the process's CPU time is not at hand: the
// benchmarks then report wall time only.
func cpuTime() time.Duration { return 0 }
