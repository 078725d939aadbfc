//go:build unix

package policyfile_test

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time of the process, user and system, GC
// included: benchmarks report it beside the wall time, which a busy
// machine inflates.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return -1
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
