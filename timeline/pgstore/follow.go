package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mepkit/mepkit/timeline"
)

// FollowPoll is how often [DB.Follow] reads the record even without a
// notification, as a safety net for a notification lost in a way the
// connection did not report.
const FollowPoll = 5 * time.Second

// Follow calls fn with the entries of record that have Seq > after, in
// order, as they are committed: first those already stored, then, within
// a moment of each commit, the new ones. Each call carries one or more
// entries that follow the last ones delivered; fn runs on Follow's
// goroutine and may keep the slice.
//
// Follow listens on a connection of its own (taken from the pool, then
// closed) for the notification that a [Store] sends after each append
// (LISTEN/NOTIFY), and reads the record after each (re)connect and every
// [FollowPoll], so nothing is missed across a lost connection or a writer
// that stopped between its commit and its notification. Notifications
// are hints: however many arrive, Follow reads the record at most once
// every 25 ms because of them. It reconnects after a lost connection or a
// restarting server, with a growing pause of up to five seconds that
// starts again from its shortest once a connection succeeds.
//
// Follow returns ctx.Err() when ctx ends, the error of fn when fn fails,
// or an error that retrying would not cure: an invalid record name, a
// server that refuses the role, a row that does not decode or does not
// follow the last one delivered (wrapping timeline.ErrTampered). The
// entries are checked for seq order; their hash chain is the journal's
// to verify (Journal.Refresh does).
func (db *DB) Follow(ctx context.Context, record string, after uint64, fn func([]timeline.Entry) error) error {
	s, err := db.Store(record)
	if err != nil {
		return err
	}
	f := &follower{db: db, s: s, last: after, fn: fn}
	wrap := func(err error) error { return s.errorf("following", err) }
	return db.listen(ctx, wrap, f.session)
}

type follower struct {
	db   *DB
	s    *Store
	last uint64
	fn   func([]timeline.Entry) error
}

// notification is the payload of the notifications the entries table
// sends.
type notification struct {
	Schema string `json:"schema"`
	Record string `json:"record"`
	Seq    uint64 `json:"seq"`
}

// session follows the record on conn, which listens, until conn fails
// or ctx ends.
func (f *follower) session(ctx context.Context, conn *pgx.Conn) error {
	if err := f.catchUp(ctx); err != nil {
		return err
	}
	// Notifications are hints: one catch-up reads whatever they announce,
	// so a burst of them is coalesced into at most one catch-up every
	// followGap, the next one waiting (pending) while one ran lately.
	next, pending := time.Now().Add(followGap), false
	for {
		deadline := time.Now().Add(FollowPoll)
		if pending {
			deadline = next
		}
		wctx, cancel := context.WithDeadline(ctx, deadline)
		n, err := conn.WaitForNotification(wctx)
		cancel()
		due := false
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case errors.Is(err, context.DeadlineExceeded) || (err != nil && wctx.Err() != nil):
			if conn.IsClosed() {
				return f.s.errorf("following", err)
			}
			due = true // the poll, or the pending catch-up
		case err != nil:
			return f.s.errorf("following", err)
		default:
			pending = pending || f.announces(n.Payload)
			due = pending && !time.Now().Before(next)
		}
		if !due {
			continue
		}
		if err := f.catchUp(ctx); err != nil {
			return err
		}
		next, pending = time.Now().Add(followGap), false
	}
}

// followGap is the shortest pause between two catch-ups that
// notifications cause: a burst of notifications costs at most one read
// per followGap.
const followGap = 25 * time.Millisecond

// announces reports whether the payload of a notification announces
// entries of the followed record after the last delivered.
func (f *follower) announces(payload string) bool {
	var p notification
	return json.Unmarshal([]byte(payload), &p) == nil && p.Schema == f.db.schema && p.Record == f.s.record && p.Seq > f.last
}

// catchUp delivers the entries after f.last.
func (f *follower) catchUp(ctx context.Context) error {
	f.db.catchUps.Add(1)
	entries, err := f.s.since(ctx, f.last, nil)
	if err != nil || len(entries) == 0 {
		return err
	}
	for i := range entries {
		if want := f.last + uint64(i) + 1; entries[i].Seq != want {
			return &timeline.TamperError{Seq: want, Index: int(want - 1),
				Reason: fmt.Sprintf("record %q: found seq %d (an entry was deleted or moved)", f.s.record, entries[i].Seq)}
		}
	}
	if err := f.fn(entries); err != nil {
		return &callbackError{err}
	}
	f.last = entries[len(entries)-1].Seq
	return nil
}
