package meptest_test

import (
	"path/filepath"
	"strconv"
	"testing"

	"github.com/mepkit/mepkit/mep/meptest"
	"github.com/mepkit/mepkit/timeline"
)

// TestReplayFileStore: the file store replays every random history to the
// state that wrote it.
func TestReplayFileStore(t *testing.T) {
	dir := t.TempDir()
	meptest.TestReplay(t, 100, func(round int) (timeline.Store, error) {
		return timeline.OpenFileStore(filepath.Join(dir, strconv.Itoa(round)+".jsonl"), &timeline.FileStoreOptions{NoSync: true})
	})
}
