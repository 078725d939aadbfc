package pgstore

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/mepkit/mepkit/timeline"
)

// Store keeps one record of a [DB]: a [timeline.Store],
// [timeline.Tailer] and [timeline.PartLoader] for timeline.OpenStore.
// Each entry is one row, keyed by the record's name and the entry's seq;
// its JSON line, as a file journal writes it, is the truth, and the row
// copies the time, kind, step, actor and hash beside it for queries.
//
// Several stores, in one process or many, may append to one record: the
// database keeps one chain (see Append). Store is safe for simultaneous
// use by multiple goroutines; it holds a connection of its own only for
// its turn, after a conflict (see the package doc, # Several writers).
type Store struct {
	db      *DB
	record  string
	ownDB   bool // Close closes db
	closed  atomic.Bool
	retries atomic.Int64
	turn    turn
	// conflictAt is when the last append found the record moved on
	// (UnixNano; 0: never).
	conflictAt atomic.Int64
}

var (
	_ timeline.Store      = (*Store)(nil)
	_ timeline.Tailer     = (*Store)(nil)
	_ timeline.PartLoader = (*Store)(nil)
)

// OpenStore is shorthand for [Open] followed by [DB.Store]: the store of
// one record whose Close closes the connections.
func OpenStore(ctx context.Context, dsn, record string, opts *Options) (*Store, error) {
	if err := checkName(record); err != nil {
		return nil, err
	}
	db, err := Open(ctx, dsn, opts)
	if err != nil {
		return nil, err
	}
	s, _ := db.Store(record)
	s.ownDB = true
	return s, nil
}

// Record returns the record's name.
func (s *Store) Record() string { return s.record }

// Load returns every entry of the record, in seq order; a new record has
// none. It is LoadContext with a context bounded by [Options.Timeout].
func (s *Store) Load() ([]timeline.Entry, error) {
	return s.Since(0)
}

// LoadContext is Load with a context.
func (s *Store) LoadContext(ctx context.Context) ([]timeline.Entry, error) {
	return s.SinceContext(ctx, 0)
}

// Since returns the entries of the record with Seq > seq, in order: what
// other writers appended since the caller's last entry. It is
// SinceContext with a context bounded by [Options.Timeout].
func (s *Store) Since(seq uint64) ([]timeline.Entry, error) {
	ctx, cancel := context.WithTimeout(context.Background(), s.db.timeout)
	defer cancel()
	return s.SinceContext(ctx, seq)
}

// SinceContext is Since with a context. A row whose line does not decode
// is a [*RowError] naming its seq; one whose seq or hash columns disagree
// with its line (a row edited by hand) is an error naming its seq that
// wraps [timeline.ErrTampered]. The chain itself is verified by the journal that loads
// the entries (timeline.OpenStore, Journal.Refresh).
func (s *Store) SinceContext(ctx context.Context, seq uint64) ([]timeline.Entry, error) {
	if s.closed.Load() {
		return nil, ErrClosed
	}
	if seq > 1<<63-1 {
		return nil, fmt.Errorf("pgstore: record %q: seq %d out of range", s.record, seq)
	}
	ctx, cancel := context.WithTimeout(ctx, s.db.timeout)
	defer cancel()
	var out []timeline.Entry
	err := s.retry(ctx, func() error {
		var err error
		out, err = s.since(ctx, seq, nil)
		return err
	})
	if err != nil {
		return nil, err
	}
	return out, nil
}

// LoadParts is Load handing the entries over in parts as they arrive,
// for timeline.OpenStore (see [timeline.PartLoader]): the journal
// verifies each part while the next is read and decoded. A lost
// connection is retried from after the last entry handed over.
func (s *Store) LoadParts(part func([]timeline.Entry) error) error {
	if s.closed.Load() {
		return ErrClosed
	}
	ctx, cancel := context.WithTimeout(context.Background(), s.db.timeout)
	defer cancel()
	var after uint64
	return s.retry(ctx, func() error {
		_, err := s.since(ctx, after, func(es []timeline.Entry) error {
			if err := part(es); err != nil {
				return err
			}
			after = es[len(es)-1].Seq
			return nil
		})
		return err
	})
}

