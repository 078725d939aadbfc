package policy

import (
	"context"
	"strings"
	"time"
)

// RequireGo returns the go/no-go rule R9: the operation starts only on a GO
// from someone in role (compared without regard to case). Its name is
// "require-go:" + role.
//
// Only approvals given at or before c.Now count (undated ones always do).
// Among those, each person's latest decision for the role replaces their
// earlier ones; a decision dated after c.Now replaces nothing yet. Then:
//
//   - any No-Go: Deny, even beside a GO from someone else;
//   - at least one GO: Allow;
//   - none yet: Warn while c.Now is before c.Start, Deny from the start on.
func RequireGo(role string) Policy {
	return &requireGo{role: role, name: "require-go:" + role}
}

type requireGo struct{ role, name string }

func (p *requireGo) Name() string { return p.name }

func (p *requireGo) Evaluate(_ context.Context, c Change) Decision {
	now := c.now()
	var goBy string
	for i, a := range c.Approvals {
		if !p.counts(a, now) || !p.latest(c.Approvals, i, now) {
			continue
		}
		if !a.Go {
			r := "No-Go from " + p.role + " by " + a.By
			if !a.At.IsZero() {
				r += " at " + formatLocal(a.At, c.Start.Location())
			}
			if a.Reason != "" {
				r += ": " + a.Reason
			}
			return Decision{Policy: p.name, Verdict: Deny, Reason: r}
		}
		if goBy == "" {
			goBy = a.By
		}
	}
	if goBy != "" {
		return Decision{Policy: p.name, Verdict: Allow, Reason: "GO from " + p.role + " by " + goBy}
	}
	if now.Before(c.Start) {
		return Decision{Policy: p.name, Verdict: Warn, Reason: "waiting for the GO from " + p.role}
	}
	return Decision{Policy: p.name, Verdict: Deny, Reason: "no GO from " + p.role}
}

// counts reports whether approval a is for this role and given by now.
func (p *requireGo) counts(a Approval, now time.Time) bool {
	return strings.EqualFold(a.Role, p.role) && (a.At.IsZero() || !a.At.After(now))
}

// latest reports whether as[i] is its author's latest counted decision for
// the role: a later one (by At, then by position) replaces it, but only if
// it counts at now itself.
func (p *requireGo) latest(as []Approval, i int, now time.Time) bool {
	a := as[i]
	for j, b := range as {
		if j == i || b.By != a.By || !p.counts(b, now) {
			continue
		}
		if b.At.After(a.At) || (b.At.Equal(a.At) && j > i) {
			return false
		}
	}
	return true
}
