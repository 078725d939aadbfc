package checklist_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// naiveLate is Late computed from what the run shows, without its
// indices: each item's due instant from T0 and its deadline, the instant
// it was last satisfied from its history.
func naiveLate(r *checklist.Run, results []checklist.Result, now time.Time) []string {
	l, t0 := r.List(), r.T0()
	out := []string{}
	for i, res := range results {
		d := l.Items[i].Deadline
		if d == 0 {
			continue
		}
		due := t0.Add(d)
		var satisfiedAt time.Time
		satisfied := false
		for _, c := range res.History {
			now := c.Status == checklist.Done || c.Status == checklist.Waived
			switch {
			case now && !satisfied:
				satisfiedAt = c.At
			case !now:
				satisfiedAt = time.Time{}
			}
			satisfied = now
		}
		if (!satisfied && now.After(due)) || (satisfied && satisfiedAt.After(due)) {
			out = append(out, res.Item.ID)
		}
	}
	return out
}

// naiveCoverage is Coverage computed by reading every item of the list.
func naiveCoverage(results []checklist.Result, p checklist.Purpose) (items, notDone []string) {
	for _, res := range results {
		if res.Item.Purpose != p {
			continue
		}
		items = append(items, res.Item.ID)
		if res.Status != checklist.Done {
			notDone = append(notDone, res.Item.ID+"/"+res.Status.String()+"/"+res.Due.String())
		}
	}
	return items, notDone
}

// requireAsNaive holds the run's Late and Coverage, whose due instants and
// items by purpose are computed once, to what a reading of every item
// gives.
func requireAsNaive(t *testing.T, r *checklist.Run, now time.Time, step string) {
	t.Helper()
	results := r.Results()
	require.Equal(t, naiveLate(r, results, now), ids(r.Late(now)), "%s: Late(%s)", step, now)
	for _, p := range []checklist.Purpose{checklist.General, checklist.InstallProcedure, checklist.HardwareVerified,
		checklist.ConfigBackup, checklist.Probes, checklist.BackupProcess, checklist.KnownFailures, checklist.Purpose(200)} {
		cov := r.Coverage(p)[0]
		items, notDone := naiveCoverage(results, p)
		var got []string
		for _, res := range cov.NotDone {
			got = append(got, res.Item.ID+"/"+res.Status.String()+"/"+res.Due.String())
		}
		require.Equal(t, items, cov.Items, "%s: Coverage(%s)", step, p)
		require.Equal(t, notDone, got, "%s: Coverage(%s) not done", step, p)
	}
}

// Late and Coverage, whose due instants are kept per T0 and whose items
// are indexed by purpose, answer as a reading of every item would, through
// any sequence of changes, reschedules (back and forth, to the same
// instant in another zone), clones changed on either side, snapshots
// restored and Late asked between them.
func TestRunCachesAnswerAsTheItems(t *testing.T) {
	tokyo := mustLoad("Asia/Tokyo")
	purposes := []checklist.Purpose{checklist.General, checklist.ConfigBackup, checklist.HardwareVerified, checklist.Probes}
	for seed := range uint64(50) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var l checklist.List
		l.Name, l.WaiveRequired = "cache", true
		for i := range 2 + rng.IntN(6) {
			l.Items = append(l.Items, checklist.Item{
				ID: fmt.Sprintf("i%d", i), Title: "item", Optional: rng.IntN(3) == 0,
				Deadline: -time.Duration(rng.IntN(4)) * time.Hour, Purpose: purposes[rng.IntN(len(purposes))],
			})
		}
		r, err := checklist.NewRun(l, t0)
		require.NoError(t, err)
		runs := []*checklist.Run{r}
		t0s := []time.Time{t0, t0.Add(time.Hour), t0.In(tokyo), t0.Add(-2 * time.Hour).In(tokyo)}
		for step := range 30 {
			r := runs[rng.IntN(len(runs))]
			it := l.Items[rng.IntN(len(l.Items))].ID
			when := t0.Add(time.Duration(rng.IntN(8)-6) * time.Hour)
			name := fmt.Sprintf("seed %d step %d", seed, step)
			switch rng.IntN(7) {
			case 0:
				_ = r.Check(it, "a", when, "")
			case 1:
				_ = r.Fail(it, "a", when, "")
			case 2:
				_ = r.Waive(it, "a", when, "n/a")
			case 3:
				require.NoError(t, r.Reschedule(t0s[rng.IntN(len(t0s))], "a", when, ""))
			case 4:
				runs = keep(runs, r.Clone(), rng)
			case 5:
				snap, err := r.Snapshot()
				require.NoError(t, err)
				back, err := checklist.Restore(l, snap)
				require.NoError(t, err)
				runs = keep(runs, back, rng)
			case 6:
				snap, err := r.Snapshot()
				require.NoError(t, err)
				require.NoError(t, runs[rng.IntN(len(runs))].Restore(snap))
			}
			for _, x := range runs {
				requireAsNaive(t, x, when, name)
			}
		}
	}
}

// keep adds r to runs, in place of one of them once there are four.
func keep(runs []*checklist.Run, r *checklist.Run, rng *rand.Rand) []*checklist.Run {
	if len(runs) < 4 {
		return append(runs, r)
	}
	runs[rng.IntN(len(runs))] = r
	return runs
}
