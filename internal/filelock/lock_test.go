//go:build unix

package filelock_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/filelock"
)

func open(t *testing.T, path string) *os.File {
	t.Helper()
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	require.NoError(t, err)
	t.Cleanup(func() { _ = f.Close() })
	return f
}

func TestLock(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".lock")
	a, b := open(t, path), open(t, path)
	require.NoError(t, filelock.Lock(a))
	err := filelock.Lock(b)
	assert.ErrorIs(t, err, filelock.ErrLocked, "a second open of the file is another holder")
	assert.Contains(t, err.Error(), path)

	// Wait waits until the holder closes the file.
	got := make(chan error, 1)
	go func() { got <- filelock.Wait(b) }()
	select {
	case err := <-got:
		t.Fatalf("Wait returned %v while the lock was held", err)
	case <-time.After(50 * time.Millisecond):
	}
	require.NoError(t, a.Close())
	assert.NoError(t, <-got)
	assert.ErrorIs(t, filelock.Lock(open(t, path)), filelock.ErrLocked)
}

func TestLockClosedFile(t *testing.T) {
	f := open(t, filepath.Join(t.TempDir(), ".lock"))
	require.NoError(t, f.Close())
	err := filelock.Lock(f)
	require.Error(t, err)
	assert.NotErrorIs(t, err, filelock.ErrLocked)
}
