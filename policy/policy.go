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
// an empty Policy field gets name. A Func policy that writes times in its
// reasons should write them in [Change.Zone]. Func panics if fn is nil.
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

// As finds the first policy of type T in p or in the policies p wraps,
// following every wrapper that has an Unwrap method returning a Policy
// ([Mandatory], [Named], [In], [Scoped], or a user's own), outermost
// first. It reports false when there is none or p is nil.
//
// It is how a program finds what a policy requires without matching names:
//
//	if r, ok := policy.As[*policy.Readiness](p); ok {
//		fmt.Println("ready", r.Lead, "ahead")
//	}
func As[T Policy](p Policy) (T, bool) {
	for p != nil {
		if t, ok := p.(T); ok {
			return t, true
		}
		u, ok := p.(interface{ Unwrap() Policy })
		if !ok {
			break
		}
		p = u.Unwrap()
	}
	var zero T
	return zero, false
}

// IsMandatory reports whether p, or a policy it wraps, was wrapped by
// [Mandatory].
func IsMandatory(p Policy) bool {
	for p != nil {
		if w, ok := p.(interface{ isMandatory() bool }); ok && w.isMandatory() {
			return true
		}
		u, ok := p.(interface{ Unwrap() Policy })
		if !ok {
			return false
		}
		p = u.Unwrap()
	}
	return false
}

// IsScoped reports whether p, or a policy it wraps, was wrapped by
// [Scoped]: whether it may leave some changes unchecked.
func IsScoped(p Policy) bool {
	_, ok := As[*scoped](p)
	return ok
}

// earliester is implemented by policies that bound the earliest start of a
// change regardless of the calendar ([ReadinessWindow]).
type earliester interface {
	earliestStart(c Change) (time.Time, bool)
}
