package policy

import (
	"context"
	"time"
)

// NextSlot returns the earliest start at or after c.Start at which the
// whole operation, [start, start+c.Duration), is allowed by every
// [Calendar] in the Set, with the start no later than c.Start+horizon.
// Holidays, freezes and windows count; policies that do not depend on the
// start (RequireGo, MaxOutage, Func) do not.
//
// With a [ReadinessWindow] in the Set, the start is also no earlier than
// readiness allows: c.ReadyAt+lead when c.ReadyAt is set, else
// c.Now+lead (c.Now is kept fixed; zero means c.Start).
//
// The slot holds for the change moved to it with its Now kept: Start set to
// the slot and Now to c.Now, or to the original c.Start when c.Now is zero.
// [Set.Evaluate] of that change gets no denial from the Set's calendars nor
// from its readiness window. Do not leave Now zero when evaluating the
// moved change: a zero Now follows Start, so a change that is not ready
// would be judged at the new start, after its deadline, and denied.
//
// The search merges the blocked intervals of all calendars over chunks of
// growing length, so its cost grows with the number of intervals it passes,
// not with the length of the horizon. It returns [ErrNoSlot] when no start
// fits, and ctx.Err() if ctx is done first. NextSlot ignores c.Override:
// it finds a slot that needs no break-glass.
func (s Set) NextSlot(ctx context.Context, c Change, horizon time.Duration) (time.Time, error) {
	start := c.Start.Round(0)
	last := start.Add(horizon)
	earliest := start
	var cals []Calendar
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
			cals = append(cals, cal)
		}
	}
	if earliest.After(last) {
		return time.Time{}, ErrNoSlot
	}
	t, err := firstFit(ctx, cals, earliest, c.duration(), last)
	if err != nil {
		return time.Time{}, err
	}
	return t.In(start.Location()), nil
}

// firstFit returns the earliest t in [earliest, last] such that no
// calendar blocks any instant of [t, t+d).
func firstFit(ctx context.Context, cals []Calendar, earliest time.Time, d time.Duration, last time.Time) (time.Time, error) {
	if d <= 0 {
		d = time.Nanosecond
	}
	t := earliest.Round(0)
	last = last.Round(0)
	chunk := 7 * 24 * time.Hour
	if chunk < 2*d {
		chunk = 2 * d
	}
	lists := make([][]Interval, len(cals))
	idx := make([]int, len(cals))
	fetched := t // blocked intervals are known up to here
	for !t.After(last) {
		if err := ctx.Err(); err != nil {
			return time.Time{}, err
		}
		hi := t.Add(chunk)
		if hi.After(last) {
			hi = last
		}
		hi = hi.Add(d)
		// Only [fetched, hi) is new: the sweep below left t past every
		// interval before fetched that could meet [t, t+d), and any move
		// from now on lands at or after fetched.
		for i, c := range cals {
			lists[i] = appendBlocked(c, lists[i][:0], fetched, hi)
			idx[i] = 0
		}
		fetched = hi
		// Sweep: push t past every interval that meets [t, t+d), calendar
		// by calendar, until a full pass moves nothing.
		for moved := true; moved; {
			moved = false
			end := t.Add(d)
			for i, l := range lists {
				k := idx[i]
				for k < len(l) && !l[k].End.After(t) {
					k++
				}
				if k < len(l) && l[k].Start.Before(end) {
					t = l[k].End
					end = t.Add(d)
					moved = true
					k++
				}
				idx[i] = k
			}
		}
		if t.After(last) {
			break
		}
		if !t.Add(d).After(hi) {
			return t, nil
		}
		if chunk < 366*24*time.Hour {
			chunk *= 2
		}
	}
	return time.Time{}, ErrNoSlot
}

// Blocked returns the union of the intervals that the Set's calendars block
// within [from, to): sorted, merged, clipped. Use it to draw a calendar or
// export the freezes ([Set.WriteICS]).
func (s Set) Blocked(from, to time.Time) []Interval {
	from, to = from.Round(0), to.Round(0)
	var out []Interval
	for _, p := range s {
		if c, ok := p.(Calendar); ok {
			n0 := len(out)
			out = appendBlocked(c, out, from, to)
			if n0 > 0 {
				out = normalize(out, 0)
			}
		}
	}
	return out
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
