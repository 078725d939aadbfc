package policy

import (
	"context"
	"errors"
	"math"
	"slices"
	"sync/atomic"
	"time"
)

// Calendar is a Policy whose decision depends only on when the operation
// runs. Its Evaluate must deny a change exactly when Blocked reports an
// interval within the operation, [Start, Start+Duration) (the instant Start
// alone when Duration is not positive); policytest.CheckCalendar checks that. The
// calendars of this package, and [Set.NextSlot], rely on nothing else.
type Calendar interface {
	Policy
	// Blocked returns the parts of [from, to) during which no operation may
	// run: sorted, disjoint, not touching each other, non-empty and clipped
	// to [from, to). It returns nil when nothing is blocked or when to is not
	// after from.
	Blocked(from, to time.Time) []Interval
}

// nextHorizon bounds the search for Decision.Next.
const nextHorizon = 5 * 366 * 24 * time.Hour

// blockAppender is implemented by the calendars of this package to append
// their blocked intervals without an intermediate slice.
type blockAppender interface {
	appendBlocked(dst []Interval, from, to time.Time) []Interval
}

// appendBlocked appends the blocked parts of [from, to) of c to dst, sorted
// and merged among themselves. Intervals from user calendars are clipped,
// sorted and merged, so that a sloppy Blocked cannot mislead NextSlot.
func appendBlocked(c Calendar, dst []Interval, from, to time.Time) []Interval {
	if a, ok := c.(blockAppender); ok {
		return a.appendBlocked(dst, from, to)
	}
	n0 := len(dst)
	for _, iv := range c.Blocked(from, to) {
		if iv.Start.Before(from) {
			iv.Start = from
		}
		if iv.End.After(to) {
			iv.End = to
		}
		if iv.Start.Before(iv.End) {
			dst = append(dst, iv)
		}
	}
	return normalize(dst, n0)
}

// calendarDecision is the Evaluate of every calendar of this package: it
// derives the decision from Blocked over the operation, so that Evaluate
// and NextSlot cannot disagree. describe explains the first blocked instant.
func calendarDecision(ctx context.Context, c Calendar, loc *time.Location, ch Change, allow string, describe func(t time.Time) string) Decision {
	from, to := ch.span()
	b := appendBlocked(c, nil, from, to)
	if len(b) == 0 {
		return Decision{Policy: c.Name(), Verdict: Allow, Reason: allow}
	}
	d := Decision{Policy: c.Name(), Verdict: Deny}
	reason := describe(b[0].Start) + " in " + loc.String()
	next, err := firstFit(ctx, []Calendar{c}, from, ch.duration(), from.Add(nextHorizon))
	switch {
	case err == nil:
		d.Next = next.In(loc)
		reason += "; allowed again from " + formatLocal(next, loc)
	case errors.Is(err, ErrNoSlot):
		reason += "; no allowed start within 5 years"
	}
	d.Reason = reason
	return d
}

// formatLocal formats t in loc as "Mon 2006-01-02 15:04 MST".
func formatLocal(t time.Time, loc *time.Location) string {
	return t.In(loc).Format("Mon 2006-01-02 15:04 MST")
}

// The wall-clock model. A wall time is the local date and time of a
// location, counted in seconds since 1970-01-01 00:00 of the local calendar
// (as if the location were UTC). Rules are written on wall times with
// calendar arithmetic on civil days; the engine maps them to real time with
// the location's offsets, segment by segment, so an instant is blocked
// exactly when its local date and time are.

const secondsPerDay = 86400

// span is a half-open interval of wall seconds.
type span struct{ a, b int64 }

// wallRule is a calendar rule on the wall clock.
type wallRule interface {
	// appendWall appends the blocked wall spans that overlap [lo, hi),
	// sorted by start.
	appendWall(dst []span, lo, hi int64) []span
	// describe explains why wall time w is blocked, e.g. "Fri 2026-11-27 is
	// a Friday".
	describe(w int64) string
}

// wallCalendar is a Calendar defined by a wallRule in a location.
type wallCalendar struct {
	name  string
	loc   *time.Location
	rule  wallRule
	allow string // the reason of an Allow decision
	// last is the most recent stretch of constant offset seen, so that
	// successive evaluations skip the zone lookups.
	last atomic.Pointer[zoneSpan]
}

// zoneSpan is a stretch [s, e) of Unix seconds with one offset.
type zoneSpan struct{ off, s, e int64 }

