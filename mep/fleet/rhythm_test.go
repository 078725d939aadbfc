package fleet_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/mep/report"
)

func TestRhythm(t *testing.T) {
	dep := func(name string, m, d int, st report.Outcome, dur time.Duration) fleet.Entry {
		t0 := at(time.UTC, 2026, m, d, 21, 0)
		return fleet.Entry{Project: "billing", Rollout: name, Team: "Ops", T0: t0, Started: t0, Ended: t0.Add(dur),
			Duration: dur, Status: st, P90: t0.Add(time.Hour)}
	}
	snap := &fleet.Snapshot{Entries: []fleet.Entry{
		dep("a", 1, 6, report.RolledBack, time.Hour),
		dep("b", 3, 3, report.Done, 30*time.Minute),
		dep("c", 3, 10, report.Done, 30*time.Minute),
		dep("d", 3, 17, report.Done, 50*time.Minute),
		{Project: "other", Rollout: "x", Status: report.Done},
	}}
	r := snap.Rhythm("billing", nil)
	require.Len(t, r.Months, 3, "January to March, February empty")
	assert.Equal(t, []int{1, 0, 3}, []int{r.Months[0].Deployments, r.Months[1].Deployments, r.Months[2].Deployments})
	assert.InDelta(t, 1.0, r.Trend, 1e-9, "1, 0, 3: a slope of one a month")
	assert.Equal(t, 3, r.Clean)
	assert.Equal(t, "space the meetings out: the last 3 go-lives ran clean", r.Suggestion)

	snap.Entries[3].Duration = 70 * time.Minute // d ran past its P90
	r = snap.Rhythm("billing", nil)
	assert.Zero(t, r.Clean)
	assert.Equal(t, "tighten the meetings: d did not run clean (past its P90 of 1h0m0s)", r.Suggestion)

	snap.Entries[3].Duration = 50 * time.Minute
	snap.Entries[2].Labels = map[string]string{"fixes": "b"}
	r = snap.Rhythm("billing", nil)
	assert.Equal(t, 2, r.Clean, "b was fixed by c")
	assert.Empty(t, r.Suggestion)

	assert.Empty(t, snap.Rhythm("nobody", nil).Months)
}
