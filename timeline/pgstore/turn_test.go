package pgstore_test

import (
	"context"
	"strconv"
	"sync"
	"testing"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// After a conflict a writer has its turn: its catch-up and its next
// append see a record that nobody else changes, so an entry conflicts
// once, not again and again.
func TestAnEntryConflictsAtMostOnce(t *testing.T) {
	db, dsn, schema := testDB(t)
	const writers, per = 8, 15
	most := make([]int, writers)
	errs := make([]error, writers)
	var wg sync.WaitGroup
	for w := range writers {
		s, err := pgstore.OpenStore(context.Background(), dsn, "shared", &pgstore.Options{Schema: schema})
		require.NoError(t, err)
		j, err := timeline.OpenStore(s, nil)
		require.NoError(t, err)
		t.Cleanup(func() { j.Close() })
		wg.Go(func() {
			for range per {
				n, err := recordUntilStored(j, "w"+strconv.Itoa(w))
				if err != nil {
					errs[w] = err
					return
				}
				most[w] = max(most[w], n)
			}
		})
	}
	wg.Wait()
	for w := range writers {
		require.NoError(t, errs[w])
		// Two attempts, and one more when a turn's second ran out on a
		// loaded machine.
		assert.LessOrEqual(t, most[w], 3, "writer %d: attempts for one entry", w)
	}
	s, err := db.Store("shared")
	require.NoError(t, err)
	got, err := s.Load()
	require.NoError(t, err)
	assert.Len(t, got, writers*per)
	require.NoError(t, timeline.Verify(got, nil))
}
