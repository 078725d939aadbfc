package pgstore_test

import (
	"context"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The schema name goes into the SQL of the migrations, inside quoted
// strings and function bodies: a name that could end one of them (a
// quote, a dollar sign, a backslash), that spells one of their
// placeholders ({schema}) or that PostgreSQL would cut (more
// than 63 bytes) is refused before any SQL runs, naming it, and no
// schema is created.
func TestOpenRefusesASchemaNameTheMigrationsCannotHold(t *testing.T) {
	dsn := testDSN(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.New(ctx, dsn)
	require.NoError(t, err)
	defer pool.Close()
	for _, name := range []string{
		"pgstore_test_x$$; CREATE ROLE intruder; $$",
		"pgstore_test_it's",
		`pgstore_test_back\slash`,
		"pgstore_test_cost$1",
		"pgstore_test_cost{schema}",
		"pgstore_test_cost{schemalit}x",
		"pgstore_test_" + strings.Repeat("s", 51),
		"pgstore_test_\xff",
		"pgstore_test_\x00",
	} {
		if utf8.ValidString(name) && !strings.Contains(name, "\x00") {
			t.Cleanup(func() { superExec(t, dsn, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE") })
		}
		db, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: name})
		if db != nil {
			db.Close()
		}
		assert.ErrorIs(t, err, pgstore.ErrSchemaName, "%q", name)
		assert.ErrorIs(t, pgstore.Migrate(ctx, pool, &pgstore.Options{Schema: name}), pgstore.ErrSchemaName, "%q", name)
		var n int
		require.NoError(t, pool.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'pgstore_test_cost%' OR nspname LIKE 'pgstore_test_back%' OR nspname LIKE 'pgstore_test_sss%'").Scan(&n))
		assert.Zero(t, n, "%q: no schema created", name)
	}
	// A name of 63 bytes, the most PostgreSQL keeps, is taken.
	name := "pgstore_test_" + strings.Repeat("s", 50)
	t.Cleanup(func() { superExec(t, dsn, "DROP SCHEMA IF EXISTS "+pgx.Identifier{name}.Sanitize()+" CASCADE") })
	db, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: name})
	require.NoError(t, err)
	db.Close()
}
