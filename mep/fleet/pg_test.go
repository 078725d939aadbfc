package fleet_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// pgProject creates project name in db, with the people named in its
// go-live team.
func pgProject(t *testing.T, db *pgstore.DB, name string, c *clock, people ...string) *mep.Project {
	t.Helper()
	st, err := db.Store(name)
	require.NoError(t, err)
	p, err := mep.Create(st, name, &mep.Options{Now: c.now, RolloutsOnly: true})
	require.NoError(t, err)
	for _, n := range people {
		require.NoError(t, p.Team().Add(mep.Member{Name: n, Roles: []mep.Role{mep.RoleOperations}}))
	}
	require.NoError(t, p.Team().Choose(people[0], people...))
	return p
}

func TestScheduleFromPostgres(t *testing.T) {
	dsn := pgtest.DSN(t, "the schedule on PostgreSQL")
	schema := pgtest.Schema(t, dsn, "fleet_")
	db, err := pgstore.Open(bg, dsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	defer db.Close()

	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	billing := pgProject(t, db, "billing", c, "Olga")
	r := rollout(t, billing, "v3", "Ops-2", "prod", at(paris, 2026, 3, 10, 21, 0), runbook(30, 60), "database:billing")
	pay := pgProject(t, db, "payments", c, "Olga", "Max")
	rollout(t, pay, "v7", "Pay", "prod", at(paris, 2026, 3, 10, 22, 0), runbook(10, 20), "database:billing")

	s, err := fleet.OpenDB(bg, db, &fleet.Options{Now: c.now, Trials: 200})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.Empty(t, snap.Errors)
	require.Len(t, snap.Active(), 2)
	e := snap.Active()[1]
	assert.Equal(t, "payments/v7", e.ID())
	assert.Equal(t, "Pay", e.Team)
	assert.Equal(t, []string{"Max", "Olga"}, e.People)

	sc, err := s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 2, Unchanged: 2}, sc)

	require.NoError(t, r.Resources().Declare(mep.Site, "lyon", "Olga", "on-site swap"))
	third := pgProject(t, db, "crm", c, "Ann")
	rollout(t, third, "r1", "CRM", "staging", at(paris, 2026, 3, 11, 21, 0), runbook(5, 5))
	sc, err = s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 3, Opened: 1, Refreshed: 1, Unchanged: 1}, sc)
	e, ok := s.Snapshot().Find("billing", "v3")
	require.True(t, ok)
	assert.Len(t, e.Resources, 2)
	e, ok = s.Snapshot().Find("crm", "r1")
	require.True(t, ok)
	assert.Equal(t, "staging", e.Environment)
}
