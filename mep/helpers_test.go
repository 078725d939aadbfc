package mep_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// clock is a settable clock for a project.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func (c *clock) set(t time.Time)     { c.t = t }
func newClock(t time.Time) *clock    { return &clock{t: t} }
func utc(y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, time.UTC)
}
func day(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }
func load(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func newProject(t *testing.T, c *clock) *mep.Project {
	t.Helper()
	p, err := mep.New("billing v2", &mep.Options{Now: c.now})
	require.NoError(t, err)
	return p
}

// staff adds a small team that satisfies R3.
func staff(t *testing.T, p *mep.Project) {
	t.Helper()
	for _, m := range []mep.Member{
		{Name: "Sam", Roles: []mep.Role{mep.RoleSales}},
		{Name: "Bea", Roles: []mep.Role{mep.RoleBuild}},
		{Name: "Vic", Roles: []mep.Role{mep.RoleValidation}},
		{Name: "Otto", Roles: []mep.Role{mep.RoleOperations}},
		{Name: "Mia", Roles: []mep.Role{mep.RoleMCO}},
	} {
		require.NoError(t, p.AddMember(m))
	}
}

// doneRun returns a run of items, each checked at at.
func doneRun(t *testing.T, name string, t0, at time.Time, items ...checklist.Item) *checklist.Run {
	t.Helper()
	r, err := checklist.NewRun(checklist.List{Name: name, Items: items}, t0)
	require.NoError(t, err)
	for _, it := range items {
		require.NoError(t, r.Check(it.ID, "Vic", at, ""))
	}
	return r
}

// rehearsal returns the summary of a short timed rehearsal.
func rehearsal(t *testing.T, start time.Time) timeline.Summary {
	t.Helper()
	c := newClock(start)
	j := timeline.New(&timeline.Options{Now: c.now})
	_, err := j.Start("stop-app", "Bea", timeline.Outage)
	require.NoError(t, err)
	c.add(12 * time.Minute)
	_, err = j.End("stop-app", "Bea", timeline.Done)
	require.NoError(t, err)
	return timeline.Summarize(j.Entries())
}
