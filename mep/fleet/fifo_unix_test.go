//go:build unix

package fleet_test

import (
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep/fleet"
)

// A FIFO named like a record (a file or a project's record file) is a
// record that does not read, reported, rather than a scan that waits
// for a writer forever.
func TestScheduleFIFONamedLikeARecord(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "pipe.jsonl"), 0o600))
	done := make(chan *fleet.Schedule, 1)
	go func() {
		s, err := fleet.OpenDir(bg, dir, nil)
		assert.NoError(t, err)
		done <- s
	}()
	select {
	case s := <-done:
		require.NotNil(t, s)
		defer s.Close()
		errs := s.Snapshot().Errors
		require.Len(t, errs, 1)
		assert.Equal(t, "pipe", errs[0].Record)
		assert.ErrorContains(t, errs[0], "pipe.jsonl: not a regular file")
	case <-time.After(10 * time.Second):
		t.Fatal("the scan waits on the FIFO")
	}
}
