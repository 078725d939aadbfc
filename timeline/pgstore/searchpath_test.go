package pgstore_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// intrusions are the functions an intruder with CREATE on the schema
// public (every role's, before PostgreSQL 15) puts there: each matches
// the arguments of a call that pgstore sends unqualified better than the
// function of pg_catalog does, notes the role it runs as, and does what
// the real one does, so that nothing shows.
const intrusions = `
CREATE TABLE public.ran (who text, what text);
GRANT INSERT ON public.ran TO PUBLIC;
CREATE FUNCTION public.hashtextextended(t text, seed integer) RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.ran VALUES (current_user, 'hashtextextended');
	RETURN pg_catalog.hashtextextended(t, seed);
END $$;
CREATE FUNCTION public.unnest(a text[]) RETURNS SETOF text LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO public.ran VALUES (current_user, 'unnest');
	RETURN QUERY SELECT pg_catalog.unnest(a);
END $$;`

// The SQL the package sends from Go names the functions of pg_catalog,
// so that a role that may create functions in a schema on another role's
// search_path (public, before PostgreSQL 15) cannot have its code run as
// the writers, or as the admin that migrates.
func TestStoreRunsNoFunctionAnotherRolePutOnItsPath(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	admin := pgtest.Intruded(t, testDSN(t), "pgstore_test_path_", intrusions)

	db, err := pgstore.Open(ctx, admin, nil) // migrates, under its lock
	require.NoError(t, err)
	s1, err := db.Store("r")
	require.NoError(t, err)
	s2, err := db.Store("r")
	require.NoError(t, err)
	j1, err := timeline.OpenStore(s1, nil)
	require.NoError(t, err)
	j2, err := timeline.OpenStore(s2, nil)
	require.NoError(t, err)
	_, err = j1.Note("ops", "first")
	require.NoError(t, err)
	_, err = j2.Note("ops", "second") // a conflict, then a turn
	require.ErrorIs(t, err, timeline.ErrConflict)
	_, err = j2.Refresh()
	require.NoError(t, err)
	_, err = j2.Note("ops", "second")
	require.NoError(t, err)
	require.NoError(t, j1.Close())
	require.NoError(t, j2.Close())
	db.Close() // sends the notifications

	conn, err := pgx.Connect(ctx, admin)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var ran []string
	rows, err := conn.Query(ctx, "SELECT who || ' ran ' || what FROM public.ran")
	require.NoError(t, err)
	ran, err = pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	assert.Empty(t, ran, "the intruder's functions ran as the store's roles")
}

// Every function of the schema runs with the search_path it was written
// for, whoever calls it and whatever their search_path: the trigger
// function too, which runs as the role whose change it refuses.
func TestEveryFunctionOfTheSchemaSetsItsSearchPath(t *testing.T) {
	db, _, schema := testDB(t)
	rows, err := db.Pool().Query(context.Background(),
		"SELECT p.proname FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace "+
			"WHERE n.nspname = $1 AND NOT coalesce('search_path=pg_catalog, pg_temp' = ANY (p.proconfig), false) ORDER BY 1", schema)
	require.NoError(t, err)
	loose, err := pgx.CollectRows(rows, pgx.RowTo[string])
	require.NoError(t, err)
	assert.Empty(t, loose, "functions that take the caller's search_path")
}
