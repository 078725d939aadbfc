package fleet

import (
	"context"
	"time"

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