// since reads the entries after seq after. With part, it hands them over
// to part as they arrive (see decoder) and returns none.
func (s *Store) since(ctx context.Context, after uint64, part func([]timeline.Entry) error) ([]timeline.Entry, error) {
	if es, ok := s.turn.prefetched(after); ok {
		// Read when the turn was taken, no other writer since.
		if part != nil && len(es) > 0 {
			return nil, part(es)
		}
		return es, nil
	}
	var out []timeline.Entry
	err := s.turn.with(s.db.pool, func(c conn) error {
		var err error
		out, err = s.copyOn(ctx, c, after, part)
		return err
	})
	return out, err
}

// sinceOn reads the entries after seq after on c, first taking the
// record's append lock for the session when lockKey is not "".
func (s *Store) sinceOn(ctx context.Context, c conn, after uint64, lockKey string, part func([]timeline.Entry) error) ([]timeline.Entry, error) {
	br, rows, err := s.querySince(ctx, c, after, lockKey)
	if err != nil {
		return nil, err
	}
	defer br.Close()
	defer rows.Close()
	d := newDecoder(s.record, part)
	for rows.Next() {
		var seq int64
		if err := rows.Scan(&seq, nil, nil); err != nil {
			d.finish()
			return nil, s.errorf("reading", err)
		}
		raw := rows.RawValues()
		d.add(seq, raw[1], raw[2])
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		d.finish()
		return nil, s.errorf("reading", err)
	}
	if _, err := br.Exec(); err != nil {
		d.finish()
		return nil, s.errorf("reading", err)
	}
	return d.finish()
}

// checkColumns checks that the seq and hash columns of each row (seqs,
// and hashes cut at ends) are those of the entry its line holds.
func checkColumns(entries []timeline.Entry, seqs []int64, hashes []byte, ends []int) error {
	for i := range entries {
		e := &entries[i]
		if e.Seq != uint64(seqs[i]) {
			return &timeline.TamperError{Seq: uint64(seqs[i]), Index: i,
				Reason: "the row of seq " + strconv.FormatInt(seqs[i], 10) + " holds the entry of seq " + strconv.FormatUint(e.Seq, 10) + " (edited by hand)"}
		}
		begin := 0
		if i > 0 {
			begin = ends[i-1]
		}
		if e.Hash != string(hashes[begin:ends[i]]) {
			return &timeline.TamperError{Seq: e.Seq, Index: i, Reason: "the row's hash column differs from its line (edited by hand)"}
		}
	}
	return nil
}

// querySince sends the read of the entries after seq: one read-only
// transaction, in one round trip, with sorting disabled, so that the
// planner walks the primary key in order even when its statistics (not
// analyzed yet, or a small record among large ones) suggest sorting,
// which spills a large record to disk. The caller reads the rows, then
// the COMMIT from the batch, and closes the batch.
//
// With a lockKey, the batch first waits for the record's append lock and
// takes it for the session (a turn, see turn.take): the read then sees the
// record as no other writer can change it until the lock is released.
func (s *Store) querySince(ctx context.Context, c conn, after uint64, lockKey string) (pgx.BatchResults, pgx.Rows, error) {
	batch := &pgx.Batch{}
	skip := 2
	if lockKey != "" {
		batch.Queue("SELECT pg_catalog.pg_advisory_lock(pg_catalog.hashtextextended($1, 0))", lockKey)
		skip++
	}
	batch.Queue("BEGIN READ ONLY")
	batch.Queue("SET LOCAL enable_sort = off")
	batch.Queue(s.db.sqlSince, s.record, int64(after))
	batch.Queue("COMMIT")
	br := c.SendBatch(ctx, batch)
	for range skip {
		if _, err := br.Exec(); err != nil {
			br.Close()
			return nil, nil, s.errorf("reading", err)
		}
	}
	rows, err := br.Query()
	if err != nil {
		br.Close()
		return nil, nil, s.errorf("reading", err)
	}
	return br, rows, nil
}

// Append stores batch after the entries of the record, in one transaction:
// durable once it returns nil (as durable as the server's commits). It is
// AppendContext with a context bounded by [Options.Timeout].
func (s *Store) Append(batch []timeline.Entry) error {
	ctx, cancel := context.WithTimeout(context.Background(), s.db.timeout)
	defer cancel()
	return s.AppendContext(ctx, batch)
}

