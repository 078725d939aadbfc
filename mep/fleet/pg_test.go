package fleet_test

import (
	"fmt"
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
func pgProject(t testing.TB, db *pgstore.DB, name string, c *clock, people ...string) *mep.Project {
	t.Helper()
	st, err := db.Store(name)
	require.NoError(t, err)
	p, err := mep.Create(st, name, &mep.Options{Now: c.now, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
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

// BenchmarkRescanDB measures a rescan of a PostgreSQL database of 500
// projects (one rollout each) when nothing changed: one loose index scan
// for the records' last seqs, no record read.
func BenchmarkRescanDB(b *testing.B) {
	dsn := pgtest.DSN(b, "the schedule's rescan on PostgreSQL")
	db, err := pgstore.Open(bg, dsn, &pgstore.Options{Schema: pgtest.Schema(b, dsn, "fleetbench_")})
	require.NoError(b, err)
	defer db.Close()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	for i := range 500 {
		st, err := db.Store(fmt.Sprintf("p%03d", i))
		require.NoError(b, err)
		p, err := mep.Create(st, fmt.Sprintf("p%03d", i), &mep.Options{Now: c.now, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
		require.NoError(b, err)
		_, err = p.NewRollout(mep.RolloutOptions{Name: "r", T0: at(paris, 2026, 3, 10, 21, 0), Runbook: runbook(10, 20)})
		require.NoError(b, err)
		require.NoError(b, p.Close())
	}
	s, err := fleet.OpenDB(bg, db, &fleet.Options{Now: c.now, Trials: 1000})
	require.NoError(b, err)
	defer s.Close()
	b.ResetTimer()
	for b.Loop() {
		if sc, err := s.Rescan(bg); err != nil || sc.Unchanged != 500 {
			b.Fatal(sc, err)
		}
	}
}
