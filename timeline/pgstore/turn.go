package pgstore

import (
	"context"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mepkit/mepkit/timeline"
)

// turnLease bounds how long a store keeps its turn at a record (see turn)
// when no append comes to use it.
const turnLease = time.Second

// conn is what reads and appends run on: the pool, or the connection of
// a turn.
type conn interface {
	SendBatch(ctx context.Context, b *pgx.Batch) pgx.BatchResults
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// turn is a store's turn at appending to its record, taken after a
// conflict: a connection that holds the record's append lock (the lock
// append_entries takes) from the conflict until the next append, so that
// the reads of the catch-up and that append see the record as no other
// writer can change it, and the append succeeds. Without turns, writers
// that lost a race would race again, and under contention most attempts
// would be conflicts; with them, a writer conflicts at most once per
// entry, and waits for its turn in the order of the lock's queue.
//
// A turn ends at the next append, whatever its outcome, at Close, or
// after turnLease.
type turn struct {
	mu    sync.Mutex
	c     *pgxpool.Conn // nil: no turn held
	key   string
	timer *time.Timer
	// unlocked: the lock of the turn was released with the append; c
	// only needs to go back to the pool.
	unlocked bool
	// The entries after seq after, read in the round trip that took the
	// turn; handed out once, to the catch-up (Since) that follows.
	after uint64
	read  []timeline.Entry
	fresh bool
}

// lockKey returns the key of the record's append lock, as append_entries
// computes it.
func (s *Store) lockKey() string {
	return "mepkit/pgstore/append/" + s.db.schema + "/" + s.record
}

// take waits for the record's append lock and keeps it as the store's
// turn, reading the entries after seq after in the same round trip (see
// prefetched). It gives up silently when ctx ends or the connection
// fails: the next append then runs without a turn. A turn held already is
// ended first.
func (t *turn) take(ctx context.Context, s *Store, after uint64) {
	t.release()
	c, err := s.db.pool.Acquire(ctx)
	if err != nil {
		return
	}
	key := s.lockKey()
	read, err := s.sinceOn(ctx, c, after, key, nil)
	if err != nil {
		discard(c) // whether it holds the lock is not known
		return
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.c != nil { // another goroutine took one meanwhile
		unlock(c, key)
		return
	}
	t.c, t.key, t.unlocked = c, key, false
	t.after, t.read, t.fresh = after, read, true
	t.timer = time.AfterFunc(turnLease, t.release)
}

// held reports whether a turn is held.
func (t *turn) held() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.c != nil
}

// peek returns the entries read when the turn was taken, if it is held
// and they were read after seq after, leaving them for prefetched.
func (t *turn) peek(after uint64) ([]timeline.Entry, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.c == nil || !t.fresh || t.after != after {
		return nil, false
	}
	return t.read, true
}

// prefetched returns, once, the entries read when the turn was taken, if
// it is held and they are those after seq after: while the turn is held,
// no other writer appends, so they are all there is.
func (t *turn) prefetched(after uint64) ([]timeline.Entry, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.c == nil || !t.fresh || t.after != after {
		return nil, false
	}
	read := t.read
	t.read, t.fresh = nil, false
	return read, true
}

// with runs f on the connection of the turn, or on pool when no turn is
// held; the turn does not end while f runs, and ends when f fails (its
// connection may be lost, and a retry then runs on the pool).
func (t *turn) with(pool *pgxpool.Pool, f func(conn) error) error {
	t.mu.Lock()
	if t.c == nil {
		t.mu.Unlock()
		return f(pool)
	}
	err := f(t.c)
	var d detached
	if err != nil {
		d = t.detach()
	}
	t.mu.Unlock()
	d.end()
	return err
}

// release ends the turn, if one is held.
func (t *turn) release() {
	t.mu.Lock()
	d := t.detach()
	t.mu.Unlock()
	d.end()
}

// detached is a turn taken off its store, to be ended without the lock.
type detached struct {
	c        *pgxpool.Conn // nil: none
	key      string
	unlocked bool
}

// detach takes the turn off t. It requires t.mu held.
func (t *turn) detach() detached {
	d := detached{t.c, t.key, t.unlocked}
	t.c, t.read, t.fresh = nil, nil, false
	if t.timer != nil {
		t.timer.Stop()
		t.timer = nil
	}
	return d
}

// end releases the lock of the turn and gives its connection back.
func (d detached) end() {
	switch {
	case d.c != nil && d.unlocked:
		d.c.Release()
	case d.c != nil:
		unlock(d.c, d.key)
	}
}

// appendAndUnlock runs the append sql with args on c, the connection of
// the turn (requires t.mu held, as within with), and releases the turn's
// lock in the same round trip.
func (t *turn) appendAndUnlock(ctx context.Context, c *pgxpool.Conn, sql string, args ...any) error {
	b := &pgx.Batch{}
	b.Queue(sql, args...)
	b.Queue("SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtextextended($1, 0))", t.key)
	br := c.SendBatch(ctx, b)
	defer br.Close()
	var stored int
	if err := br.QueryRow().Scan(&stored); err != nil {
		return err
	}
	var ok bool
	if err := br.QueryRow().Scan(&ok); err != nil {
		return err
	}
	t.unlocked = ok
	return br.Close()
}

// unlock releases the append lock of key held by c and gives c back to
// its pool, or closes it if the lock cannot be released: a connection
// never goes back to the pool holding a lock.
func unlock(c *pgxpool.Conn, key string) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var ok bool
	if err := c.QueryRow(ctx, "SELECT pg_catalog.pg_advisory_unlock(pg_catalog.hashtextextended($1, 0))", key).Scan(&ok); err != nil || !ok {
		discard(c)
		return
	}
	c.Release()
}

// discard closes c instead of giving it back to its pool.
func discard(c *pgxpool.Conn) {
	pc := c.Hijack()
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	pc.Close(ctx)
}