// AppendContext is Append with a context.
//
// Every append goes through the database function append_entries, which
// refuses a batch that does not follow the record or whose lines disagree
// with their seqs and hashes (an error wrapping [ErrRefused]).
// batch[0].Seq must be the record's last seq + 1 and the seqs must follow
// each other. If another writer appended first, nothing is stored and the
// error is a [*ConflictError] wrapping [timeline.ErrConflict]: catch up
// (Journal.Refresh) and try again. If the entries with those seqs are
// already stored with the same hashes, a retry after an unknown outcome,
// AppendContext stores nothing again and returns nil; (seq, hash) is the
// idempotency key. Lost connections, a restarting server and other
// transient failures are retried within the context's deadline by that
// same rule, so an entry is never stored twice. After a conflict, the
// store waits for its turn at the record (within ctx) before returning
// the conflict, and keeps it until its next append or for a second: the
// catch-up and the retry that follow see a record that no other writer
// changes meanwhile.
func (s *Store) AppendContext(ctx context.Context, batch []timeline.Entry) error {
	if s.closed.Load() {
		return ErrClosed
	}
	if len(batch) == 0 {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, s.db.timeout)
	defer cancel()
	rows, err := s.rows(batch)
	if err != nil {
		return err
	}
	if err := s.lockFirst(ctx, batch[0].Seq); err != nil {
		return err
	}
	err = s.retry(ctx, func() error {
		return s.turn.with(s.db.pool, func(c conn) error { return s.append(ctx, c, rows) })
	})
	s.turn.release()
	var ce *ConflictError
	if errors.As(err, &ce) {
		// The catch-up and the next append run in the store's turn.
		s.conflictAt.Store(time.Now().UnixNano())
		s.turn.take(ctx, s, batch[0].Seq-1)
	}
	if err != nil {
		return err
	}
	s.db.notifyLater(s.record, batch[len(batch)-1].Seq)
	return nil
}

// lockFirst takes the store's turn before an append of a batch starting
// at seq first, when the store had a conflict within the last turnLease
// (the record is contended) and holds no turn: the turn's lock and the
// read of what other writers appended take one round trip, and a batch
// that no longer follows the record is a conflict at once, its catch-up
// read already, instead of an append that waits for the lock only to find
// the record moved on.
func (s *Store) lockFirst(ctx context.Context, first uint64) error {
	if time.Since(time.Unix(0, s.conflictAt.Load())) > turnLease || s.turn.held() {
		return nil
	}
	s.turn.take(ctx, s, first-1)
	read, ok := s.turn.peek(first - 1)
	if !ok || len(read) == 0 {
		return nil // no turn (the append runs without), or the batch follows
	}
	s.conflictAt.Store(time.Now().UnixNano())
	return &ConflictError{Record: s.record, Seq: first, Last: read[len(read)-1].Seq}
}

// rows holds a batch as the arrays append_entries takes.
type rows struct {
	seq         []int64
	hash, lines []string
}

