package checklist

import (
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// lateSlow is Late as the method states it, read item by item from the
// state without what the run remembers.
func (r *Run) lateSlow(now time.Time) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for i, it := range r.list.Items {
		if it.Deadline == 0 {
			continue
		}
		due, st := r.t0.Add(it.Deadline), r.items[i]
		if (st.status == Pending || st.status == Failed) && now.After(due) ||
			(st.status == Done || st.status == Waived) && st.satisfiedAt.After(due) {
			out = append(out, it.ID)
		}
	}
	return out
}

// Late, which remembers when items are due and what it last read, answers
// as the item-by-item reading does after any sequence of ticks, failures,
// waivers, moves of T0, restores and clones, at any instant around the
// deadlines.
func TestLateRemembersNothingStale(t *testing.T) {
	t0 := time.Date(2026, 6, 9, 21, 0, 0, 0, time.UTC)
	var items []Item
	for i := range 12 {
		items = append(items, Item{ID: fmt.Sprintf("i%d", i), Title: "x", Deadline: -time.Duration(i%4) * time.Hour, Optional: i%5 == 0})
	}
	l := List{Name: "ready", Mode: DoConfirm, WaiveRequired: true, Items: items}
	for seed := range uint64(200) {
		rng := rand.New(rand.NewPCG(seed, 7))
		r, err := NewRun(l, t0)
		require.NoError(t, err)
		var snaps [][]byte
		clock := t0.Add(-5 * time.Hour)
		for step := range 60 {
			clock = clock.Add(time.Duration(rng.IntN(40)) * time.Minute)
			id := fmt.Sprintf("i%d", rng.IntN(len(items)))
			switch rng.IntN(8) {
			case 0, 1:
				_ = r.Check(id, "a", clock, "")
			case 2:
				_ = r.Fail(id, "a", clock, "broken")
			case 3:
				_ = r.Waive(id, "a", clock, "n/a")
			case 4:
				_ = r.Reschedule(r.T0().Add(time.Duration(rng.IntN(5)-2)*time.Hour), "lead", clock, "")
			case 5:
				if s, err := r.Snapshot(); err == nil {
					snaps = append(snaps, s)
				}
				if len(snaps) > 0 && rng.IntN(2) == 0 {
					require.NoError(t, r.Restore(snaps[rng.IntN(len(snaps))]))
				}
			case 6:
				r = r.Clone()
			}
			for range 3 {
				now := r.T0().Add(time.Duration(rng.IntN(6*60)-4*60) * time.Minute)
				var got []string
				for _, it := range r.Late(now) {
					got = append(got, it.ID)
				}
				require.True(t, slices.Equal(r.lateSlow(now), got), "seed %d step %d at %s: %v, want %v", seed, step, now, got, r.lateSlow(now))
			}
		}
	}
}
