package mep

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// Proposal is the rollout's answer to "when can we go live?".
type Proposal struct {
	// Duration is what must fit: the larger of the estimate plus the
	// margin and the duration at Quantile of the cutovers simulated from
	// the rehearsals.
	Duration time.Duration
	// Quantile is the share of the simulated cutovers that must end in
	// the window: 0.9 (the P90), or more when the policies hold a
	// policy.FitAt that asks for more.
	Quantile float64
	// Slots are the earliest starts, at or after the requested one, at
	// which the whole operation fits every calendar policy; one per free
	// window, in order.
	Slots []time.Time
	// Fits are the decisions of policy.FitAt at each slot, in the order
	// of Slots: where the end falls at Quantile, when the window closes
	// and the chance to overrun it ("P90 end 22:05 CET, window ends
	// 23:30 CET (evenings); 0% chance to overrun").
	Fits []policy.Decision
	// Refused explains why the requested start itself was refused: the
	// decisions of the calendar policies that deny it (for the estimate
	// plus the margin), then that of policy.FitAt when the end at
	// Quantile does not fit. Empty when it was allowed.
	Refused []policy.Decision
}

// maxHorizon bounds how far Propose looks: ten years.
const maxHorizon = 10 * 366 * 24 * time.Hour

// Propose finds up to n starts at or after from, within horizon, where the
// cutover fits every calendar policy at the P90 of its durations simulated
// from the rehearsals (risk.Simulate; the quantile of a policy.FitAt in
// the policies, if higher) and with the estimate plus the margin, and no
// earlier than readiness allows when the policies hold a readiness window;
// it explains why from itself was refused. It returns a *FieldError when
// some step has no estimate (no rehearsal and no Expected), n < 1 or
// horizon over ten years, and
// an error wrapping policy.ErrNoSlot when no start fits within horizon.
func (r *Rollout) Propose(ctx context.Context, from time.Time, n int, horizon time.Duration) (Proposal, error) {
	if n < 1 {
		return Proposal{}, fieldErr("propose.n", fmt.Sprint(n), "less than 1")
	}
	if horizon > maxHorizon {
		// Each slot looks at the free windows up to the horizon: centuries
		// of them would take minutes.
		return Proposal{}, fieldErr("propose.horizon", horizon.String(), "over ten years")
	}
	var (
		est      Estimate
		c        policy.Change
		policies policy.Set
		loc      *time.Location
	)
	r.with(func(st *state, ro *rollout) {
		est = ro.estimate()
		current, _ := ro.countVotes(st, from)
		c = ro.change(st, from.Round(0), from.Round(0), est, current)
		policies = ro.policySet(r.p)
		loc = ro.t0.Location()
	})
	if len(est.Unknown) > 0 {
		return Proposal{}, fieldErr("runbook", fmt.Sprint(est.Unknown), "no expected duration: rehearse (R5) or set Step.Expected")
	}
	c.Start = from.Round(0)
	c.Now = c.Start
	p := Proposal{Quantile: fitQuantile(policies)}
	fit := policy.FitAt(p.Quantile, policies)
	p.Duration = max(c.Duration, c.Risk.Durations.Quantile(p.Quantile))

	// Why the requested start is refused: calendar denials only, since
	// votes and readiness are not about when, and the fit at the
	// quantile.
	calendars := make(policy.Set, 0, len(policies))
	for _, q := range policies {
		if _, ok := q.(policy.Calendar); ok {
			calendars = append(calendars, q)
		}
	}
	p.Refused = calendars.Evaluate(ctx, c).Denials()
	if d := fit.Evaluate(ctx, c); d.Verdict == policy.Deny {
		p.Refused = append(p.Refused, d)
	}
	// The slots are searched with the calendars and readiness only:
	// NextSlot honours every policy it is given, and a missing GO would
	// refuse every start.
	timed := calendars
	for _, q := range policies {
		if _, ok := policy.As[*policy.Readiness](q); ok {
			timed = append(timed, q)
		}
	}
	if err := p.search(ctx, timed, policies, fit, c, n, horizon, loc); err != nil {
		return p, err
	}
	if len(p.Slots) == 0 {
		return p, errorf("no start fits %s within %s of %s: %w",
			p.Duration, horizon, from.Format("2006-01-02 15:04 MST"), policy.ErrNoSlot)
	}
	return p, nil
}

// search appends to p's slots up to n starts within horizon of c.Start
// where p.Duration fits timed, one per free window of policies, and the
// fit's decision at each.
func (p *Proposal) search(ctx context.Context, timed, policies policy.Set, fit policy.Policy, c policy.Change, n int, horizon time.Duration, loc *time.Location) error {
	end := c.Start.Add(horizon)
	next := c
	next.Duration = p.Duration
	for len(p.Slots) < n {
		left := end.Sub(next.Start)
		if left < 0 {
			break
		}
		t, err := timed.NextSlot(ctx, next, left)
		if errors.Is(err, policy.ErrNoSlot) {
			break
		}
		if err != nil {
			return err
		}
		p.Slots = append(p.Slots, t.In(loc))
		at := c
		at.Start, at.Now = t, t
		p.Fits = append(p.Fits, fit.Evaluate(ctx, at))
		// The next proposal starts in the next free window.
		free := policies.Free(t, end)
		if len(free) == 0 || !free[0].End.Before(end) {
			break // the window runs to the horizon: no further one within it
		}
		next.Start = free[0].End
		next.Now = next.Start
	}
	return nil
}

// fitQuantile returns the quantile at which a proposed start must fit:
// 0.9, or the highest that a policy.FitAt of policies asks for.
func fitQuantile(policies policy.Set) float64 {
	q := 0.9
	for _, p := range policies {
		if f, ok := policy.As[*policy.Fit](p); ok {
			q = max(q, f.Q)
		}
	}
	return q
}
