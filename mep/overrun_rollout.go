package mep

import (
	"errors"
	"slices"
	"sync"
	"time"

	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/policy"
	sim "github.com/mepkit/mepkit/risk" // mep has a risk of its own: what policies see
	"github.com/mepkit/mepkit/timeline"
)

// Overrun simulates the rollout's cutover from its runbook and rehearsals
// with [risk.Simulate], and from the cutovers of the project's earlier
// go-lives of the same runbook, finished before T0, taken as production
// runs (R5: what the last go-live took weighs on the next): the distribution of its end and outage, and the
// chance to end after the window closes. A zero o.T0 is the rollout's
// T0; a zero o.WindowEnd is when the rollout's policies next block after
// T0, within a week (none: no window). It returns a *FieldError for
// invalid options.
func (r *Rollout) Overrun(o sim.Options) (sim.Overrun, error) {
	var runbook []Step
	var runs []sim.Run
	r.with(func(st *state, ro *rollout) {
		runbook, runs = slices.Clone(ro.runbook), st.simRuns(ro)
		if o.T0.IsZero() {
			o.T0 = ro.t0
		}
		if o.WindowEnd.IsZero() {
			o.WindowEnd = ro.windowEnd(r.p, o.T0)
		}
	})
	ov, err := sim.Simulate(riskRunbook(runbook), runs, o)
	return ov, riskErr(err)
}

// simRuns returns what the simulation of ro's cutover draws from: its
// rehearsals, and the cutovers of the project's earlier go-lives of the
// same runbook (the same steps) finished before ro's T0, as runs in
// production. R5's rehearsal against actual feeds the next estimate.
func (st *state) simRuns(ro *rollout) []sim.Run {
	runs := riskRuns(ro.rehearsals)
	for _, o := range st.rollouts {
		if o == ro || o.finished == nil || !o.finished.At.Before(ro.t0) || !sameSteps(o.runbook, ro.runbook) {
			continue
		}
		sum := timeline.Summarize(o.steps)
		atts := make([]sim.Attempt, 0, len(sum.Steps))
		for _, sp := range sum.Steps {
			atts = append(atts, sim.Attempt{Step: sp.Step, Start: sp.Start, End: sp.End,
				Failed: sp.Outcome == timeline.Failed, Open: sp.Open})
		}
		if len(atts) > 0 {
			runs = append(runs, sim.Run{Attempts: atts, ProductionLike: true})
		}
	}
	return runs
}

// sameSteps reports whether two runbooks have the same steps, in any
// order.
func sameSteps(a, b []Step) bool {
	if len(a) != len(b) {
		return false
	}
	ids := make(map[string]bool, len(a))
	for _, s := range a {
		ids[s.ID] = true
	}
	for _, s := range b {
		if !ids[s.ID] {
			return false
		}
	}
	return true
}

// durations returns the cutover's simulated durations (risk.Simulate
// with the default options), drawn when a policy first reads them: a
// decision pays for the simulation only when a policy, such as
// policy.FitAt, asks. It returns nil when some step has no estimate (est
// names it). The slices of a rollout only grow, so those it keeps are
// never written again.
func (ro *rollout) durations(st *state, est Estimate) policy.Distribution {
	if len(est.Unknown) > 0 {
		return nil
	}
	return &lazyDurations{runbook: ro.runbook, runs: st.simRuns(ro)}
}

// lazyDurations is a policy.Distribution drawn on first use. It is safe
// for simultaneous use by multiple goroutines.
type lazyDurations struct {
	once    sync.Once
	runbook []Step
	runs    []sim.Run
	d       sim.Distribution
}

func (l *lazyDurations) draw() {
	l.once.Do(func() {
		ov, err := sim.Simulate(riskRunbook(l.runbook), l.runs, sim.Options{})
		if err == nil { // a rollout's runbook is valid
			l.d = ov.Duration
		}
	})
}

// Quantile returns the duration that a share q of the simulated
// cutovers do not exceed.
func (l *lazyDurations) Quantile(q float64) time.Duration { l.draw(); return l.d.Quantile(q) }

// Above returns the share of the simulated cutovers longer than limit.
func (l *lazyDurations) Above(limit time.Duration) float64 { l.draw(); return l.d.Above(limit) }

// reportRisk returns the report's view of the overrun risk: the cutover
// simulated from the rehearsals (the default options, with fewer trials
// for a runbook of more than 200 steps, so that a report of 10,000 steps
// stays quick: at least 1,000), started at T0 against windowEnd, and
// where the go-live's actual duration falls once res has an end. It is
// nil when some step has no estimate.
func (ro *rollout) reportRisk(st *state, est Estimate, windowEnd time.Time, res report.Result) *report.Risk {
	if len(est.Unknown) > 0 || len(ro.runbook) == 0 {
		return nil
	}
	o := sim.Options{Trials: min(sim.DefaultTrials, max(1000, 2_000_000/len(ro.runbook))), T0: ro.t0, WindowEnd: windowEnd}
	if !windowEnd.After(ro.t0) {
		o.WindowEnd = time.Time{}
	}
	ov, err := sim.Simulate(riskRunbook(ro.runbook), st.simRuns(ro), o)
	if err != nil {
		return nil // a rollout's runbook is valid
	}
	k := &report.Risk{Trials: ov.Trials, P50: ov.Duration.P50(), P90: ov.Duration.P90(), PastWindow: ov.PastWindow}
	if !res.End.IsZero() {
		k.Rank = 1 - ov.Duration.Above(res.Duration)
	}
	return k
}

// riskRunbook returns the runbook as package risk reads it.
func riskRunbook(runbook []Step) []sim.Step {
	out := make([]sim.Step, len(runbook))
	for i, s := range runbook {
		out[i] = sim.Step{ID: s.ID, DependsOn: s.DependsOn, Group: s.Group, Outage: s.Impact == timeline.Outage,
			Expected: s.Expected, Reversible: s.Rollback != ""}
	}
	return out
}

// riskRuns returns the rehearsals as package risk reads them: each
// step's attempts, as timed.
func riskRuns(rehearsals []RehearsalRun) []sim.Run {
	out := make([]sim.Run, len(rehearsals))
	for i, rh := range rehearsals {
		atts := make([]sim.Attempt, len(rh.Summary.Steps))
		for j, sp := range rh.Summary.Steps {
			atts[j] = sim.Attempt{Step: sp.Step, Start: sp.Start, End: sp.End,
				Failed: sp.Outcome == timeline.Failed, Open: sp.Open}
		}
		out[i] = sim.Run{Attempts: atts, ProductionLike: rh.ProductionLike, Rollback: rh.Rollback}
	}
	return out
}

// riskErr returns risk's *FieldError as mep's, and other errors as they
// are.
func riskErr(err error) error {
	if fe, ok := errors.AsType[*sim.FieldError](err); ok {
		return fieldErr(fe.Field, fe.Value, fe.Reason)
	}
	return err
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
