package timeline

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWriteFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "project.json")
	require.NoError(t, writeFile(path, []byte("one"), 0o600))
	require.NoError(t, writeFile(path, []byte("two"), 0o600))
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "two", string(got))
	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	}
	names, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, names, 1, "no temporary file is left behind")
}

func TestWriteFileFailureLeavesTheFile(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x")
	require.NoError(t, writeFile(path, []byte("old"), 0o600))
	// Renaming over a non-empty directory fails: path stays as it was.
	blocker := filepath.Join(dir, "blocker")
	require.NoError(t, os.MkdirAll(filepath.Join(blocker, "inside"), 0o700))
	assert.Error(t, writeFile(blocker, []byte("new"), 0o600))
	names, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, names, 2, "the temporary file is removed")
	got, _ := os.ReadFile(path)
	assert.Equal(t, "old", string(got))
}

// TestWriteFileContent is the former package example: what was written is
// what is read back.
func TestWriteFileContent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "state.json")
	require.NoError(t, writeFile(path, []byte(`{"phase":"cutover"}`), 0o600))
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, `{"phase":"cutover"}`, string(data))
}

func TestSyncDir(t *testing.T) {
	assert.NoError(t, syncDir(t.TempDir()))
	err := syncDir(filepath.Join(t.TempDir(), "missing"))
	assert.ErrorIs(t, err, os.ErrNotExist, "a missing directory is an error, not an unsupported sync")
}
