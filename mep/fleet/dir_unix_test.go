//go:build unix

package fleet_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep/fleet"
)

// A project's directory linked into the store is a project of the
// store: left out, its rollouts would be missing from the schedule, and
// a change conflicting with them would pass.
func TestScheduleLinkedProjectDirectory(t *testing.T) {
	dir, _ := billingStore(t, "Ops-2")
	elsewhere := filepath.Join(t.TempDir(), "billing")
	require.NoError(t, os.Rename(filepath.Join(dir, "billing"), elsewhere))
	require.NoError(t, os.Symlink(elsewhere, filepath.Join(dir, "billing")))
	// A link to a file that is not a record, and a dangling link, are
	// not projects.
	notes := filepath.Join(t.TempDir(), "notes")
	require.NoError(t, os.WriteFile(notes, []byte("notes\n"), 0o600))
	require.NoError(t, os.Symlink(notes, filepath.Join(dir, "notes")))
	require.NoError(t, os.Symlink(filepath.Join(dir, "gone"), filepath.Join(dir, "gone")))

	s, err := fleet.OpenDir(bg, dir, nil)
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	assert.Empty(t, snap.Errors)
	require.Len(t, snap.Entries, 1)
	assert.Equal(t, "billing", snap.Entries[0].Record)
	assert.Equal(t, "v3", snap.Entries[0].Rollout)
}

// An entry of the store that cannot be looked at (a link that loops, a
// project whose record file is a loop) is a record that does not read,
// reported by name, not a store that cannot be listed: the other
// records are read.
func TestScheduleLinkLoopIsARecordThatDoesNotRead(t *testing.T) {
	dir, _ := billingStore(t, "Ops-2")
	require.NoError(t, os.Symlink("loop.jsonl", filepath.Join(dir, "loop.jsonl")))
	require.NoError(t, os.Mkdir(filepath.Join(dir, "stuck"), 0o700))
	require.NoError(t, os.Symlink("record.jsonl", filepath.Join(dir, "stuck", "record.jsonl")))

	s, err := fleet.OpenDir(bg, dir, nil)
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.Len(t, snap.Entries, 1)
	assert.Equal(t, "billing", snap.Entries[0].Record)
	require.Len(t, snap.Errors, 2)
	assert.Equal(t, "loop", snap.Errors[0].Record)
	assert.ErrorContains(t, snap.Errors[0], "loop.jsonl: too many levels of symbolic links")
	assert.Equal(t, "stuck", snap.Errors[1].Record)
	assert.ErrorContains(t, snap.Errors[1], "record.jsonl: too many levels of symbolic links")

	sc, err := s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, 2, sc.Failed)
}
