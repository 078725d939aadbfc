package pgtest_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
)

// TestSchemaIsDropped: the schema a test gets is gone once it ends.
func TestSchemaIsDropped(t *testing.T) {
	dsn := pgtest.DSN(t, "the schema helper's test")
	var schema string
	t.Run("user", func(t *testing.T) {
		schema = pgtest.Schema(t, dsn, "pgtest_test_")
		assert.Regexp(t, `^pgtest_test_[0-9a-f]{12}$`, schema)
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		conn, err := pgx.Connect(ctx, dsn)
		require.NoError(t, err)
		defer conn.Close(ctx)
		_, err = conn.Exec(ctx, "CREATE SCHEMA "+pgx.Identifier{schema}.Sanitize())
		require.NoError(t, err)
	})
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	defer conn.Close(ctx)
	var n int
	require.NoError(t, conn.QueryRow(ctx, "SELECT count(*) FROM pg_namespace WHERE nspname = $1", schema).Scan(&n))
	assert.Zero(t, n, "schema %s still there", schema)
}
