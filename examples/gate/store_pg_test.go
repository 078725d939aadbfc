package main

import (
	"context"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// pgURL returns the test server's URL with the parameter schema set, or
// skips the test when MEPKIT_POSTGRES is not set or not a URL.
func pgURL(t *testing.T, schema string, user *url.Userinfo) string {
	t.Helper()
	dsn := pgtest.DSN(t, "the gate on a PostgreSQL store")
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		t.Skip("MEPKIT_POSTGRES is not a URL: the gate's -store takes a postgres:// URL")
	}
	u, err := url.Parse(dsn)
	require.NoError(t, err)
	q := u.Query()
	q.Set("schema", schema)
	u.RawQuery = q.Encode()
	if user != nil {
		u.User = user
	}
	return u.String()
}

// pgStoreProject creates the record name in db: see storeProject.
func pgStoreProject(t *testing.T, db *pgstore.DB, name, person, rollout, team string, t0 time.Time, resources ...string) {
	t.Helper()
	st, err := db.Store(name)
	require.NoError(t, err)
	p, err := mep.Create(st, name, projectOptions(person))
	require.NoError(t, err)
	defer func() { require.NoError(t, p.Close()) }()
	fillProject(t, p, person, rollout, team, t0, resources...)
}

// billingDB is billingStore in a PostgreSQL schema of the test's own,
// with a third project, crm/r1, at the same time on nothing shared; it
// returns the URL the gate takes.
func billingDB(t *testing.T) string {
	t.Helper()
	dsn := pgtest.DSN(t, "the gate on a PostgreSQL store")
	schema := pgtest.Schema(t, dsn, "gate_")
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	defer db.Close()
	pgStoreProject(t, db, "billing", "Olga", "v3", "Ops-2", time.Date(2026, 11, 24, 21, 0, 0, 0, paris), "database:billing")
	pgStoreProject(t, db, "payments", "Max", "v7", "Pay", time.Date(2026, 11, 24, 20, 30, 0, 0, paris), "database:billing", "network:core")
	pgStoreProject(t, db, "crm", "Ann", "r1", "CRM", time.Date(2026, 11, 24, 20, 30, 0, 0, paris), "service:crm")
	return pgURL(t, schema, nil)
}

func TestStoreOnPostgres(t *testing.T) {
	store := billingDB(t)
	r := gateRun(t, change("2026-11-24 20:30", "-store", store, "-project", "payments", "-rollout", "v7")...)
	deniedForBilling(t, r)

	// crm/r1 runs at the same time on nothing the others touch.
	r = gateRun(t, change("2026-11-24 20:30", "-store", store, "-project", "crm", "-rollout", "r1")...)
	require.Equal(t, exitAllowed, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "ALLOW fleet-conflicts: ")

	// postgresql:// is a PostgreSQL URL too.
	r = gateRun(t, change("2026-11-24 20:30", "-store", "postgresql"+strings.TrimPrefix(store, "postgres"), "-project", "payments", "-rollout", "v7")...)
	assert.Equal(t, exitDenied, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
}

func TestStoreOnPostgresBadInput(t *testing.T) {
	store := billingDB(t)
	r := gateRun(t, change("2026-11-24 20:30", "-store", store, "-project", "payments", "-rollout", "v8")...)
	assert.Equal(t, exitUsage, r.code, "stdout: %s", r.stdout)
	assert.Contains(t, r.stderr, "-project payments -rollout v8: no such rollout in the store postgres")

	// A schema that does not exist is bad input, and is not created;
	// the password is not shown.
	dsn := pgtest.DSN(t, "the gate on a PostgreSQL store")
	missing := pgtest.Schema(t, dsn, "gate_")
	u, err := url.Parse(store)
	require.NoError(t, err)
	store = pgURL(t, missing, url.UserPassword(u.User.Username(), "s3cret"))
	r = gateRun(t, change("2026-11-24 20:30", "-store", store, "-project", "payments", "-rollout", "v7")...)
	assert.Equal(t, exitUsage, r.code, "stdout: %s", r.stdout)
	assert.Contains(t, r.stderr, "-store postgres://")
	assert.Contains(t, r.stderr, missing)
	assert.NotContains(t, r.stderr, "s3cret")
	assert.Empty(t, r.stdout)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: missing, NoMigrate: true})
	if err == nil {
		db.Close()
	}
	assert.ErrorIs(t, err, pgstore.ErrNotMigrated, "the gate created no schema")

	r = gateRun(t, change("2026-11-24 20:30", "-store", "postgres://%zz", "-project", "payments", "-rollout", "v7")...)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "-store: a PostgreSQL URL that does not parse")
}
