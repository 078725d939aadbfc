//go:build unix

package timeline

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func openForLock(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestLockFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lock")
	a, b := openForLock(t, path), openForLock(t, path)
	require.NoError(t, lockFile(a))
	assert.ErrorIs(t, lockFile(b), ErrLocked, "a second open of the file is another holder")
	_, err := OpenFileStore(path, &FileStoreOptions{NoSync: true})
	assert.ErrorIs(t, err, ErrLocked)
	assert.Contains(t, err.Error(), path, "the store names the file")

	// waitLock waits until the holder closes the file.
	got := make(chan error, 1)
	go func() { got <- waitLock(b) }()
	select {
	case err := <-got:
		t.Fatalf("waitLock returned %v while the lock was held", err)
	case <-time.After(50 * time.Millisecond):
	}
	require.NoError(t, a.Close())
	assert.NoError(t, <-got)
	assert.ErrorIs(t, lockFile(openForLock(t, path)), ErrLocked)
}

func TestLockClosedFile(t *testing.T) {
	f := openForLock(t, filepath.Join(t.TempDir(), ".lock"))
	require.NoError(t, f.Close())
	err := lockFile(f)
	require.Error(t, err)
	assert.NotErrorIs(t, err, ErrLocked)
}
