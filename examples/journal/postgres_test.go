package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
)

// pgArgs returns the flags of a PostgreSQL record in a schema of the
// test's own, dropped at the end, or skips the test without a server.
func pgArgs(t *testing.T) []string {
	t.Helper()
	dsn := pgtest.DSN(t, "the journal on a PostgreSQL record")
	schema := pgtest.Schema(t, dsn, "journal_test_")
	return []string{"-postgres", dsn, "-record", "cutover", "-schema", schema}
}

func TestPostgresRecordSharedByOperators(t *testing.T) {
	pg := pgArgs(t)
	env := func(k string) string { return map[string]string{"USER": "alice"}[k] }
	runPG := func(args ...string) result {
		var stdout, stderr bytes.Buffer
		code := run(append(args, pg...), &stdout, &stderr, env, time.Now)
		return result{code, stdout.String(), stderr.String()}
	}

	// Four operators start a step each at the same time: every command
	// catches up with the others and succeeds; the chain holds.
	var wg sync.WaitGroup
	results := make([]result, 4)
	for i, step := range []string{"dns", "db", "cache", "queue"} {
		wg.Go(func() { results[i] = runPG("start", step, "-impact", "outage") })
	}
	wg.Wait()
	for _, r := range results {
		require.Equal(t, exitOK, r.code, r.stderr)
	}
	r := runPG("end", "db")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stdout, "#5 ")

	r = runPG("end", "nothing")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "not started")

	r = runPG("verify")
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "ok: 5 entries, head "), r.stdout)

	r = runPG("summary")
	require.Equal(t, exitOK, r.code, r.stderr)
	for _, step := range []string{"dns", "db", "cache", "queue"} {
		assert.Contains(t, r.stdout, "| "+step+" |")
	}

	var stdout, stderr bytes.Buffer
	code := run(append(append([]string{"start", "x"}, pg...), "-record", ""), &stdout, &stderr, env, time.Now)
	assert.Equal(t, exitUsage, code, "an empty -record")
	assert.Contains(t, stderr.String(), "-record")
}

// The database's superuser can bypass the append-only triggers and cut the
// record's last entry: the chain still verifies, a checkpoint signed with
// a key the database never held does not.
func TestPostgresCheckpointAgainstTheSuperuser(t *testing.T) {
	pg := pgArgs(t)
	dir := t.TempDir()
	key, cpFile := filepath.Join(dir, "ops.key"), filepath.Join(dir, "head.txt")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	s.ok(0, "keygen", "-key", key)
	s.ok(0, append([]string{"note", "GO given by operations"}, pg...)...)
	s.ok(time.Minute, append([]string{"note", "migration done"}, pg...)...)
	out := s.ok(time.Minute, append([]string{"checkpoint", "-key", key, "-o", cpFile}, pg...)...)
	assert.Contains(t, out, "checkpoint of seq 2, ")
	text, err := os.ReadFile(cpFile)
	require.NoError(t, err)
	assert.Contains(t, string(text), "\nrecord \"cutover\"\n", "the record's name is signed")
	verify := append([]string{"verify", "-checkpoint", cpFile, "-pub", key + ".pub"}, pg...)
	assert.Contains(t, s.ok(0, verify...), "checkpoint ok: seq 2")

	dsn, schema := pg[1], pg[5]
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, "SET session_replication_role = replica") // triggers off
	require.NoError(t, err)
	tag, err := conn.Exec(ctx, "DELETE FROM "+pgx.Identifier{schema, "timeline_entries"}.Sanitize()+" WHERE record = 'cutover' AND seq = 2")
	require.NoError(t, err)
	require.Equal(t, int64(1), tag.RowsAffected())

	assert.Contains(t, s.ok(0, append([]string{"verify"}, pg...)...), "ok: 1 entries", "the chain alone is fooled")
	r := s.run(0, verify...)
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "journal tampered with at seq 2")

	other := append(append([]string(nil), verify...), "-record", "rehearsal")
	r = s.run(0, other...)
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, `a checkpoint of record "cutover" cannot vouch for record "rehearsal"`)
}

// TestPostgresUnreachable: a -postgres whose server refuses the connection
// fails in seconds, with one line naming the server; it used to retry for
// the whole 30s of pgTimeout and print the driver's error over three lines.
func TestPostgresUnreachable(t *testing.T) {
	env := func(k string) string { return map[string]string{"USER": "alice"}[k] }
	for _, args := range [][]string{
		{"note", "hello"},
		{"verify"},
	} {
		var stdout, stderr bytes.Buffer
		began := time.Now()
		code := run(append(args, "-postgres", "postgres://postgres@127.0.0.1:1/test?sslmode=disable", "-record", "r"), &stdout, &stderr, env, time.Now)
		assert.Less(t, time.Since(began), 10*time.Second, "%q", args)
		assert.Equal(t, exitFailed, code, "%q", args)
		assert.Contains(t, stderr.String(), "127.0.0.1:1", "%q", args)
		assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), "%q: one line: %q", args, stderr.String())
		assert.Empty(t, stdout.String())
	}
}

// TestFileAndPostgres: -f with -postgres is bad usage and appends to
// neither; the file was silently ignored.
func TestFileAndPostgres(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	env := func(k string) string { return map[string]string{"USER": "alice"}[k] }
	var stdout, stderr bytes.Buffer
	code := run([]string{"note", "-f", path, "-postgres", "postgres://postgres@127.0.0.1:1/test", "-record", "r", "hello"}, &stdout, &stderr, env, time.Now)
	assert.Equal(t, exitUsage, code)
	assert.Equal(t, "journal note: -f "+path+" and -postgres: the journal is a file or a PostgreSQL record, not both\n", stderr.String())
	assert.Empty(t, stdout.String())
	_, err := os.Stat(path)
	assert.ErrorIs(t, err, os.ErrNotExist)
}
