//go:build !unix

package policyfile_test

import "time"

// processCPU is not measured on this system.
func processCPU() time.Duration { return -1 }
