package fleet_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// watchedDB is a schedule on a database of two projects, billing (its
// rollout v3 returned) and payments, watched in the background.
type watchedDB struct {
	dsn, schema, app string
	db               *pgstore.DB
	pool             *pgxpool.Pool
	clock            *clock
	billing          *mep.Rollout
	sched            *fleet.Schedule
	scans            chan fleet.Scan
	stop             func() error
}

// watchDB opens the schedule of a new schema and watches it with
// interval, through watch (fleet.Schedule.Watch or fleet.WatchDeaf).
// The pool's connections carry an application name of their own, to
// find the listener among the server's backends.
func watchDB(t testing.TB, interval time.Duration, watch func(context.Context, *fleet.Schedule, time.Duration, func(fleet.Scan, *fleet.Snapshot)) error) *watchedDB {
	t.Helper()
	w := &watchedDB{dsn: pgtest.DSN(t, "the schedule's watch on PostgreSQL")}
	w.schema = pgtest.Schema(t, w.dsn, "fleetwatch_")
	w.app = w.schema
	cfg, err := pgxpool.ParseConfig(w.dsn)
	require.NoError(t, err)
	cfg.ConnConfig.RuntimeParams["application_name"] = w.app
	w.pool, err = pgxpool.NewWithConfig(bg, cfg)
	require.NoError(t, err)
	t.Cleanup(w.pool.Close)
	w.db, err = pgstore.New(bg, w.pool, &pgstore.Options{Schema: w.schema})
	require.NoError(t, err)
	t.Cleanup(w.db.Close)

	w.clock = &clock{at(paris, 2026, 3, 2, 9, 0)}
	billing := pgProject(t, w.db, "billing", w.clock, "Olga")
	w.billing = rollout(t, billing, "v3", "Ops-2", "prod", at(paris, 2026, 3, 10, 21, 0), runbook(30, 60), "database:billing")
	pay := pgProject(t, w.db, "payments", w.clock, "Max")
	rollout(t, pay, "v7", "Pay", "prod", at(paris, 2026, 3, 10, 22, 0), runbook(10, 20), "service:payments")
	require.NoError(t, pay.Close())

	w.sched, err = fleet.OpenDB(bg, w.db, &fleet.Options{Now: w.clock.now, Trials: 100})
	require.NoError(t, err)
	t.Cleanup(func() { w.sched.Close() })
	ctx, cancel := context.WithCancel(bg)
	w.scans = make(chan fleet.Scan, 10000)
	done := make(chan error, 1)
	go func() {
		done <- watch(ctx, w.sched, interval, func(sc fleet.Scan, _ *fleet.Snapshot) { w.scans <- sc })
	}()
	var once sync.Once
	var werr error
	w.stop = func() error {
		once.Do(func() {
			cancel()
			select {
			case werr = <-done:
			case <-time.After(10 * time.Second):
				werr = errors.New("Watch did not return within 10 s of its context's end")
			}
		})
		return werr
	}
	t.Cleanup(func() { w.stop() })
	w.waitListening(t, 0)
	// The rescans of OpenDB and of the listener's connection.
	require.Eventually(t, func() bool { return fleet.Rescans(w.sched) >= 2 }, 10*time.Second, time.Millisecond)
	return w
}

func watch(ctx context.Context, s *fleet.Schedule, interval time.Duration, fn func(fleet.Scan, *fleet.Snapshot)) error {
	return s.Watch(ctx, interval, fn)
}

// listener returns the pid of the backend that listens, or 0.
func (w *watchedDB) listener() int {
	var pid int
	if w.pool.QueryRow(bg, "SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND query LIKE 'LISTEN%' AND pid <> pg_backend_pid()", w.app).Scan(&pid) != nil {
		return 0
	}
	return pid
}

// waitListening waits for a listener other than the backend not.
func (w *watchedDB) waitListening(t testing.TB, not int) int {
	t.Helper()
	var pid int
	require.Eventually(t, func() bool { pid = w.listener(); return pid != 0 && pid != not }, 10*time.Second, 2*time.Millisecond)
	return pid
}

// declare records a resource of billing/v3 and returns when it did.
func (w *watchedDB) declare(t testing.TB, name string) time.Time {
	t.Helper()
	require.NoError(t, w.billing.Resources().Declare(mep.Site, name, "Olga", "on-site work"))
	return time.Now()
}

// sees waits for the snapshot to show n resources on billing/v3.
func (w *watchedDB) sees(t testing.TB, n int, limit time.Duration) {
	t.Helper()
	deadline := time.After(limit)
	for {
		if e, ok := w.sched.Snapshot().Find("billing", "v3"); ok && len(e.Resources) == n {
			return
		}
		select {
		case <-w.scans:
		case <-time.After(time.Millisecond):
		case <-deadline:
			t.Fatalf("the snapshot does not show %d resources on billing/v3 within %v", n, limit)
		}
	}
}

