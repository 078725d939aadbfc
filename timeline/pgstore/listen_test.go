package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// listen runs db.Listen in the background and returns the channel of
// its notices and a function that stops it and returns Listen's error.
func listen(t *testing.T, db *pgstore.DB) (<-chan pgstore.Notice, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan pgstore.Notice, 1000)
	done := make(chan error, 1)
	go func() {
		done <- db.Listen(ctx, func(n pgstore.Notice) error { ch <- n; return nil })
	}()
	stop := func() error {
		cancel()
		select {
		case err := <-done:
			return err
		case <-time.After(10 * time.Second):
			return errors.New("Listen did not return within 10 s of its context's end")
		}
	}
	t.Cleanup(func() { cancel() })
	return ch, stop
}

func notice(t *testing.T, ch <-chan pgstore.Notice) pgstore.Notice {
	t.Helper()
	select {
	case n := <-ch:
		return n
	case <-time.After(5 * time.Second):
		t.Fatal("no notice within 5 s")
		return pgstore.Notice{}
	}
}

func TestListenHandsOutTheAppendsOfTheSchema(t *testing.T) {
	db, dsn, schema := testDB(t)
	other := openDB(t, dsn, testSchema(t, dsn))
	ch, stop := listen(t, db)
	assert.Equal(t, pgstore.Notice{Connected: true}, notice(t, ch))

	es := entries(t, 3)
	a, err := db.Store("a")
	require.NoError(t, err)
	require.NoError(t, a.Append(es[:2]))
	assert.Equal(t, pgstore.Notice{Record: "a", Seq: 2}, notice(t, ch))

	// Another schema's appends, payloads that do not decode: dropped.
	o, err := other.Store("a")
	require.NoError(t, err)
	require.NoError(t, o.Append(es[:1]))
	require.NoError(t, superExec(t, dsn, `SELECT pg_notify('mepkit_timeline', 'not json'), pg_notify('mepkit_timeline', json_build_object('schema', $1::text, 'record', '', 'seq', 9)::text)`, schema))
	b, err := db.Store("b")
	require.NoError(t, err)
	require.NoError(t, b.Append(es[:1]))
	assert.Equal(t, pgstore.Notice{Record: "b", Seq: 1}, notice(t, ch))
	assert.ErrorIs(t, stop(), context.Canceled)
}

func TestListenReconnectsAndSaysSo(t *testing.T) {
	db, pool, dsn, app := namedDB(t, "pgstore_listen_")
	s, err := db.Store("r")
	require.NoError(t, err)
	es := entries(t, 4)
	ch, stop := listen(t, db)

	listener := func() int {
		var pid int
		if pool.QueryRow(context.Background(), "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()", app).Scan(&pid) != nil {
			return 0
		}
		return pid
	}
	for i := range 3 {
		assert.Equal(t, pgstore.Notice{Connected: true}, notice(t, ch), "connection %d", i+1)
		var pid int
		require.Eventually(t, func() bool { pid = listener(); return pid != 0 }, 10*time.Second, 5*time.Millisecond)
		require.NoError(t, s.Append(es[i:i+1]))
		assert.Equal(t, pgstore.Notice{Record: "r", Seq: uint64(i + 1)}, notice(t, ch))
		require.NoError(t, superExec(t, dsn, "SELECT pg_terminate_backend($1)", pid))
	}
	assert.Equal(t, pgstore.Notice{Connected: true}, notice(t, ch))
	assert.ErrorIs(t, stop(), context.Canceled)
}

func TestListenStopsOnTheCallersError(t *testing.T) {
	db, _, _ := testDB(t)
	errStop := errors.New("enough")
	err := db.Listen(context.Background(), func(pgstore.Notice) error { return errStop })
	assert.Same(t, errStop, err)
}

func TestIsTransient(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want bool
	}{
		{nil, false},
		{errors.New("pgstore: something else"), false},
		{pgstore.ErrClosed, false},
		{context.Canceled, false},
		{&pgconn.PgError{Code: "42P01"}, false},                                          // undefined table
		{&pgconn.PgError{Code: "08006"}, true},                                           // connection failure
		{fmt.Errorf("fleet: listing records: %w", &pgconn.PgError{Code: "57P01"}), true}, // admin shutdown
		{fmt.Errorf("reading: %w", io.ErrUnexpectedEOF), true},
	} {
		assert.Equal(t, tc.want, pgstore.IsTransient(tc.err), "%v", tc.err)
	}
}
