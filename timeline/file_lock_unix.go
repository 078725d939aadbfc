//go:build unix

package timeline

import (
	"errors"
	"os"
	"syscall"
)

// lockFile takes an exclusive advisory lock (flock) on the journal file f,
// failing at once with [ErrLocked] while another open file holds it. The
// lock lasts until f is closed. Each open of a file is a holder of its
// own, even within one process. Where flock is not available
// (file_lock_other.go) it does nothing.
func lockFile(f *os.File) error {
	return flock(f, syscall.LOCK_EX|syscall.LOCK_NB)
}

// waitLock takes the lock as [lockFile] does, but waits while another
// holder has it.
func waitLock(f *os.File) error {
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
			return ErrLocked
		}
		return &os.PathError{Op: "flock", Path: f.Name(), Err: err}
	}
}
