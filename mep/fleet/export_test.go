package fleet

import (
	"context"
	"runtime"
	"slices"
	"time"

	"github.com/mepkit/mepkit/timeline"

	"github.com/mepkit/mepkit/timeline/pgstore"
)

// Rescans returns how many rescans s ran, whole or of some records.
func Rescans(s *Schedule) int64 { return s.rescans.Load() }

// WatchDeaf is Watch on PostgreSQL with every notification of an append
// lost: only the notices of a (re)connect arrive.
func WatchDeaf(ctx context.Context, s *Schedule, interval time.Duration, fn func(Scan, *Snapshot)) error {
	d := s.src.(dbSource)
	listen := func(ctx context.Context, f func(pgstore.Notice) error) error {
		return d.db.Listen(ctx, func(n pgstore.Notice) error {
			if n.Connected {
				return f(n)
			}
			return nil
		})
	}
	return s.watchDB(ctx, d, listen, interval, fn)
}

// RescanCancelled rescans s on one goroutine with a context that ends
// as the first record is opened whole: the records after the next one
// are left unread.
func RescanCancelled(s *Schedule) (Scan, error) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	src := s.src
	s.src = cancelling{src, cancel}
	defer func() { s.src = src }()
	return s.Rescan(ctx)
}

type cancelling struct {
	source
	cancel func()
}

func (c cancelling) store(h head) (timeline.Store, error) {
	c.cancel()
	return c.source.store(h)
}

// UpdateNames rescans the records named only, as Watch does after
// notifications.
func UpdateNames(ctx context.Context, s *Schedule, names ...string) (Scan, error) {
	all, err := s.src.heads(ctx)
	if err != nil {
		return Scan{}, err
	}
	var heads []head
	for _, h := range all {
		if slices.Contains(names, h.name) {
			heads = append(heads, h)
		}
	}
	return s.update(ctx, heads, names)
}
