package main

import (
	"bytes"
	"strings"
	"sync"
	"testing"
	"time"

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
