package checklist_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// state is what can be seen of a run from outside, for comparisons.
type state struct {
	Digest   string
	Results  []checklist.Result
	Progress checklist.Progress
	Moves    []checklist.Move
	Ready    bool
	Snapshot string
}

func stateOf(t *testing.T, r *checklist.Run) state {
	t.Helper()
	snap, err := r.Snapshot()
	require.NoError(t, err)
	return state{r.Digest(), r.Results(), r.Progress(), r.Moves(), r.Ready(), string(snap)}
}

func TestCloneIsADeepCopy(t *testing.T) {
	r := busyRun(t)
	before := stateOf(t, r)
	c := r.Clone()
	require.NotSame(t, r, c)
	assert.Equal(t, before, stateOf(t, c))
	assert.True(t, r.T0().Equal(c.T0()))
	assert.Equal(t, r.ReadyAt(), c.ReadyAt())
	assert.Equal(t, r.List(), c.List())

	// Changing the copy leaves the original as it was, histories included:
	// both fail the same item, each with its own note.
	require.NoError(t, c.Check("config-backup", "carol", at(2026, 6, 9, 18, 30), ""))
	require.NoError(t, c.Fail("old-hardware", "carol", at(2026, 6, 9, 18, 31), "on the copy"))
	require.NoError(t, c.Reschedule(at(2026, 6, 11, 21, 0), "carol", at(2026, 6, 9, 18, 32), ""))
	assert.Equal(t, before, stateOf(t, r))
	afterCopy := stateOf(t, c)
	assert.NotEqual(t, before.Digest, afterCopy.Digest)

	// And the other way round.
	require.NoError(t, r.Fail("old-hardware", "dave", at(2026, 6, 9, 18, 40), "on the original"))
	assert.Equal(t, afterCopy, stateOf(t, c))
	orig, err := r.Result("old-hardware")
	require.NoError(t, err)
	cp, err := c.Result("old-hardware")
	require.NoError(t, err)
	require.Len(t, orig.History, 3)
	require.Len(t, cp.History, 3)
	assert.Equal(t, "on the original", orig.History[2].Note)
	assert.Equal(t, "on the copy", cp.History[2].Note)

	// The copy is a run like any other: its snapshot restores to it.
	snap, err := c.Snapshot()
	require.NoError(t, err)
	back, err := checklist.Restore(exampleList(), snap)
	require.NoError(t, err)
	assert.Equal(t, c.Digest(), back.Digest())
}

// TestCloneHistoriesShareNothing changes an item whose history has room
// to grow on both runs: each keeps its own change.
func TestCloneHistoriesShareNothing(t *testing.T) {
	r := newRun(t, exampleList())
	when := at(2026, 6, 9, 18, 0)
	require.NoError(t, r.Fail("coffee", "x", when, "1"))
	require.NoError(t, r.Check("coffee", "x", when, "2"))
	require.NoError(t, r.Fail("coffee", "x", when, "3")) // three changes: room for a fourth
	for h := range 3 {                                   // and three moves
		require.NoError(t, r.Reschedule(t0.Add(time.Duration(h+1)*time.Hour), "x", when, ""))
	}
	c := r.Clone()
	require.NoError(t, c.Check("coffee", "copy", when, "4 on the copy"))
	require.NoError(t, r.Check("coffee", "orig", when, "4 on the original"))
	require.NoError(t, c.Reschedule(t0.Add(24*time.Hour), "copy", when, ""))
	require.NoError(t, r.Reschedule(t0.Add(48*time.Hour), "orig", when, ""))
	require.Len(t, r.Moves(), 4)
	require.Len(t, c.Moves(), 4)
	assert.Equal(t, "orig", r.Moves()[3].By)
	assert.Equal(t, "copy", c.Moves()[3].By)
	orig, err := r.Result("coffee")
	require.NoError(t, err)
	cp, err := c.Result("coffee")
	require.NoError(t, err)
	require.Len(t, orig.History, 4)
	require.Len(t, cp.History, 4)
	assert.Equal(t, "4 on the original", orig.History[3].Note)
	assert.Equal(t, "4 on the copy", cp.History[3].Note)
}

