package checklist_test

import (
	"fmt"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

func TestObserverSeesEveryChangeInOrder(t *testing.T) {
	r := newRun(t, exampleList())
	var got []string
	r.Observe(func(e checklist.Event) {
		got = append(got, fmt.Sprintf("%d %s %s %s->%s %s", e.Seq, e.Kind, e.Item, e.Previous, e.Status, e.By))
		// Reading the run from the observer does not deadlock.
		_ = r.Ready()
	})
	when := at(2026, 6, 9, 18, 0)
	require.NoError(t, r.Fail("old-hardware", "alice", when, "dead"))
	require.NoError(t, r.Check("old-hardware", "bob", when, ""))
	require.NoError(t, r.Waive("coffee", "carol", when, "tea"))
	assert.Equal(t, []string{
		"1 fail old-hardware pending->failed alice",
		"2 check old-hardware failed->done bob",
		"3 waive coffee pending->waived carol",
	}, got)
}

func TestObserverMayChangeTheRun(t *testing.T) {
	r := newRun(t, exampleList())
	var seqs []uint64
	r.Observe(func(e checklist.Event) {
		seqs = append(seqs, e.Seq)
		if e.Item == "old-hardware" {
			// A follow-up change from the observer is delivered after this one.
			assert.NoError(t, r.Check("new-hardware", "bot", e.At, "auto"))
		}
	})
	require.NoError(t, r.Check("old-hardware", "alice", at(2026, 6, 9, 18, 0), ""))
	assert.Equal(t, []uint64{1, 2}, seqs)
}

func TestConcurrentChanges(t *testing.T) {
	const n = 400
	l := checklist.List{Mode: checklist.DoConfirm}
	for i := range n {
		it := checklist.Item{ID: fmt.Sprintf("i%03d", i), Title: "item", Optional: i%4 == 3}
		l.Items = append(l.Items, it)
	}
	r := newRun(t, l)
	var (
		mu   sync.Mutex
		seqs []uint64
	)
	r.Observe(func(e checklist.Event) {
		mu.Lock()
		seqs = append(seqs, e.Seq)
		mu.Unlock()
	})
	when := at(2026, 6, 9, 18, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range n {
				id := fmt.Sprintf("i%03d", i)
				switch (i + g) % 3 {
				case 0:
					_ = r.Check(id, "g", when, "")
				case 1:
					_ = r.Fail(id, "g", when, "")
				default:
					_ = r.Waive(id, "g", when, "n/a")
				}
				_ = r.Ready()
				_ = r.Progress()
			}
		})
	}
	wg.Wait()
	// Every item ends checked: settle the failed ones.
	for i := range n {
		id := fmt.Sprintf("i%03d", i)
		if res, _ := r.Result(id); res.Status == checklist.Failed {
			require.NoError(t, r.Check(id, "lead", when, ""))
		}
	}
	p := r.Progress()
	assert.Equal(t, n, p.Done+p.Waived)
	assert.Zero(t, p.Failed)
	assert.True(t, r.Ready())
	mu.Lock()
	defer mu.Unlock()
	for i, s := range seqs {
		require.Equal(t, uint64(i+1), s, "events in order, none lost")
	}
}
