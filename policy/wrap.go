package policy

import (
	"context"
	"time"
)

// Mandatory returns p marked as mandatory: its denials cannot be
// overridden by a break-glass [Override]. When p is a [Calendar], so is the
// result. The result's Unwrap method returns p. Mandatory panics if p is
// nil.
func Mandatory(p Policy) Policy {
	return wrap(p, "", true, nil)
}

// Named returns p under another name, e.g. to tell apart two windows. When p
// is a [Calendar], so is the result; mandatory stays mandatory. The result's
// Unwrap method returns p. Named panics if p is nil.
func Named(name string, p Policy) Policy {
	return wrap(p, name, false, nil)
}

// In returns p speaking in zone loc: p evaluates changes whose
// [Change.Location] is loc, so a policy without a zone of its own
// ([ReadinessWindow], [RequireGo], [MaxOutage], a [Func] that uses
// [Change.Zone]) writes the times of its reasons there. A [Calendar] keeps
// its own zone, and the result is a Calendar too; so does a policy that
// In already gave a zone. The result's Unwrap method returns p. In(nil, p)
// returns p unchanged; In panics if p is nil.
//
// Package policyfile wraps the zone-less policies of a file in In with the
// file's zone, so every reason of the Set it reads is in that zone.
func In(loc *time.Location, p Policy) Policy {
	if loc == nil {
		if p == nil {
			panic("policy: wrapping a nil Policy")
		}
		return p
	}
	return wrap(p, "", false, loc)
}

func wrap(p Policy, name string, mandatory bool, loc *time.Location) Policy {
	if p == nil {
		panic("policy: wrapping a nil Policy")
	}
	if w, ok := p.(interface{ wrapper() *wrapped }); ok {
		in := *w.wrapper()
		if name != "" {
			in.name = name
		}
		if in.loc == nil {
			in.loc = loc // a zone given before stays: the innermost speaks
		}
		in.mandatory = in.mandatory || mandatory
		p = in.p
		name, mandatory, loc = in.name, in.mandatory, in.loc
	}
	if name == "" {
		name = p.Name()
	}
	w := wrapped{p: p, name: name, mandatory: mandatory, loc: loc}
	if c, ok := p.(Calendar); ok {
		return &wrappedCalendar{wrapped: w, cal: c}
	}
	return &w
}

// wrapped carries a new name, the mandatory mark or a zone around a
// policy. Nested wraps fold into one.
type wrapped struct {
	p         Policy
	name      string
	mandatory bool
	loc       *time.Location // nil: the change's own
}

func (w *wrapped) Name() string      { return w.name }
func (w *wrapped) isMandatory() bool { return w.mandatory }
func (w *wrapped) wrapper() *wrapped { return w }

// Unwrap returns the wrapped policy.
func (w *wrapped) Unwrap() Policy { return w.p }

func (w *wrapped) Evaluate(ctx context.Context, c Change) Decision {
	return alone(ctx, w, &c)
}

func (w *wrapped) eval(ctx context.Context, c *Change, d *Decision, b []byte) []byte {
	if w.loc != nil && c.Location != w.loc {
		cc := *c
		cc.Location = w.loc
		c = &cc
	}
	b = evaluate(ctx, w.p, c, d, b)
	d.Policy = w.name
	return b
}

// earliestStart passes the readiness constraint through for NextSlot.
func (w *wrapped) earliestStart(c Change) (time.Time, bool) {
	if e, ok := w.p.(earliester); ok {
		return e.earliestStart(c)
	}
	return time.Time{}, false
}

type wrappedCalendar struct {
	wrapped
	cal Calendar
}

func (w *wrappedCalendar) Blocked(from, to time.Time) []Interval { return w.cal.Blocked(from, to) }

func (w *wrappedCalendar) appendBlocked(dst []Interval, from, to time.Time) []Interval {
	return appendBlocked(w.cal, dst, from, to)
}
