package mep

import (
	"time"

	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// StepDrift compares one runbook step with its estimate.
type StepDrift struct {
	Step     Step
	Expected time.Duration
	Elapsed  time.Duration // so far, over every attempt; 0 if not started
	Running  bool
	Ended    bool             // done, or failed with nothing running
	Skipped  bool             // skipped with a reason
	Outcome  timeline.Outcome // of the last attempt, once Ended
	// Owed is what the step still owes of its estimate: a pending step its
	// estimate, a running one what is left of it, a failed one its whole
	// estimate again (a retry or a rollback is due).
	Owed time.Duration
	// Late is how far the step is behind its estimate: Elapsed - Expected
	// when positive, 0 otherwise.
	Late time.Duration
}

// Drift is how a running cutover compares with its estimate (R5), so the
// team knows early when it will overrun its window.
type Drift struct {
	At          time.Time
	Started     time.Time     // the first step's start; zero before
	PlannedEnd  time.Time     // Started (or T0) + the estimate
	ExpectedEnd time.Time     // at the current pace: now + what the steps still owe
	Delay       time.Duration // ExpectedEnd - PlannedEnd: positive when late
	Steps       []StepDrift   // in runbook order
	Failed      []string      // steps whose last attempt failed: a retry or a rollback is due
	// Rollback is how long rolling back would take, from a rehearsed
	// rollback, while the point of no return is not passed; 0 otherwise.
	Rollback time.Duration
	// RollingBack reports that a rollback was decided.
	RollingBack bool
	// WindowEnd is when the policies' calendars next block, after the
	// start: the end of the window the cutover must fit in. Zero when no
	// calendar blocks within a week.
	WindowEnd time.Time
	// Overrun reports that ExpectedEnd is past WindowEnd.
	Overrun bool
	// Outage and Disruption are what users went through so far: the
	// outage and disruption steps' time, steps still running counted up
	// to At (timeline.SummarizeAt); Ongoing reports that some are.
	Outage, Disruption time.Duration
	Ongoing            bool
	// Outcome is where the rollout stands and Ended when its go-live
	// ended, zero while it runs: the same as its report's and its
	// debrief's ([report.Result]). Once it ended, ExpectedEnd is Ended,
	// and Outage and Disruption are those of the whole go-live, rollback
	// included.
	Outcome report.Outcome
	Ended   time.Time
	// DecisionPoint is the latest moment to decide a rollback that still
	// ends before the window closes, or the point of no return once
	// passed, as [Switchover.DecisionPoint] computes it at At.
	DecisionPoint DecisionPoint
}

// String says in one sentence where the cutover stands.
func (d Drift) String() string {
	if !d.Ended.IsZero() && (d.Outcome == report.RolledBack || d.Outcome == report.Failed) {
		return d.endedString()
	}
	if d.Started.IsZero() {
		return "not started; expected end " + d.ExpectedEnd.Format("15:04 MST")
	}
	s := "on time"
	switch {
	case d.Delay > 0:
		s = timeline.FormatDuration(d.Delay) + " late"
	case d.Delay < 0:
		s = timeline.FormatDuration(-d.Delay) + " ahead"
	}
	s += "; expected end " + d.ExpectedEnd.Format("15:04 MST") + " (planned " + d.PlannedEnd.Format("15:04 MST") + ")"
	for _, f := range d.Failed {
		s += "; " + f + " failed: a retry or a rollback is due"
	}
	if d.RollingBack {
		s += "; rolling back"
	} else if d.Rollback > 0 {
		s += "; a rollback would take " + timeline.FormatDuration(d.Rollback)
	}
	if d.Overrun {
		s += "; OVERRUNS the window, which ends at " + d.WindowEnd.Format("15:04 MST")
	}
	if d.Ongoing && d.Outage > 0 {
		s += "; users cut off for " + timeline.FormatDuration(d.Outage) + " so far (ongoing)"
	}
	if dp := d.DecisionPoint; !dp.Ended && !dp.RollingBack && (!dp.DecideBy.IsZero() || dp.NoReturn != "") {
		s += "; " + dp.String()
	}
	return s
}

// endedString says how a go-live that was rolled back or failed ended.
func (d Drift) endedString() string {
	s := "rolled back"
	if d.Outcome == report.Failed {
		s = "failed"
	}
	s += "; ended " + d.Ended.Format("15:04 MST") + " (planned " + d.PlannedEnd.Format("15:04 MST") + ")"
	if d.Outcome == report.Failed {
		s += ", the last recorded step's end"
	}
	for _, f := range d.Failed {
		s += "; " + f + " failed: a retry or a rollback is due"
	}
	if d.Outage > 0 {
		s += "; users cut off for " + timeline.FormatDuration(d.Outage)
	}
	return s
}

// Drift compares the cutover's progress at now with the estimate, step by
// step: ended steps count as they took, a running step at least as long as
// it has run, a failed step owes its estimate again, pending steps their
// estimate. Its DecisionPoint is the rollout's at now: String then says
// when to decide a rollback ("decide by 22:58 CET: after that a rollback
// (P90 20m) ends past the window, ..."), or that the point of no return
// is passed.
func (c Switchover) Drift(now time.Time) Drift {
	dp, d := c.r.driftPoint(now.Round(0))
	d.DecisionPoint = dp
	return d
}

func (ro *rollout) drift(p *Project, now time.Time) Drift {
	est := ro.estimate()
	loc := ro.t0.Location()
	out, res := ro.result(now)
	d := Drift{At: now, RollingBack: ro.rollback != nil, Outcome: out, Ended: res.End}
	if !res.End.IsZero() {
		d.Ended = res.End.In(loc)
	}
	by := ro.attempts(&d)
	var remaining time.Duration
	for i, step := range ro.runbook {
		sd := StepDrift{Step: step, Expected: est.Steps[i]}
		_, sd.Skipped = ro.skipped[step.ID]
		if a := by[step.ID]; a != nil {
			sd.Running, sd.Ended, sd.Outcome = a.running, a.ended, a.outcome
			sd.Elapsed = a.elapsed
			if a.running {
				sd.Elapsed = now.Sub(a.first)
			}
		}
		if sd.Elapsed > sd.Expected {
			sd.Late = sd.Elapsed - sd.Expected
		}
		switch {
		case sd.Skipped:
		case sd.Ended && sd.Outcome == timeline.Failed && ro.rollback == nil:
			sd.Owed = sd.Expected // a retry is due
			d.Failed = append(d.Failed, step.ID)
		case sd.Ended:
		case sd.Running:
			sd.Owed = max(sd.Expected-sd.Elapsed, 0)
		default:
			if ro.rollback == nil {
				sd.Owed = sd.Expected
			}
		}
		remaining += sd.Owed
		d.Steps = append(d.Steps, sd)
	}
	if ro.pastNoReturn() == "" && ro.rollback == nil {
		d.Rollback = est.Rollback
	}
	begin := d.Started
	if begin.IsZero() {
		begin = ro.t0
	}
	d.PlannedEnd = begin.Add(est.Total).In(loc)
	from := now
	if d.Started.IsZero() && ro.t0.After(now) {
		from = ro.t0
	}
	d.ExpectedEnd = from.Add(remaining).In(loc)
	d.Outage, d.Disruption, d.Ongoing = res.Outage, res.Disruption, res.Ongoing
	s := timeline.SummarizeAt(ro.steps, now)
	switch {
	case !d.Ended.IsZero():
		d.ExpectedEnd = d.Ended // over: it ended when it ended
	case !d.Started.IsZero() && remaining == 0 && s.IsComplete():
		d.ExpectedEnd = s.End.In(loc) // every step ended, not finished yet
	}
	d.Delay = d.ExpectedEnd.Sub(d.PlannedEnd)
	if d.WindowEnd = ro.windowEnd(p, begin); !d.WindowEnd.IsZero() {
		d.Overrun = d.ExpectedEnd.After(d.WindowEnd)
	}
	return d
}

// stepAgg is what the cutover's attempts say of one step.
type stepAgg struct {
	first   time.Time
	elapsed time.Duration
	running bool
	ended   bool
	outcome timeline.Outcome
}

// attempts folds the cutover's attempts by step, and sets d.Started to
// the first start.
func (ro *rollout) attempts(d *Drift) map[string]*stepAgg {
	by := make(map[string]*stepAgg)
	for _, e := range ro.steps {
		a := by[e.Step]
		if e.Kind == timeline.KindStart {
			if a == nil {
				a = &stepAgg{first: e.At}
				by[e.Step] = a
			}
			if d.Started.IsZero() || e.At.Before(d.Started) {
				d.Started = e.At
			}
			a.running, a.ended = true, false
			continue
		}
		a.running, a.ended, a.outcome = false, true, e.Outcome
		a.elapsed = e.At.Sub(a.first)
	}
	return by
}
