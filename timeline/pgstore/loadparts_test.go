package pgstore_test

import (
	"context"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// fillRecord appends n notes to the record of s, in batches.
func fillRecord(t *testing.T, s timeline.Store, n int) []timeline.Entry {
	t.Helper()
	j := timeline.New(nil)
	for i := range n {
		_, err := j.Note("ops", "note "+strconv.Itoa(i))
		require.NoError(t, err)
	}
	es := j.Entries()
	for all := es; len(all) > 0; {
		k := min(len(all), 5000)
		require.NoError(t, s.Append(all[:k]))
		all = all[k:]
	}
	return es
}

// sameJSONL reports whether a and b are the same entries, line for line.
func sameJSONL(t *testing.T, a, b []timeline.Entry) bool {
	t.Helper()
	var la, lb strings.Builder
	require.NoError(t, timeline.WriteJSONL(&la, a))
	require.NoError(t, timeline.WriteJSONL(&lb, b))
	return la.String() == lb.String()
}

func TestLoadPartsHandsOverWhatLoadReturns(t *testing.T) {
	db, _, _ := testDB(t)
	s, err := db.Store("parts")
	require.NoError(t, err)
	require.NoError(t, s.LoadParts(func([]timeline.Entry) error {
		t.Fatal("a part of an empty record")
		return nil
	}))
	want := fillRecord(t, s, 10_000)
	var got []timeline.Entry
	parts := 0
	require.NoError(t, s.LoadParts(func(es []timeline.Entry) error {
		require.NotEmpty(t, es)
		got = append(got, es...)
		parts++
		return nil
	}))
	assert.True(t, sameJSONL(t, want, got), "the entries stored")
	loaded, err := s.Load()
	require.NoError(t, err)
	assert.True(t, sameJSONL(t, loaded, got), "the entries of Load")
	assert.Greater(t, parts, 1, "handed over in parts")

	j, err := timeline.OpenStore(s, nil)
	require.NoError(t, err)
	assert.Equal(t, 10_000, j.Len())
	require.NoError(t, j.Close())
	assert.ErrorIs(t, s.LoadParts(func([]timeline.Entry) error { return nil }), pgstore.ErrClosed)
}

// A connection lost in the middle of the read is retried from after the
// last entry handed over: each entry is handed over once.
func TestLoadPartsResumesAfterALostConnection(t *testing.T) {
	dsn := testDSN(t)
	schema := testSchema(t, dsn)
	// The connections of the pool break once, when armed, after 1 MB read.
	var armed atomic.Bool
	cfg, err := pgxpool.ParseConfig(dsn)
	require.NoError(t, err)
	cfg.ConnConfig.DialFunc = func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		return &breakingConn{Conn: c, armed: &armed}, err
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	require.NoError(t, err)
	defer pool.Close()
	db, err := pgstore.New(ctx, pool, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	defer db.Close()
	s, err := db.Store("parts")
	require.NoError(t, err)
	want := fillRecord(t, s, 20_000)

	var got []timeline.Entry
	parts := 0
	armed.Store(true)
	require.NoError(t, s.LoadParts(func(es []timeline.Entry) error {
		got = append(got, es...)
		parts++
		return nil
	}))
	assert.False(t, armed.Load(), "the connection broke")
	assert.Equal(t, int64(1), s.Retries(), "the read was retried")
	assert.True(t, sameJSONL(t, want, got), "each entry once, in order")
}

// breakingConn is a connection that breaks, once armed, after reading 1 MB.
type breakingConn struct {
	net.Conn
	armed *atomic.Bool
	read  int
}

func (c *breakingConn) Read(p []byte) (int, error) {
	if c.armed.Load() && c.read > 1<<20 && c.armed.CompareAndSwap(true, false) {
		c.Conn.Close()
		return 0, &net.OpError{Op: "read", Net: "tcp", Err: syscall.ECONNRESET}
	}
	n, err := c.Conn.Read(p)
	if c.armed.Load() {
		c.read += n
	}
	return n, err
}
