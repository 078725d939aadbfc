//go:build !unix

package timeline

import "os"

// lockFile does nothing where flock is not available: it always succeeds.
func lockFile(*os.File) error { return nil }

// waitLock does nothing where flock is not available: it always succeeds.
func waitLock(*os.File) error { return nil }
