package policy

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"
)

// Scope selects the changes a policy applies to, as Argo CD and Octopus
// scope their windows: changes to one of Environments (compared without
// regard to case; empty: any environment) that carry every label of Labels
// with the same value (empty: no label needed). The zero Scope selects
// every change.
type Scope struct {
	Environments []string          `json:"environments,omitempty"`
	Labels       map[string]string `json:"labels,omitempty"`
}

// Matches reports whether c is in the scope.
func (s Scope) Matches(c Change) bool { return s.mismatch(&c) == "" }

// mismatch says why c is out of scope, or returns "" when it is in.
func (s Scope) mismatch(c *Change) string {
	if len(s.Environments) > 0 && !slices.ContainsFunc(s.Environments, func(e string) bool { return strings.EqualFold(e, c.Environment) }) {
		if c.Environment == "" {
			return "the change names no environment"
		}
		return "the change is for " + c.Environment
	}
	for _, k := range slices.Sorted(maps.Keys(s.Labels)) {
		v, ok := c.Labels[k]
		switch {
		case !ok:
			return "the change has no label " + k
		case v != s.Labels[k]:
			return "the change has " + k + "=" + v
		}
	}
	return ""
}

// String describes the scope for people, e.g.
// "environment production or staging, label tier=gold"; "every change" for
// the zero Scope.
func (s Scope) String() string {
	var parts []string
	if len(s.Environments) > 0 {
		w := "environment "
		if len(s.Environments) > 1 {
			w = "environments "
		}
		parts = append(parts, w+strings.Join(s.Environments, " or "))
	}
	if len(s.Labels) > 0 {
		w := "label "
		if len(s.Labels) > 1 {
			w = "labels "
		}
		ls := make([]string, 0, len(s.Labels))
		for _, k := range slices.Sorted(maps.Keys(s.Labels)) {
			ls = append(ls, k+"="+s.Labels[k])
		}
		parts = append(parts, w+strings.Join(ls, " and "))
	}
	if len(parts) == 0 {
		return "every change"
	}
	return strings.Join(parts, ", ")
}

// Scoped returns p applied only to the changes in scope s. A change in
// scope gets p's decision; any other change gets Allow, with a reason
// saying it is out of scope and why, and the rule of p when p is a policy
// of this package (a [Func]'s rule is known only from its decisions).
// Every reason states the scope, e.g.
// "... [scope: environment production]". The scope is copied.
//
// A scoped [Calendar] is not a Calendar itself (whether it blocks depends
// on the change), so [Set.Blocked], [Set.Free] and [Set.WriteICS] leave it
// out; [Set.NextSlot] honours it for the changes in scope. The result's
// Unwrap method returns p; its name is p's. Scoped panics if p is nil.
func Scoped(s Scope, p Policy) Policy {
	if p == nil {
		panic("policy: wrapping a nil Policy")
	}
	s = Scope{Environments: slices.Clone(s.Environments), Labels: maps.Clone(s.Labels)}
	return &scoped{scope: s, p: p, name: p.Name(), tag: " [scope: " + s.String() + "]", rule: ruleOf(p)}
}

type scoped struct {
	scope Scope
	p     Policy
	name  string
	tag   string // " [scope: ...]", added to every reason
	rule  Rule   // the rule of p, for the changes out of scope
}

func (s *scoped) Name() string { return s.name }

// Unwrap returns the scoped policy.
func (s *scoped) Unwrap() Policy { return s.p }

func (s *scoped) Evaluate(ctx context.Context, c Change) Decision {
	return alone(ctx, s, &c)
}

func (s *scoped) eval(ctx context.Context, c *Change, d *Decision, b []byte) []byte {
	if why := s.scope.mismatch(c); why != "" {
		b = append(b, "out of scope: "...)
		b = append(b, why...)
		b = append(b, s.tag...)
		*d = Decision{Policy: s.name, Rule: s.rule, Verdict: Allow}
		return b
	}
	n := len(b)
	b = evaluate(ctx, s.p, c, d, b)
	if d.Policy == "" {
		d.Policy = s.name
	}
	if len(b) == n { // the reason is a string: copy it, then the tag
		b = append(b, d.Reason...)
		d.Reason = ""
	}
	return append(b, s.tag...)
}

// earliestStart passes the readiness constraint through for NextSlot, for
// changes in scope.
func (s *scoped) earliestStart(c Change) (time.Time, bool) {
	if e, ok := s.p.(earliester); ok && s.scope.Matches(c) {
		return e.earliestStart(c)
	}
	return time.Time{}, false
}

// calendarFor returns the calendar by which p constrains the start of c in
// [Set.NextSlot]: p itself when it is a Calendar, or the calendar within a
// [Scoped] policy when c is in its scope. User wrappers are not looked
// into: what they do with the calendar is theirs.
func calendarFor(p Policy, c Change) (Calendar, bool) {
	for {
		switch q := p.(type) {
		case Calendar:
			return q, true
		case *wrapped:
			p = q.p
		case *scoped:
			if !q.scope.Matches(c) {
				return nil, false
			}
			p = q.p
		default:
			return nil, false
		}
	}
}
