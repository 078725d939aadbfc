package timeline

import (
	"errors"
	"os"

	"github.com/mepkit/mepkit/internal/filelock"
)

// lockFile takes an exclusive advisory lock on f, failing at once with
// ErrLocked if another holder has it. Where flock is not available it
// does nothing.
func lockFile(f *os.File) error {
	err := filelock.Lock(f)
	if errors.Is(err, filelock.ErrLocked) {
		return ErrLocked
	}
	return err
}
