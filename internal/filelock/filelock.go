// Package filelock takes exclusive advisory locks on open files.
package filelock

import "errors"

// ErrLocked is wrapped by the error [Lock] returns while another holder
// has the lock.
var ErrLocked = errors.New("filelock: file locked by another holder")
