package checklist_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// bigList returns a READ-DO, ordered list of n items in sections of nine,
// each item depending on the one before.
func bigList(n int) checklist.List {
	l := checklist.List{Name: "big", Mode: checklist.ReadDo, Ordered: true}
	for i := range n {
		it := checklist.Item{
			ID: fmt.Sprintf("item-%04d", i), Title: "Verify the thing", Section: fmt.Sprintf("s%03d", i/9),
			Owner: "ops", Deadline: -time.Hour, Optional: i%5 == 4,
		}
		if i > 0 {
			it.DependsOn = []string{fmt.Sprintf("item-%04d", i-1)}
		}
		l.Items = append(l.Items, it)
	}
	return l
}

func benchCheck(b *testing.B, observe bool) {
	l := bigList(1000)
	ids := ids(l.Items)
	start := func() *checklist.Run {
		r, err := checklist.NewRun(l, t0)
		require.NoError(b, err)
		if observe {
			r.Observe(func(checklist.Event) {})
		}
		return r
	}
	r := start()
	when := at(2026, 6, 9, 18, 0)
	i := 0
	b.ReportAllocs()
	for b.Loop() {
		if i == len(ids) {
			b.StopTimer()
			r, i = start(), 0
			b.StartTimer()
		}
		if err := r.Check(ids[i], "alice", when, ""); err != nil {
			b.Fatal(err)
		}
		i++
	}
}

// BenchmarkCheck checks the items of a 1,000-item list one after the other.
func BenchmarkCheck(b *testing.B) { benchCheck(b, false) }

// BenchmarkCheckObserved is BenchmarkCheck with an observer.
func BenchmarkCheckObserved(b *testing.B) { benchCheck(b, true) }

func benchReady(b *testing.B, fn func(r *checklist.Run)) {
	l := bigList(1000)
	r, err := checklist.NewRun(l, t0)
	require.NoError(b, err)
	when := at(2026, 6, 9, 18, 0)
	for _, id := range ids(l.Items) {
		require.NoError(b, r.Check(id, "alice", when, ""))
	}
	b.ReportAllocs()
	for b.Loop() {
		fn(r)
	}
}

// BenchmarkReady and BenchmarkReadyAt ask a complete 1,000-item run.
func BenchmarkReady(b *testing.B) { benchReady(b, func(r *checklist.Run) { _ = r.Ready() }) }

func BenchmarkReadyAt(b *testing.B) { benchReady(b, func(r *checklist.Run) { _ = r.ReadyAt() }) }

// BenchmarkReadyAtAfterChange fails and checks an item before each
// ReadyAt: the worst case, where the latest instant must be searched.
func BenchmarkReadyAtAfterChange(b *testing.B) {
	when := at(2026, 6, 9, 18, 0)
	benchReady(b, func(r *checklist.Run) {
		_ = r.Fail("item-0999", "bob", when, "")
		_ = r.Check("item-0999", "bob", when, "")
		_ = r.ReadyAt()
	})
}
