package pgstore

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/timeline"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A record written at version 1, by a writer with INSERT, keeps reading
// at version 2, and that writer appends through the function from then on.
func TestMigrateFromVersion1(t *testing.T) {
	dsn := pgtest.DSN(t, "the PostgreSQL store's tests")
	schema := pgtest.Schema(t, dsn, "pgstore_test_")
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	exec := func(sql string, args ...any) {
		t.Helper()
		_, err := conn.Exec(ctx, sql, args...)
		require.NoError(t, err, sql)
	}
	exec("CREATE SCHEMA " + quote(schema))
	exec("CREATE TABLE " + qualified(schema, VersionTable) + " (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())")
	exec(fill(migrations[0], schema))
	exec("INSERT INTO " + qualified(schema, VersionTable) + " (version) VALUES (1)")
	role := "pgstore_writer_" + schema[len("pgstore_test_"):]
	exec("CREATE ROLE " + quote(role) + " LOGIN")
	t.Cleanup(func() {
		c, err := pgx.Connect(context.Background(), dsn)
		require.NoError(t, err)
		defer c.Close(context.Background())
		_, err = c.Exec(context.Background(), "DROP OWNED BY "+quote(role)+"; DROP ROLE "+quote(role))
		assert.NoError(t, err)
	})
	exec("GRANT USAGE ON SCHEMA " + quote(schema) + " TO " + quote(role) + "; GRANT SELECT ON " + qualified(schema, VersionTable) + " TO " + quote(role) +
		"; GRANT SELECT, INSERT ON " + qualified(schema, EntriesTable) + " TO " + quote(role))

	j := timeline.New(nil)
	for range 3 {
		_, err := j.Note("ops", "at version 1")
		require.NoError(t, err)
	}
	var b strings.Builder
	require.NoError(t, timeline.WriteJSONL(&b, j.Entries()))
	for i, line := range strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n") {
		e := j.Entries()[i]
		exec("INSERT INTO "+qualified(schema, EntriesTable)+" (record, seq, at, kind, actor, hash, line) VALUES ('old', $1, $2, $3, $4, $5, $6)",
			int64(e.Seq), e.At, e.Kind, e.Actor, e.Hash, line)
	}

	db, err := Open(ctx, dsn, &Options{Schema: schema})
	require.NoError(t, err, "Open migrates")
	defer db.Close()
	var v int
	require.NoError(t, db.pool.QueryRow(ctx, "SELECT max(version) FROM "+qualified(schema, VersionTable)).Scan(&v))
	assert.Equal(t, SchemaVersion, v)

	u, err := pgx.ParseConfig(dsn)
	require.NoError(t, err)
	u.User = role
	wconn, err := pgx.ConnectConfig(ctx, u)
	require.NoError(t, err)
	defer wconn.Close(ctx)
	_, err = wconn.Exec(ctx, "INSERT INTO "+qualified(schema, EntriesTable)+" (record, seq, at, kind, hash, line) VALUES ('old', 4, now(), 'note', '00', '{}')")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "permission denied", "the version 1 writer lost INSERT")

	pcfg, err := pgxpool.ParseConfig(dsn)
	require.NoError(t, err)
	pcfg.ConnConfig.User = role
	pool, err := pgxpool.NewWithConfig(ctx, pcfg)
	require.NoError(t, err)
	defer pool.Close()
	wdb, err := New(ctx, pool, &Options{Schema: schema, NoMigrate: true})
	require.NoError(t, err)
	defer wdb.Close()
	s, err := wdb.Store("old")
	require.NoError(t, err)
	wj, err := timeline.OpenStore(s, nil)
	require.NoError(t, err, "the record of version 1 reads and verifies")
	require.Equal(t, 3, wj.Len())
	_, err = wj.Note("ops", "at version 2")
	require.NoError(t, err, "and its writer appends through the function")
	require.NoError(t, wj.Close())
}
