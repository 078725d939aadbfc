package pgstore_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// writerRole creates a login role with the writer grants of schema, drops
// it when the test ends, and returns the DSN that logs in as it.
func writerRole(t *testing.T, dsn, schema string) string {
	t.Helper()
	role := "pgstore_writer_" + schema[len("pgstore_test_"):]
	q := pgx.Identifier{role}.Sanitize()
	require.NoError(t, superExec(t, dsn, "CREATE ROLE "+q+" LOGIN"))
	t.Cleanup(func() { assert.NoError(t, superExec(t, dsn, "DROP OWNED BY "+q+"; DROP ROLE "+q)) })
	require.NoError(t, superExec(t, dsn, pgstore.Grants(schema, role, true)))
	return withParams(t, dsn, "user", role)
}

// lines returns the JSON lines of es, as a journal writes them.
func lines(t *testing.T, es []timeline.Entry) []string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, timeline.WriteJSONL(&b, es))
	return strings.Split(strings.TrimSuffix(b.String(), "\n"), "\n")
}

// sqlState returns the SQLSTATE of err, "" if it has none.
func sqlState(err error) string {
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		return pgErr.Code
	}
	return ""
}

func TestDatabaseRefusesWhatTheChainWouldRefuse(t *testing.T) {
	db, dsn, schema := testDB(t)
	wdsn := writerRole(t, dsn, schema)
	s, err := db.Store("dos")
	require.NoError(t, err)
	es := entries(t, 3)
	require.NoError(t, s.Append(es[:1]))
	ls := lines(t, es)
	table := pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()
	fn := pgx.Identifier{schema, "append_entries"}.Sanitize()
	err = superExec(t, wdsn, "INSERT INTO "+table+`(record,seq,at,kind,hash,line) VALUES ('dos',2,now(),'note','00','{"seq":2,"kind":"note"}')`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "permission denied", "a writer cannot insert rows directly")
	for _, sql := range []string{
		"UPDATE " + table + " SET stored_at = now()",
		"DELETE FROM " + table,
		"SELECT " + pgx.Identifier{schema, "truncate_record"}.Sanitize() + "('dos', 0, 'no')",
	} {
		err := superExec(t, wdsn, sql)
		require.Error(t, err, sql)
		assert.Contains(t, err.Error(), "permission denied", sql)
	}

	call := func(seqs []int64, hashes, lines []string) error {
		return superExec(t, wdsn, "SELECT "+fn+"('dos', $1, $2, $3)", seqs, hashes, lines)
	}
	wrongLine := strings.Replace(ls[1], `"seq":2`, `"seq":3`, 1)
	otherHash := strings.Repeat("ab", 32)
	for _, c := range []struct {
		name         string
		seqs         []int64
		hashes, line []string
		code         string
	}{
		{"the issue's row", []int64{2}, []string{"00"}, []string{`{"seq":2,"kind":"note"}`}, "MK422"},
		{"a gap", []int64{3}, []string{es[2].Hash}, []string{ls[2]}, "MK422"},
		{"seq 9e18", []int64{9e18}, []string{es[1].Hash}, []string{strings.Replace(ls[1], `"seq":2`, `"seq":9000000000000000000`, 1)}, "MK422"},
		{"a duplicate seq in the batch", []int64{2, 2}, []string{es[1].Hash, es[1].Hash}, []string{ls[1], ls[1]}, "MK422"},
		{"a stored seq with another hash", []int64{1}, []string{otherHash}, []string{strings.Replace(ls[0], es[0].Hash, otherHash, 1)}, "MK409"},
		{"a line whose seq is not the column's", []int64{2}, []string{es[1].Hash}, []string{wrongLine}, "MK422"},
		{"a line whose hash is not the column's", []int64{2}, []string{otherHash}, []string{ls[1]}, "MK422"},
		{"a line that is not JSON", []int64{2}, []string{es[1].Hash}, []string{ls[1][:len(ls[1])-1]}, "MK422"},
		{"a line without a time", []int64{2}, []string{es[1].Hash}, []string{`{"seq":2,"kind":"note","hash":"` + es[1].Hash + `"}`}, "MK422"},
		{"a hash of a key after an unkeyed chain", []int64{2}, []string{"0123abcd." + es[1].Hash}, []string{strings.Replace(ls[1], es[1].Hash, "0123abcd."+es[1].Hash, 1)}, "MK422"},
		{"as many seqs as lines", []int64{2, 3}, []string{es[1].Hash}, []string{ls[1]}, "MK422"},
		{"an empty batch", []int64{}, []string{}, []string{}, "MK422"},
	} {
		err := call(c.seqs, c.hashes, c.line)
		require.Error(t, err, c.name)
		assert.Equal(t, c.code, sqlState(err), "%s: %v", c.name, err)
	}
	// Through the store, the refusals are errors to branch on.
	wdb, err := pgstore.Open(context.Background(), wdsn, &pgstore.Options{Schema: schema, NoMigrate: true})
	require.NoError(t, err)
	defer wdb.Close()
	ws, err := wdb.Store("dos")
	require.NoError(t, err)
	e9 := es[1]
	e9.Seq = 9e18
	err = ws.Append([]timeline.Entry{e9})
	assert.ErrorIs(t, err, pgstore.ErrRefused)
	assert.NotErrorIs(t, err, timeline.ErrConflict)
	// The record is intact: it verifies, and a writer appends to it.
	j, err := timeline.OpenStore(ws, nil)
	require.NoError(t, err, "a refused append leaves the record verifiable")
	_, err = j.Note("writer", "after the refusals")
	require.NoError(t, err, "and appendable")
	got, err := s.Load()
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.NoError(t, timeline.Verify(got, nil))
	// stored_at is the server's clock, not the writer's.
	var storedAt time.Time
	require.NoError(t, db.Pool().QueryRow(context.Background(), "SELECT stored_at FROM "+table+" WHERE record = 'dos' AND seq = 2").Scan(&storedAt))
	assert.WithinDuration(t, time.Now(), storedAt, time.Minute)
}