// notify sends n notifications on conn, a connection other than the
// schedule's, each announcing record up to seq first+step*i, for i from
// 0 to n-1.
func notify(t testing.TB, conn *pgx.Conn, schema, record string, first, step, n int) {
	t.Helper()
	_, err := conn.Exec(bg, `SELECT pg_notify('mepkit_timeline', json_build_object('schema', $1::text, 'record', $2::text, 'seq', $3::int + $4::int * g)::text)
		FROM generate_series(0, $5::int - 1) AS g`, schema, record, first, step, n)
	require.NoError(t, err)
}

func TestWatchFollowsPostgres(t *testing.T) {
	w := watchDB(t, time.Hour, watch)
	w.declare(t, "lyon")
	select {
	case sc := <-w.scans:
		assert.Equal(t, fleet.Scan{Records: 2, Refreshed: 1, Unchanged: 1}, sc)
	case <-time.After(5 * time.Second):
		t.Fatal("no rescan within 5 s of an append, with an interval of an hour")
	}
	w.sees(t, 2, time.Second)

	crm := pgProject(t, w.db, "crm", w.clock, "Ann")
	rollout(t, crm, "r1", "CRM", "staging", at(paris, 2026, 3, 11, 21, 0), runbook(5, 5))
	require.Eventually(t, func() bool { _, ok := w.sched.Snapshot().Find("crm", "r1"); return ok }, 5*time.Second, time.Millisecond)
	assert.ErrorIs(t, w.stop(), context.Canceled)
}

func TestWatchBoundsTheRescansOfAFloodOfNotifications(t *testing.T) {
	w := watchDB(t, time.Hour, watch)
	before := fleet.Rescans(w.sched)
	conn, err := pgx.Connect(bg, w.dsn)
	require.NoError(t, err)
	defer conn.Close(bg)

	// Notifications that announce nothing new cost no rescan.
	notify(t, conn, w.schema, "billing", 1, 0, 1000)
	time.Sleep(200 * time.Millisecond)
	assert.Equal(t, before, fleet.Rescans(w.sched), "notifications of seqs already read")

	// 5,000 that announce entries that do not exist, over about 2.5 s,
	// half on a record of the store, half on records it does not hold.
	began := time.Now()
	for i := range 50 {
		record := "billing"
		if i%2 == 1 {
			record = fmt.Sprintf("ghost-%d", i)
		}
		notify(t, conn, w.schema, record, 1000+100*i, 1, 100)
		time.Sleep(50 * time.Millisecond)
	}
	time.Sleep(200 * time.Millisecond)
	took := time.Since(began)
	rescans := fleet.Rescans(w.sched) - before
	t.Logf("5,000 spoofed notifications over %v: %d rescans", took.Round(time.Millisecond), rescans)
	assert.LessOrEqual(t, rescans, int64(took/fleet.WatchGap)+2, "at most one rescan per WatchGap")
	assert.Empty(t, w.scans, "no rescan read anything")

	w.declare(t, "lyon")
	w.sees(t, 2, 5*time.Second)
	assert.ErrorIs(t, w.stop(), context.Canceled)
}

func TestWatchReconnects(t *testing.T) {
	w := watchDB(t, time.Hour, watch)
	pid := w.waitListening(t, 0)
	for i := range 5 {
		require.NoError(t, pgExec(t, w.dsn, "SELECT pg_terminate_backend($1)", pid))
		began := time.Now()
		pid = w.waitListening(t, pid)
		// Without the reset of the pause after a success, the 5th
		// would be 800 ms.
		assert.Less(t, time.Since(began), 500*time.Millisecond, "reconnection %d", i+1)
		w.declare(t, fmt.Sprintf("site-%d", i))
		w.sees(t, i+2, 5*time.Second)
	}
	assert.ErrorIs(t, w.stop(), context.Canceled)
}

