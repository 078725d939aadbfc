package mep_test

import (
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
)

// A time given in a zone whose offset from UTC has seconds (a fixed zone,
// or a zone's local mean time before 1900), which RFC 3339 cannot write,
// is recorded as the same instant: an action's due date, a meeting's next
// date and its actions' due dates, a checklist's T0, a rehearsal's steps
// read back from the record are the instants given, not instants some
// seconds away.
func TestTimesWithSecondsInTheirOffsetReadBack(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{})
	// Paris kept its local mean time, 9 minutes 21 seconds ahead of UTC,
	// until 1891: the project reads the rehearsal in it.
	old := rehearse(t, time.Date(1890, 6, 1, 19, 0, 0, 0, time.UTC), goliveRunbook(), 5, 20, 10, 5)
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: old, Environment: "preprod", ProductionLike: true}))
	odd := time.FixedZone("odd", 30)
	due := time.Date(2026, 12, 1, 12, 0, 0, 0, odd)
	a, err := g.p.Tracker().Assign(mep.ActionSpec{Title: "print the runbook", Owner: "Bea", Due: due}, "Sam", time.Time{})
	require.NoError(t, err)
	next := g.c.now().Add(day(2)).In(odd)
	m, err := g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Bea"}, Next: next,
		Actions: []mep.ActionSpec{{Title: "book the room", Owner: "Bea", Due: due.Add(time.Hour)}}})
	require.NoError(t, err)
	t0 := g.c.now().Add(day(9)).In(odd)
	require.NoError(t, g.p.Operations().Start(checklist.Operations(), t0, "Mia"))
	require.NoError(t, g.p.Close())

	p, err := mep.OpenFile(path, nil)
	require.NoError(t, err)
	defer p.Close()
	actions := p.Tracker().Actions()
	require.Len(t, actions, 2)
	assert.True(t, a.Due.Equal(actions[0].Due), "action due %s, read back %s", a.Due, actions[0].Due)
	assert.True(t, due.Add(time.Hour).Equal(actions[1].Due), "meeting action due %s, read back %s", due.Add(time.Hour), actions[1].Due)
	ms := p.Tracker().Meetings()
	require.Len(t, ms, 1)
	assert.True(t, m.Next.Equal(ms[0].Next), "next %s, read back %s", m.Next, ms[0].Next)
	assert.True(t, t0.Equal(p.Operations().Run().T0()), "T0 %s, read back %s", t0, p.Operations().Run().T0())
	r, ok := p.Rollout("go-live")
	require.True(t, ok)
	back := r.Rehearsals()[0].Summary
	assert.True(t, old.Start.Equal(back.Start), "rehearsal start %s, read back %s", old.Start, back.Start)
	assert.True(t, old.End.Equal(back.End), "rehearsal end %s, read back %s", old.End, back.End)
}
