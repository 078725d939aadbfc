package main

import (
	"bytes"
	"context"
	"regexp"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// TestPostgresDemoSchedule plays the demonstration into PostgreSQL: its
// schema of its own holds the other team's project too, the schedule
// page reads it (fleet.OpenDB) and shows the conflict, and the schema is
// dropped when the server stops.
func TestPostgresDemoSchedule(t *testing.T) {
	dsn := pgtest.DSN(t, "the demonstration's schedule on PostgreSQL")
	page := demoSchedulePage(t, "/schedule", "-postgres", dsn)
	assert.Contains(t, page, "the demonstration&#39;s PostgreSQL schema warroom_demo_")
	assert.Contains(t, page, "billing v2/db-upgrade (team Billing) and payments/v7 (team Payments): shared resource database:db-billing, ")
	assert.Equal(t, 2, strings.Count(page, `class="row conflict"`))

	schema := regexp.MustCompile(`schema (warroom_demo_\w+)`).FindStringSubmatch(page)
	require.NotNil(t, schema)
	conn, err := pgx.Connect(t.Context(), dsn)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var n int
	require.NoError(t, conn.QueryRow(t.Context(), "SELECT count(*) FROM information_schema.schemata WHERE schema_name = $1", schema[1]).Scan(&n))
	assert.Zero(t, n, "the schema %s is gone", schema[1])
}

// TestPostgresStoreSchema shows the schedule of the records of a schema
// given by -store-schema; a schema without records stops the program at
// once, saying so.
func TestPostgresStoreSchema(t *testing.T) {
	dsn := pgtest.DSN(t, "the schedule of a PostgreSQL schema")
	schema := pgtest.Schema(t, dsn, "warroom_store_")
	db, err := pgstore.Open(t.Context(), dsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	defer db.Close()
	for _, p := range billingAndPayments {
		st, err := db.Store(p.project)
		require.NoError(t, err)
		writeProjectTo(t, st, at(12, 0, 0), p)
	}
	page := demoSchedulePage(t, "/schedule?day=2026-11-24", "-postgres", dsn, "-store-schema", schema, "-tz", "Europe/Paris")
	assert.Contains(t, page, "PostgreSQL schema "+schema+" · times in Europe/Paris")
	assert.Contains(t, page, "<h1>Schedule · Tue 24 Nov 2026</h1>")
	assert.Contains(t, page, billingPaymentsConflict)
	assert.NotContains(t, page, "billing v2/go-live", "the demonstration's own records are not in that schema")

	var stdout, stderr bytes.Buffer
	missing := schema + "_nope"
	records := pgtest.Schema(t, dsn, "warroom_record_")
	code := run(context.Background(), []string{"-addr", "127.0.0.1:0", "-postgres", dsn, "-schema", records, "-record", "r", "-store-schema", missing, "-for", "1s"}, &stdout, &stderr, func(string) string { return "" })
	assert.Equal(t, 1, code)
	assert.Equal(t, "warroom: -store-schema "+missing+": no records there: the schema does not exist or holds no mepkit tables\n", stderr.String())
	// The wrong name stopped the program before it created the record's
	// tables.
	conn, err := pgx.Connect(t.Context(), dsn)
	require.NoError(t, err)
	defer conn.Close(context.Background())
	var tables int
	require.NoError(t, conn.QueryRow(t.Context(), "SELECT count(*) FROM information_schema.tables WHERE table_schema = $1", records).Scan(&tables))
	assert.Zero(t, tables, "no table created in %s", records)
}
