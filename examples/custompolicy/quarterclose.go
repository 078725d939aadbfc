package main

import (
	"context"
	"fmt"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// quarterClose is a calendar of the team's own: the close of every quarter
// is frozen, from local midnight on day from of the quarter's last month
// (March, June, September, December) to local midnight on day to of the
// next month. Days are calendar days in loc, found with policy.Date.In,
// so the freeze follows the local clock across daylight saving time.
//
// It implements policy.Calendar: Blocked lists the frozen intervals, and
// Evaluate is derived from Blocked, so that the decisions and
// policy.Set.NextSlot agree. It is immutable, hence safe for concurrent
// use.
type quarterClose struct {
	loc      *time.Location
	from, to int // days of the month
}

// newQuarterClose returns the quarter-close calendar in loc. Both days are
// 1 to 28, so that they exist in every month.
func newQuarterClose(loc *time.Location, from, to int) (*quarterClose, error) {
	if loc == nil || from < 1 || from > 28 || to < 1 || to > 28 {
		return nil, fmt.Errorf("quarter-close: want a location and days 1 to 28, got %d and %d", from, to)
	}
	return &quarterClose{loc: loc, from: from, to: to}, nil
}

// Name returns "quarter-close".
func (q *quarterClose) Name() string { return "quarter-close" }

// quarter is the last month of a quarter: March, June, September or
// December of a year.
type quarter struct {
	year  int
	month time.Month
}

// quarterOf returns the quarter that t falls in, in loc.
func quarterOf(t time.Time, loc *time.Location) quarter {
	y, m, _ := t.In(loc).Date()
	return quarter{y, (m-1)/3*3 + 3}
}

func (k quarter) next() quarter {
	if k.month == time.December {
		return quarter{k.year + 1, time.March}
	}
	return quarter{k.year, k.month + 3}
}

func (k quarter) prev() quarter {
	if k.month == time.March {
		return quarter{k.year - 1, time.December}
	}
	return quarter{k.year, k.month - 3}
}

// String returns e.g. "2027-Q1".
func (k quarter) String() string { return fmt.Sprintf("%d-Q%d", k.year, k.month/3) }

// freeze returns the frozen interval of the close of quarter k.
func (q *quarterClose) freeze(k quarter) policy.Interval {
	after := time.Date(k.year, k.month+1, 1, 0, 0, 0, 0, time.UTC) // the month after, by calendar
	return policy.Interval{
		Start: policy.Date{Year: k.year, Month: k.month, Day: q.from}.In(q.loc),
		End:   policy.Date{Year: after.Year(), Month: after.Month(), Day: q.to}.In(q.loc),
	}
}

// closes calls fn with each quarter whose freeze overlaps [from, to), in
// order, and its freeze.
func (q *quarterClose) closes(from, to time.Time, fn func(quarter, policy.Interval)) {
	// The freeze of the quarter before from's may run into it.
	for k := quarterOf(from, q.loc).prev(); ; k = k.next() {
		iv := q.freeze(k)
		if !iv.Start.Before(to) {
			return
		}
		if iv.End.After(from) {
			fn(k, iv)
		}
	}
}

// Blocked returns the freezes within [from, to), clipped to it.
func (q *quarterClose) Blocked(from, to time.Time) []policy.Interval {
	if !from.Before(to) {
		return nil
	}
	var out []policy.Interval
	q.closes(from, to, func(_ quarter, iv policy.Interval) {
		if iv.Start.Before(from) {
			iv.Start = from
		}
		if iv.End.After(to) {
			iv.End = to
		}
		out = append(out, iv)
	})
	return out
}

// Evaluate denies a change when any instant of the operation,
// [Start, Start+Duration), is frozen (the instant Start alone when Duration
// is not positive), as policy.Calendar requires, and says when this
// calendar would allow it again.
func (q *quarterClose) Evaluate(ctx context.Context, c policy.Change) policy.Decision {
	from := c.Start
	to := from.Add(max(c.Duration, time.Nanosecond))
	blocked := q.Blocked(from, to)
	if len(blocked) == 0 {
		return policy.Decision{Policy: q.Name(), Verdict: policy.Allow, Reason: fmt.Sprintf(
			"the operation is outside the quarter closes (day %d of Mar, Jun, Sep and Dec to day %d of the next month) in %s",
			q.from, q.to, q.loc)}
	}
	var reason string
	q.closes(blocked[0].Start, blocked[0].End, func(k quarter, iv policy.Interval) {
		reason = fmt.Sprintf("%s is in the close of %s (%s to %s) in %s", blocked[0].Start.In(q.loc).Format(layout),
			k, iv.Start.Format(layout), iv.End.Format(layout), q.loc)
	})
	d := policy.Decision{Policy: q.Name(), Verdict: policy.Deny}
	// The next start this calendar alone allows: NextSlot of a Set that
	// holds only this calendar, which reads Blocked, never Evaluate.
	next, err := policy.Set{q}.NextSlot(ctx, policy.Change{Start: c.Start, Duration: c.Duration}, 2*366*24*time.Hour)
	if err == nil {
		d.Next = next.In(q.loc)
		reason += "; allowed again from " + d.Next.Format(layout)
	} else {
		reason += "; no allowed start within two years"
	}
	d.Reason = reason
	return d
}