func (s *Store) rows(batch []timeline.Entry) (*rows, error) {
	n := len(batch)
	r := &rows{make([]int64, n), make([]string, n), make([]string, n)}
	for i := range batch {
		e := &batch[i]
		if e.Seq == 0 || e.Seq > 1<<63-1 || (i > 0 && e.Seq != batch[i-1].Seq+1) {
			return nil, fmt.Errorf("pgstore: record %q: batch entry %d has seq %d: seqs must run 1, 2, 3, ... without gaps", s.record, i+1, e.Seq)
		}
		r.seq[i], r.hash[i] = int64(e.Seq), e.Hash
	}
	// The lines are those of a file journal, from timeline's own encoder.
	var buf bytes.Buffer
	if err := timeline.WriteJSONL(&buf, batch); err != nil {
		return nil, fmt.Errorf("pgstore: record %q: %w", s.record, err)
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	if len(lines) != n+1 {
		return nil, fmt.Errorf("pgstore: record %q: %d entries encoded as %d lines", s.record, n, len(lines)-1)
	}
	for i := range n {
		r.lines[i] = strings.TrimSuffix(lines[i], "\n")
	}
	return r, nil
}

// SQLSTATEs that append_entries raises.
const (
	codeConflict  = "MK409" // another writer stored one of the seqs first
	codeRefused   = "MK422" // the batch does not follow the record, or a line is wrong
	codeNotWriter = "MK403" // the login role may not append to the record
)

// append makes one attempt at storing r, through append_entries: the
// database serializes the appends to the record, checks the batch, and
// stores nothing again of a retry whose entries it holds already.
func (s *Store) append(ctx context.Context, c conn, r *rows) error {
	var stored int
	var err error
	if tc, ok := c.(*pgxpool.Conn); ok {
		// In the store's turn: the turn's lock is released in the same
		// round trip (the append's own lock lasts until its commit).
		err = s.turn.appendAndUnlock(ctx, tc, s.db.sqlAppend, s.record, r.seq, r.hash, r.lines)
	} else {
		err = c.QueryRow(ctx, s.db.sqlAppend, s.record, r.seq, r.hash, r.lines).Scan(&stored)
	}
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return nil
	case !errors.As(err, &pgErr):
		return s.errorf("appending to", err)
	case pgErr.Code == codeConflict || pgErr.Code == "23505": // 23505: a row inserted by hand
		last, _ := strconv.ParseUint(pgErr.Detail, 10, 64)
		return &ConflictError{Record: s.record, Seq: uint64(r.seq[0]), Last: last}
	case pgErr.Code == codeRefused:
		return fmt.Errorf("%w: %w", ErrRefused, err)
	case pgErr.Code == codeNotWriter:
		return fmt.Errorf("%w: %w", ErrNotWriter, err)
	}
	return s.errorf("appending to", err)
}

// retry calls f until it succeeds, fails for good, or ctx ends. Only
// failures where the server may not have seen or finished the statement
// are retried: a lost connection, a server shutting down or restarting, a
// serialization failure. Appends are idempotent by (seq, hash), so a retry
// never stores an entry twice.
func (s *Store) retry(ctx context.Context, f func() error) error {
	delay := 10 * time.Millisecond
	for {
		err := f()
		if err == nil || !transient(err) || ctx.Err() != nil {
			return err
		}
		s.retries.Add(1)
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		delay = min(2*delay, time.Second)
	}
}

// Retries returns how many times the store retried an operation after a
// transient failure, for monitoring.
func (s *Store) Retries() int64 { return s.retries.Load() }

// transient reports whether err, from a call of the driver (see
// errorf), may go away on retry.
func transient(err error) bool {
	var de *driverError
	if !errors.As(err, &de) {
		return false
	}
	return retryable(de.err)
}

// retryable reports whether err, returned by pgx, may go away on retry.
func retryable(err error) bool {
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) {
		if len(pgErr.Code) == 5 && pgErr.Code[:2] == "08" { // connection exception
			return true
		}
		switch pgErr.Code {
		case "57P01", "57P02", "57P03", // admin shutdown, crash shutdown, cannot connect now
			"40001", "40P01", // serialization failure, deadlock
			"53300": // too many connections
			return true
		}
		return false
	}
	// Errors of the connection (pgconn marks them with SafeToRetry, true
	// when nothing was sent): the outcome of the statement is unknown, which
	// a retry settles.
	var connErr interface{ SafeToRetry() bool }
	var connectErr *pgconn.ConnectError
	var netErr net.Error
	return errors.As(err, &connErr) || errors.As(err, &connectErr) || errors.As(err, &netErr) ||
		errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
}

// driverError is an error returned by pgx, with what the store was doing.
type driverError struct {
	msg string
	err error
}

func (e *driverError) Error() string { return e.msg + ": " + e.err.Error() }
func (e *driverError) Unwrap() error { return e.err }

// errorf wraps an error returned by pgx.
func (s *Store) errorf(what string, err error) error {
	return &driverError{msg: fmt.Sprintf("pgstore: %s record %q", what, s.record), err: err}
}

// Close marks the store closed; the store of [OpenStore] also closes its
// connections. Closing a closed store does nothing.
func (s *Store) Close() error {
	if s.closed.Swap(true) {
		return nil
	}
	s.turn.release()
	if s.ownDB {
		s.db.Close()
	}
	return nil
}
