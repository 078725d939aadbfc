package fleet_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

var (
	paris   = mustLoad("Europe/Paris")
	newYork = mustLoad("America/New_York")
	sydney  = mustLoad("Australia/Sydney")
	kolkata = mustLoad("Asia/Kolkata")
	bg      = context.Background()
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func at(loc *time.Location, y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, loc)
}

// clock is a settable clock.
type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

// project creates a project that runs rollouts only in dir/name (dir ""
// : in memory), with a go-live team of the people named.
func project(t testing.TB, dir, name string, c *clock, people ...string) *mep.Project {
	t.Helper()
	opts := &mep.Options{Now: c.now, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"}
	var p *mep.Project
	var err error
	if dir == "" {
		p, err = mep.New(name, opts)
	} else {
		require.NoError(t, os.Mkdir(filepath.Join(dir, name), 0o700))
		p, err = mep.CreateFile(filepath.Join(dir, name), name, opts)
	}
	require.NoError(t, err)
	for _, n := range people {
		require.NoError(t, p.Team().Add(mep.Member{Name: n, Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO, mep.RoleBuild}}))
	}
	require.NoError(t, p.Team().Choose(people[0], people...))
	require.NoError(t, p.Team().SetMCOContact(people[0]))
	return p
}

// runbook is two steps expected to take the minutes given.
func runbook(a, b int) []mep.Step {
	return []mep.Step{
		{ID: "stop", Title: "Stop", Expected: time.Duration(a) * time.Minute, Rollback: "start again"},
		{ID: "migrate", Title: "Migrate", Expected: time.Duration(b) * time.Minute, Rollback: "restore the backup"},
	}
}

// rollout adds a rollout at t0 for team, touching the resources given
// as "kind:name".
func rollout(t testing.TB, p *mep.Project, name, team, env string, t0 time.Time, rb []mep.Step, resources ...string) *mep.Rollout {
	t.Helper()
	r, err := p.NewRollout(mep.RolloutOptions{Name: name, T0: t0, Runbook: rb, Environment: env, Labels: map[string]string{"team": team}})
	require.NoError(t, err)
	by := p.Team().Chosen()[0]
	for _, s := range resources {
		res, err := mep.ParseResource(s)
		require.NoError(t, err)
		require.NoError(t, r.Resources().Declare(res.Kind, res.Name, by, "touched by the cutover"))
	}
	return r
}

// billingStore returns a new store directory holding one project,
// billing, with its rollout v3 by team on database:billing in prod, at
// 21:00 Paris on Tuesday 10 March 2026, of two steps expected to take
// 30 and 60 minutes, and the store's clock.
func billingStore(t testing.TB, team string) (string, *clock) {
	t.Helper()
	dir := t.TempDir()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	billing := project(t, dir, "billing", c, "Olga")
	rollout(t, billing, "v3", team, "prod", at(paris, 2026, 3, 10, 21, 0), runbook(30, 60), "database:billing")
	require.NoError(t, billing.Close())
	return dir, c
}