func TestCloneKeepsTheCounters(t *testing.T) {
	l := checklist.List{Name: "p", Ordered: true, Items: []checklist.Item{
		{ID: "a", Title: "A"}, {ID: "b", Title: "B"}, {ID: "c", Title: "C", Optional: true}, {ID: "d", Title: "D"},
	}}
	r := newRun(t, l)
	require.NoError(t, r.Check("a", "x", at(2026, 6, 9, 18, 0), ""))
	c := r.Clone()
	// Ordered: b is next on both; checking it on the copy does not open
	// anything on the original.
	require.NoError(t, c.Check("b", "x", at(2026, 6, 9, 18, 5), ""))
	assert.False(t, r.Ready())
	assert.Equal(t, 2, r.Progress().RequiredPending)
	// Ordered: the original still wants b before d.
	err := r.Check("d", "x", at(2026, 6, 9, 18, 6), "")
	require.ErrorIs(t, err, checklist.ErrState)
	var ce *checklist.ChangeError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "b", ce.Blocker)
	require.NoError(t, c.Check("d", "x", at(2026, 6, 9, 18, 6), ""))
	// A failure of a done item on the original does not dirty the copy.
	require.NoError(t, r.Fail("a", "x", at(2026, 6, 9, 18, 10), ""))
	assert.True(t, c.Ready())
	assert.Equal(t, at(2026, 6, 9, 18, 6), c.ReadyAt())
	assert.Equal(t, 3, r.Progress().RequiredPending)
}

func TestCloneDoesNotCopyTheObserver(t *testing.T) {
	r := newRun(t, exampleList())
	var seen []checklist.Event
	r.Observe(func(e checklist.Event) { seen = append(seen, e) })
	require.NoError(t, r.Check("old-hardware", "x", at(2026, 6, 9, 18, 0), ""))
	c := r.Clone()
	require.NoError(t, c.Check("new-hardware", "x", at(2026, 6, 9, 18, 1), ""))
	require.Len(t, seen, 1, "the copy reports to nobody")

	var copied []checklist.Event
	c.Observe(func(e checklist.Event) { copied = append(copied, e) })
	require.NoError(t, c.Check("config-backup", "x", at(2026, 6, 9, 18, 2), ""))
	require.Len(t, copied, 1)
	assert.Equal(t, uint64(3), copied[0].Seq, "the copy numbers its events on")
	require.NoError(t, r.Check("new-hardware", "x", at(2026, 6, 9, 18, 3), ""))
	require.Len(t, seen, 2)
	assert.Equal(t, uint64(2), seen[1].Seq)
	assert.Len(t, copied, 1)
}

func TestCloneZeroRun(t *testing.T) {
	var zero checklist.Run
	c := zero.Clone()
	assert.True(t, c.Ready())
	assert.Equal(t, zero.Digest(), c.Digest())
	assert.ErrorIs(t, c.Check("a", "x", at(2026, 6, 9, 18, 0), ""), checklist.ErrNotFound)
}

// TestCloneWhileChanging clones a run that other goroutines change (run
// it with -race): every copy is a consistent state, one a snapshot can
// save and restore.
func TestCloneWhileChanging(t *testing.T) {
	l := bigList(50)
	r := newRun(t, l)
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(l.Items); i += 4 {
				_ = r.Fail(l.Items[i].ID, "x", at(2026, 6, 9, 18, 0), "")
				_ = r.Check(l.Items[i].ID, "x", at(2026, 6, 9, 18, 1), "")
			}
		})
	}
	var clones []*checklist.Run
	for range 20 {
		clones = append(clones, r.Clone())
	}
	wg.Wait()
	clones = append(clones, r.Clone())
	for _, c := range clones {
		snap, err := c.Snapshot()
		require.NoError(t, err)
		back, err := checklist.Restore(l, snap)
		require.NoError(t, err)
		assert.Equal(t, back.Digest(), c.Digest())
		assert.Equal(t, back.Progress(), c.Progress())
	}
	assert.Equal(t, r.Digest(), clones[len(clones)-1].Digest())
}
