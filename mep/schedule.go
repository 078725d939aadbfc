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
	// Duration is what must fit: the estimate plus the margin.
	Duration time.Duration
	// Slots are the earliest starts, at or after the requested one, at
	// which the whole operation fits every calendar policy; one per free
	// window, in order.
	Slots []time.Time
	// Refused explains why the requested start itself was refused: the
	// decisions of the policies that deny it. Empty when it was allowed.
	Refused []policy.Decision
}

// maxHorizon bounds how far Propose looks: ten years.
const maxHorizon = 10 * 366 * 24 * time.Hour

// Propose finds up to n starts at or after from, within horizon, where the
// estimated duration of the cutover plus the margin fits every calendar
// policy (and, with a readiness window in the policies, no earlier than
// readiness allows), and explains why from itself was refused. It returns
// a *FieldError when some step has no estimate (no rehearsal and no
// Expected), n < 1 or horizon over ten years, and an error wrapping
// policy.ErrNoSlot when no start fits within horizon.
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
	p := Proposal{Duration: c.Duration}

	// Why the requested start is refused: calendar denials only, since
	// votes and readiness are not about when.
	calendars := make(policy.Set, 0, len(policies))
	for _, q := range policies {
		if _, ok := q.(policy.Calendar); ok {
			calendars = append(calendars, q)
		}
	}
	p.Refused = calendars.Evaluate(ctx, c).Denials()
	// The slots are searched with the calendars and readiness only:
	// NextSlot honours every policy it is given, and a missing GO would
	// refuse every start.
	timed := calendars
	for _, q := range policies {
		if _, ok := policy.As[*policy.Readiness](q); ok {
			timed = append(timed, q)
		}
	}

	end := c.Start.Add(horizon)
	next := c
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
			return p, err
		}
		p.Slots = append(p.Slots, t.In(loc))
		// The next proposal starts in the next free window.
		free := policies.Free(t, end)
		if len(free) == 0 || !free[0].End.Before(end) {
			break // the window runs to the horizon: no further one within it
		}
		next.Start = free[0].End
		next.Now = next.Start
	}
	if len(p.Slots) == 0 {
		return p, fmt.Errorf("mep: no start fits %s within %s of %s: %w",
			p.Duration, horizon, from.Format("2006-01-02 15:04 MST"), policy.ErrNoSlot)
	}
	return p, nil
}
