package policy

import (
	"context"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// Fit is the policy [FitAt] returns: the operation must fit its window
// not only as estimated but at a quantile of its simulated durations.
// Find it in a Set with [As], to read the quantile a set requires.
type Fit struct {
	// Q is the quantile whose end must fit, between 0 and 1: 0.9 for
	// "nine cutovers in ten end in the window".
	Q float64

	set Set // the policies whose calendars bound the window
}

// FitAt returns a policy named "fit-p90" (for q = 0.9; "fit-p95" for
// 0.95) that denies a change whose end at the quantile q of its
// simulated durations, Start + c.Risk.Durations.Quantile(q), falls past
// the start of the first interval that a calendar of s blocks after
// Start: the close of its window. Every reason gives the chance to
// overrun, the share of the simulated runs longer than the window:
//
//	DENY  fit-p90: P90 end 23:42 CET, window ends 23:30 CET (evenings); 14% chance to overrun (R5)
//	ALLOW fit-p90: P90 end 23:12 CET, window ends 23:30 CET (evenings); 4% chance to overrun
//
// It watches the calendars of s as [Set.NextSlot] does (scoped ones only
// for the changes in their scope), up to the end of the longest run or a
// day after Start, whichever is later; it
// copies s, so add it to the Set after the calendars: set = append(set,
// policy.FitAt(0.9, set)). Without c.Risk.Durations it warns that the
// fit is not known. Times are in [Change.Zone]. The rule it enforces is
// R5: the rehearsals predict how long the go-live takes. A denial's Next
// is the earliest start at which the quantile fits the calendars, within
// a year, so that [Set.NextSlot] with a FitAt in the set finds the start
// where the quantile fits. It panics if q is not in (0, 1], a
// programmer's error.
func FitAt(q float64, s Set) Policy {
	if !(q > 0 && q <= 1) {
		panic(fmt.Sprintf("policy: FitAt(%v): the quantile is not in (0, 1]", q))
	}
	return &Fit{Q: q, set: append(Set(nil), s...)}
}

// Label returns the quantile as people write it: "P90", "P95", "P99.9".
func (f *Fit) Label() string {
	return "P" + strconv.FormatFloat(math.Round(f.Q*1e6)/1e4, 'f', -1, 64)
}

// Name returns "fit-" and the lower-case Label: "fit-p90".
func (f *Fit) Name() string { return "fit-" + strings.ToLower(f.Label()) }

// Evaluate denies a change whose end at the quantile falls past its
// window's close; see [FitAt].
func (f *Fit) Evaluate(ctx context.Context, c Change) Decision {
	d := Decision{Policy: f.Name(), Rule: R5, Verdict: Allow}
	dist := c.Risk.Durations
	if dist == nil {
		d.Verdict = Warn
		d.Reason = "the duration at " + f.Label() + " is not known: simulate the rehearsals (R5) to know whether the operation fits its window"
		return d
	}
	loc := c.zone()
	start := c.Start.Round(0)
	dq := max(dist.Quantile(f.Q), 0)
	end := start.Add(dq)
	close, names := f.closes(c, start, start.Add(max(dq, dist.Quantile(1), closeHorizon)))
	var b strings.Builder
	b.WriteString(f.Label() + " end " + clock(end, start, loc))
	if close.IsZero() {
		b.WriteString("; no window closes before the longest run ends, nor within a day: 0% chance to overrun")
		d.Reason = b.String()
		return d
	}
	chance := dist.Above(close.Sub(start))
	b.WriteString(", window ends " + clock(close, start, loc) + " (" + strings.Join(names, ", ") + "); " +
		percent(chance) + " chance to overrun")
	if end.After(close) {
		d.Verdict = Deny
		d.Next = f.next(ctx, c, start, dq)
		b.WriteString("; start earlier, shorten the runbook or ask for a longer window")
	}
	d.Reason = b.String()
	return d
}

// fitHorizon is how far after the start a denial looks for the next
// start at which the quantile fits.
const fitHorizon = 366 * 24 * time.Hour

// next returns the earliest start after start, within fitHorizon, at
// which an operation of d meets no calendar of the set for c: the
// Decision.Next of a denial, which [Set.NextSlot] follows. Zero when
// there is none.
func (f *Fit) next(ctx context.Context, c Change, start time.Time, d time.Duration) time.Time {
	var cals Set
	for _, p := range f.set {
		if p == nil {
			continue
		}
		if cal, ok := calendarFor(p, c); ok {
			cals = append(cals, cal)
		}
	}
	moved := c
	moved.Start, moved.Duration = start, d
	t, err := cals.NextSlot(ctx, moved, fitHorizon)
	if err != nil || !t.After(start) {
		return time.Time{}
	}
	return t
}

// closeHorizon is how far after the start the close of a window is
// looked for, beside the longest run, to say when it is.
const closeHorizon = 24 * time.Hour

// closes returns when the first calendar of the set for c starts
// blocking within [from, to), and its names; the zero time if none.
func (f *Fit) closes(c Change, from, to time.Time) (time.Time, []string) {
	var first time.Time
	var names []string
	for _, p := range f.set {
		if p == nil {
			continue
		}
		if _, ok := As[*Fit](p); ok {
			continue
		}
		cal, ok := calendarFor(p, c)
		if !ok {
			continue
		}
		ivs := cal.Blocked(from, to)
		if len(ivs) == 0 {
			continue
		}
		t := ivs[0].Start
		if t.Before(from) {
			t = from
		}
		switch {
		case first.IsZero() || t.Before(first):
			first, names = t, []string{p.Name()}
		case t.Equal(first):
			names = append(names, p.Name())
		}
	}
	return first, names
}

// clock writes t in loc, to the nearest minute: the time of day when t
// falls on start's date there, else the date too.
func clock(t, start time.Time, loc *time.Location) string {
	t, start = t.Round(time.Minute).In(loc), start.In(loc)
	if y, m, d := t.Date(); start.Year() == y && start.Month() == m && start.Day() == d {
		return t.Format("15:04 MST")
	}
	return t.Format("Mon 2006-01-02 15:04 MST")
}

// percent writes a chance between 0 and 1 as a whole percentage, saying
// "<1%" and ">99%" rather than rounding a risk away.
func percent(p float64) string {
	switch {
	case p == 0:
		return "0%"
	case p < 0.01:
		return "<1%"
	case p > 0.99 && p < 1:
		return ">99%"
	}
	return strconv.FormatFloat(math.Round(100*p), 'f', 0, 64) + "%"
}
