package pgstore_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/mepkit/mepkit/timeline/timelinetest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestConformance(t *testing.T) {
	db, _, _ := testDB(t)
	timelinetest.TestStore(t, func() timeline.Store {
		s, err := db.Store("conformance")
		require.NoError(t, err)
		return s
	})
}

func TestOpenStoreClosesItsConnections(t *testing.T) {
	dsn := testDSN(t)
	schema := testSchema(t, dsn)
	ctx := context.Background()
	s, err := pgstore.OpenStore(ctx, dsn, "r", &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	j, err := timeline.OpenStore(s, nil)
	require.NoError(t, err)
	_, err = j.Note("ops", "hello")
	require.NoError(t, err)
	require.NoError(t, j.Close())
	_, err = s.Load()
	assert.ErrorIs(t, err, pgstore.ErrClosed)

	s, err = pgstore.OpenStore(ctx, dsn, "r", &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	defer s.Close()
	got, err := s.Load()
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "hello", got[0].Text)
}

func TestSchemaCreatedOnceAndIdempotent(t *testing.T) {
	dsn := testDSN(t)
	schema := testSchema(t, dsn)
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Go(func() {
			db, err := pgstore.Open(context.Background(), dsn, &pgstore.Options{Schema: schema})
			if err == nil {
				db.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for _, err := range errs {
		require.NoError(t, err, "concurrent first Opens all succeed")
	}
	db := openDB(t, dsn, schema)
	var versions []int
	rows, err := db.Pool().Query(context.Background(), "SELECT version FROM "+pgx.Identifier{schema, pgstore.VersionTable}.Sanitize())
	require.NoError(t, err)
	versions, err = pgx.CollectRows(rows, pgx.RowTo[int])
	require.NoError(t, err)
	var want []int
	for v := 1; v <= pgstore.SchemaVersion; v++ {
		want = append(want, v)
	}
	assert.Equal(t, want, versions, "each migration applied once")
	assert.NoError(t, pgstore.Migrate(context.Background(), db.Pool(), &pgstore.Options{Schema: schema}), "Migrate on a current schema does nothing")
}

func TestNewerSchemaRefused(t *testing.T) {
	db, dsn, schema := testDB(t)
	require.NoError(t, superExec(t, dsn, "INSERT INTO "+pgx.Identifier{schema, pgstore.VersionTable}.Sanitize()+" (version) VALUES ($1)", pgstore.SchemaVersion+1))
	_, err := pgstore.Open(context.Background(), dsn, &pgstore.Options{Schema: schema})
	require.Error(t, err)
	assert.ErrorIs(t, err, pgstore.ErrSchemaVersion)
	var se *pgstore.SchemaError
	require.ErrorAs(t, err, &se)
	assert.Equal(t, pgstore.SchemaVersion+1, se.Found)
	assert.Contains(t, err.Error(), "newer than")
	assert.ErrorIs(t, pgstore.Migrate(context.Background(), db.Pool(), &pgstore.Options{Schema: schema}), pgstore.ErrSchemaVersion)
}

func TestNoMigrate(t *testing.T) {
	dsn := testDSN(t)
	schema := testSchema(t, dsn)
	_, err := pgstore.Open(context.Background(), dsn, &pgstore.Options{Schema: schema, NoMigrate: true})
	assert.ErrorIs(t, err, pgstore.ErrNotMigrated)
	assert.Contains(t, err.Error(), "version 0")
	require.Error(t, superExec(t, dsn, "SELECT 1 FROM "+pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()), "nothing created")
}

func TestBadConnection(t *testing.T) {
	// Open retries a server it cannot reach until ctx ends.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	_, err := pgstore.Open(ctx, "postgres://nobody@127.0.0.1:1/none?sslmode=disable&connect_timeout=2", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pgstore: connecting to 127.0.0.1:1")
	_, err = pgstore.Open(ctx, "postgres://%zz", nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pgstore: parsing the connection string")
}

func TestRecordName(t *testing.T) {
	db, _, _ := testDB(t)
	for _, name := range []string{"", strings.Repeat("x", pgstore.MaxRecordName+1), "a\x00b", "\xff"} {
		_, err := db.Store(name)
		assert.ErrorIs(t, err, pgstore.ErrRecordName, "%q", name)
	}
	s, err := db.Store("golive/2026 é ' \" ;--")
	require.NoError(t, err)
	require.NoError(t, s.Append(entries(t, 2)))
	names, err := db.Records(context.Background())
	require.NoError(t, err)
	assert.Equal(t, []string{"golive/2026 é ' \" ;--"}, names)
}

// entries returns n chained notes as a journal makes them.
func entries(t testing.TB, n int) []timeline.Entry {
	t.Helper()
	at := time.Date(2026, 11, 24, 20, 0, 0, 123456789, time.FixedZone("CET", 3600))
	j := timeline.New(&timeline.Options{Now: func() time.Time { at = at.Add(time.Second); return at }})
	for i := range n {
		_, err := j.Record(timeline.Entry{Kind: timeline.KindNote, Actor: "ops", Text: "note " + string(rune('a'+i%26)),
			Attrs: map[string]string{"i": strings.Repeat("x", i%3)}})
		require.NoError(t, err)
	}
	return j.Entries()
}

func TestAppendConflictStoresNothing(t *testing.T) {
	db, _, _ := testDB(t)
	open := func() *timeline.Journal {
		s, err := db.Store("shared")
		require.NoError(t, err)
		j, err := timeline.OpenStore(s, nil)
		require.NoError(t, err)
		t.Cleanup(func() { j.Close() })
		return j
	}
	a, b := open(), open()
	_, err := a.Note("alice", "first")
	require.NoError(t, err)
	_, err = b.Note("bob", "also first")
	require.Error(t, err)
	assert.ErrorIs(t, err, timeline.ErrConflict)
	var ce *pgstore.ConflictError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, uint64(1), ce.Seq)
	assert.Equal(t, uint64(1), ce.Last)
	assert.Contains(t, err.Error(), `record "shared" moved on`)

	s, _ := db.Store("shared")
	got, err := s.Load()
	require.NoError(t, err)
	require.Len(t, got, 1)
	assert.Equal(t, "first", got[0].Text)

	// A store-level conflict in the middle of a batch stores none of it.
	es := entries(t, 3)
	err = s.Append(es[:3])
	assert.ErrorIs(t, err, timeline.ErrConflict)
	got, err = s.Load()
	require.NoError(t, err)
	assert.Len(t, got, 1)
}

func TestAppendIdempotentRetry(t *testing.T) {
	db, _, _ := testDB(t)
	s, err := db.Store("retry")
	require.NoError(t, err)
	es := entries(t, 5)
	require.NoError(t, s.Append(es[:2]))
	require.NoError(t, s.Append(es[:2]), "a retry of a stored batch succeeds")
	require.NoError(t, s.Append(es[1:2]), "so does a retry of part of it")
	require.NoError(t, s.Append(es[:4]), "a retry that carries new entries stores them")
	got, err := s.Load()
	require.NoError(t, err)
	require.Len(t, got, 4)
	require.NoError(t, timeline.Verify(got, nil))
	for i := range got {
		assert.Equal(t, es[i].Hash, got[i].Hash)
		assert.True(t, es[i].At.Equal(got[i].At))
		assert.Equal(t, es[i].Attrs, got[i].Attrs)
	}

	other := entries(t, 5)
	other[3].Text = "changed"
	other[3].Hash = strings.Repeat("0", 64)
	err = s.Append(other[3:])
	assert.ErrorIs(t, err, timeline.ErrConflict, "same seq, other hash")

	err = s.Append(es[4+1:])
	assert.NoError(t, err, "an empty batch stores nothing")
	err = s.Append([]timeline.Entry{es[4], es[4]})
	assert.ErrorContains(t, err, "without gaps")
	e7 := es[4]
	e7.Seq = 7
	err = s.Append([]timeline.Entry{e7})
	assert.ErrorContains(t, err, "would leave a gap")
	assert.NotErrorIs(t, err, timeline.ErrConflict)
}

func TestSince(t *testing.T) {
	db, _, _ := testDB(t)
	s, err := db.Store("tail")
	require.NoError(t, err)
	es := entries(t, 4)
	require.NoError(t, s.Append(es))
	got, err := s.Since(2)
	require.NoError(t, err)
	require.Len(t, got, 2)
	assert.Equal(t, uint64(3), got[0].Seq)
	got, err = s.Since(4)
	require.NoError(t, err)
	assert.Empty(t, got)
}

func TestUpdateAndDeleteRefusedByTheDatabase(t *testing.T) {
	db, dsn, schema := testDB(t)
	s, err := db.Store("r")
	require.NoError(t, err)
	require.NoError(t, s.Append(entries(t, 2)))
	table := pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()
	for _, sql := range []string{
		"UPDATE " + table + " SET line = line WHERE seq = 1",
		"DELETE FROM " + table + " WHERE seq = 2",
		"TRUNCATE " + table,
	} {
		err := superExec(t, dsn, sql)
		require.Error(t, err, sql)
		assert.Contains(t, err.Error(), "append-only", sql)
	}
	got, err := s.Load()
	require.NoError(t, err)
	assert.Len(t, got, 2)
}

func TestLeastPrivilege(t *testing.T) {
	db, dsn, schema := testDB(t)
	role := "pgstore_writer_" + schema[len("pgstore_test_"):]
	require.NoError(t, superExec(t, dsn, "CREATE ROLE "+pgx.Identifier{role}.Sanitize()+" LOGIN"))
	t.Cleanup(func() {
		q := pgx.Identifier{role}.Sanitize()
		assert.NoError(t, superExec(t, dsn, "DROP OWNED BY "+q+"; DROP ROLE "+q))
	})
	require.NoError(t, superExec(t, dsn, pgstore.Grants(schema, role, true)))

	wdsn := withParams(t, dsn, "user", role)
	wdb, err := pgstore.Open(context.Background(), wdsn, &pgstore.Options{Schema: schema, NoMigrate: true})
	require.NoError(t, err, "a writer opens a migrated schema without DDL")
	defer wdb.Close()
	s, err := wdb.Store("r")
	require.NoError(t, err)
	j, err := timeline.OpenStore(s, nil)
	require.NoError(t, err)
	_, err = j.Note("writer", "allowed")
	require.NoError(t, err)
	require.NoError(t, j.Close())

	table := pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()
	for _, sql := range []string{
		"UPDATE " + table + " SET line = line",
		"DELETE FROM " + table,
		"TRUNCATE " + table,
		"CREATE TABLE " + pgx.Identifier{schema, "x"}.Sanitize() + " (i int)",
		"INSERT INTO " + pgx.Identifier{schema, pgstore.VersionTable}.Sanitize() + " (version) VALUES (99)",
	} {
		err := superExec(t, wdsn, sql)
		require.Error(t, err, sql)
		assert.Contains(t, err.Error(), "permission denied", sql)
	}
	got, err := db.Store("r")
	require.NoError(t, err)
	es, err := got.Load()
	require.NoError(t, err)
	assert.Len(t, es, 1)
}

func TestRecordEditedByHandIsNamed(t *testing.T) {
	db, dsn, schema := testDB(t)
	s, err := db.Store("r")
	require.NoError(t, err)
	require.NoError(t, s.Append(entries(t, 4)))
	table := pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()
	// The owner can disable the triggers; the chain still tells.
	edit := func(sql string) {
		t.Helper()
		require.NoError(t, superExec(t, dsn, "SET session_replication_role = replica; "+sql+"; SET session_replication_role = origin"))
	}

	edit("UPDATE " + table + " SET line = replace(line, '\"note c\"', '\"note X\"') WHERE seq = 3")
	_, err = timeline.OpenStore(s, nil)
	var te *timeline.TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, uint64(3), te.Seq)
	assert.ErrorIs(t, err, timeline.ErrTampered)

	edit("UPDATE " + table + " SET line = replace(line, '\"note X\"', '\"note c\"') WHERE seq = 3")
	_, err = timeline.OpenStore(s, nil)
	require.NoError(t, err, "restored")

	edit("UPDATE " + table + " SET hash = 'ab' WHERE seq = 2")
	_, err = s.Load()
	require.ErrorAs(t, err, &te)
	assert.Equal(t, uint64(2), te.Seq)
	assert.Contains(t, err.Error(), "hash column")

	edit("UPDATE " + table + " SET line = '{\"seq\":2,' WHERE seq = 2")
	_, err = s.Load()
	require.Error(t, err)
	assert.Contains(t, err.Error(), `record "r", seq 2:`)

	edit("DELETE FROM " + table + " WHERE seq = 2")
	_, err = timeline.OpenStore(s, nil)
	require.ErrorAs(t, err, &te)
	assert.Equal(t, uint64(2), te.Seq)
}

func TestDurableOnceAcknowledged(t *testing.T) {
	db, dsn, schema := testDB(t)
	s, err := db.Store("r")
	require.NoError(t, err)
	require.NoError(t, s.Append(entries(t, 3)))
	// Another connection, another pool: what Append acknowledged is
	// committed, not waiting in a transaction of this process.
	other := openDB(t, dsn, schema)
	o, err := other.Store("r")
	require.NoError(t, err)
	got, err := o.Load()
	require.NoError(t, err)
	assert.Len(t, got, 3)
	var commit string
	require.NoError(t, db.Pool().QueryRow(context.Background(), "SHOW synchronous_commit").Scan(&commit))
	t.Logf("server synchronous_commit = %s", commit)
}

func TestClosedStore(t *testing.T) {
	db, _, _ := testDB(t)
	s, err := db.Store("r")
	require.NoError(t, err)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close())
	assert.ErrorIs(t, s.Append(entries(t, 1)), pgstore.ErrClosed)
	_, err = s.Since(0)
	assert.ErrorIs(t, err, pgstore.ErrClosed)
}

func TestContextEnds(t *testing.T) {
	db, _, _ := testDB(t)
	s, err := db.Store("r")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err = s.AppendContext(ctx, entries(t, 1))
	assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
}
