package pgstore_test

import (
	"context"
	"io"
	"net"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFollowCoalescesABurstOfNotifications(t *testing.T) {
	db, dsn, schema := testDB(t)
	s, err := db.Store("r")
	require.NoError(t, err)
	es := entries(t, 2)
	require.NoError(t, s.Append(es[:1]))
	ch, stop := follow(t, db, "r", 0)
	receive(t, ch, 5*time.Second)
	before := pgstore.CatchUps(db)

	// 5,000 notifications announcing entries that do not exist.
	require.NoError(t, superExec(t, dsn, `SELECT pg_notify('mepkit_timeline', json_build_object('schema', $1::text, 'record', 'r', 'seq', g)::text)
		FROM generate_series(2, 5001) AS g`, schema))
	time.Sleep(time.Second)
	require.NoError(t, s.Append(es[1:2]))
	assert.Equal(t, uint64(2), receive(t, ch, 5*time.Second).Seq, "the follower still follows")
	reads := pgstore.CatchUps(db) - before
	t.Logf("5,000 notifications: %d catch-up reads", reads)
	assert.LessOrEqual(t, reads, int64(80), "a burst costs at most one read every 25 ms")
	assert.ErrorIs(t, stop(), context.Canceled)
}

func TestFollowReconnectsQuicklyEachTime(t *testing.T) {
	db, pool, dsn, app := namedDB(t, "pgstore_follow_")
	s, err := db.Store("r")
	require.NoError(t, err)
	es := entries(t, 8)
	ch, stop := follow(t, db, "r", 0)

	listener := func() int {
		var pid int
		err := pool.QueryRow(context.Background(), "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()", app).Scan(&pid)
		if err != nil {
			return 0
		}
		return pid
	}
	for i := range 7 {
		var pid int
		require.Eventually(t, func() bool { pid = listener(); return pid != 0 }, 10*time.Second, 5*time.Millisecond)
		require.NoError(t, s.Append(es[i:i+1]))
		assert.Equal(t, uint64(i+1), receive(t, ch, 5*time.Second).Seq)
		require.NoError(t, superExec(t, dsn, "SELECT pg_terminate_backend($1)", pid))
		began := time.Now()
		require.Eventually(t, func() bool { p := listener(); return p != 0 && p != pid }, 10*time.Second, 5*time.Millisecond)
		// Without the reset, the 7th pause would be 3.2 s.
		assert.Less(t, time.Since(began), time.Second, "reconnection %d", i+1)
	}
	assert.ErrorIs(t, stop(), context.Canceled)
}

// proxy forwards connections on 127.0.0.1 to the server at target,
// except the first, which it closes at once. It returns its port and the
// number of connections accepted so far.
func proxy(t *testing.T, target string) (int, *atomic.Int64) {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	var accepted atomic.Int64
	var wg sync.WaitGroup
	t.Cleanup(func() { l.Close(); wg.Wait() })
	wg.Go(func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			if accepted.Add(1) == 1 {
				c.Close()
				continue
			}
			wg.Go(func() {
				defer c.Close()
				s, err := net.Dial("tcp", target)
				if err != nil {
					return
				}
				defer s.Close()
				go func() { io.Copy(s, c); s.Close() }()
				io.Copy(c, s)
			})
		}
	})
	return l.Addr().(*net.TCPAddr).Port, &accepted
}

func TestOpenRetriesAClosedConnection(t *testing.T) {
	dsn := testDSN(t)
	schema := testSchema(t, dsn)
	cfg, err := pgx.ParseConfig(dsn)
	require.NoError(t, err)
	port, accepted := proxy(t, net.JoinHostPort(cfg.Host, strconv.Itoa(int(cfg.Port))))
	pdsn := withParams(t, dsn, "host", "127.0.0.1", "port", strconv.Itoa(port))
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	db, err := pgstore.Open(ctx, pdsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err, "Open retries a connection the server side closed")
	defer db.Close()
	assert.GreaterOrEqual(t, accepted.Load(), int64(2))
	s, err := db.Store("r")
	require.NoError(t, err)
	require.NoError(t, s.Append(entries(t, 1)))
}

func TestOpenRetriesATerminatedBackend(t *testing.T) {
	dsn := testDSN(t)
	schema := testSchema(t, dsn)
	app := "pgstore_open_" + schema[len("pgstore_test_"):]
	// The first backend of the pool sleeps in its first statement and is
	// terminated; Open tries again.
	var first atomic.Bool
	cfg, err := pgxpool.ParseConfig(dsn)
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["application_name"] = app
	cfg.AfterConnect = func(ctx context.Context, c *pgx.Conn) error {
		if first.CompareAndSwap(false, true) {
			_, err := c.Exec(ctx, "SELECT pg_sleep(30)")
			return err
		}
		return nil
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	defer pool.Close()
	go func() {
		for range 200 {
			if superExec(t, dsn, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()", app) == nil {
				var n int
				c, err := pgx.Connect(context.Background(), dsn)
				if err == nil {
					c.QueryRow(context.Background(), "SELECT count(*) FROM pg_stat_activity WHERE application_name = $1 AND query LIKE '%pg_sleep%' AND pid <> pg_backend_pid()", app).Scan(&n)
					c.Close(context.Background())
				}
				if first.Load() && n == 0 {
					return
				}
			}
			time.Sleep(20 * time.Millisecond)
		}
	}()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	began := time.Now()
	db, err := pgstore.New(ctx, pool, &pgstore.Options{Schema: schema})
	require.NoError(t, err, "New retries after its backend was terminated")
	defer db.Close()
	assert.Less(t, time.Since(began), 15*time.Second)
}

// namedDB opens a DB on a schema of its own whose connections carry an
// application name made of prefix and the schema's suffix, so that a
// test can find its backends (to terminate them) in pg_stat_activity.
func namedDB(t *testing.T, prefix string) (db *pgstore.DB, pool *pgxpool.Pool, dsn, app string) {
	t.Helper()
	dsn = testDSN(t)
	schema := testSchema(t, dsn)
	app = prefix + schema[len("pgstore_test_"):]
	cfg, err := pgxpool.ParseConfig(dsn)
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["application_name"] = app
	pool, err = pgxpool.NewWithConfig(context.Background(), cfg)
	require.NoError(t, err)
	t.Cleanup(pool.Close)
	db, err = pgstore.New(context.Background(), pool, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db, pool, dsn, app
}
