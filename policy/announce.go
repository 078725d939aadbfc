package policy

import (
	"context"
	"strings"
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// Announcement is the policy [Announce] returns: it warns about a change
// that ends shortly before a calendar starts blocking, so that the team
// knows an overrun or a rollback would run into the freeze. It never
// denies. Find it in a Set with [As].
type Announcement struct {
	// Lead is how long after the end of the operation a closing is
	// announced.
	Lead time.Duration

	set Set // the policies whose calendars it watches
}

// Announce returns a policy named "announce" that warns when a calendar of
// s starts blocking within lead after the end of the operation, [End,
// End+lead), saying which calendar, when, and how long from the decision
// (Change.Now):
//
//	WARN  announce: friday-freeze blocks go-lives from Fri 2026-11-27 00:00 CET, in 2h10m, 1h50m after the planned end of the operation: an overrun or a rollback would run into it
//
// It watches the calendars of s as [Set.NextSlot] does (scoped ones only
// for the changes in their scope); it copies s, so add it to the Set after
// the calendars: set = append(set, policy.Announce(3*time.Hour, set)). A
// closing during the operation is left to the calendar, which denies the
// change. Times are in [Change.Zone]. A lead that is not positive
// announces nothing.
func Announce(lead time.Duration, s Set) Policy {
	return &Announcement{Lead: lead, set: append(Set(nil), s...)}
}

// Name returns "announce".
func (a *Announcement) Name() string { return "announce" }

// Evaluate warns when a calendar closes within Lead after the operation.
func (a *Announcement) Evaluate(ctx context.Context, c Change) Decision {
	d := Decision{Policy: "announce", Verdict: Allow}
	if a.Lead <= 0 {
		d.Reason = "no lead: nothing announced"
		return d
	}
	_, end := c.span()
	if c.Duration <= 0 {
		end = c.Start.Round(0)
	}
	hi := end.Add(a.Lead)
	first, names := time.Time{}, []string(nil)
	for _, p := range a.set {
		if _, ok := p.(*Announcement); ok || p == nil {
			continue
		}
		cal, ok := calendarFor(p, c)
		if !ok {
			continue
		}
		ivs := cal.Blocked(end, hi)
		if len(ivs) == 0 {
			continue
		}
		t := ivs[0].Start
		if t.Equal(end) && blockedAt(cal, end) {
			// Under way at the end: the calendar denies the change itself.
			continue
		}
		switch {
		case first.IsZero() || t.Before(first):
			first, names = t, []string{p.Name()}
		case t.Equal(first):
			names = append(names, p.Name())
		}
	}
	if first.IsZero() {
		d.Reason = "no calendar closes within " + timespan.Short(a.Lead) + " after the operation"
		return d
	}
	loc := c.zone()
	d.Verdict = Warn
	verb := " blocks"
	if len(names) > 1 {
		verb = " block"
	}
	d.Reason = strings.Join(names, ", ") + verb + " go-lives from " + formatLocal(first, loc) + ", in " +
		roundShort(first.Sub(c.now())) + ", " + roundShort(first.Sub(end)) +
		" after the planned end of the operation: an overrun or a rollback would run into it"
	return d
}

// blockedAt reports whether c blocks the instant just before t, so that
// an interval of c that starts at t started earlier.
func blockedAt(c Calendar, t time.Time) bool {
	return len(c.Blocked(t.Add(-time.Nanosecond), t)) > 0
}

// roundShort writes d to the minute, or to the second below a minute.
func roundShort(d time.Duration) string {
	if d >= time.Minute || d <= -time.Minute {
		d = d.Round(time.Minute)
	}
	return timespan.Short(d)
}
