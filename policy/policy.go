package policy

import (
	"context"
	"time"
)

// Policy decides about a change. Implementations must be safe for
// concurrent use and must not block; Evaluate should honour ctx when it
// does real work (a network call in a user policy, say).
type Policy interface {
	// Name identifies the policy in decisions, e.g. "friday-freeze".
	Name() string
	// Evaluate returns the policy's decision about c.
	Evaluate(ctx context.Context, c Change) Decision
}

// Func returns a Policy named name that calls fn. A Decision returned with
// an empty Policy field gets name. Func panics if fn is nil.
func Func(name string, fn func(context.Context, Change) Decision) Policy {
	if fn == nil {
		panic("policy: Func with nil function")
	}
	return &funcPolicy{name: name, fn: fn}
}

type funcPolicy struct {
	name string
	fn   func(context.Context, Change) Decision
}

func (p *funcPolicy) Name() string { return p.name }

func (p *funcPolicy) Evaluate(ctx context.Context, c Change) Decision {
	d := p.fn(ctx, c)
	if d.Policy == "" {
		d.Policy = p.name
	}
	return d
}

// Mandatory returns p marked as mandatory: its denials cannot be
// overridden by a break-glass [Override]. When p is a [Calendar], so is the
// result. Mandatory panics if p is nil.
func Mandatory(p Policy) Policy {
	return wrap(p, "", true)
}

// IsMandatory reports whether p was wrapped by [Mandatory].
func IsMandatory(p Policy) bool {
	w, ok := p.(interface{ isMandatory() bool })
	return ok && w.isMandatory()
}

// Named returns p under another name, e.g. to tell apart two windows. When p
// is a [Calendar], so is the result; mandatory stays mandatory. Named panics
// if p is nil.
func Named(name string, p Policy) Policy {
	return wrap(p, name, false)
}

func wrap(p Policy, name string, mandatory bool) Policy {
	if p == nil {
		panic("policy: wrapping a nil Policy")
	}
	if w, ok := p.(interface{ unwrap() *wrapped }); ok {
		in := *w.unwrap()
		if name != "" {
			in.name = name
		}
		in.mandatory = in.mandatory || mandatory
		p = in.p
		name, mandatory = in.name, in.mandatory
	}
	if name == "" {
		name = p.Name()
	}
	w := wrapped{p: p, name: name, mandatory: mandatory}
	if c, ok := p.(Calendar); ok {
		return &wrappedCalendar{wrapped: w, cal: c}
	}
	return &w
}

// wrapped carries a new name or the mandatory mark around a policy.
type wrapped struct {
	p         Policy
	name      string
	mandatory bool
}

func (w *wrapped) Name() string      { return w.name }
func (w *wrapped) isMandatory() bool { return w.mandatory }
func (w *wrapped) unwrap() *wrapped  { return w }

func (w *wrapped) Evaluate(ctx context.Context, c Change) Decision {
	d := w.p.Evaluate(ctx, c)
	d.Policy = w.name
	return d
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

// earliester is implemented by policies that bound the earliest start of a
// change regardless of the calendar ([ReadinessWindow]).
type earliester interface {
	earliestStart(c Change) (time.Time, bool)
}
