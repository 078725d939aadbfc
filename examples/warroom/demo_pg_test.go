package main

import (
	"bytes"
	"context"
	"regexp"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
)

// TestPostgresDemoLeavesNothing plays the demonstration into PostgreSQL,
// as -postgres without -record does: in a schema of its own, dropped when
// the server stops.
func TestPostgresDemoLeavesNothing(t *testing.T) {
	dsn := pgtest.DSN(t, "the demonstration on PostgreSQL")
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-postgres", dsn, "-speed", "50", "-for", "2s"}, &stdout, &stderr, func(string) string { return "" })
	require.Equal(t, 0, code, stderr.String())
	m := regexp.MustCompile(`dropped the demonstration's schema (warroom_demo_\w+)`).FindStringSubmatch(stdout.String())
	require.NotNil(t, m, "stdout: %s", stdout.String())
	assert.Contains(t, stdout.String(), "(schema "+m[1]+", dropped at exit)")

	conn, err := pgx.Connect(t.Context(), dsn)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var n int
	require.NoError(t, conn.QueryRow(t.Context(), "SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1", m[1]).Scan(&n))
	assert.Zero(t, n, "the schema %s is gone", m[1])
}
