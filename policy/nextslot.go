package policy

import (
	"context"
	"strconv"
	"time"
)

// NextSlot returns the earliest start at or after c.Start, and no later
// than c.Start+horizon, at which the change is allowed by every policy of
// the Set, the whole operation, [start, start+c.Duration), included:
//
//   - a [Calendar] (holidays, freezes, windows, yours) by its blocked
//     intervals;
//   - a [ReadinessWindow]: the start is no earlier than c.ReadyAt+lead when
//     c.ReadyAt is set, else c.Now+lead (c.Now is kept fixed; zero means
//     c.Start);
//   - any other policy (RequireGo, MaxOutage, a [Func], ...) by evaluating
//     the change moved to the start found so far: a denial whose
//     Decision.Next is later moves the search there; a denial without a
//     later Next ends it with a *[RefusedError] naming the policy, which
//     wraps [ErrNoSlot]. A decision whose verdict or rule is unknown is
//     such a denial, as in [Set.Evaluate]. NextSlot never returns a start
//     that a policy of the Set denies.
//
// The slot holds for the change moved to it with its Now kept: Start set to
// the slot and Now to c.Now, or to the original c.Start when c.Now is zero;
// that is the change the other policies are asked about. Do not leave Now
// zero when evaluating the moved change: a zero Now follows Start, so a
// change that is not ready would be judged at the new start, after its
// deadline, and denied.
//
// The search walks the blocked intervals of all calendars together, so its
// cost grows with the number of intervals it passes, not with the length
// of the horizon or of the operation; an operation longer than any allowed
// run of a calendar (a 4-hour change against 3-hour windows) is found not
// to fit at once. It returns an error wrapping [ErrNoSlot] when no start
// fits, and ctx.Err() if ctx is done first. NextSlot ignores c.Override: it
// finds a slot that needs no break-glass.
func (s Set) NextSlot(ctx context.Context, c Change, horizon time.Duration) (time.Time, error) {
	if err := ctx.Err(); err != nil {
		return time.Time{}, err
	}
	start := c.Start.Round(0)
	last := start.Add(horizon)
	earliest := start
	var curs []cursor
	var others []Policy
	for _, p := range s {
		if p == nil {
			continue
		}
		if e, ok := p.(earliester); ok {
			if t, ok := e.earliestStart(c); ok && t.After(earliest) {
				earliest = t
			}
		}
		if cal, ok := calendarFor(p, c); ok {
			curs = append(curs, cursorFor(cal))
		} else {
			others = append(others, p)
		}
	}
	if earliest.After(last) {
		return time.Time{}, ErrNoSlot
	}
	moved := c
	moved.Override = nil
	if moved.Now.IsZero() {
		moved.Now = start
	}
	t, l := instOf(earliest), instOf(last)
	for round := 0; ; round++ {
		var err error
		if t, err = firstFit(ctx, curs, t, c.duration(), l); err != nil {
			return time.Time{}, err
		}
		moved.Start = t.time().In(start.Location())
		refused := false
		for _, p := range others {
			d := p.Evaluate(ctx, moved)
			if d.Verdict > Deny || d.Rule > lastRule {
				d.Reason = string(failClosed(&d, nil, 0)) // a refusal: Next is gone
			}
			if d.Verdict != Deny {
				continue
			}
			if d.Next.IsZero() || !d.Next.After(moved.Start) || round >= maxFollow {
				if d.Policy == "" {
					d.Policy = p.Name()
				}
				return time.Time{}, &RefusedError{Policy: d.Policy, Start: moved.Start, Reason: d.Reason, Next: d.Next}
			}
			t, refused = instOf(d.Next.Round(0)), true
			break
		}
		if !refused {
			return moved.Start, nil
		}
		if l.before(t) {
			return time.Time{}, ErrNoSlot
		}
		if err := ctx.Err(); err != nil {
			return time.Time{}, err
		}
	}
}

// maxFollow bounds how many times NextSlot follows the Decision.Next of
// policies that are not calendars.
const maxFollow = 1000

// RefusedError is the error of [Set.NextSlot] when a policy that is not a
// calendar denies the change at the start the search reached and cannot
// say when it will allow it: its Decision.Next is zero, or not later than
// that start, or it kept moving the start more than a thousand times. It
// wraps [ErrNoSlot].
type RefusedError struct {
	Policy string    // the name of the policy that refuses
	Start  time.Time // the start it refused
	Reason string    // its Decision.Reason
	Next   time.Time // its Decision.Next, often zero
}

// Error names the policy, the start it refused, why the search stopped
// there, and the policy's reason.
func (e *RefusedError) Error() string {
	why := " and cannot say when it will allow the change: "
	switch {
	case e.Next.IsZero():
	case !e.Next.After(e.Start):
		why = " and names no later start (its next start " + formatLocal(e.Next, e.Start.Location()) + " is not after it): "
	default:
		why = " and kept moving the start, " + strconv.Itoa(maxFollow) + " times, without allowing it: "
	}
	return "policy: no slot: " + e.Policy + " refuses the start " + formatLocal(e.Start, e.Start.Location()) + why + e.Reason
}

// Unwrap returns [ErrNoSlot].
func (e *RefusedError) Unwrap() error { return ErrNoSlot }

// Blocked returns the union of the intervals that the Set's calendars block
// within [from, to): sorted, merged, clipped. Use it to draw a calendar or
// export the freezes ([Set.WriteICS]).
func (s Set) Blocked(from, to time.Time) []Interval {
	from, to = from.Round(0), to.Round(0)
	var out, cur, merged []Interval
	for _, p := range s {
		if c, ok := p.(Calendar); ok {
			cur = appendBlocked(c, cur[:0], from, to)
			merged = mergeLists(merged[:0], out, cur)
			out, merged = merged, out
		}
	}
	return out
}

// mergeLists appends to dst the union of the sorted, merged lists a and b,
// sorted and merged, in one pass.
func mergeLists(dst, a, b []Interval) []Interval {
	for len(a) > 0 || len(b) > 0 {
		var iv Interval
		if len(b) == 0 || (len(a) > 0 && a[0].Start.Before(b[0].Start)) {
			iv, a = a[0], a[1:]
		} else {
			iv, b = b[0], b[1:]
		}
		if n := len(dst); n > 0 && !iv.Start.After(dst[n-1].End) {
			if iv.End.After(dst[n-1].End) {
				dst[n-1].End = iv.End
			}
			continue
		}
		dst = append(dst, iv)
	}
	return dst
}

// Free returns the parts of [from, to) that no calendar of the Set blocks:
// the complement of [Set.Blocked]. An operation fits at start t exactly when
// [t, t+Duration) lies within one of them.
func (s Set) Free(from, to time.Time) []Interval {
	from, to = from.Round(0), to.Round(0)
	if !from.Before(to) {
		return nil
	}
	return complement(s.Blocked(from, to), from, to)
}
