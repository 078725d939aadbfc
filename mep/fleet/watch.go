package fleet

import (
	"context"
	"errors"
	"time"
)

// Watch rescans the store every interval until ctx ends, and calls fn
// with the scan and the new snapshot after each rescan that read or
// dropped something (Opened, Refreshed, Removed or Failed not zero). It
// returns ctx's error when ctx ends, the error of a rescan that could
// not list the store, or an error for an interval that is not positive. fn runs on Watch's goroutine: a slow fn
// delays the next rescan, never overlaps it.
func (s *Schedule) Watch(ctx context.Context, interval time.Duration, fn func(Scan, *Snapshot)) error {
	if interval <= 0 {
		return errors.New("fleet: Watch: the interval must be positive")
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
		if sc.Opened+sc.Refreshed+sc.Removed+sc.Failed > 0 && fn != nil {
			fn(sc, s.Snapshot())
		}
	}
}
