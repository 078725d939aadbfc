//go:build unix

package filelock_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"

	"github.com/mepkit/mepkit/internal/filelock"
)

func ExampleLock() {
	dir, _ := os.MkdirTemp("", "filelock")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "journal.jsonl")

	first, _ := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	defer first.Close()
	fmt.Println(filelock.Lock(first))

	second, _ := os.OpenFile(path, os.O_RDWR, 0)
	defer second.Close()
	err := filelock.Lock(second)
	fmt.Println(errors.Is(err, filelock.ErrLocked))
	// Output:
	// <nil>
	// true
}
