package pgstore

import (
	"context"
	"encoding/json"
	"sync"
	"time"
)

// notifier sends the notifications of a DB's appends from a goroutine of
// its own, so that an append returns once committed, and coalesces them:
// one notification per record with its last seq, however many appends
// happened meanwhile.
type notifier struct {
	mu      sync.Mutex
	pending map[string]uint64 // record → last seq appended
	closed  bool
	wake    chan struct{} // capacity 1
	done    chan struct{} // closed by stop
	stopped chan struct{} // closed when the goroutine returns
}

func (db *DB) startNotifier() {
	n := &db.notifier
	n.pending = map[string]uint64{}
	n.wake = make(chan struct{}, 1)
	n.done = make(chan struct{})
	n.stopped = make(chan struct{})
	go db.notifyLoop()
}

// notifyLater queues the notification that record holds entries up to seq.
func (db *DB) notifyLater(record string, seq uint64) {
	n := &db.notifier
	n.mu.Lock()
	if !n.closed && seq > n.pending[record] {
		n.pending[record] = seq
	}
	n.mu.Unlock()
	select {
	case n.wake <- struct{}{}:
	default:
	}
}

func (db *DB) notifyLoop() {
	n := &db.notifier
	defer close(n.stopped)
	for {
		select {
		case <-n.wake:
		case <-n.done:
			db.sendNotifications() // what was queued before Close
			return
		}
		db.sendNotifications()
	}
}

// sendNotifications sends what is queued. A notification that fails is
// dropped: the entries are committed, and followers read them at their
// next poll.
func (db *DB) sendNotifications() {
	n := &db.notifier
	n.mu.Lock()
	pending := n.pending
	n.pending = map[string]uint64{}
	n.mu.Unlock()
	if len(pending) == 0 {
		return
	}
	payloads := make([]string, 0, len(pending))
	for record, seq := range pending {
		payload, _ := json.Marshal(notification{Schema: db.schema, Record: record, Seq: seq})
		payloads = append(payloads, string(payload))
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	db.pool.Exec(ctx, "SELECT pg_catalog.pg_notify($1, p) FROM pg_catalog.unnest($2::pg_catalog.text[]) AS p", notifyChannel, payloads)
}

// stopNotifier sends what is queued and stops the goroutine.
func (db *DB) stopNotifier() {
	n := &db.notifier
	n.mu.Lock()
	already := n.closed
	n.closed = true
	n.mu.Unlock()
	if already {
		return
	}
	close(n.done)
	<-n.stopped
}
