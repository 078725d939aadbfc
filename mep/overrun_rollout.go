package mep

import (
	"slices"
	"time"
)

// Overrun simulates the rollout's cutover from its runbook and rehearsals
// ([Simulate]): the distribution of its end and outage, and the chance
// to end after the window closes. A zero o.T0 is the rollout's T0; a zero
// o.WindowEnd is when the rollout's policies next block after T0, within
// a week (none: no window).
func (r *Rollout) Overrun(o SimOptions) (Overrun, error) {
	var runbook []Step
	var rehearsals []RehearsalRun
	r.with(func(st *state, ro *rollout) {
		runbook, rehearsals = slices.Clone(ro.runbook), slices.Clone(ro.rehearsals)
		if o.T0.IsZero() {
			o.T0 = ro.t0
		}
		if o.WindowEnd.IsZero() {
			o.WindowEnd = ro.windowEnd(r.p, o.T0)
		}
	})
	return Simulate(runbook, rehearsals, o)
}

// windowEnd returns when ro's policies next block after begin, within a
// week, or the zero time; begin itself when it is blocked.
func (ro *rollout) windowEnd(p *Project, begin time.Time) time.Time {
	blocked := ro.policySet(p).Blocked(begin, begin.Add(7*24*time.Hour))
	if len(blocked) == 0 {
		return time.Time{}
	}
	if !blocked[0].Start.After(begin) {
		return begin.In(ro.t0.Location())
	}
	return blocked[0].Start.In(ro.t0.Location())
}
