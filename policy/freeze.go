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
	loc := from.Location()
	f := &freeze{name: name, iv: Interval{from, to.In(loc)}}
	what := formatLocal(from, loc) + " to " + formatLocal(to, loc)
	f.allow = "the operation is outside the freeze " + what
	f.deny = " is in the freeze " + name + " (" + what + ") in " + loc.String()
	return f
}

type freeze struct {
	name  string
	iv    Interval
	allow string // the reason of an Allow decision
	deny  string // the reason of a denial, after the first blocked instant
}

func (f *freeze) Name() string { return f.name }

// Evaluate denies c when the freeze meets the operation; Next is then the
// end of the freeze, if it is at most five years after the start.
func (f *freeze) Evaluate(ctx context.Context, c Change) Decision {
	return alone(ctx, f, &c)
}

func (f *freeze) eval(_ context.Context, c *Change, d *Decision, b []byte) []byte {
	from, to := c.span()
	if !(f.iv.Start.Before(f.iv.End) && f.iv.Start.Before(to) && from.Before(f.iv.End)) {
		*d = Decision{Policy: f.name, Verdict: Allow, Reason: f.allow}
		return b
	}
	loc := f.iv.Start.Location()
	*d = Decision{Policy: f.name, Verdict: Deny}
	b = appendLocal(b, maxTime(from, f.iv.Start), loc)
	b = append(b, f.deny...)
	if f.iv.End.After(from.Add(nextHorizon)) {
		b = append(b, "; no allowed start within 5 years"...)
	} else {
		d.Next = f.iv.End
		b = append(b, "; allowed again from "...)
		b = appendLocal(b, d.Next, loc)
	}
	return b
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