func (c *wallCalendar) Name() string { return c.name }

func (c *wallCalendar) Evaluate(ctx context.Context, ch Change) Decision {
	return calendarDecision(ctx, c, c.loc, ch, c.allow, func(t time.Time) string {
		return c.rule.describe(wallOf(t, c.loc))
	})
}

func (c *wallCalendar) Blocked(from, to time.Time) []Interval {
	return c.appendBlocked(nil, from, to)
}

func (c *wallCalendar) appendBlocked(dst []Interval, from, to time.Time) []Interval {
	from, to = from.Round(0), to.Round(0)
	if !from.Before(to) {
		return dst
	}
	var sb [4]zoneSeg
	var segs []zoneSeg
	if z := c.last.Load(); z != nil && from.Unix() >= z.s && to.Unix() < z.e {
		segs = append(sb[:0], zoneSeg{off: z.off, s: from, e: to})
	} else {
		segs = zoneSegs(sb[:0], c.loc, from, to)
		if len(segs) == 1 {
			c.remember(from)
		}
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, s := range segs {
		l := s.s.Unix() + s.off
		h := s.e.Unix() + s.off
		if s.e.Nanosecond() != 0 {
			h++
		}
		lo, hi = min(lo, l), max(hi, h)
	}
	var ws []span
	if days := (hi - lo) / secondsPerDay; days > 2 {
		ws = make([]span, 0, min(days+4, 4096)) // about one span a day at most
	}
	ws = c.rule.appendWall(ws, lo, hi)
	n0 := len(dst)
	dst = slices.Grow(dst, len(ws))
	for _, w := range ws {
		for _, s := range segs {
			a, b := w.a-s.off, w.b-s.off
			if a >= s.e.Unix()+1 || b <= s.s.Unix() {
				continue // no overlap, even at sub-second precision
			}
			at, bt := s.s, s.e
			if u := time.Unix(a, 0); u.After(at) {
				at = u
			}
			if u := time.Unix(b, 0); u.Before(bt) {
				bt = u
			}
			if at.Before(bt) {
				dst = append(dst, Interval{at.In(c.loc), bt.In(c.loc)})
			}
		}
	}
	return normalize(dst, n0)
}

// remember caches the stretch of constant offset around t.
func (c *wallCalendar) remember(t time.Time) {
	lt := t.In(c.loc)
	_, off := lt.Zone()
	start, end := lt.ZoneBounds()
	z := &zoneSpan{off: int64(off), s: math.MinInt64, e: math.MaxInt64}
	if !start.IsZero() {
		z.s = start.Unix()
	}
	if !end.IsZero() {
		z.e = end.Unix()
	}
	c.last.Store(z)
}

// zoneSeg is a stretch of real time [s, e) during which a location keeps
// one offset from UTC.
type zoneSeg struct {
	off  int64 // seconds east of UTC
	s, e time.Time
}

// zoneSegs appends the segments of constant offset that cover [from, to).
func zoneSegs(dst []zoneSeg, loc *time.Location, from, to time.Time) []zoneSeg {
	for t := from; t.Before(to); {
		lt := t.In(loc)
		_, off := lt.Zone()
		_, end := lt.ZoneBounds()
		e := to
		if !end.IsZero() && end.Before(to) && end.After(t) {
			e = end
		}
		dst = append(dst, zoneSeg{off: int64(off), s: t, e: e})
		t = e
	}
	return dst
}

// wallOf returns the wall time of instant t in loc.
func wallOf(t time.Time, loc *time.Location) int64 {
	_, off := t.In(loc).Zone()
	return t.Unix() + int64(off)
}

// wallTime returns wall seconds as a UTC time, for formatting and civil
// arithmetic.
func wallTime(w int64) time.Time { return time.Unix(w, 0).UTC() }

// dayOf returns the civil day number (days since 1970-01-01) of wall time w.
func dayOf(w int64) int64 { return floorDiv(w, secondsPerDay) }

// civilDay returns the day number of a date; out-of-range fields normalise
// as in time.Date.
func civilDay(y int, m time.Month, d int) int64 {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / secondsPerDay
}

// weekdayOf returns the weekday of a civil day number (day 0 was a Thursday).
func weekdayOf(day int64) time.Weekday {
	return time.Weekday(floorMod(day+4, 7))
}

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

func floorMod(a, b int64) int64 { return a - floorDiv(a, b)*b }
