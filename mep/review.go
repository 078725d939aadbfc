package mep

import (
	"cmp"
	"slices"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// Debrief gathers the facts of a rollout for its post-deployment meeting
// (R12): durations and outage against the estimate, failed steps,
// overridden policies, a rollback, and the lessons recorded from it.
type Debrief struct {
	Rollout  string
	Decision Decision         // the last decision taken
	Actual   timeline.Summary // the cutover's steps
	Expected Estimate
	// Duration and Outage compare the estimate with the actual run.
	Duration, Outage timeline.Delta
	// Baseline is the rehearsal the estimate comes from (or the median
	// rehearsal by duration); nil without rehearsals. Comparison compares
	// the actual run with it, step by step.
	Baseline   *timeline.Summary
	Comparison *timeline.Comparison
	Failed     []timeline.Span   // attempts that ended Failed
	Skipped    map[string]string // steps skipped, with the reason
	Overridden []policy.Decision // denials lifted by a break-glass override
	Override   *policy.Override
	// RolledBack is the rollback's decision, nil without one, and
	// RollbackSteps the summary of the rollback steps.
	RolledBack    *Note
	RollbackSteps timeline.Summary
	Lessons       []Lesson // lessons learned from this rollout
	Unapplied     []Lesson // earlier lessons this rollout did not apply
}

// Debrief returns the facts of the rollout as they stand, for the
// post-deployment meeting of the [Review] phase, from one state of the
// project.
func (r *Rollout) Debrief() Debrief {
	var d Debrief
	r.with(func(st *state, ro *rollout) { d = ro.debrief(st) })
	return d
}

func (ro *rollout) debrief(st *state) Debrief {
	actual := timeline.Summarize(ro.steps)
	est := ro.estimate()
	rv := Debrief{
		Rollout:  ro.name,
		Decision: ro.decided,
		Actual:   actual,
		Expected: est,
		Duration: timeline.Delta{Baseline: est.Total, Actual: actual.Duration},
		Outage:   timeline.Delta{Baseline: est.Outage, Actual: actual.Outage},
	}
	if len(ro.skipped) > 0 {
		rv.Skipped = make(map[string]string, len(ro.skipped))
		for k, v := range ro.skipped {
			rv.Skipped[k] = v
		}
	}
	var runs []timeline.Summary
	for _, rh := range ro.rehearsals {
		if !rh.Rollback {
			runs = append(runs, rh.Summary)
		}
	}
	if base := baselineRun(est.Basis, runs); base != nil {
		c := timeline.Compare(*base, actual)
		rv.Baseline, rv.Comparison = base, &c
	}
	for _, sp := range actual.Steps {
		if !sp.Open && sp.Outcome == timeline.Failed {
			rv.Failed = append(rv.Failed, sp)
		}
	}
	for _, pd := range rv.Decision.Policy.Decisions {
		if pd.Overridden {
			rv.Overridden = append(rv.Overridden, pd)
		}
	}
	rv.Override = rv.Decision.Policy.Override
	if rb := ro.rollback; rb != nil {
		rv.RolledBack = &Note{At: rb.At, By: rb.By, Text: rb.Reason, Rollout: ro.name}
		rv.RollbackSteps = timeline.Summarize(ro.rbSteps)
	}
	for _, l := range st.lessons {
		if l.From == ro.name {
			rv.Lessons = append(rv.Lessons, l.clone())
		}
	}
	rv.Unapplied = st.unapplied(ro.name)
	return rv
}

// baselineRun returns the rehearsal a cutover is compared with: the basis
// of the estimate, or else the median of runs; nil without either.
func baselineRun(basis *RehearsalRun, runs []timeline.Summary) *timeline.Summary {
	if basis != nil {
		b := basis.Summary
		return &b
	}
	if len(runs) == 0 {
		return nil
	}
	b := medianRun(runs)
	return &b
}

// medianRun returns the rehearsal whose duration is the median (the lower
// middle one for an even count): a real run to compare step by step.
func medianRun(runs []timeline.Summary) timeline.Summary {
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b timeline.Summary) int { return cmp.Compare(a.Duration, b.Duration) })
	return sorted[(len(sorted)-1)/2]
}

// Learn records a lesson from this rollout's review, with the action that
// applies it (R12): shorthand for Project().Lessons().Learn.
func (r *Rollout) Learn(text, action, by string) (Lesson, error) {
	return r.p.Lessons().Learn(r.name, text, action, by, r.p.now())
}
