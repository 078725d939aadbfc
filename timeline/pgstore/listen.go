package pgstore

import (
	"context"
	"encoding/json"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
)

// A Notice is what [DB.Listen] hands out: a notification that a record
// of the DB's schema holds entries up to Seq, or, with Connected set,
// that Listen (re)connected.
type Notice struct {
	// Connected is set on the notice Listen gives each time it starts
	// listening, first or after a lost connection: the notifications
	// sent while it was not listening are lost, so any record may have
	// changed. Record and Seq are then empty.
	Connected bool
	Record    string // the record appended to
	Seq       uint64 // its last seq, as the notification says
}

// Listen calls fn with the notifications of the appends to the records
// of db's schema, as they arrive, and with a Notice with Connected set
// each time it starts listening. It is what [DB.Follow] does for one
// record, for every record at once: a program that keeps a view of
// many records (mep/fleet's schedule) reads, after a notice, the record
// it names, and after a Connected notice, all of them.
//
// A notice is a hint, never a fact: anyone who may connect can send
// one (pg_notify), with any record and seq, and one may be lost. Read
// the record to know; bound how often notices make you read; and read
// at an interval anyway, for a notification lost in a way the
// connection did not report.
//
// Listen listens on a connection of its own (taken from the pool, then
// closed), checks it every [FollowPoll] without a notification, and
// reconnects after a lost connection or a restarting server, with a
// growing pause of up to five seconds that starts again from its
// shortest once a connection succeeds. Payloads that do not decode, or
// name another schema, are dropped. fn runs on Listen's goroutine: a
// slow fn delays the reading of the notifications, which the server
// queues meanwhile.
//
// Listen returns ctx.Err() when ctx ends, the error of fn when fn fails,
// or an error that retrying would not cure, such as a server that
// refuses the role.
func (db *DB) Listen(ctx context.Context, fn func(Notice) error) error {
	wrap := func(err error) error { return &driverError{msg: "pgstore: listening", err: err} }
	return db.listen(ctx, wrap, func(ctx context.Context, conn *pgx.Conn) error {
		if err := fn(Notice{Connected: true}); err != nil {
			return &callbackError{err}
		}
		for {
			wctx, cancel := context.WithTimeout(ctx, FollowPoll)
			n, err := conn.WaitForNotification(wctx)
			cancel()
			switch {
			case ctx.Err() != nil:
				return ctx.Err()
			case errors.Is(err, context.DeadlineExceeded) || (err != nil && wctx.Err() != nil):
				if conn.IsClosed() {
					return wrap(err)
				}
				// No notification for a while: check the connection, so
				// that one lost silently is found and replaced.
				pctx, cancel := context.WithTimeout(ctx, FollowPoll)
				err := conn.Ping(pctx)
				cancel()
				if err != nil {
					if ctx.Err() != nil {
						return ctx.Err()
					}
					return wrap(err)
				}
				continue
			case err != nil:
				return wrap(err)
			}
			var p notification
			if json.Unmarshal([]byte(n.Payload), &p) != nil || p.Schema != db.schema || checkName(p.Record) != nil {
				continue
			}
			if err := fn(Notice{Record: p.Record, Seq: p.Seq}); err != nil {
				return &callbackError{err}
			}
		}
	})
}

// callbackError carries the error of the caller's function out of a
// listening session: listen returns it unwrapped, without retrying.
type callbackError struct{ err error }

func (e *callbackError) Error() string { return e.err.Error() }
func (e *callbackError) Unwrap() error { return e.err }

// listen runs session on a connection of its own that listens on the
// channel of the notifications, until ctx ends, session fails with a
// *callbackError or an error that retrying would not cure. After a
// transient failure it connects again, with a growing pause of up to
// five seconds that starts again from its shortest once a connection
// succeeded. wrap wraps the errors of the driver, naming what listens.
func (db *DB) listen(ctx context.Context, wrap func(error) error, session func(context.Context, *pgx.Conn) error) error {
	delay := 50 * time.Millisecond
	for {
		began := time.Now()
		connected, err := db.listenOnce(ctx, wrap, session)
		if ctx.Err() != nil {
			return ctx.Err()
		}
		if ce, ok := errors.AsType[*callbackError](err); ok {
			return ce.err
		}
		if !transient(err) {
			return err
		}
		if connected || time.Since(began) > 10*time.Second {
			delay = 50 * time.Millisecond // the last pause ended in a connection
		}
		t := time.NewTimer(delay)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		delay = min(2*delay, 5*time.Second)
	}
}

// listenOnce runs one session: it takes a connection from the pool,
// listens, and runs session on it. connected reports whether it got as
// far as listening.
func (db *DB) listenOnce(ctx context.Context, wrap func(error) error, session func(context.Context, *pgx.Conn) error) (connected bool, err error) {
	c, err := db.pool.Acquire(ctx)
	if err != nil {
		return false, wrap(err)
	}
	conn := c.Hijack()
	defer conn.Close(context.Background())
	if _, err := conn.Exec(ctx, "LISTEN "+pgx.Identifier{notifyChannel}.Sanitize()); err != nil {
		return false, wrap(err)
	}
	if err := session(ctx, conn); err != nil {
		return true, err
	}
	return true, errors.New("pgstore: listening: the session ended")
}
