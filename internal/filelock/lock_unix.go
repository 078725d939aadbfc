//go:build unix

package filelock

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// Lock takes an exclusive advisory lock (flock) on f, failing at once
// with an error wrapping [ErrLocked] while another open file holds it.
// The lock lasts until f is closed. Each open of a file is a holder of
// its own, even within one process.
func Lock(f *os.File) error {
	return flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
}

// Wait takes the lock as [Lock] does, but waits while another holder has
// it.
func Wait(f *os.File) error {
	return flock(f, syscall.LOCK_EX)
}

func flock(f *os.File, how int) error {
	for {
		err := syscall.Flock(int(f.Fd()), how)
		switch {
		case err == nil:
			return nil
		case errors.Is(err, syscall.EINTR):
			continue
		case errors.Is(err, syscall.EWOULDBLOCK):
			return fmt.Errorf("filelock: %s: %w", f.Name(), ErrLocked)
		}
		return &os.PathError{Op: "flock", Path: f.Name(), Err: err}
	}
}
