package timeline_test

import (
	"errors"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

func TestZeroJournalIsInMemory(t *testing.T) {
	var j timeline.Journal
	e, err := j.Note("alice", "kick-off")
	require.NoError(t, err)
	assert.Equal(t, uint64(1), e.Seq)
	_, err = j.Start("dns", "alice", timeline.Outage)
	require.NoError(t, err)
	assert.Equal(t, []string{"dns"}, j.Running())
	assert.NoError(t, timeline.Verify(j.Entries(), nil))
	news, err := j.Refresh()
	assert.NoError(t, err)
	assert.Nil(t, news, "nobody else writes to a journal in memory")
	require.NoError(t, j.Close())
	_, err = j.Note("alice", "late")
	assert.ErrorIs(t, err, timeline.ErrClosed)

	var z timeline.Journal
	assert.NoError(t, z.Close(), "closing a zero journal")
	assert.Empty(t, z.Entries())
}

func TestFileStoreSequenceAndRetry(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	stored := writeJournal(t, path, 3)
	s, err := timeline.OpenFileStore(path, &timeline.FileStoreOptions{NoSync: true})
	require.NoError(t, err)
	defer s.Close()
	_, err = s.Load()
	require.NoError(t, err)

	assert.NoError(t, s.Append(stored[1:]), "an identical retry")
	assert.NoError(t, s.Append(stored[:1]), "an identical retry of an old entry")
	other := stored[1]
	other.Hash = stored[0].Hash
	assert.ErrorIs(t, s.Append([]timeline.Entry{other}), timeline.ErrConflict)
	gap := stored[2]
	gap.Seq = 5
	err = s.Append([]timeline.Entry{gap})
	require.Error(t, err)
	assert.NotErrorIs(t, err, timeline.ErrConflict, "a gap is the caller's mistake, not another writer")
	news, err := s.Since(1)
	require.NoError(t, err)
	assert.Len(t, news, 2)
	require.NoError(t, s.Close())

	got, err := timeline.ReadFile(path)
	require.NoError(t, err)
	assert.Len(t, got, 3, "nothing was stored twice")
	assert.NoError(t, timeline.Verify(got, nil))

	var zero timeline.FileStore
	_, err = zero.Load()
	assert.Error(t, err, "a zero FileStore has no file")
	assert.NoError(t, zero.Close())
}

// conflictStore is a memStore on which another writer can append behind
// the journal's back, and whose Append can be held to let Records queue.
type conflictStore struct {
	memStore
	hold chan struct{} // non-nil: Append waits for it to close
}

func (c *conflictStore) Append(b []timeline.Entry) error {
	if c.hold != nil {
		<-c.hold
	}
	return c.memStore.Append(b)
}

// Concurrent Records caught by a conflict all fail with ErrConflict, the
// journal is as it was, and after Refresh it goes on.
func TestRecordConflictLeavesJournalUnchanged(t *testing.T) {
	var data []timeline.Entry
	st := &conflictStore{memStore: memStore{&data}}
	j, err := timeline.OpenStore(st, &timeline.Options{Now: fakeClock(at(2026, 11, 24, 20, 0), time.Second)})
	require.NoError(t, err)
	_, err = j.Start("dns", "a", timeline.Outage)
	require.NoError(t, err)
	before := j.Entries()

	// Another writer appends seq 2.
	other, err := timeline.OpenStore(memStore{&[]timeline.Entry{before[0]}}, nil)
	require.NoError(t, err)
	e2, err := other.End("dns", "b", timeline.Done)
	require.NoError(t, err)
	require.NoError(t, st.memStore.Append([]timeline.Entry{e2}))

	// Several Records queue behind one held Append, then all fail.
	st.hold = make(chan struct{})
	var wg sync.WaitGroup
	errs := make(chan error, 5)
	for range 5 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := j.Note("a", "queued")
			errs <- err
		}()
	}
	time.Sleep(20 * time.Millisecond) // let them queue; the outcome does not depend on it
	close(st.hold)
	wg.Wait()
	close(errs)
	for err := range errs {
		assert.ErrorIs(t, err, timeline.ErrConflict)
	}
	st.hold = nil
	assert.Equal(t, before, j.Entries(), "the journal is unchanged")
	assert.Equal(t, []string{"dns"}, j.Running())
	_, err = j.End("dns", "a", timeline.Done)
	assert.ErrorIs(t, err, timeline.ErrConflict, "still behind the store")

	news, err := j.Refresh()
	require.NoError(t, err)
	require.Len(t, news, 1)
	assert.Equal(t, e2.Hash, news[0].Hash)
	assert.Empty(t, j.Running(), "the other writer ended the step")
	_, err = j.End("dns", "a", timeline.Done)
	assert.ErrorIs(t, err, timeline.ErrNotStarted, "the rules see the other writer's entries")
	e, err := j.Note("a", "after refresh")
	require.NoError(t, err)
	assert.Equal(t, uint64(3), e.Seq)
	assert.NoError(t, timeline.Verify(data, nil))
	require.NoError(t, j.Close())
}

// tamperingTailer returns entries that do not continue the chain.
type tamperingTailer struct{ memStore }

func (tt tamperingTailer) Since(seq uint64) ([]timeline.Entry, error) {
	es, err := tt.memStore.Since(seq)
	for i := range es {
		es[i].Text = "forged"
	}
	return es, err
}

func TestRefreshRefusesABrokenChain(t *testing.T) {
	var data []timeline.Entry
	j, err := timeline.OpenStore(tamperingTailer{memStore{&data}}, nil)
	require.NoError(t, err)
	other, err := timeline.OpenStore(memStore{&[]timeline.Entry{}}, nil)
	require.NoError(t, err)
	e, err := other.Note("b", "real")
	require.NoError(t, err)
	data = append(data, e)
	_, err = j.Refresh()
	assert.ErrorIs(t, err, timeline.ErrTampered)
	assert.Zero(t, j.Len(), "a refused refresh leaves the journal unchanged")
}

// noTail is a Store without Tailer.
type noTail struct{}

func (n noTail) Load() ([]timeline.Entry, error) { return nil, nil }
func (n noTail) Append(b []timeline.Entry) error { return nil }
func (n noTail) Close() error                    { return nil }

func TestRefreshNeedsATailer(t *testing.T) {
	j, err := timeline.OpenStore(noTail{}, nil)
	require.NoError(t, err)
	_, err = j.Refresh()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Tailer")
	assert.False(t, errors.Is(err, timeline.ErrConflict))
}
