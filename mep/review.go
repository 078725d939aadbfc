package mep

import (
	"cmp"
	"slices"
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
	"github.com/mepkit/mepkit/mep/report"
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
	// Outcome is where the rollout stands, as its report's headline says
	// it, and Result how the go-live ended for its users: its one end,
	// duration, outage and time to restore, whatever the outcome (see
	// [report.Result]); Duration and Outage compare these with the
	// estimate. The report, the drift and the history give the same.
	Outcome report.Outcome
	Result  report.Result
}

// Debrief returns the facts of the rollout as they stand at the
// project's clock, for the post-deployment meeting of the [Review] phase,
// from one state of the project.
func (r *Rollout) Debrief() Debrief {
	var d Debrief
	r.with(func(st *state, ro *rollout) { d = ro.debrief(st, r.p.now()) })
	return d
}

func (ro *rollout) debrief(st *state, now time.Time) Debrief {
	actual := timeline.Summarize(ro.steps)
	est := ro.estimate()
	out, res := ro.result(now)
	rv := Debrief{
		Rollout:  ro.name,
		Decision: ro.decided.clone(),
		Actual:   actual,
		Expected: est,
		Duration: timeline.Delta{Baseline: est.Total, Actual: res.Duration},
		Outage:   timeline.Delta{Baseline: est.Outage, Actual: res.Outage},
		Outcome:  out,
		Result:   res,
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

// result is where the rollout stands at now and how its go-live ended for
// its users, as [report.Result] defines it: the one computation of a
// rollout's end, duration, outage and time to restore, which the debrief,
// the report, the drift and the history share.
//
// The outcome is RolledBack once a rollback is decided; otherwise Planned
// before any step started, Running until [Switchover.Finish] (a failed step
// then awaits a retry or a rollback: the record has no fact that abandons
// a cutover), then Failed when some step's last attempt failed and was
// not accepted ([Switchover.Accept]), Done otherwise.
//
// A go-live ends when it is finished, like a done one: a rolled-back one
// at the end of its last rollback step (the rollback decision when nothing
// was to roll back), the others at their last recorded step end. A step
// whose last attempt failed, or was still running when the rollback was
// decided, left users as it affects them until the rollback ended: its
// interval runs from its start to that end.
func (ro *rollout) result(now time.Time) (report.Outcome, report.Result) {
	fw, rb := timeline.Summarize(ro.steps), timeline.Summarize(ro.rbSteps)
	out := ro.outcome(fw)
	var res report.Result
	if out == report.Planned {
		return out, res
	}
	res.End = ro.end(out, fw, rb)
	at := res.End
	if at.IsZero() {
		// Not over: the steps still open count up to now.
		at = now
		fw, rb = timeline.SummarizeAt(ro.steps, now), timeline.SummarizeAt(ro.rbSteps, now)
		res.Ongoing = fw.Ongoing || rb.Ongoing
	}
	spans := append(slices.Clone(fw.Steps), rb.Steps...)
	if ro.rollback != nil {
		last := make(map[string]int, len(fw.Steps)) // each step's last forward attempt
		for i, sp := range fw.Steps {
			last[sp.Step] = i
		}
		for _, i := range last {
			sp := &spans[i]
			if (sp.Open || sp.Outcome == timeline.Failed) && at.After(sp.Start) {
				sp.End, sp.Open = at, false // the service stayed as the step left it
			}
		}
	}
	all := timeline.Summary{Steps: spans}
	res.Outage, res.Disruption = total(all.Periods(timeline.Outage)), total(all.Periods(timeline.Disruption))
	end := res.End
	if end.IsZero() {
		end = latest(fw.End, rb.End)
	}
	res.Duration = end.Sub(fw.Start)
	if out == report.RolledBack && !res.End.IsZero() {
		from := ro.rollback.At
		for _, e := range ro.steps {
			if e.Kind == timeline.KindEnd && e.Outcome == timeline.Failed && e.At.Before(from) {
				from = e.At
				break
			}
		}
		if res.End.After(from) {
			res.TimeToRestore = res.End.Sub(from)
		}
	}
	return out, res
}

// outcome is where the rollout stands, fw the summary of its cutover's
// steps.
func (ro *rollout) outcome(fw timeline.Summary) report.Outcome {
	switch {
	case ro.rollback != nil:
		return report.RolledBack
	case len(fw.Steps) == 0:
		return report.Planned
	case fw.Open > 0, ro.finished == nil:
		return report.Running
	}
	last := make(map[string]timeline.Outcome, len(fw.Steps))
	for _, sp := range fw.Steps {
		last[sp.Step] = sp.Outcome
	}
	for id, o := range last {
		if _, ok := ro.accepted[id]; o == timeline.Failed && !ok {
			return report.Failed
		}
	}
	return report.Done
}

// end is when the go-live ended, by its outcome: the last step's end when
// done or failed; for a rollback, once finished, the end of its last step
// (the decision when nothing was to roll back); zero otherwise.
func (ro *rollout) end(out report.Outcome, fw, rb timeline.Summary) time.Time {
	switch out {
	case report.Done, report.Failed:
		return fw.End
	case report.RolledBack:
		if ro.finished == nil {
			return time.Time{} // the rollback runs
		}
		if len(rb.Steps) == 0 {
			return latest(fw.End, ro.rollback.At)
		}
		return latest(fw.End, rb.End)
	}
	return time.Time{}
}

// latest returns the later of a and b.
func latest(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// total returns the time the periods cover; they do not overlap. It
// saturates at the longest duration rather than wrap to a negative one,
// which any limit on an outage would let pass.
func total(periods []timeline.Period) time.Duration {
	var d time.Duration
	for _, p := range periods {
		d = timespan.Add(d, p.End.Sub(p.Start))
	}
	return d
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
