package mep_test

import (
	"fmt"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
)

// busyRollout returns a durable file project (fsync on) with a rollout
// whose readiness list has n items, its team staffed, on the real clock.
func busyRollout(t testing.TB, path string, n int) (*mep.Project, *mep.Rollout) {
	t.Helper()
	p, err := mep.CreateFile(path, "busy", &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	require.NoError(t, err)
	staff(t, p)
	items := make([]checklist.Item, n)
	for i := range items {
		items[i] = checklist.Item{ID: fmt.Sprintf("i%05d", i), Title: "item"}
	}
	r, err := p.NewRollout(mep.RolloutOptions{Name: "r", T0: time.Now().UTC().Add(30 * 24 * time.Hour), Runbook: []mep.Step{{ID: "s", Expected: time.Minute}},
		Readiness: checklist.List{Name: "ready", Items: items}})
	require.NoError(t, err)
	return p, r
}

// writeFacts has w goroutines write n facts in all to r: votes and
// readiness ticks of items i00000, i00001, ..., taken in turn while items
// are left (the readiness list has items items), then votes.
func writeFacts(t testing.TB, r *mep.Rollout, w, n, items int) {
	var wg sync.WaitGroup
	for g := range w {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := g; i < n; i += w {
				var err error
				if i%2 == 0 || i/2 >= items {
					_, err = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go})
				} else {
					err = r.Readiness().Check(fmt.Sprintf("i%05d", i/2), "Otto", time.Time{}, "")
				}
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

// BenchmarkWriters: votes and ticks written durably to one file-backed
// project (a readiness list of 200 items) by 1 and by 8 goroutines. The project's lock is not held while
// the journal syncs, so concurrent writers share its syncs (group
// commit): facts/s is the figure to compare.
func BenchmarkWriters(b *testing.B) {
	for _, w := range []int{1, 8} {
		b.Run(fmt.Sprintf("goroutines-%d", w), func(b *testing.B) {
			p, r := busyRollout(b, filepath.Join(b.TempDir(), "p.jsonl"), 200)
			defer p.Close()
			b.ResetTimer()
			start := time.Now()
			writeFacts(b, r, w, b.N, 200)
			b.ReportMetric(float64(b.N)/time.Since(start).Seconds(), "facts/s")
		})
	}
}

// Facts written by concurrent goroutines replay to the same state: every
// vote and every tick, in the order the record gives them.
func TestConcurrentWritersReplay(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	p, r := busyRollout(t, path, 200)
	writeFacts(t, r, 8, 400, 200)
	votes, ready := r.GoNoGo().Votes(), r.Readiness()
	require.Len(t, votes, 200)
	require.True(t, ready.Run().Ready())
	require.NoError(t, p.Close())

	again, err := mep.OpenFile(path, nil)
	require.NoError(t, err)
	defer again.Close()
	r2, ok := again.Rollout("r")
	require.True(t, ok)
	assert.Equal(t, votes, r2.GoNoGo().Votes())
	assert.Equal(t, ready.Run().Digest(), r2.Readiness().Run().Digest())
	assert.Equal(t, ready.Run().ReadyAt(), r2.Readiness().Run().ReadyAt())
}
