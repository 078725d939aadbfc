package mep

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// StartStep records that step id of the runbook starts, at the project's
// clock. The first step needs a Go decided (Decide) for the current T0, and
// that Go must still hold when the step starts: StartStep evaluates the
// rollout again for an operation starting now (a No-Go voted since, an
// item failed since, a start moved into a freeze all refuse it). Refused,
// it returns an error wrapping ErrNoGo with the reasons, and records
// nothing. It returns a *NotFoundError for a step that is not in the
// runbook, and the journal's error for a step already running.
func (r *Rollout) StartStep(id, by string) (timeline.Entry, error) {
	r.moveMu.Lock()
	defer r.moveMu.Unlock()
	r.mu.Lock()
	defer r.mu.Unlock()
	i, ok := r.index[id]
	if !ok {
		return timeline.Entry{}, &NotFoundError{What: "runbook step", Key: id}
	}
	now := r.p.now()
	if !r.started {
		switch {
		case r.decided.Decision != Go:
			return timeline.Entry{}, fmt.Errorf("%w: step %q cannot start; the decision is %s", ErrNoGo, id, r.decided.Decision)
		case !r.decided.T0.Equal(r.t0):
			return timeline.Entry{}, fmt.Errorf("%w: the GO was for another T0", ErrNoGo)
		}
		if v := r.evaluate(context.Background(), now, now); !v.IsGo() {
			return timeline.Entry{}, fmt.Errorf("%w: the GO no longer holds for a start at %s: %s",
				ErrNoGo, now.In(r.t0.Location()).Format("2006-01-02 15:04 MST"), v)
		}
	}
	s := r.runbook[i]
	e, err := r.journal.Record(timeline.Entry{
		At: now, Kind: timeline.KindStart, Step: id, Actor: by, Impact: s.Impact,
		Attrs: map[string]string{"kind": s.Kind.String()},
	})
	if err != nil {
		return e, err
	}
	r.started = true
	return e, nil
}

// EndStep records that the running attempt of step id ends with outcome,
// at the project's clock. For a test step, Done means passed. It returns
// a *NotFoundError for a step that is not in the runbook, and the
// journal's error for a step that is not running.
func (r *Rollout) EndStep(id, by string, outcome timeline.Outcome) (timeline.Entry, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if _, ok := r.index[id]; !ok {
		return timeline.Entry{}, &NotFoundError{What: "runbook step", Key: id}
	}
	return r.journal.Record(timeline.Entry{At: r.p.now(), Kind: timeline.KindEnd, Step: id, Actor: by, Outcome: outcome})
}

// Note records free text in the cutover's journal.
func (r *Rollout) Note(by, text string) (timeline.Entry, error) {
	return r.journal.Record(timeline.Entry{At: r.p.now(), Kind: timeline.KindNote, Actor: by, Text: text})
}

// Summary returns the summary of the cutover's journal: the steps only
// (votes and decisions are in the journal too, but a summary covers the
// steps: it runs from the first step's start to the last step's end).
func (r *Rollout) Summary() timeline.Summary {
	return summarizeSteps(r.journal.Entries())
}

// summarizeSteps summarises the start and end entries of a journal.
func summarizeSteps(entries []timeline.Entry) timeline.Summary {
	steps := entries[:0:0]
	for _, e := range entries {
		if e.Kind == timeline.KindStart || e.Kind == timeline.KindEnd {
			steps = append(steps, e)
		}
	}
	s := timeline.Summarize(steps)
	s.Entries = len(entries)
	return s
}

// Finish attaches the cutover's summary to the project's evidence (R10),
// for the gate out of Cutover. It returns an error while steps are still
// running.
func (r *Rollout) Finish() (timeline.Summary, error) {
	r.mu.Lock() // no step starts or ends meanwhile
	defer r.mu.Unlock()
	s := r.Summary()
	if !s.IsComplete() {
		var running []string
		for _, sp := range s.Steps {
			if sp.Open {
				running = append(running, sp.Step)
			}
		}
		return s, fmt.Errorf("mep: cutover not finished: %s still running", strings.Join(running, ", "))
	}
	r.p.SetCutover(s)
	return s, nil
}

