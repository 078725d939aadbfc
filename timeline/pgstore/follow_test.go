package pgstore_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// follow runs db.Follow on record in the background and returns the
// channel of the entries it delivers and a function that stops it and
// returns Follow's error.
func follow(t *testing.T, db *pgstore.DB, record string, after uint64) (<-chan timeline.Entry, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan timeline.Entry, 1000)
	done := make(chan error, 1)
	go func() {
		done <- db.Follow(ctx, record, after, func(es []timeline.Entry) error {
			for _, e := range es {
				ch <- e
			}
			return nil
		})
	}()
	var once sync.Once
	var err error
	stop := func() error {
		once.Do(func() {
			cancel()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				err = errors.New("Follow did not return within 10 s of its context's end")
			}
		})
		return err
	}
	t.Cleanup(func() { stop() })
	return ch, stop
}

// receive returns the next entry from ch, failing the test if none comes
// within limit.
func receive(t *testing.T, ch <-chan timeline.Entry, limit time.Duration) timeline.Entry {
	t.Helper()
	select {
	case e := <-ch:
		return e
	case <-time.After(limit):
		t.Fatalf("no entry within %v", limit)
		return timeline.Entry{}
	}
}

func TestFollowDeliversEachEntryWithinASecond(t *testing.T) {
	db, dsn, schema := testDB(t)
	s, err := db.Store("live")
	require.NoError(t, err)
	j, err := timeline.OpenStore(s, nil)
	require.NoError(t, err)
	defer j.Close()
	_, err = j.Note("ops", "before")
	require.NoError(t, err)

	// The follower has a connection pool of its own, named so that the
	// test can cut its connections.
	app := "pgstore_follow_" + schema[len("pgstore_test_"):]
	fdb := openDB(t, withParams(t, dsn, "application_name", app), schema)
	ch, stop := follow(t, fdb, "live", 0)
	assert.Equal(t, "before", receive(t, ch, 5*time.Second).Text, "entries stored before Follow are delivered first")

	other, err := db.Store("other")
	require.NoError(t, err)
	require.NoError(t, other.Append(entries(t, 2)))

	for i := range 5 {
		e, err := j.Note("ops", "live "+string(rune('a'+i)))
		require.NoError(t, err)
		began := time.Now()
		got := receive(t, ch, time.Second)
		assert.Equal(t, e.Seq, got.Seq)
		assert.Equal(t, e.Hash, got.Hash)
		t.Logf("seq %d delivered %v after its commit", got.Seq, time.Since(began).Round(time.Millisecond))
	}

	// Cut the follower's connections; what is committed meanwhile arrives
	// after it reconnects, once and in order.
	require.NoError(t, superExec(t, dsn, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", app))
	var want []timeline.Entry
	for i := range 3 {
		e, err := j.Note("ops", "during the cut "+string(rune('a'+i)))
		require.NoError(t, err)
		want = append(want, e)
	}
	cut := time.Now()
	for _, w := range want {
		got := receive(t, ch, 10*time.Second)
		t.Logf("seq %d delivered %v after the cut", got.Seq, time.Since(cut).Round(time.Millisecond))
		assert.Equal(t, w.Seq, got.Seq)
		assert.Equal(t, w.Text, got.Text)
	}
	e, err := j.Note("ops", "after")
	require.NoError(t, err)
	assert.Equal(t, e.Seq, receive(t, ch, time.Second).Seq)
	select {
	case e := <-ch:
		t.Errorf("unexpected entry %d %q", e.Seq, e.Text)
	case <-time.After(200 * time.Millisecond):
	}
	assert.ErrorIs(t, stop(), context.Canceled)
}

func TestFollowFromASeq(t *testing.T) {
	db, _, _ := testDB(t)
	s, err := db.Store("r")
	require.NoError(t, err)
	require.NoError(t, s.Append(entries(t, 4)))
	ch, _ := follow(t, db, "r", 2)
	assert.Equal(t, uint64(3), receive(t, ch, 5*time.Second).Seq)
	assert.Equal(t, uint64(4), receive(t, ch, time.Second).Seq)
}

func TestFollowStopsOnTheCallersError(t *testing.T) {
	db, _, _ := testDB(t)
	s, err := db.Store("r")
	require.NoError(t, err)
	require.NoError(t, s.Append(entries(t, 1)))
	boom := errors.New("boom")
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	err = db.Follow(ctx, "r", 0, func([]timeline.Entry) error { return boom })
	assert.ErrorIs(t, err, boom)
	assert.ErrorIs(t, db.Follow(ctx, "", 0, nil), pgstore.ErrRecordName)
}
