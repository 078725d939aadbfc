package fleet_test

import (
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
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

func TestRhythmCadence(t *testing.T) {
	weekly := mep.Cadence{Days: 7, Weekdays: true}
	for _, tt := range []struct {
		spacing int
		cur     mep.Cadence
		want    mep.Cadence
	}{
		{1, weekly, mep.Cadence{Days: 14, Weekdays: true}},
		{1, mep.Cadence{}, mep.Cadence{Days: 14}},
		{1, mep.Cadence{Months: 1}, mep.Cadence{Months: 2}},
		{-1, mep.Cadence{Days: 14}, mep.Cadence{Days: 7}},
		{-1, mep.Cadence{Days: 1}, mep.Cadence{Days: 1}},
		{-1, mep.Cadence{Months: 1}, mep.Cadence{Days: 14}},
		{-1, mep.Cadence{Months: 3}, mep.Cadence{Months: 1}},
		{0, weekly, weekly},
		{1, mep.Cadence{Months: math.MaxInt, Days: math.MaxInt/2 + 1}, mep.Cadence{Months: math.MaxInt, Days: math.MaxInt/2 + 1}}, // no overflow
	} {
		assert.Equal(t, tt.want, fleet.Rhythm{Spacing: tt.spacing}.Cadence(tt.cur), "%+v from %+v", tt.spacing, tt.cur)
	}
}

// A suggestion taken is a fact of the project's record, with who took
// it: the cadence replays, and the next meeting's date follows it.
func TestRhythmSuggestionTakenIsRecorded(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	p := project(t, dir, "billing", c, "Olga", "Bruno")
	require.NoError(t, p.Tracker().SetCadence(mep.Cadence{Days: 7}, "Olga"))
	r := fleet.Rhythm{Suggestion: "space the meetings out: the last 3 go-lives ran clean", Spacing: 1}
	require.NoError(t, p.Tracker().SetCadence(r.Cadence(p.Tracker().Cadence()), "Bruno"))
	require.NoError(t, p.Close())

	p, err := mep.OpenFile(filepath.Join(dir, "billing"), &mep.Options{Now: c.now})
	require.NoError(t, err)
	defer p.Close()
	assert.Equal(t, mep.Cadence{Days: 14}, p.Tracker().Cadence())
	var by []string
	for _, e := range p.Record() {
		if e.Kind == "mep.cadence" {
			by = append(by, e.Actor)
		}
	}
	assert.Equal(t, []string{"Olga", "Bruno"}, by, "each change of cadence names who made it")
	m, err := p.Tracker().Hold(mep.Minutes{At: c.now(), Title: "Weekly", Attendees: []string{"Olga"}, NoActions: "nothing open"})
	require.NoError(t, err)
	assert.True(t, m.Next.Equal(at(paris, 2026, 3, 16, 9, 0)), "the next meeting a fortnight later: %v", m.Next)
}

// A go-live with a failed step attempt, or with an action overdue when
// it ended, did not run clean: the fold reads both from the record.
func TestRhythmFailedStepsAndOverdueActions(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(time.UTC, 2026, 3, 2, 9, 0)}
	p := project(t, dir, "billing", c, "Olga")
	deploy(t, p, c, "a", at(time.UTC, 2026, 3, 3, 21, 0), nil, "billing", 10, 20)
	deploy(t, p, c, "b", at(time.UTC, 2026, 3, 10, 21, 0), nil, "billing", 10, 20)
	// c: its stop is tried twice, the first attempt failing.
	deploy(t, p, c, "c", at(time.UTC, 2026, 3, 17, 21, 0), nil, "billing", -5, 20)
	require.NoError(t, p.Close())

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: func() time.Time { return at(time.UTC, 2026, 4, 1, 0, 0) }, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	e, ok := snap.Find("billing", "c")
	require.True(t, ok)
	assert.Equal(t, 1, e.FailedSteps)
	r := snap.Rhythm("billing", nil)
	assert.Zero(t, r.Clean)
	assert.Equal(t, -1, r.Spacing)
	assert.Contains(t, r.Suggestion, "c did not run clean (")

	// An action due before a go-live ended, closed after it: overdue then.
	snap.Entries[0].OverdueActions = 0
	for i := range snap.Entries {
		snap.Entries[i].FailedSteps = 0
	}
	assert.Equal(t, 3, snap.Rhythm("billing", nil).Clean)
	snap.Entries[len(snap.Entries)-1].OverdueActions = 2
	r = snap.Rhythm("billing", nil)
	assert.Equal(t, "tighten the meetings: c did not run clean (2 action(s) overdue)", r.Suggestion)
}

// The fold counts the actions overdue when each cutover ended.
func TestOverdueActionsAtTheEnd(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(time.UTC, 2026, 3, 2, 9, 0)}
	p := project(t, dir, "billing", c, "Olga")
	_, err := p.Tracker().Assign(mep.ActionSpec{Title: "Order the disks", Owner: "Olga", Due: at(time.UTC, 2026, 3, 3, 12, 0)}, "Olga", c.now())
	require.NoError(t, err)
	_, err = p.Tracker().Assign(mep.ActionSpec{Title: "Book the room", Owner: "Olga", Due: at(time.UTC, 2026, 3, 20, 12, 0)}, "Olga", c.now())
	require.NoError(t, err)
	deploy(t, p, c, "a", at(time.UTC, 2026, 3, 3, 21, 0), nil, "billing", 10, 20)
	c.t = at(time.UTC, 2026, 3, 4, 9, 0)
	require.NoError(t, p.Tracker().Done(1, "Olga", c.t, "late"))
	deploy(t, p, c, "b", at(time.UTC, 2026, 3, 10, 21, 0), nil, "billing", 10, 20)
	require.NoError(t, p.Close())

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: func() time.Time { return at(time.UTC, 2026, 4, 1, 0, 0) }, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	a, _ := s.Snapshot().Find("billing", "a")
	b, _ := s.Snapshot().Find("billing", "b")
	assert.Equal(t, 1, a.OverdueActions, "the disks were due at noon, done the next morning")
	assert.Zero(t, b.OverdueActions, "done before b; the room is not due yet")
}
