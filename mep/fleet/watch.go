package fleet

import (
	"context"
	"errors"
	"sync"
	"time"

	"github.com/mepkit/mepkit/timeline/pgstore"
)

// WatchGap is the shortest pause, on PostgreSQL, between two rescans
// that notifications cause in [Schedule.Watch]: however many arrive,
// and whoever sends them, they cost at most one rescan per WatchGap,
// besides those at the interval and after a reconnect.
const WatchGap = 50 * time.Millisecond

// maxPending is the number of records named by notifications past
// which Watch rescans the whole store rather than each of them.
const maxPending = 256

// Watch keeps the schedule current until ctx ends, and calls fn with
// the scan and the new snapshot after each rescan that read or dropped
// something (Opened, Refreshed, Removed or Failed not zero).
//
// On a directory, it rescans every interval. On PostgreSQL, it also
// listens for the notification each append sends ([pgstore.DB.Listen])
// and then reads only the records named whose last seq moved, within
// a moment of the commit: a notification is a hint, so those that
// arrive during a rescan, or within [WatchGap] of the last one, make
// one rescan together, a notification that announces nothing new
// makes none, and the whole store is rescanned after each (re)connect
// of the listener and every interval anyway, for notifications lost.
// A lost connection, the listener's or a rescan's, is made again, with
// a growing pause of up to five seconds that starts again from its
// shortest once one succeeds.
//
// Watch returns ctx's error when ctx ends, the error of a rescan that
// could not list the store (on PostgreSQL, for a cause other than a
// lost connection or a restarting server) or of a listener that cannot
// listen (a server that refuses the role), or an error for an interval
// that is not positive. fn runs on Watch's goroutine: a slow fn delays
// the next rescan, never overlaps it.
func (s *Schedule) Watch(ctx context.Context, interval time.Duration, fn func(Scan, *Snapshot)) error {
	if interval <= 0 {
		return errors.New("fleet: Watch: the interval must be positive")
	}
	if d, ok := s.src.(dbSource); ok {
		return s.watchDB(ctx, d, d.db.Listen, interval, fn)
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-t.C:
		}
		sc, err := s.Rescan(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		}
		s.tell(sc, fn)
	}
}

// tell calls fn, if any, after a rescan that read or dropped something.
func (s *Schedule) tell(sc Scan, fn func(Scan, *Snapshot)) {
	if sc.Opened+sc.Refreshed+sc.Removed+sc.Failed > 0 && fn != nil {
		fn(sc, s.Snapshot())
	}
}

// notices gathers the notifications that arrive between two rescans.
type notices struct {
	mu      sync.Mutex
	pending map[string]uint64 // record → highest seq announced
	all     bool              // rescan the whole store
	wake    chan struct{}     // capacity 1
}

// add takes a notice of pgstore.DB.Listen; it never fails.
func (n *notices) add(nt pgstore.Notice) error {
	n.mu.Lock()
	switch {
	case nt.Connected || len(n.pending) >= maxPending:
		n.all, n.pending = true, map[string]uint64{}
	case !n.all:
		n.pending[nt.Record] = max(n.pending[nt.Record], nt.Seq)
	}
	n.mu.Unlock()
	select {
	case n.wake <- struct{}{}:
	default:
	}
	return nil
}

// take returns what was gathered and starts again.
func (n *notices) take() (pending map[string]uint64, all bool) {
	n.mu.Lock()
	defer n.mu.Unlock()
	pending, all = n.pending, n.all
	n.pending, n.all = map[string]uint64{}, false
	return pending, all
}

// watchDB is Watch on PostgreSQL, listening with listen.
func (s *Schedule) watchDB(ctx context.Context, d dbSource, listen func(context.Context, func(pgstore.Notice) error) error,
	interval time.Duration, fn func(Scan, *Snapshot)) error {
	ctx, cancel := context.WithCancel(ctx)
	n := &notices{pending: map[string]uint64{}, wake: make(chan struct{}, 1)}
	listened := make(chan error, 1)
	var wg sync.WaitGroup
	defer wg.Wait()
	defer cancel()
	wg.Go(func() { listened <- listen(ctx, n.add) })
	t := time.NewTicker(interval)
	defer t.Stop()
	var last time.Time             // when the last rescan ended
	retry := 50 * time.Millisecond // the pause after a rescan lost its connection
	for {
		full := false
		select {
		case <-ctx.Done():
			return ctx.Err()
		case err := <-listened:
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return err
		case <-t.C:
			full = true
		case <-n.wake:
			if err := sleep(ctx, time.Until(last.Add(WatchGap))); err != nil {
				return err
			}
		}
		pending, all := n.take()
		var sc Scan
		var err error
		switch names := s.moved(pending); {
		case full || all:
			sc, err = s.Rescan(ctx)
		case len(names) > 0:
			var heads []head
			if heads, err = d.headsOf(ctx, names); err == nil {
				sc, err = s.update(ctx, heads, names)
			}
		default:
			continue // nothing new announced
		}
		last = time.Now()
		switch {
		case ctx.Err() != nil:
			return ctx.Err()
		case err != nil && pgstore.IsTransient(err):
			// A lost connection: read the whole store once a connection
			// is made again.
			if err := sleep(ctx, retry); err != nil {
				return err
			}
			retry = min(2*retry, 5*time.Second)
			n.add(pgstore.Notice{Connected: true})
			continue
		case err != nil:
			return err
		}
		retry = 50 * time.Millisecond
		s.tell(sc, fn)
	}
}

// sleep waits for d or until ctx ends, and returns ctx's error then.
func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// moved returns the records of pending whose announced seq is past the
// one last read, or that the schedule does not hold.
func (s *Schedule) moved(pending map[string]uint64) []string {
	s.scan.Lock()
	defer s.scan.Unlock()
	var names []string
	for name, seq := range pending {
		if rec := s.recs[name]; rec == nil || seq > rec.head.seq {
			names = append(names, name)
		}
	}
	return names
}
