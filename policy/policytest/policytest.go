// Package policytest checks implementations of [policy.Calendar].
package policytest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// TestCalendar checks that c keeps the [policy.Calendar] contract over
// [from, to), as testing/slogtest checks a slog.Handler: call it in the
// tests of a calendar you write. It reports every problem [CheckCalendar]
// finds with t.Error.
func TestCalendar(t *testing.T, c policy.Calendar, from, to time.Time, step time.Duration) {
	t.Helper()
	if err := CheckCalendar(c, from, to, step); err != nil {
		t.Error(err)
	}
}

// CheckCalendar checks that c keeps the [policy.Calendar] contract over
// [from, to) and returns the problems it finds, for use outside tests (a
// program that checks a calendar before it trusts it, say). It checks that
//
//   - Blocked(from, to) is sorted, disjoint, not touching, non-empty and
//     within [from, to);
//   - Blocked over any stretch between two probes is the clip of Blocked
//     over the whole range;
//   - Evaluate, for changes starting every step with durations of zero,
//     step and 3×step, denies exactly when Blocked reports an interval
//     within the operation;
//   - a denial's Next, when set, is not before the change's Start and is
//     allowed.
//
// It returns nil or the problems found (at most 20), joined, each reading
// "policytest: calendar NAME: ...". A step that is not positive, or a
// from not before to, is an error wrapping [policy.ErrInvalid].
func CheckCalendar(c policy.Calendar, from, to time.Time, step time.Duration) error {
	if step <= 0 || !from.Before(to) {
		return fmt.Errorf("policytest: CheckCalendar: need a positive step and from before to: %w", policy.ErrInvalid)
	}
	ctx := context.Background()
	var errs []error
	fail := func(format string, args ...any) bool {
		errs = append(errs, fmt.Errorf("policytest: calendar %q: "+format, append([]any{c.Name()}, args...)...))
		return len(errs) < 20
	}
	all := c.Blocked(from, to)
	for i, iv := range all {
		switch {
		case !iv.Start.Before(iv.End):
			fail("Blocked(%v, %v)[%d] %v is empty", from, to, i, iv)
		case iv.Start.Before(from) || iv.End.After(to):
			fail("Blocked(%v, %v)[%d] %v is outside the range", from, to, i, iv)
		case i > 0 && !all[i-1].End.Before(iv.Start):
			fail("Blocked(%v, %v)[%d] %v overlaps or touches %v", from, to, i, iv, all[i-1])
		}
	}
	if len(errs) > 0 {
		return errors.Join(errs...)
	}
	clip := func(a, b time.Time) []policy.Interval {
		var out []policy.Interval
		for _, iv := range all {
			if iv.Start.Before(a) {
				iv.Start = a
			}
			if iv.End.After(b) {
				iv.End = b
			}
			if iv.Start.Before(iv.End) {
				out = append(out, iv)
			}
		}
		return out
	}
	for t := from; t.Before(to); t = t.Add(step) {
		for _, d := range []time.Duration{0, step, 3 * step} {
			end := t.Add(max(d, time.Nanosecond))
			if end.After(to) {
				continue
			}
			got := c.Blocked(t, end)
			want := clip(t, end)
			if !sameIntervals(got, want) {
				if !fail("Blocked(%v, %v) = %v, but Blocked over the whole range gives %v there", t, end, got, want) {
					return errors.Join(errs...)
				}
			}
			dec := c.Evaluate(ctx, policy.Change{Start: t, Duration: d})
			if (dec.Verdict == policy.Deny) != (len(want) > 0) {
				if !fail("Evaluate at %v for %v is %v, but Blocked reports %v", t, d, dec.Verdict, want) {
					return errors.Join(errs...)
				}
			}
			if dec.Verdict == policy.Deny && !dec.Next.IsZero() {
				if dec.Next.Before(t) {
					fail("Evaluate at %v: Next %v is before the start", t, dec.Next)
				} else if n := c.Evaluate(ctx, policy.Change{Start: dec.Next, Duration: d}); n.Verdict == policy.Deny {
					fail("Evaluate at %v: Next %v is itself denied: %s", t, dec.Next, n.Reason)
				}
			}
			if len(errs) >= 20 {
				return errors.Join(errs...)
			}
		}
	}
	return errors.Join(errs...)
}

func sameIntervals(a, b []policy.Interval) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i].Start.Equal(b[i].Start) || !a[i].End.Equal(b[i].End) {
			return false
		}
	}
	return true
}
