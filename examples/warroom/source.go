package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"sync"
	"time"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// hub holds what the page shows: the record's entries as the source last
// read them, and the source's last error. Readers wait on changed.
//
// hub is safe for simultaneous use by multiple goroutines.
type hub struct {
	mu      sync.Mutex
	entries []timeline.Entry
	err     error
	changed chan struct{} // closed and replaced at each change
}

func newHub() *hub { return &hub{changed: make(chan struct{})} }

// snapshot returns the entries (shared: callers must not modify them),
// the channel closed at the next change and the source's error.
func (h *hub) snapshot() ([]timeline.Entry, <-chan struct{}, error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.entries, h.changed, h.err
}

// set replaces the entries (a whole new read) and the error.
func (h *hub) set(entries []timeline.Entry, err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.entries, h.err = entries, err
	close(h.changed)
	h.changed = make(chan struct{})
}

// add appends new entries, which follow those held.
func (h *hub) add(news []timeline.Entry) {
	h.mu.Lock()
	defer h.mu.Unlock()
	// A new slice each time: snapshots handed out stay as they were.
	h.entries = append(slices.Clip(h.entries), news...)
	h.err = nil
	close(h.changed)
	h.changed = make(chan struct{})
}

// fail records an error of the source, keeping the entries.
func (h *hub) fail(err error) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.err != nil && err != nil && h.err.Error() == err.Error() {
		return
	}
	h.err = err
	close(h.changed)
	h.changed = make(chan struct{})
}

// pollInterval is how often a file record is checked for changes.
const pollInterval = 100 * time.Millisecond

// followFile reads the journal file at path whenever it changes, until ctx
// ends. A missing file is waited for; a last line being written is left
// for the next read; a chain that does not verify is shown as an error.
func followFile(ctx context.Context, path string, key []byte, h *hub) {
	var lastSize int64 = -1
	var lastMod time.Time
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	for {
		fi, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			h.fail(fmt.Errorf("waiting for the journal file %s", path))
		case err != nil:
			h.fail(err)
		case fi.Size() != lastSize || !fi.ModTime().Equal(lastMod):
			entries, err := timeline.ReadFile(path)
			if errors.Is(err, timeline.ErrTornWrite) {
				err = nil // a line being written: the next read has it
			}
			if err == nil {
				err = timeline.Verify(entries, key)
			}
			if err != nil {
				h.fail(err)
				break
			}
			lastSize, lastMod = fi.Size(), fi.ModTime()
			h.set(entries, nil)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// followPostgres follows a record in PostgreSQL until ctx ends, showing
// errors while it reconnects. It verifies the chain as entries arrive:
// an entry that does not continue it is shown as an error, never added.
func followPostgres(ctx context.Context, db *pgstore.DB, record string, h *hub) {
	v := timeline.NewVerifier(nil)
	for ctx.Err() == nil {
		err := db.Follow(ctx, record, uint64(len(entriesOf(h))), func(es []timeline.Entry) error {
			for _, e := range es {
				if err := v.Add(e); err != nil {
					return err
				}
			}
			h.add(es)
			return nil
		})
		if ctx.Err() != nil {
			return
		}
		h.fail(err)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}

func entriesOf(h *hub) []timeline.Entry {
	es, _, _ := h.snapshot()
	return es
}
