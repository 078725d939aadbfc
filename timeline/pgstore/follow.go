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
// server that refuses the role, a row that does not decode (a
// [*RowError]) or does not follow the last one delivered (wrapping
// timeline.ErrTampered), or a record that no longer holds the last entry
// delivered as it was delivered: cut below it, rewritten, or forked (a
// [*timeline.TamperError] naming its seq, found at the next read, which
// the next notification or poll brings). The entries are checked for seq
// order and the last one delivered is read again with the next ones; the
// hash chain is the journal's to verify (Journal.Refresh does).
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
	db       *DB
	s        *Store
	last     uint64
	lastHash string // hash of the entry at last, once Follow delivered it
	fn       func([]timeline.Entry) error
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

// catchUp delivers the entries after f.last. Once it delivered some, it
// reads the last one delivered again with them, and refuses to go on if
// the record no longer holds it as delivered: cut below it, rewritten,
// or forked.
func (f *follower) catchUp(ctx context.Context) error {
	f.db.catchUps.Add(1)
	from, held := f.last, f.lastHash != ""
	if held {
		from--
	}
	entries, err := f.s.since(ctx, from, nil)
	if err != nil {
		return err
	}
	if held {
		if err := f.stillHeld(entries); err != nil {
			return err
		}
		entries = entries[1:]
	}
	if len(entries) == 0 {
		return nil
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
	last := &entries[len(entries)-1]
	f.last, f.lastHash = last.Seq, last.Hash
	return nil
}

// stillHeld checks that entries, read from the last seq delivered on,
// start with the entry delivered at that seq.
func (f *follower) stillHeld(entries []timeline.Entry) error {
	fail := func(reason string) error {
		return &timeline.TamperError{Seq: f.last, Index: int(f.last - 1),
			Reason: fmt.Sprintf("record %q: Follow delivered it up to seq %d, %s", f.s.record, f.last, reason)}
	}
	switch {
	case len(entries) == 0 || entries[0].Seq != f.last:
		return fail("which it no longer holds: entries were cut from its end")
	case entries[0].Hash != f.lastHash:
		return fail("which no longer has the hash delivered: an entry at or before it was rewritten, or the record forked")
	}
	return nil
}
