package pgstore_test

import (
	"bytes"
	"context"
	"errors"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// asRole opens the schema as the login role of dsn, without migrating.
func asRole(t *testing.T, dsn, schema string) *pgstore.DB {
	t.Helper()
	db, err := pgstore.Open(context.Background(), dsn, &pgstore.Options{Schema: schema, NoMigrate: true})
	require.NoError(t, err)
	t.Cleanup(db.Close)
	return db
}

func TestExportThenDropRecord(t *testing.T) {
	db, dsn, schema := testDB(t)
	ctx := t.Context()
	s, err := db.Store("golive")
	require.NoError(t, err)
	es := entries(t, 4)
	require.NoError(t, s.Append(es[:3]))

	var export bytes.Buffer
	seq, hash, err := db.Export(ctx, "golive", &export, nil)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), seq)
	assert.Equal(t, es[2].Hash, hash)
	got, err := timeline.Read(&export)
	require.NoError(t, err)
	require.NoError(t, timeline.Verify(got, nil))
	assert.Len(t, got, 3)

	// A writer appended after the export: the drop refuses, nothing lost.
	require.NoError(t, s.Append(es[3:]))
	_, err = db.DropRecord(ctx, "golive", seq, hash, "archived")
	var ce *pgstore.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, uint64(4), ce.Last)
	all, err := s.Load()
	require.NoError(t, err)
	assert.Len(t, all, 4)

	_, err = db.DropRecord(ctx, "golive", 4, es[3].Hash, "")
	assert.ErrorIs(t, err, pgstore.ErrRefused, "a drop says why")

	// A writer may not drop.
	_, err = asRole(t, writerRole(t, dsn, schema), schema).DropRecord(ctx, "golive", 4, es[3].Hash, "mine")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "permission denied")

	export.Reset()
	seq, hash, err = db.Export(ctx, "golive", &export, nil)
	require.NoError(t, err)
	n, err := db.DropRecord(ctx, "golive", seq, hash, "archived to the go-live's folder")
	require.NoError(t, err)
	assert.Equal(t, int64(4), n)
	all, err = s.Load()
	require.NoError(t, err)
	assert.Empty(t, all)
	names, err := db.Records(ctx)
	require.NoError(t, err)
	assert.NotContains(t, names, "golive")
	var reason string
	var entries int64
	require.NoError(t, db.Pool().QueryRow(ctx, "SELECT reason, entries FROM "+pgx.Identifier{schema, "timeline_archived"}.Sanitize()+" WHERE record = 'golive'").Scan(&reason, &entries))
	assert.Equal(t, "archived to the go-live's folder", reason)
	assert.Equal(t, int64(4), entries)

	_, _, err = db.Export(ctx, "golive", &export, nil)
	assert.ErrorIs(t, err, pgstore.ErrRecordName, "nothing left to export")
}

func TestExportRefusesATamperedRecord(t *testing.T) {
	db, dsn, schema := testDB(t)
	s, err := db.Store("golive")
	require.NoError(t, err)
	require.NoError(t, s.Append(entries(t, 3)))
	table := pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()
	require.NoError(t, superExec(t, dsn, "SET session_replication_role = replica; DELETE FROM "+table+" WHERE seq = 2"))
	var export bytes.Buffer
	_, _, err = db.Export(t.Context(), "golive", &export, nil)
	require.ErrorIs(t, err, timeline.ErrTampered)
	assert.Zero(t, export.Len(), "nothing written")
}

// loginRole creates a login role with the writer grants of schema and
// returns its name and the DSN that logs in as it; the role is dropped
// when the test ends.
func loginRole(t *testing.T, dsn, schema, name string) (string, string) {
	t.Helper()
	role := name + "_" + schema[len("pgstore_test_"):]
	q := pgx.Identifier{role}.Sanitize()
	require.NoError(t, superExec(t, dsn, "CREATE ROLE "+q+" LOGIN"))
	t.Cleanup(func() { assert.NoError(t, superExec(t, dsn, "DROP OWNED BY "+q+"; DROP ROLE "+q)) })
	require.NoError(t, superExec(t, dsn, pgstore.Grants(schema, role, true)))
	return role, withParams(t, dsn, "user", role)
}

func TestWritersPerRecord(t *testing.T) {
	db, dsn, schema := testDB(t)
	ctx := t.Context()
	team := "team_billing_" + schema[len("pgstore_test_"):]
	require.NoError(t, superExec(t, dsn, "CREATE ROLE "+pgx.Identifier{team}.Sanitize()+" NOLOGIN"))
	t.Cleanup(func() { superExec(t, dsn, "DROP ROLE "+pgx.Identifier{team}.Sanitize()) })
	alice, aliceDSN := loginRole(t, dsn, schema, "alice")
	_, bobDSN := loginRole(t, dsn, schema, "bob")
	require.NoError(t, superExec(t, dsn, "GRANT "+pgx.Identifier{team}.Sanitize()+" TO "+pgx.Identifier{alice}.Sanitize()))
	require.NoError(t, db.GrantRecord(ctx, "billing", team))
	require.NoError(t, db.GrantRecord(ctx, "billing", team), "twice does nothing")

	appendAs := func(dsn, record string) error {
		s, err := asRole(t, dsn, schema).Store(record)
		require.NoError(t, err)
		j, err := timeline.OpenStore(s, nil)
		require.NoError(t, err)
		defer j.Close()
		_, err = j.Note("someone", "an entry")
		return err
	}
	require.NoError(t, appendAs(aliceDSN, "billing"), "a member of the team")
	err := appendAs(bobDSN, "billing")
	require.ErrorIs(t, err, pgstore.ErrNotWriter, "not a member")
	assert.Contains(t, err.Error(), "may not append to record billing")
	require.NoError(t, appendAs(bobDSN, "open"), "a record kept to no team")

	// Bob cannot grant himself the record.
	err = asRole(t, bobDSN, schema).GrantRecord(ctx, "billing", "bob")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "permission denied")

	require.NoError(t, db.RevokeRecord(ctx, "billing", team))
	require.NoError(t, appendAs(bobDSN, "billing"), "open again")
	all, err := mustStore(t, db, "billing").Load()
	require.NoError(t, err)
	require.NoError(t, timeline.Verify(all, nil))
	assert.Len(t, all, 2)
	assert.False(t, errors.Is(err, pgstore.ErrNotWriter))
}

func mustStore(t *testing.T, db *pgstore.DB, name string) *pgstore.Store {
	t.Helper()
	s, err := db.Store(name)
	require.NoError(t, err)
	return s
}