func TestWatchOutlivesTheLossOfThePoolsConnections(t *testing.T) {
	w := watchDB(t, time.Hour, watch)
	conn, err := pgx.Connect(bg, w.dsn)
	require.NoError(t, err)
	defer conn.Close(bg)
	for i := range 3 {
		// The pool's connections, used a moment ago (pgxpool checks only
		// those idle for a second), die; then a notification makes the
		// watch rescan on one of them.
		pid := w.waitListening(t, 0)
		_, err := w.pool.Exec(bg, "SELECT 1")
		require.NoError(t, err)
		before := fleet.Rescans(w.sched)
		require.NoError(t, pgExec(t, w.dsn, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> $2", w.app, pid))
		notify(t, conn, w.schema, "billing", 1000+i, 1, 1)
		require.Eventually(t, func() bool { return fleet.Rescans(w.sched) > before }, 5*time.Second, time.Millisecond)
		w.declare(t, fmt.Sprintf("site-%d", i))
		w.sees(t, i+2, 10*time.Second)
	}
	// And the listener with them.
	require.NoError(t, pgExec(t, w.dsn, "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1", w.app))
	w.declare(t, "site-3")
	w.sees(t, 5, 10*time.Second)
	assert.ErrorIs(t, w.stop(), context.Canceled)
}

func TestWatchRescansAtTheIntervalWhenNotificationsAreLost(t *testing.T) {
	w := watchDB(t, 300*time.Millisecond, fleet.WatchDeaf)
	w.declare(t, "lyon")
	began := time.Now()
	w.sees(t, 2, 5*time.Second)
	assert.Less(t, time.Since(began), 2*time.Second)
	assert.ErrorIs(t, w.stop(), context.Canceled)
}

func TestWatchEndsWithItsContextWhileDisconnected(t *testing.T) {
	dsn := pgtest.DSN(t, "the schedule's watch on PostgreSQL")
	db, err := pgstore.Open(bg, dsn, &pgstore.Options{Schema: pgtest.Schema(t, dsn, "fleetwatch_")})
	require.NoError(t, err)
	defer db.Close()
	s, err := fleet.OpenDB(bg, db, nil)
	require.NoError(t, err)
	defer s.Close()
	ctx, cancel := context.WithTimeout(bg, 300*time.Millisecond)
	defer cancel()
	began := time.Now()
	assert.ErrorIs(t, s.Watch(ctx, time.Hour, nil), context.DeadlineExceeded)
	assert.Less(t, time.Since(began), 2*time.Second)
}

// pgExec runs sql on a connection of its own.
func pgExec(t testing.TB, dsn, sql string, args ...any) error {
	t.Helper()
	conn, err := pgx.Connect(bg, dsn)
	require.NoError(t, err)
	defer conn.Close(bg)
	_, err = conn.Exec(bg, sql, args...)
	return err
}

// BenchmarkWatchLatency measures the time from an append to a record of
// a PostgreSQL database (a resource declared on a rollout) to the
// snapshot of a watching schedule that shows it, one append at a time;
// p50-ms and p99-ms are its percentiles. The interval is an hour: the
// notifications alone bring the snapshot up to date. Back to back, each
// append comes within WatchGap of the last rescan, and waits for the
// rest of it; spaced, appends come 100 ms apart.
func BenchmarkWatchLatency(b *testing.B) {
	for _, pause := range []time.Duration{0, 100 * time.Millisecond} {
		name := "back-to-back"
		if pause > 0 {
			name = "spaced"
		}
		b.Run(name, func(b *testing.B) {
			w := watchDB(b, time.Hour, watch)
			var lat []time.Duration
			n := 1
			for b.Loop() {
				n++
				at := w.declare(b, fmt.Sprintf("site-%d", n))
				w.sees(b, n, 10*time.Second)
				lat = append(lat, time.Since(at))
				time.Sleep(pause)
			}
			slices.Sort(lat)
			b.ReportMetric(float64(lat[len(lat)/2])/1e6, "p50-ms")
			b.ReportMetric(float64(lat[len(lat)*99/100])/1e6, "p99-ms")
		})
	}
}

// BenchmarkWatchFlood counts the rescans that 5,000 spoofed
// notifications cause in a watching schedule (rescans/op), each
// announcing entries that do not exist: sent in one statement (burst),
// or in 50 statements of 100, 50 ms apart, half on a record of the
// store and half on records it does not hold (spread).
func BenchmarkWatchFlood(b *testing.B) {
	for _, spread := range []bool{false, true} {
		name := "burst"
		if spread {
			name = "spread"
		}
		b.Run(name, func(b *testing.B) {
			w := watchDB(b, time.Hour, watch)
			conn, err := pgx.Connect(bg, w.dsn)
			require.NoError(b, err)
			defer conn.Close(bg)
			var rescans int64
			seq := 1000
			for b.Loop() {
				before := fleet.Rescans(w.sched)
				if !spread {
					notify(b, conn, w.schema, "billing", seq, 1, 5000)
				}
				for i := range 50 {
					if !spread {
						break
					}
					record := "billing"
					if i%2 == 1 {
						record = fmt.Sprintf("ghost-%d", i)
					}
					notify(b, conn, w.schema, record, seq+100*i, 1, 100)
					time.Sleep(50 * time.Millisecond)
				}
				seq += 5000
				time.Sleep(500 * time.Millisecond) // the rescans still due
				rescans += fleet.Rescans(w.sched) - before
			}
			b.ReportMetric(float64(rescans)/float64(b.N), "rescans/op")
		})
	}
}
