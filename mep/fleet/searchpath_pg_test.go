package fleet_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// The schedule's own SQL names pg_catalog's functions: a role that may
// create functions in public (every role's, before PostgreSQL 15) cannot
// have one run as the schedule's role by a better match for its
// arguments.
func TestWatchRunsNoFunctionAnotherRolePutOnItsPath(t *testing.T) {
	dsn := pgtest.DSN(t, "the schedule's watch on PostgreSQL")
	admin := pgtest.Intruded(t, dsn, "fleet_path_", `CREATE TABLE public.ran (who text);
		GRANT INSERT ON public.ran TO PUBLIC;
		CREATE FUNCTION public.unnest(a text[]) RETURNS SETOF text LANGUAGE plpgsql AS $$
		BEGIN
			INSERT INTO public.ran VALUES (current_user);
			RETURN QUERY SELECT pg_catalog.unnest(a);
		END $$;`)
	super := func(dsn, sql string) {
		t.Helper()
		conn, err := pgx.Connect(bg, dsn)
		require.NoError(t, err)
		defer conn.Close(bg)
		_, err = conn.Exec(bg, sql)
		require.NoError(t, err, sql)
	}

	db, err := pgstore.Open(bg, admin, nil)
	require.NoError(t, err)
	defer db.Close()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	pgProject(t, db, "billing", c, "Olga")
	s, err := fleet.OpenDB(bg, db, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	ctx, cancel := context.WithCancel(bg)
	done := make(chan error, 1)
	go func() { done <- s.Watch(ctx, time.Hour, nil) }()
	// The rescans of OpenDB and of the listener's connection, then one
	// of the record a notification names.
	require.Eventually(t, func() bool { return fleet.Rescans(s) >= 2 }, 10*time.Second, time.Millisecond)
	before := fleet.Rescans(s)
	super(admin, `SELECT pg_notify('mepkit_timeline', '{"schema":"mepkit","record":"billing","seq":99}')`)
	require.Eventually(t, func() bool { return fleet.Rescans(s) > before }, 10*time.Second, time.Millisecond)
	cancel()
	<-done

	conn, err := pgx.Connect(bg, admin)
	require.NoError(t, err)
	defer conn.Close(bg)
	rows, err := conn.Query(bg, "SELECT who FROM public.ran")
	require.NoError(t, err)
	ran, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	assert.Empty(t, ran, "the intruder's function ran as these roles")
}
