package timelinetest_test

import (
	"fmt"
	"slices"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/timelinetest"
)

// memStore keeps entries in memory; keep is where they survive a reopen.
type memStore struct{ keep *[]timeline.Entry }

func (m memStore) Load() ([]timeline.Entry, error) { return slices.Clone(*m.keep), nil }
func (m memStore) Append(batch []timeline.Entry) error {
	*m.keep = append(*m.keep, batch...) // copies the entries, not the slice
	return nil
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

func ExampleCheckStore() {
	var kept []timeline.Entry
	fmt.Println(timelinetest.CheckStore(func() timeline.Store { return memStore{&kept} }))

	var batches [][]timeline.Entry
	fmt.Println(timelinetest.CheckStore(func() timeline.Store { return retainer{&batches} }))
	// Output:
	// <nil>
	// timelinetest: Load after appends: entry 1 differs from what was recorded
}
