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
func (q *Quorum) Evaluate(_ context.Context, c Change) Decision {
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
			r := "No-Go from " + q.Role + " by " + a.By
			if !a.At.IsZero() {
				r += " at " + formatLocal(a.At, c.Zone())
			}
			if a.Reason != "" {
				r += ": " + a.Reason
			}
			return Decision{Policy: name, Verdict: Deny, Reason: r}
		}
		if strings.TrimSpace(a.By) != "" {
			goes = append(goes, strings.TrimSpace(a.By))
		}
	}
	if len(goes) >= need {
		r := "GO from " + q.Role + " by " + strings.Join(goes, ", ")
		if need > 1 {
			r += " (" + strconv.Itoa(len(goes)) + " of the " + strconv.Itoa(need) + " needed)"
		}
		return Decision{Policy: name, Verdict: Allow, Reason: r}
	}
	if need == 1 {
		if now.Before(c.Start) {
			return Decision{Policy: name, Verdict: Warn, Reason: "waiting for the GO from " + q.Role}
		}
		return Decision{Policy: name, Verdict: Deny, Reason: "no GO from " + q.Role}
	}
	missing := need - len(goes)
	r := strconv.Itoa(missing) + " of the " + strconv.Itoa(need) + " GOs from " + q.Role + " still missing"
	if len(goes) > 0 {
		r += " (GO so far by " + strings.Join(goes, ", ") + ")"
	}
	if now.Before(c.Start) {
		return Decision{Policy: name, Verdict: Warn, Reason: "waiting: " + r}
	}
	return Decision{Policy: name, Verdict: Deny, Reason: "no quorum: " + r}
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
