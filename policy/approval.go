package policy

import (
	"context"
	"strconv"
	"strings"
	"time"
)

// Quorum is the go/no-go rule R9, the policy [RequireGo] and
// [RequireQuorum] return: the operation starts only on a GO from Count
// distinct people in Role (the role compared without regard to case). Find
// it in a Set with [As]:
//
//	q, ok := policy.As[*policy.Quorum](p)
//
// Its name is "require-go:" + Role.
//
// Only approvals given at or before c.Now count (undated ones always do).
// Among those, each person's latest decision for the role replaces their
// earlier ones; a decision dated after c.Now replaces nothing yet. People
// are told apart by [Approval.By], trimmed and compared without regard to
// case; a GO without By is nobody's and does not count. Then:
//
//   - any No-Go: Deny, even beside GOs from others;
//   - at least Count GOs: Allow;
//   - fewer: Warn while c.Now is before c.Start, Deny from the start on;
//     the reason says how many GOs are still missing.
//
// A Count below 1 counts as 1: the zero Count asks for one GO. Times in
// reasons are in [Change.Zone]. Its methods take a pointer; it must not be
// changed once in use.
type Quorum struct {
	Role  string // e.g. "operations"
	Count int    // GOs needed from distinct people; below 1: 1

	name string // "require-go:" + Role, when made by RequireQuorum
}

// RequireGo returns the go/no-go rule R9 for one GO from someone in role:
// RequireQuorum(role, 1).
func RequireGo(role string) Policy { return RequireQuorum(role, 1) }

// RequireQuorum returns the go/no-go rule R9 for n GOs from distinct
// people in role, as a *[Quorum]: two operations engineers, say, for a
// change that no single person should start. An n below 1 counts as 1.
func RequireQuorum(role string, n int) Policy {
	return &Quorum{Role: role, Count: n, name: "require-go:" + role}
}

// Name returns "require-go:" + q.Role.
func (q *Quorum) Name() string {
	if q.name != "" {
		return q.name
	}
	return "require-go:" + q.Role
}

// Evaluate applies the rule to c.
func (q *Quorum) Evaluate(ctx context.Context, c Change) Decision {
	return alone(ctx, q, &c)
}

func (q *Quorum) eval(_ context.Context, c *Change, d *Decision, b []byte) []byte {
	name := q.Name()
	now := c.now()
	need := max(q.Count, 1)
	var buf [4]string
	goes := buf[:0]
	for i, a := range c.Approvals {
		if !q.counts(a, now) || !q.latest(c.Approvals, i, now) {
			continue
		}
		if !a.Go {
			b = append(b, "No-Go from "...)
			b = append(b, q.Role...)
			b = append(b, " by "...)
			b = append(b, a.By...)
			if !a.At.IsZero() {
				b = append(b, " at "...)
				b = appendLocal(b, a.At, c.zone())
			}
			if a.Reason != "" {
				b = append(b, ": "...)
				b = append(b, a.Reason...)
			}
			*d = Decision{Policy: name, Rule: R9, Verdict: Deny}
			return b
		}
		if by := strings.TrimSpace(a.By); by != "" {
			goes = append(goes, by)
		}
	}
	v := Allow
	switch {
	case len(goes) >= need:
		b = append(b, "GO from "...)
		b = append(b, q.Role...)
		b = append(b, " by "...)
		b = appendJoin(b, goes)
		if need > 1 {
			b = append(b, " ("...)
			b = strconv.AppendInt(b, int64(len(goes)), 10)
			b = append(b, " of the "...)
			b = strconv.AppendInt(b, int64(need), 10)
			b = append(b, " needed)"...)
		}
	case need == 1 && now.Before(c.Start):
		v = Warn
		b = append(b, "waiting for the GO from "...)
		b = append(b, q.Role...)
	case need == 1:
		v = Deny
		b = append(b, "no GO from "...)
		b = append(b, q.Role...)
	default:
		v = Deny
		if now.Before(c.Start) {
			v = Warn
			b = append(b, "waiting: "...)
		} else {
			b = append(b, "no quorum: "...)
		}
		b = strconv.AppendInt(b, int64(need-len(goes)), 10)
		b = append(b, " of the "...)
		b = strconv.AppendInt(b, int64(need), 10)
		b = append(b, " GOs from "...)
		b = append(b, q.Role...)
		b = append(b, " still missing"...)
		if len(goes) > 0 {
			b = append(b, " (GO so far by "...)
			b = appendJoin(b, goes)
			b = append(b, ')')
		}
	}
	*d = Decision{Policy: name, Rule: R9, Verdict: v}
	return b
}

// appendJoin appends the names, separated by ", ".
func appendJoin(b []byte, names []string) []byte {
	for i, n := range names {
		if i > 0 {
			b = append(b, ", "...)
		}
		b = append(b, n...)
	}
	return b
}

// counts reports whether approval a is for this role and given by now.
func (q *Quorum) counts(a Approval, now time.Time) bool {
	return strings.EqualFold(a.Role, q.Role) && (a.At.IsZero() || !a.At.After(now))
}

// latest reports whether as[i] is its author's latest counted decision for
// the role: a later one (by At, then by position) replaces it, but only if
// it counts at now itself. Approvals without By replace nothing.
func (q *Quorum) latest(as []Approval, i int, now time.Time) bool {
	a := as[i]
	by := strings.TrimSpace(a.By)
	if by == "" {
		return true
	}
	for j, b := range as {
		if j == i || !strings.EqualFold(strings.TrimSpace(b.By), by) || !q.counts(b, now) {
			continue
		}
		if b.At.After(a.At) || (b.At.Equal(a.At) && j > i) {
			return false
		}
	}
	return true
}
