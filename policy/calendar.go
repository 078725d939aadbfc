package policy

import (
	"context"
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

// localLayout is how reasons write an instant.
const localLayout = "Mon 2006-01-02 15:04 MST"

// formatLocal formats t in loc as "Mon 2006-01-02 15:04 MST".
func formatLocal(t time.Time, loc *time.Location) string {
	return t.In(loc).Format(localLayout)
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

// appendDay appends the whole wall day d (days since the wall epoch) to
// dst, which is sorted: it extends the last span when that span ends where
// the day starts.
func appendDay(dst []span, d int64) []span {
	a := d * secondsPerDay
	if n := len(dst); n > 0 && dst[n-1].b == a {
		dst[n-1].b = a + secondsPerDay
		return dst
	}
	return append(dst, span{a, a + secondsPerDay})
}

// wallRule is a calendar rule on the wall clock.
type wallRule interface {
	// appendWall appends the blocked wall spans that overlap [lo, hi),
	// sorted by start.
	appendWall(dst []span, lo, hi int64) []span
}

// wallCalendar is a Calendar defined by a wallRule in a location. Its
// blocked intervals are computed by bucket of real time on first use and
// kept (see bucket); it is safe for concurrent use.
type wallCalendar struct {
	name  string
	loc   *time.Location
	rule  wallRule
	cites Rule   // the rule of the method its decisions enforce
	allow string // the reason of an Allow decision
	// longest is the longest run of wall time the rule allows, in seconds,
	// when the rule knows it (an allow-list); 0 otherwise. never ends the
	// reason of a denial whose operation is longer.
	longest int64
	never   string
	// last is the most recent stretch of constant offset seen, so that
	// successive computations skip the zone lookups.
	last    atomic.Pointer[zoneSpan]
	buckets bucketCache
}

func newWallCalendar(name string, loc *time.Location, rule wallRule, allow string) *wallCalendar {
	return &wallCalendar{name: name, loc: loc, rule: rule, allow: allow}
}

// zoneSpan is a stretch [s, e) of Unix seconds with one offset.
type zoneSpan struct{ off, s, e int64 }

func (c *wallCalendar) Name() string { return c.name }

// Evaluate denies c when a blocked interval meets the operation, and then
// says why at the first blocked instant and when the calendar allows the
// operation again (Decision.Next), searching at most five years ahead.
func (c *wallCalendar) Evaluate(ctx context.Context, ch Change) Decision {
	return alone(ctx, c, &ch)
}

func (c *wallCalendar) eval(ctx context.Context, ch *Change, d *Decision, b []byte) []byte {
	f, to := ch.instSpan()
	w := wallCursor{c: c}
	x, blocked, _ := w.meet(context.Background(), f, to)
	if !blocked {
		*d = Decision{Policy: c.name, Rule: c.cites, Verdict: Allow, Reason: c.allow}
		return b
	}
	first := sec(x.a)
	if first.before(f) {
		first = f
	}
	*d = Decision{Policy: c.name, Rule: c.cites, Verdict: Deny}
	_, off := w.zoneAt(first.s)
	b = c.appendDescribe(b, first.s+off)
	b = append(b, " in "...)
	b = append(b, c.loc.String()...)
	next, fits, err := w.fit(ctx, f, ch.duration(), f.add(nextHorizon))
	switch {
	case err != nil: // ctx is done: no Next
	case fits:
		d.Next = next.time().In(c.loc)
		b = append(b, "; allowed again from "...)
		if name, off := w.zoneAt(next.s); name != "" {
			b = appendWallDay(b, next.s+off, true)
			b = append(b, ' ')
			b = append(b, name...)
		} else {
			b = appendLocal(b, d.Next, c.loc)
		}
	case c.longest > 0 && ceilSeconds(ch.duration()) > c.longest:
		b = append(b, c.never...)
	default:
		b = append(b, "; no allowed start within 5 years"...)
	}
	return b
}

// appendDescribe appends why wall time w is blocked, e.g. "Fri 2026-11-27
// is a Friday". The rules are called by their types, so that the buffer
// can stay on the caller's stack.
func (c *wallCalendar) appendDescribe(b []byte, w int64) []byte {
	switch r := c.rule.(type) {
	case *weekdayRule:
		return r.appendDescribe(b, w)
	case *windowRule:
		return r.appendDescribe(b, w)
	case *holidayRule:
		return r.appendDescribe(b, w)
	case *cronRule:
		return r.appendDescribe(b, w)
	}
	return append(b, "blocked"...)
}

func (c *wallCalendar) Blocked(from, to time.Time) []Interval {
	return c.appendBlocked(nil, from, to)
}

// appendBlocked appends the blocked parts of [from, to) from the buckets.
func (c *wallCalendar) appendBlocked(dst []Interval, from, to time.Time) []Interval {
	from, to = from.Round(0), to.Round(0)
	if !from.Before(to) {
		return dst
	}
	f, e := instOf(from), instOf(to)
	n0 := len(dst)
	for s := f.s; ; {
		b := c.bucketAt(s)
		blocks := b.blocks
		if b.dense {
			hi := e.s
			if e.ns > 0 {
				hi++
			}
			blocks = c.computeSpans(nil, max(f.s, b.lo), min(hi, b.hi))
		}
		i := endingAfter(blocks, f.s)
		for _, x := range blocks[i:] {
			a, z := sec(x.a), sec(x.b)
			if !a.before(e) {
				break
			}
			if a.before(f) {
				a = f
			}
			if e.before(z) {
				z = e
			}
			dst = append(dst, Interval{a.time().In(c.loc), z.time().In(c.loc)})
		}
		if !sec(b.hi).before(e) || b.hi >= 1<<62 {
			break
		}
		s = b.hi
	}
	return normalize(dst, n0)
}

func maxTime(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// computeSpans appends the blocked parts of the Unix seconds [from, to),
// computed from the rule, sorted and merged: the engine that fills the
// buckets. Each wall span of the rule maps to real time through every
// stretch of constant offset it meets, so a repeated hour is blocked on
// both passes and a skipped one nowhere.
func (c *wallCalendar) computeSpans(dst []span, from, to int64) []span {
	if from >= to {
		return dst
	}
	var sb [4]zoneSeg
	var segs []zoneSeg
	if z := c.last.Load(); z != nil && from >= z.s && to < z.e {
		segs = append(sb[:0], zoneSeg{off: z.off, s: time.Unix(from, 0), e: time.Unix(to, 0)})
	} else {
		segs = zoneSegs(sb[:0], c.loc, time.Unix(from, 0), time.Unix(to, 0))
		if len(segs) == 1 {
			c.remember(time.Unix(from, 0))
		}
	}
	lo, hi := int64(math.MaxInt64), int64(math.MinInt64)
	for _, s := range segs {
		lo, hi = min(lo, s.s.Unix()+s.off), max(hi, s.e.Unix()+s.off)
	}
	var ws []span
	if days := (hi - lo) / secondsPerDay; days > 2 {
		perDay := int64(1)
		if r, ok := c.rule.(*windowRule); ok {
			perDay = int64(r.perDay)
		}
		ws = make([]span, 0, min((days+4)*perDay, 1<<20))
	}
	ws = c.rule.appendWall(ws, lo, hi)
	// The wall spans are sorted and disjoint; mapped segment by segment,
	// each clipped to its segment, they come out sorted.
	n0 := len(dst)
	dst = slices.Grow(dst, len(ws))
	for _, s := range segs {
		ss, se := s.s.Unix(), s.e.Unix()
		i := endingAfter(ws, ss+s.off)
		for _, w := range ws[i:] {
			a, b := max(w.a-s.off, ss), min(w.b-s.off, se)
			if w.a-s.off >= se {
				break
			}
			if a >= b {
				continue
			}
			if n := len(dst); n > n0 && a <= dst[n-1].b {
				dst[n-1].b = max(dst[n-1].b, b)
				continue
			}
			dst = append(dst, span{a, b})
		}
	}
	return dst
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

// shortDays are the days of the week as time.Format writes them, from
// Sunday.
const shortDays = "SunMonTueWedThuFriSat"

// appendWallDay appends wall time w as "Mon 2006-01-02", and with clock
// also " 15:04": what time.Format writes, without its cost.
func appendWallDay(b []byte, w int64, clock bool) []byte {
	day := dayOf(w)
	y, m, d := civilOf(day)
	if y < 0 || y > 9999 {
		if clock {
			return wallTime(w).AppendFormat(b, "Mon 2006-01-02 15:04")
		}
		return wallTime(w).AppendFormat(b, "Mon 2006-01-02")
	}
	wd := 3 * weekdayOf(day)
	// Unsigned, the digits are cheaper to find.
	yy, mm, dd := uint64(y), uint64(m), uint64(d)
	b = append(b, shortDays[wd], shortDays[wd+1], shortDays[wd+2], ' ',
		byte('0'+yy/1000), byte('0'+yy/100%10), byte('0'+yy/10%10), byte('0'+yy%10), '-',
		byte('0'+mm/10), byte('0'+mm%10), '-', byte('0'+dd/10), byte('0'+dd%10))
	if clock {
		s := uint64(w - day*secondsPerDay)
		h, mi := s/3600, s/60%60
		b = append(b, ' ', byte('0'+h/10), byte('0'+h%10), ':', byte('0'+mi/10), byte('0'+mi%10))
	}
	return b
}

// appendLocal appends t in loc as "Mon 2006-01-02 15:04 MST", as
// formatLocal.
func appendLocal(b []byte, t time.Time, loc *time.Location) []byte {
	lt := t.In(loc)
	name, off := lt.Zone()
	if name == "" {
		return lt.AppendFormat(b, localLayout)
	}
	b = appendWallDay(b, t.Unix()+int64(off), true)
	b = append(b, ' ')
	return append(b, name...)
}

// civilOf returns the date of a civil day number (days since 1970-01-01),
// by the days-to-civil algorithm of Howard Hinnant.
func civilOf(day int64) (y, m, d int64) {
	z := day + 719468
	era := floorDiv(z, 146097)
	doe := uint64(z - era*146097)                          // [0, 146096]
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365 // [0, 399]
	doy := doe - (365*yoe + yoe/4 - yoe/100)               // [0, 365]
	mp := (5*doy + 2) / 153                                // [0, 11]
	d = int64(doy - (153*mp+2)/5 + 1)
	m = int64(mp) + 3
	if m > 12 {
		m -= 12
	}
	y = int64(yoe) + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}
