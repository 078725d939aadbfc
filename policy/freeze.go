package policy

import (
	"context"
	"time"
)

// Freeze returns a one-off freeze of the real-time interval [from, to), for
// a release freeze, a client's busy season or a year-end. Reasons use the
// location of from. If to is not after from, the freeze blocks nothing.
// For a freeze given as local dates, use [Date.In] to find the first
// instant of each day.
func Freeze(name string, from, to time.Time) Calendar {
	from, to = from.Round(0), to.Round(0)
	return &freeze{name: name, iv: Interval{from, to.In(from.Location())},
		allow: "the operation is outside the freeze " + formatLocal(from, from.Location()) + " to " + formatLocal(to, from.Location())}
}

type freeze struct {
	name  string
	iv    Interval
	allow string // the reason of an Allow decision
}

func (f *freeze) Name() string { return f.name }

func (f *freeze) Evaluate(ctx context.Context, c Change) Decision {
	loc := f.iv.Start.Location()
	return calendarDecision(ctx, f, loc, c, f.allow, func(t time.Time) string {
		return formatLocal(t, loc) + " is in the freeze " + f.name + " (" + formatLocal(f.iv.Start, loc) + " to " + formatLocal(f.iv.End, loc) + ")"
	})
}

func (f *freeze) Blocked(from, to time.Time) []Interval { return f.appendBlocked(nil, from, to) }

func (f *freeze) appendBlocked(dst []Interval, from, to time.Time) []Interval {
	a, b := f.iv.Start, f.iv.End
	if from.After(a) {
		a = from.Round(0).In(a.Location())
	}
	if to.Before(b) {
		b = to.Round(0).In(a.Location())
	}
	if a.Before(b) {
		dst = append(dst, Interval{a, b})
	}
	return dst
}
