package mep

import (
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// Estimate is what the rollout expects of its cutover, from the runbook and
// the rehearsals (R5). Every view (the decision, the drift, the debrief,
// the report) uses this one estimate.
type Estimate struct {
	Steps    []time.Duration // expected duration of each runbook step, in order
	Total    time.Duration   // sum of Steps
	Outage   time.Duration   // expected user outage
	Unknown  []string        // steps with neither Expected nor a rehearsal
	Rollback time.Duration   // expected duration of a rollback, from a rehearsed rollback; 0: not rehearsed
	// Basis is the rehearsal the estimate comes from: the last
	// production-like rehearsal of the whole runbook; nil without one, the
	// estimate then falls back to the median of every rehearsal, and
	// Warning says so.
	Basis   *RehearsalRun
	Warning string
	// Forecast is what every rehearsal says, step by step.
	Forecast timeline.Forecast
}

// Estimate returns the expected durations (R5): each step's Expected, or
// else its time in the last production-like full rehearsal (its attempts
// summed), or, without such a rehearsal, the median of every rehearsal,
// with a warning. The expected outage is that rehearsal's outage, or,
// without one, the outage of the median rehearsal (by duration), the run
// the debrief and the report compare the cutover with; without any
// rehearsal, the sum of the outage steps' durations. The decision, the
// policies (policy.Change.Outage), the drift, the debrief and the report
// all use this one estimate.
func (r *Rollout) Estimate() Estimate {
	var e Estimate
	r.with(func(_ *state, ro *rollout) { e = ro.estimate() })
	return e
}

// estimate is cached until a rehearsal is added.
func (ro *rollout) estimate() Estimate {
	if ro.est != nil {
		return *ro.est
	}
	var change, rollback []timeline.Summary
	var basis *RehearsalRun
	for i := range ro.rehearsals {
		rh := &ro.rehearsals[i]
		if rh.Rollback {
			rollback = append(rollback, rh.Summary)
			continue
		}
		change = append(change, rh.Summary)
		// R5: the last rehearsal run, by when it ran, not by when it
		// was recorded.
		if rh.ProductionLike && !rh.Partial && (basis == nil || !rh.Summary.Start.Before(basis.Summary.Start)) {
			basis = rh
		}
	}
	f := timeline.Estimate(change...)
	e := Estimate{Forecast: f, Steps: make([]time.Duration, len(ro.runbook))}
	var totals map[string]time.Duration
	if basis != nil {
		b := *basis
		e.Basis = &b
		totals = map[string]time.Duration{}
		for _, st := range basis.Summary.StepTotals() {
			totals[st.Step] = st.Elapsed
		}
	} else if len(change) > 0 {
		e.Warning = "estimate: no production-like rehearsal of the whole runbook; the median of every rehearsal is used (R5)"
	}
	var outage time.Duration
	for i, s := range ro.runbook {
		d := s.Expected
		if d == 0 {
			if totals != nil {
				d = totals[s.ID]
			} else if sf, ok := f.Step(s.ID); ok && sf.Elapsed.N > 0 {
				d = sf.Elapsed.Median
			} else {
				e.Unknown = append(e.Unknown, s.ID)
			}
		}
		e.Steps[i] = d
		e.Total += d
		if s.Impact == timeline.Outage {
			outage += d
		}
	}
	e.Outage = outage
	if base := baselineRun(basis, change); base != nil {
		// The one expected outage: the run the estimate compares with,
		// the basis or else the median rehearsal, as the debrief and the
		// report compare the cutover with it.
		e.Outage = base.Outage
	}
	if len(rollback) > 0 {
		e.Rollback = rollback[len(rollback)-1].Duration
	}
	ro.est = &e
	return e
}

// withMargin returns d plus the rollout's margin.
func (ro *rollout) withMargin(d time.Duration) time.Duration {
	return d + time.Duration(float64(d)*ro.margin)
}
