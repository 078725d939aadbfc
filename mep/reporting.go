package mep

import (
	"strconv"
	"time"

	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// Report gathers what the rollout and its project know at now into one
// report model, to render as Markdown, HTML or JSON: the project's phase
// and history (left out for a project that runs rollouts only), the last
// go/no-go decision with its reasons and votes, the readiness checklist,
// the cutover's timeline against the rehearsal and the estimate, the
// drift while the cutover runs, the actions (open, overdue and closed)
// and the lessons. Every fact comes from one state of the project. Times
// are shown in T0's location.
func (r *Rollout) Report(now time.Time) *report.Report {
	var rep *report.Report
	r.with(func(st *state, ro *rollout) { rep = ro.report(st, r.p, now.Round(0)) })
	return rep
}

// stillHolds makes d, the report of a GO decided for a cutover not
// started yet, say what a start would meet now when the GO no longer
// holds on the record's facts (a No-Go voted since, an item failed): the
// verdict they give, the reason first (R9). The record keeps the GO.
func (ro *rollout) stillHolds(st *state, now time.Time, d *report.Decision) {
	if ro.decided.Verdict != Go || ro.started || ro.rollback != nil {
		return
	}
	s, err := ro.standing(st, latest(now, st.now), ro.t0)
	if err == nil && s.Verdict == Go {
		return
	}
	why := "the record's options do not read"
	if err == nil {
		d.Verdict, why = s.Verdict.String(), reasonStrings(s.Reasons)[0]
	} else {
		d.Verdict = report.Undecided
	}
	loc := ro.t0.Location()
	d.Reasons = append([]string{"the GO decided at " + ro.decided.At.In(loc).Format("2006-01-02 15:04 MST") + " no longer holds: " + why}, d.Reasons...)
}

func (ro *rollout) report(st *state, p *Project, now time.Time) *report.Report {
	loc := ro.t0.Location()
	rep := &report.Report{
		Title:     "Go-live report: " + st.name,
		Project:   st.name,
		Rollout:   ro.name,
		Generated: now,
		Location:  loc,
	}
	if !st.rolloutsOnly {
		rep.Phase = st.phase.String()
		for _, t := range st.transitions {
			rep.Phases = append(rep.Phases, report.PhaseChange{From: t.From.String(), To: t.To.String(), By: t.By, Reason: t.Reason, At: t.At})
		}
	}
	d := ro.debrief(st, now)
	v := d.Decision
	rep.Decision = report.Decision{Verdict: v.Verdict.String(), Reasons: append(reasonStrings(v.Reasons), prefixed("warning: ", reasonStrings(v.Warnings))...), At: v.At}
	ro.stillHolds(st, now, &rep.Decision)
	for _, vote := range ro.votes {
		rep.Votes = append(rep.Votes, report.Vote{Role: vote.Role.String(), By: vote.By, Go: vote.Verdict == Go, Reason: vote.Reason, At: vote.At, Digest: vote.Digest})
	}
	if o := d.Override; o != nil {
		rep.Overrides = append(rep.Overrides, "overridden by "+o.By+": "+o.Reason)
		for _, od := range d.Overridden {
			rep.Overrides = append(rep.Overrides, od.String())
		}
	}
	rep.Checklist = report.ChecklistFrom(ro.readiness, now)

	rep.Actual = d.Actual
	if ro.finished == nil {
		// While the cutover runs, the steps still open count up to now:
		// the outage so far, marked ongoing (Summary.Ongoing).
		rep.Actual = timeline.SummarizeAt(ro.steps, now)
	}
	for i, s := range ro.runbook {
		es := report.Step{ID: s.ID, Title: s.Title, Owner: s.Owner, Impact: s.Impact, Expected: d.Expected.Steps[i]}
		if sf, ok := d.Expected.Forecast.Step(s.ID); ok {
			es.Min, es.Max, es.Runs = sf.Elapsed.Min, sf.Elapsed.Max, sf.Runs
		}
		rep.Steps = append(rep.Steps, es)
	}
	rep.Rehearsal, rep.Comparison = d.Baseline, d.Comparison
	dr := ro.drift(p, now)
	rep.T0, rep.PlannedEnd, rep.WindowEnd = ro.t0, dr.PlannedEnd, dr.WindowEnd
	rep.Estimate = report.Estimate{Duration: d.Expected.Total, Outage: d.Expected.Outage}
	if d.Baseline != nil {
		rep.Estimate.Disruption = d.Baseline.Disruption
	}
	// The outcome and the go-live's end, outage and time to restore are
	// the debrief's: one computation (rollout.result).
	rep.Outcome = d.Outcome
	res := d.Result
	rep.Result = &res
	rep.Risk = ro.reportRisk(st, d.Expected, dr.WindowEnd, res) // P50/P90 before, where the end fell
	if len(rep.Actual.Steps) > 0 && ro.finished == nil && res.End.IsZero() {
		elapsed := now.Sub(dr.Started)
		// Behind() is then the drift's delay: how much later than planned
		// the cutover is expected to end.
		rep.Drift = &report.Drift{At: now, Elapsed: elapsed, Expected: elapsed - dr.Delay, ExpectedEnd: dr.ExpectedEnd}
	}

	rep.Actions = actionsOf(st, now)
	rep.Lessons = ro.lessonsOf(st, d.Lessons)
	for _, n := range ro.notes {
		rep.Notes = append(rep.Notes, report.Note{At: n.At, By: n.By, Text: n.Text})
	}
	if rb := d.RolledBack; rb != nil {
		rep.Notes = append(rep.Notes, report.Note{At: rb.At, By: rb.By, Text: "rollback decided: " + rb.Text})
		rep.Notes = append(rep.Notes, ro.rollbackNotes(d.RollbackSteps)...)
	}
	return rep
}

// rollbackNotes says what each rollback step did, at its end (or its
// start while it runs): the report's timeline holds the forward steps
// only.
func (ro *rollout) rollbackNotes(rb timeline.Summary) []report.Note {
	notes := make([]report.Note, 0, len(rb.Steps))
	for _, sp := range rb.Steps {
		s := ro.runbook[ro.index[sp.Step]]
		text := "rollback of " + s.ID
		if s.Rollback != "" {
			text += " (" + s.Rollback + ")"
		}
		n := report.Note{At: sp.Start, By: sp.Actor, Text: text + ": running"}
		if !sp.Open {
			n.At, n.Text = sp.End, text+": "+sp.Outcome.String()+" after "+timeline.FormatDuration(sp.Duration)
		}
		notes = append(notes, n)
	}
	return notes
}

// actionsOf returns the project's actions as the report lists them at now.
func actionsOf(st *state, now time.Time) []report.Action {
	var out []report.Action
	for _, a := range st.actions {
		title := ""
		if a.Meeting > 0 {
			title = st.meetings[a.Meeting-1].Title
		}
		out = append(out, report.Action{
			ID: strconv.Itoa(a.ID), Title: a.Title, Owner: a.Owner, Status: a.Status.String(), Due: a.Due,
			Overdue: a.isOverdue(now), Meeting: title,
		})
	}
	return out
}

// lessonsOf returns the lessons as the rollout's report lists them.
func (ro *rollout) lessonsOf(st *state, taught []Lesson) []report.Lesson {
	var out []report.Lesson
	// Earlier lessons first, with whether this rollout applied them (R12),
	// then those this rollout taught.
	for _, l := range st.lessons {
		if l.From != ro.name {
			rl := report.Lesson{ID: strconv.Itoa(l.ID), Text: l.Text, Action: l.Action, From: l.From}
			for _, a := range l.Applied {
				if a.Rollout == ro.name {
					rl.Applied, rl.AppliedBy, rl.AppliedAt = true, a.By, a.At
				}
			}
			out = append(out, rl)
		}
	}
	for _, l := range taught {
		out = append(out, report.Lesson{ID: strconv.Itoa(l.ID), Text: l.Text, Action: l.Action, From: ro.name})
	}
	return out
}

func prefixed(p string, s []string) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = p + x
	}
	return out
}
