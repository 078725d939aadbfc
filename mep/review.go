package mep

import (
	"cmp"
	"slices"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// Debrief gathers the facts of a rollout for its post-deployment meeting
// (R12): durations and outage against the estimate, failed steps,
// overridden policies, and the lessons recorded from it.
type Debrief struct {
	Rollout  string
	Decision Verdict          // the last decision taken
	Actual   timeline.Summary // the cutover's steps
	Expected Estimate
	// Duration and Outage compare the estimate (Baseline) with the actual
	// run.
	Duration, Outage timeline.Delta
	// Baseline is the median rehearsal (by duration); nil without
	// rehearsals. Comparison compares the actual run with it, step by step.
	Baseline   *timeline.Summary
	Comparison *timeline.Comparison
	Failed     []timeline.Span   // attempts that ended Failed
	Overridden []policy.Decision // denials lifted by a break-glass override
	Override   *policy.Override
	Lessons    []Lesson // lessons learned from this rollout
	Unapplied  []Lesson // earlier lessons this rollout did not apply
}

// Debrief returns the facts of the rollout as they stand, for the
// post-deployment meeting of the [Review] phase.
func (r *Rollout) Debrief() Debrief {
	actual := r.Summary()
	est := r.Estimate()
	rv := Debrief{
		Rollout:  r.name,
		Decision: r.Decided(),
		Actual:   actual,
		Expected: est,
		Duration: timeline.Delta{Baseline: est.Total, Actual: actual.Duration},
		Outage:   timeline.Delta{Baseline: est.Outage, Actual: actual.Outage},
	}
	if rehearsals := r.p.Evidence().Rehearsals; len(rehearsals) > 0 {
		base := medianRun(rehearsals)
		c := timeline.Compare(base, actual)
		rv.Baseline, rv.Comparison = &base, &c
	}
	for _, sp := range actual.Steps {
		if !sp.Open && sp.Outcome == timeline.Failed {
			rv.Failed = append(rv.Failed, sp)
		}
	}
	for _, d := range rv.Decision.Policy.Decisions {
		if d.Overridden {
			rv.Overridden = append(rv.Overridden, d)
		}
	}
	rv.Override = rv.Decision.Policy.Override
	for _, l := range r.p.Lessons() {
		if l.From == r.name {
			rv.Lessons = append(rv.Lessons, l)
		}
	}
	rv.Unapplied = r.p.Unapplied(r.name)
	return rv
}

// medianRun returns the rehearsal whose duration is the median (the lower
// middle one for an even count): a real run to compare step by step.
func medianRun(runs []timeline.Summary) timeline.Summary {
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b timeline.Summary) int { return cmp.Compare(a.Duration, b.Duration) })
	return sorted[(len(sorted)-1)/2]
}

// Learn records a lesson from this rollout's review, with the action that
// applies it (R12). It is shorthand for Project().AddLesson with From set
// to the rollout's name.
func (r *Rollout) Learn(text, action, by string, at time.Time) (Lesson, error) {
	return r.p.AddLesson(LessonSpec{From: r.name, Text: text, Action: action, By: by, At: at})
}
