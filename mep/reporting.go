package mep

import (
	"strconv"
	"time"

	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// Report gathers what the rollout and its project know at now into one
// report model, to render as Markdown, HTML or JSON: the project's phase
// and history, the last go/no-go decision with its reasons and votes, the
// readiness checklist, the cutover's timeline against the rehearsals and
// the estimate, the drift while the cutover runs, the actions (open,
// overdue and closed) and the lessons. Times are shown in T0's location.
func (r *Rollout) Report(now time.Time) *report.Report {
	now = now.Round(0)
	p := r.p
	loc := r.T0().Location()
	rep := &report.Report{
		Title:     "Go-live report: " + p.Name(),
		Project:   p.Name(),
		Rollout:   r.name,
		Generated: now,
		Location:  loc,
		Phase:     p.Phase().String(),
	}
	for _, t := range p.Transitions() {
		rep.Phases = append(rep.Phases, report.PhaseChange{From: t.From.String(), To: t.To.String(), By: t.By, Reason: t.Reason, At: t.At})
	}

	d := r.Debrief()
	v := d.Decision
	rep.Decision = report.Decision{Verdict: v.Decision.String(), Reasons: v.Reasons, At: v.At}
	for _, vote := range r.Votes() {
		rep.Votes = append(rep.Votes, report.Vote{Role: vote.Role, By: vote.By, Go: vote.Go, Reason: vote.Reason, At: vote.At, Digest: vote.Digest})
	}
	if o := d.Override; o != nil {
		rep.Overrides = append(rep.Overrides, "overridden by "+o.By+": "+o.Reason)
		for _, od := range d.Overridden {
			rep.Overrides = append(rep.Overrides, od.String())
		}
	}
	rep.Checklist = report.ChecklistFrom(r.readiness, now)

	rep.Actual = d.Actual
	for i, s := range r.runbook {
		es := report.Step{ID: s.ID, Title: s.Title, Owner: s.Owner, Impact: s.Impact, Expected: d.Expected.Steps[i]}
		if sf, ok := d.Expected.Forecast.Step(s.ID); ok {
			es.Min, es.Max, es.Runs = sf.Elapsed.Min, sf.Elapsed.Max, sf.Runs
		}
		rep.Steps = append(rep.Steps, es)
	}
	rep.Rehearsal, rep.Comparison = d.Baseline, d.Comparison
	dr := r.Drift(now)
	rep.T0, rep.PlannedEnd, rep.WindowEnd = r.T0(), dr.PlannedEnd, dr.WindowEnd
	rep.Estimate = report.Estimate{Duration: d.Expected.Total, Outage: d.Expected.Outage}
	if d.Baseline != nil {
		rep.Estimate.Disruption = d.Baseline.Disruption
	}
	switch {
	case len(rep.Actual.Steps) == 0:
		rep.Outcome = report.Planned
	case !rep.Actual.IsComplete():
		rep.Outcome = report.Running
	default:
		rep.Outcome = report.Done
	}
	if len(rep.Actual.Steps) > 0 && !rep.Actual.IsComplete() {
		elapsed := now.Sub(dr.Started)
		// Behind() is then the drift's delay: how much later than planned
		// the cutover is expected to end.
		rep.Drift = &report.Drift{At: now, Elapsed: elapsed, Expected: elapsed - dr.Delay, ExpectedEnd: dr.ExpectedEnd}
	}

	meetings := map[int]string{}
	for _, m := range p.Tracker().Meetings() {
		meetings[m.ID] = m.Title
	}
	for _, a := range p.Tracker().Actions() {
		rep.Actions = append(rep.Actions, report.Action{
			ID: strconv.Itoa(a.ID), Title: a.Title, Owner: a.Owner, Status: a.Status.String(), Due: a.Due,
			Overdue: a.IsOverdue(now), Meeting: meetings[a.Meeting],
		})
	}
	// Earlier lessons first, with whether this rollout applied them (R12),
	// then those this rollout taught.
	for _, l := range p.Lessons() {
		if l.From != r.name {
			rl := report.Lesson{ID: strconv.Itoa(l.ID), Text: l.Text, Action: l.Action, From: l.From}
			for _, a := range l.Applied {
				if a.Rollout == r.name {
					rl.Applied, rl.AppliedBy, rl.AppliedAt = true, a.By, a.At
				}
			}
			rep.Lessons = append(rep.Lessons, rl)
		}
	}
	for _, l := range d.Lessons {
		rep.Lessons = append(rep.Lessons, report.Lesson{ID: strconv.Itoa(l.ID), Text: l.Text, Action: l.Action, From: r.name})
	}
	for _, e := range r.journal.Entries() {
		if e.Kind == timeline.KindNote && e.Text != "" {
			rep.Notes = append(rep.Notes, report.Note{At: e.At, By: e.Actor, Text: e.Text})
		}
	}
	return rep
}
