package fleet

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/policy"
)

// Kind says why two rollouts, or a rollout and a blackout, conflict.
type Kind uint8

// Kinds of conflict.
const (
	SharedResource       Kind = iota + 1 // both touch the resource On
	ExclusiveEnvironment                 // both run in the exclusive environment On
	SamePerson                           // On is in both go-live teams
	Blackout                             // the rollout runs in a blackout of its resource On
)

var kindNames = [...]string{"", "shared resource", "exclusive environment", "same person", "blackout"}

// String returns "shared resource", "exclusive environment", "same
// person" or "blackout".
func (k Kind) String() string {
	if int(k) < len(kindNames) && k > 0 {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", k)
}

// Rules say what conflicts besides shared resources and people, who
// always do. The zero Rules check resources and people only.
type Rules struct {
	// Exclusive lists the environments where no two rollouts may
	// overlap ("prod"). Environments compare without regard to case, as
	// policy scopes compare them: "Prod" and "prod" are one.
	Exclusive []string
	// Blackouts are times when a resource must not change.
	Blackouts []ResourceBlackout
}

// ResourceBlackout is a calendar of times when the resource Resource
// ("database:billing", as [mep.Resource.Key] writes it) must not change:
// a rollout that touches it and runs while the calendar blocks
// conflicts.
type ResourceBlackout struct {
	Resource string
	Calendar policy.Calendar
}

// Conflict is two active rollouts whose planned spans overlap and that
// share something, or one rollout that runs in a blackout of a resource
// it touches (B is then zero). Span is the overlap: of the two rollouts,
// or of the rollout and the blackout.
type Conflict struct {
	Kind Kind
	A, B Entry  // A starts first (or, at the same instant, by project and rollout)
	On   string // the resource key, environment, person, or (Blackout) the resource key
	// Blackout names the blackout's calendar; empty otherwise.
	Blackout string
	Span     policy.Interval
}

// String describes the conflict for people, in A's T0 location, e.g.
// "billing/v3 and payments/v7 (team Pay) share database:billing,
// 21:00-22:40 CET".
func (c Conflict) String() string {
	loc := c.A.T0.Location()
	if c.Kind == Blackout {
		return fmt.Sprintf("%s runs in the blackout %s of %s, %s", c.A.ID(), c.Blackout, c.On, span(c.Span, loc))
	}
	return fmt.Sprintf("%s (team %s) and %s (team %s): %s %s, %s", c.A.ID(), c.A.Team, c.B.ID(), c.B.Team, c.Kind, c.On, span(c.Span, loc))
}

// span formats iv as "Tue 10 Mar 21:00-22:40 CET", with the end's date
// when it falls on another day.
func span(iv policy.Interval, loc *time.Location) string {
	s, e := iv.Start.In(loc), iv.End.In(loc)
	y1, m1, d1 := s.Date()
	y2, m2, d2 := e.Date()
	if y1 != y2 || m1 != m2 || d1 != d2 {
		return s.Format("Mon 2 Jan 15:04 MST") + "-" + e.Format("Mon 2 Jan 15:04 MST")
	}
	return s.Format("Mon 2 Jan 15:04") + "-" + e.Format("15:04 MST")
}

// Interval returns the span the schedule plans the rollout with:
// [Start, End).
func (e *Entry) Interval() policy.Interval { return policy.Interval{Start: e.Start(), End: e.End()} }

// spanOf returns the span the snapshot plans e with ([Entry.Interval]);
// a cutover still running at the snapshot's At past its planned end is
// taken to run until [DefaultSpan] after At: its end is not known, and
// it still holds what it touches.
func (s *Snapshot) spanOf(e *Entry) policy.Interval {
	iv := e.Interval()
	if e.Status == report.Running && e.Ended.IsZero() && !s.At.IsZero() && !iv.End.After(s.At) {
		iv.End = s.At.Add(DefaultSpan)
	}
	return iv
}

// overran reports whether e is a cutover still running at the
// snapshot's At past its planned end.
func (s *Snapshot) overran(e *Entry) bool { return !s.spanOf(e).End.Equal(e.End()) }

// Conflicts returns the conflicts between the snapshot's active
// rollouts under r, sorted by the start of their span, then by A, B,
// kind and On. Spans are compared as instants, so that zones, DST
// changes and midnight play no part. A cutover still running at the
// snapshot's At past its planned end is taken to run until DefaultSpan
// after At.
func (s *Snapshot) Conflicts(r Rules) []Conflict {
	act := s.Active()
	slices.SortFunc(act, func(a, b Entry) int {
		return cmp.Or(a.Start().Compare(b.Start()), cmp.Compare(a.ID(), b.ID()))
	})
	var out []Conflict
	for i := range act {
		a := &act[i]
		ia := s.spanOf(a)
		for j := i + 1; j < len(act) && act[j].Start().Before(ia.End); j++ {
			b := &act[j]
			if ov, ok := overlap(ia, s.spanOf(b)); ok {
				out = pairConflicts(out, a, b, ov, r)
			}
		}
		out = blackoutConflicts(out, a, ia, r)
	}
	slices.SortStableFunc(out, func(x, y Conflict) int {
		return cmp.Or(x.Span.Start.Compare(y.Span.Start), cmp.Compare(x.A.ID(), y.A.ID()), cmp.Compare(x.B.ID(), y.B.ID()),
			cmp.Compare(x.Kind, y.Kind), cmp.Compare(x.On, y.On))
	})
	return out
}

// overlap returns the common part of a and b, if not empty.
func overlap(a, b policy.Interval) (policy.Interval, bool) {
	iv := policy.Interval{Start: later(a.Start, b.Start), End: earlier(a.End, b.End)}
	return iv, iv.Start.Before(iv.End)
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

func earlier(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// exclusive reports whether r makes env exclusive.
func (r *Rules) exclusive(env string) bool {
	return slices.ContainsFunc(r.Exclusive, func(e string) bool { return strings.EqualFold(e, env) })
}

// shared returns what a and b share under r, by kind.
func shared(a, b *Entry, r Rules, fn func(Kind, string)) {
	for _, x := range a.Resources {
		for _, y := range b.Resources {
			if x.Kind == y.Kind && x.Name == y.Name {
				fn(SharedResource, x.Key())
			}
		}
	}
	if a.Environment != "" && strings.EqualFold(a.Environment, b.Environment) && r.exclusive(a.Environment) {
		fn(ExclusiveEnvironment, a.Environment)
	}
	for _, p := range a.People {
		if slices.Contains(b.People, p) {
			fn(SamePerson, p)
		}
	}
}

func pairConflicts(out []Conflict, a, b *Entry, ov policy.Interval, r Rules) []Conflict {
	shared(a, b, r, func(k Kind, on string) {
		out = append(out, Conflict{Kind: k, A: *a, B: *b, On: on, Span: ov})
	})
	return out
}

func blackoutConflicts(out []Conflict, a *Entry, ia policy.Interval, r Rules) []Conflict {
	for _, bo := range r.Blackouts {
		if bo.Calendar == nil || !touches(a, bo.Resource) {
			continue
		}
		for _, iv := range bo.Calendar.Blocked(ia.Start, ia.End) {
			out = append(out, Conflict{Kind: Blackout, A: *a, On: bo.Resource, Blackout: bo.Calendar.Name(), Span: iv})
		}
	}
	return out
}

// touches reports whether e declares the resource of that key.
func touches(e *Entry, key string) bool {
	return slices.ContainsFunc(e.Resources, func(x mep.Resource) bool { return x.Key() == key })
}
