// Package pgtest gives the tests that need PostgreSQL a server and a
// schema of their own: the server's DSN comes from MEPKIT_POSTGRES, and
// the schema is dropped when the test ends, so that runs never see each
// other's rows.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the variable that holds the test server's DSN.
const EnvDSN = "MEPKIT_POSTGRES"

// DSN returns the test server's DSN, or skips tb, saying why, when
// MEPKIT_POSTGRES is not set; what names what the skipped test does.
func DSN(tb testing.TB, what string) string {
	tb.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		tb.Skip(EnvDSN + " is not set: set it to a PostgreSQL DSN, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable, to run " + what)
	}
	return dsn
}

// Schema returns a new schema name, prefix followed by random hex digits,
// and drops that schema from the server at dsn when tb ends. A failed drop
// fails tb.
func Schema(tb testing.TB, dsn, prefix string) string {
	tb.Helper()
	schema := prefix + random(tb)
	tb.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Errorf("pgtest: dropping schema %s: %v", schema, err)
			return
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, "DROP SCHEMA IF EXISTS "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
			tb.Errorf("pgtest: dropping schema %s: %v", schema, err)
		}
	})
	return schema
}

// Intruded creates, on the server at dsn, a database of its own and a
// role that may create objects in its schema public (as every role may
// before PostgreSQL 15), runs setup there as that role (the functions an
// intruder plants, where a better match for its arguments would run in
// place of pg_catalog's), and returns the DSN of that database for the
// role of dsn. The database and the role are dropped when tb ends; a
// database of its own keeps the planted functions from the other tests
// on the server.
func Intruded(tb testing.TB, dsn, prefix, setup string) string {
	tb.Helper()
	name := prefix + random(tb)
	ident := pgx.Identifier{name}.Sanitize()
	super := func(dsn, sql string) {
		tb.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		if err != nil {
			tb.Fatalf("pgtest: %v", err)
		}
		defer conn.Close(ctx)
		if _, err := conn.Exec(ctx, sql); err != nil {
			tb.Fatalf("pgtest: %s: %v", sql, err)
		}
	}
	super(dsn, "CREATE ROLE "+ident+" LOGIN")
	tb.Cleanup(func() { super(dsn, "DROP ROLE "+ident) })
	super(dsn, "CREATE DATABASE "+ident)
	tb.Cleanup(func() { super(dsn, "DROP DATABASE "+ident+" WITH (FORCE)") })
	u, err := url.Parse(dsn)
	if err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	u.Path = "/" + name
	admin := u.String()
	super(admin, "GRANT CREATE ON SCHEMA public TO "+ident)
	u.User = url.User(name)
	super(u.String(), setup)
	return admin
}

// random returns 12 random hex digits.
func random(tb testing.TB) string {
	var b [6]byte
	if _, err := rand.Read(b[:]); err != nil {
		tb.Fatalf("pgtest: %v", err)
	}
	return hex.EncodeToString(b[:])
}