// StepDrift compares one runbook step with its estimate.
type StepDrift struct {
	Step     Step
	Expected time.Duration
	Elapsed  time.Duration // so far, over every attempt; 0 if not started
	Running  bool
	Ended    bool
	Outcome  timeline.Outcome // of the last attempt, once Ended
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
	ExpectedEnd time.Time     // at the current pace: now + what remains of the estimate
	Delay       time.Duration // ExpectedEnd - PlannedEnd: positive when late
	Steps       []StepDrift   // in runbook order
	// WindowEnd is when the policies' calendars next block, after the
	// start: the end of the window the cutover must fit in. Zero when no
	// calendar blocks within a week.
	WindowEnd time.Time
	// Overrun reports that ExpectedEnd is past WindowEnd.
	Overrun bool
}

// String says in one sentence where the cutover stands.
func (d Drift) String() string {
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
	if d.Overrun {
		s += "; OVERRUNS the window, which ends at " + d.WindowEnd.Format("15:04 MST")
	}
	return s
}

// Drift compares the cutover's progress at now with the estimate, step by
// step: ended steps count as they took, a running step at least as long as
// it has run, pending steps as estimated.
func (r *Rollout) Drift(now time.Time) Drift {
	now = now.Round(0)
	est := r.Estimate()
	s := summarizeSteps(r.journal.Entries())
	loc := r.T0().Location()
	d := Drift{At: now}
	type agg struct {
		first   time.Time
		elapsed time.Duration
		running bool
		ended   bool
		outcome timeline.Outcome
	}
	by := make(map[string]*agg)
	for _, sp := range s.Steps {
		a := by[sp.Step]
		if a == nil {
			a = &agg{first: sp.Start}
			by[sp.Step] = a
		}
		if d.Started.IsZero() || sp.Start.Before(d.Started) {
			d.Started = sp.Start
		}
		if sp.Open {
			a.running, a.ended = true, false
			a.elapsed = now.Sub(a.first)
			continue
		}
		a.running, a.ended, a.outcome = false, true, sp.Outcome
		a.elapsed = sp.End.Sub(a.first)
	}
	var remaining time.Duration
	for i, step := range r.runbook {
		sd := StepDrift{Step: step, Expected: est.Steps[i]}
		if a := by[step.ID]; a != nil {
			sd.Elapsed, sd.Running, sd.Ended, sd.Outcome = a.elapsed, a.running, a.ended, a.outcome
		}
		if sd.Elapsed > sd.Expected {
			sd.Late = sd.Elapsed - sd.Expected
		}
		switch {
		case sd.Ended:
		case sd.Running:
			remaining += max(sd.Expected-sd.Elapsed, 0)
		default:
			remaining += sd.Expected
		}
		d.Steps = append(d.Steps, sd)
	}
	start := d.Started
	if start.IsZero() {
		start = r.T0()
	}
	d.PlannedEnd = start.Add(est.Total).In(loc)
	from := now
	if d.Started.IsZero() && r.T0().After(now) {
		from = r.T0()
	}
	d.ExpectedEnd = from.Add(remaining).In(loc)
	if !d.Started.IsZero() && remaining == 0 && s.IsComplete() {
		d.ExpectedEnd = s.End.In(loc) // over: it ended when it ended
	}
	d.Delay = d.ExpectedEnd.Sub(d.PlannedEnd)
	if blocked := r.policies.Blocked(start, start.Add(7*24*time.Hour)); len(blocked) > 0 {
		d.WindowEnd = blocked[0].Start.In(loc)
		if !blocked[0].Start.After(start) {
			d.WindowEnd = start.In(loc) // the start itself is blocked
		}
		d.Overrun = d.ExpectedEnd.After(d.WindowEnd)
	}
	return d
}
