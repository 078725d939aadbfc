//go:build unix

package pgstore_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time, user and system, that this process
// has used so far: on a loaded machine it tells the work from the wait.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