func TestAdminTruncatesABadTail(t *testing.T) {
	db, dsn, schema := testDB(t)
	s, err := db.Store("r")
	require.NoError(t, err)
	es := entries(t, 4)
	require.NoError(t, s.Append(es))
	trunc := "SELECT " + pgx.Identifier{schema, "truncate_record"}.Sanitize() + "($1, $2, $3)"
	require.Error(t, superExec(t, dsn, trunc, "r", 2, ""), "a reason is required")

	var removed int
	require.NoError(t, db.Pool().QueryRow(context.Background(), trunc, "r", 2, "seq 3 written by a broken tool").Scan(&removed))
	assert.Equal(t, 2, removed)
	got, err := s.Load()
	require.NoError(t, err)
	require.Len(t, got, 2)
	require.NoError(t, timeline.Verify(got, nil))

	var reason, by string
	var seqs []int64
	require.NoError(t, db.Pool().QueryRow(context.Background(),
		"SELECT min(reason), min(removed_by), array_agg(seq ORDER BY seq) FROM "+pgx.Identifier{schema, "timeline_removed"}.Sanitize()+" WHERE record = 'r'").
		Scan(&reason, &by, &seqs))
	assert.Equal(t, "seq 3 written by a broken tool", reason)
	assert.NotEmpty(t, by)
	assert.Equal(t, []int64{3, 4}, seqs, "the removed rows are kept")

	j, err := timeline.OpenStore(s, nil)
	require.NoError(t, err)
	e, err := j.Note("ops", "after the repair")
	require.NoError(t, err)
	assert.Equal(t, uint64(3), e.Seq)

	// Deleting by hand is still refused.
	err = superExec(t, dsn, "DELETE FROM "+pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize())
	require.Error(t, err)
	assert.Contains(t, err.Error(), "append-only")
}
