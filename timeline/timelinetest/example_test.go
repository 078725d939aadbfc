package timelinetest_test

import (
	"fmt"
	"slices"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/timelinetest"
)

// memStore keeps entries in memory; keep is where they survive a reopen.
// It follows the rules of a Store for several writers.
type memStore struct{ keep *[]timeline.Entry }

func (m memStore) Load() ([]timeline.Entry, error) { return slices.Clone(*m.keep), nil }

func (m memStore) Append(batch []timeline.Entry) error {
	stored := *m.keep
	last := uint64(len(stored))
	if first := batch[0].Seq; first > last+1 {
		return fmt.Errorf("memstore: seq %d after %d", first, last)
	}
	for len(batch) > 0 && batch[0].Seq <= last {
		if stored[batch[0].Seq-1].Hash != batch[0].Hash {
			return fmt.Errorf("memstore: seq %d: %w", batch[0].Seq, timeline.ErrConflict)
		}
		batch = batch[1:] // already stored: a retry
	}
	*m.keep = append(*m.keep, batch...) // copies the entries, not the slice
	return nil
}

func (m memStore) Since(seq uint64) ([]timeline.Entry, error) {
	return slices.Clone((*m.keep)[min(seq, uint64(len(*m.keep))):]), nil
}

func (m memStore) Close() error { return nil }

// retainer keeps the journal's batch slice instead of copying it.
type retainer struct{ keep *[][]timeline.Entry }

func (r retainer) Load() ([]timeline.Entry, error) {
	var out []timeline.Entry
	for _, b := range *r.keep {
		out = append(out, b...)
	}
	return out, nil
}
func (r retainer) Append(batch []timeline.Entry) error { *r.keep = append(*r.keep, batch); return nil }
func (r retainer) Close() error                        { return nil }

// naive appends whatever it is given: it cannot tell a retry from another
// writer's work.
type naive struct{ keep *[]timeline.Entry }

func (n naive) Load() ([]timeline.Entry, error)     { return slices.Clone(*n.keep), nil }
func (n naive) Append(batch []timeline.Entry) error { *n.keep = append(*n.keep, batch...); return nil }
func (n naive) Close() error                        { return nil }

func ExampleCheckStore() {
	var kept []timeline.Entry
	fmt.Println(timelinetest.CheckStore(func() timeline.Store { return memStore{&kept} }))

	var batches [][]timeline.Entry
	fmt.Println(timelinetest.CheckStore(func() timeline.Store { return retainer{&batches} }))

	var all []timeline.Entry
	fmt.Println(timelinetest.CheckStore(func() timeline.Store { return naive{&all} }))
	// Output:
	// <nil>
	// timelinetest: Load after appends: entry 1 differs from what was recorded
	// timelinetest: Append of seq 5 with another hash than the stored one: got <nil>, want an error wrapping ErrConflict
}
