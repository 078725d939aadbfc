//go:build !unix

package filelock

import "os"

// Lock does nothing where flock is not available: it always succeeds.
func Lock(*os.File) error { return nil }

// Wait does nothing where flock is not available: it always succeeds.
func Wait(*os.File) error { return nil }
