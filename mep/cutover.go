package mep

import (
	"time"

	"slices"
	"strings"

	"github.com/mepkit/mepkit/timeline"
)

// stepState is where a runbook step stands in a cutover.
type stepState uint8

const (
	stepPending stepState = iota
	stepRunning
	stepDone
	stepFailed // the last attempt failed: a retry or a rollback is due
	stepSkipped
)

// status returns where each step stands, as applyStep keeps it.
func (ro *rollout) status() map[string]stepState {
	if ro.stat == nil {
		ro.stat = make(map[string]stepState, len(ro.runbook))
	}
	return ro.stat
}

// setStatus records where step id stands, and moves the count of leading
// steps done or skipped.
func (ro *rollout) setStatus(id string, s stepState) {
	ro.status()[id] = s
	for ro.prefix < len(ro.runbook) {
		if st := ro.stat[ro.runbook[ro.prefix].ID]; st != stepDone && st != stepSkipped {
			break
		}
		ro.prefix++
	}
}

// waitsOn returns the steps that step i waits for and that are neither
// done nor skipped (R10): its DependsOn, or else every earlier step
// outside its parallel group.
func (ro *rollout) waitsOn(i int, status map[string]stepState) []string {
	s := ro.runbook[i]
	deps := s.DependsOn
	if len(deps) == 0 {
		g := i // the first step of i's parallel group
		for g > 0 && s.Group != "" && ro.runbook[g-1].Group == s.Group {
			g--
		}
		if ro.prefix >= g {
			return nil // every step before the group is done or skipped
		}
		for j := i - 1; j >= 0; j-- {
			if s.Group != "" && ro.runbook[j].Group == s.Group {
				continue
			}
			deps = append(deps, ro.runbook[j].ID)
		}
	}
	var out []string
	for _, d := range deps {
		if st := status[d]; st != stepDone && st != stepSkipped {
			out = append(out, d)
		}
	}
	slices.Reverse(out)
	return out
}

// Start records that step id of the runbook starts, at the project's
// clock, by by, a member of the go-live team (R10). The first step needs
// a Go decided (Decide) for the current T0, and that Go must still hold
// when the step starts: Start evaluates the rollout again for an
// operation starting now (a No-Go voted since, an item failed since, a
// start moved into a freeze all refuse it, with an error wrapping ErrNoGo).
//
// Steps run in the runbook's order (R10): a step starts once the steps it
// depends on (its DependsOn, or every earlier step outside its parallel
// Group) are done or skipped, and is started again only after a failed
// attempt; otherwise the error wraps ErrRunbook. After [Switchover.Rollback],
// Start and End record the rollback of the steps that have a
// rollback procedure, latest first. Nothing is recorded on error.
func (c Switchover) Start(id, by string) error {
	r := c.r
	return r.p.record(&evStep{At: r.p.now(), Rollout: r.name, Step: id, By: by, Event: stepStart})
}

// End records that the running attempt of step id ends with outcome,
// at the project's clock, by by, a member of the go-live team. For a test
// step, Done means passed. It returns an error wrapping [ErrNotFound] for a step that is
// not in the runbook, and an error wrapping ErrRunbook for a step that is
// not running.
func (c Switchover) End(id, by string, outcome timeline.Outcome) error {
	r := c.r
	if !outcome.IsValid() {
		return fieldErr("step.outcome", outcome.String(), "invalid outcome")
	}
	return r.p.record(&evStep{At: r.p.now(), Rollout: r.name, Step: id, By: by, Event: stepEnd, Outcome: outcome})
}

// running reports whether step id has an attempt running in steps.
func running(steps []timeline.Entry, id string) bool {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Step == id {
			return steps[i].Kind == timeline.KindStart
		}
	}
	return false
}

// Skip records that step id is skipped, explicitly, by by, a member of
// the go-live team, with a reason (R10). A step that started cannot be
// skipped. It returns a *FieldError without a reason, and an error
// wrapping ErrRunbook for a step that started.
func (c Switchover) Skip(id, by, reason string) error {
	r := c.r
	if strings.TrimSpace(reason) == "" {
		return fieldErr("skip.reason", "", "empty: a step is skipped only with a reason (R10)")
	}
	return r.p.record(&evStep{At: r.p.now(), Rollout: r.name, Step: id, By: by, Event: stepSkip, Reason: reason})
}

// Rollback records the decision to roll the cutover back (who, why, at
// the project's clock): from then on Start and End record the
// rollback steps. It returns an error wrapping ErrRunbook before the
// cutover started or once a step marked PointOfNoReturn has started.
func (c Switchover) Rollback(by, reason string) error {
	r := c.r
	if strings.TrimSpace(reason) == "" {
		return fieldErr("rollback.reason", "", "empty: say why the cutover is rolled back")
	}
	return r.p.record(&evRollback{rolloutAct{At: r.p.now(), Rollout: r.name, By: by, Reason: reason}})
}

// pastNoReturn returns the point-of-no-return step that started, or "".
func (ro *rollout) pastNoReturn() string {
	for _, e := range ro.steps {
		if e.Kind == timeline.KindStart && ro.runbook[ro.index[e.Step]].PointOfNoReturn {
			return e.Step
		}
	}
	return ""
}

// toRollBack returns the steps to roll back, latest first: those that
// started and have a rollback procedure, and are not rolled back yet.
func (ro *rollout) toRollBack() []string {
	started := map[string]bool{}
	for _, e := range ro.steps {
		started[e.Step] = true
	}
	done := map[string]bool{}
	for _, e := range ro.rbSteps {
		if e.Kind == timeline.KindEnd && e.Outcome == timeline.Done {
			done[e.Step] = true
		}
	}
	var out []string
	for i := len(ro.runbook) - 1; i >= 0; i-- {
		s := ro.runbook[i]
		if started[s.ID] && s.Rollback != "" && !done[s.ID] {
			out = append(out, s.ID)
		}
	}
	return out
}

// Summary returns the summary of the cutover's steps, as timeline makes
// it. The cutover's span runs from its first step's start to its last
// step's end: the one definition of a cutover's duration, shared by the
// drift, the debrief and the report.
func (c Switchover) Summary() timeline.Summary {
	r := c.r
	var s timeline.Summary
	r.with(func(_ *state, ro *rollout) { s = timeline.Summarize(ro.steps) })
	return s
}

// Finish closes the cutover (R10), by by: every runbook step is done or
// skipped, or, after a rollback, every step to roll back is rolled back.
// A functional test that failed does not hold it: the Review gate waits
// for its decision ([Switchover.Accept] or [Switchover.Rollback]). It returns
// the cutover's summary, and an error wrapping ErrRunbook while a step
// runs, a change step failed, or a step was never run.
func (c Switchover) Finish(by string) (timeline.Summary, error) {
	r := c.r
	ev := &evFinish{At: r.p.now(), Rollout: r.name, By: by}
	if err := r.p.record(ev); err != nil {
		return timeline.Summary{}, err
	}
	return c.Summary(), nil
}

// Accept records the decision to accept a failed functional test with a
// reason, so that the review may go on (the other decision is a
// rollback). It returns a *FieldError without a reason or for a step
// that is not a test that failed.
func (c Switchover) Accept(id, by, reason string) error {
	r := c.r
	if strings.TrimSpace(reason) == "" {
		return fieldErr("accept.reason", "", "empty: say why the failure is accepted")
	}
	return r.p.record(&evAccept{rolloutAct: rolloutAct{At: r.p.now(), Rollout: r.name, By: by, Reason: reason}, Step: id})
}

// undecidedFailures returns the test steps that failed, with neither a
// later pass, a rollback nor an acceptance.
func (ro *rollout) undecidedFailures() []string {
	if ro.rollback != nil {
		return nil
	}
	var out []string
	for id, s := range ro.status() {
		if s != stepFailed && s != stepDone {
			continue
		}
		if ro.runbook[ro.index[id]].Kind != TestStep {
			continue
		}
		failed := false
		for _, e := range ro.steps {
			if e.Step == id && e.Kind == timeline.KindEnd {
				failed = e.Outcome == timeline.Failed
			}
		}
		if _, ok := ro.accepted[id]; failed && !ok {
			out = append(out, id)
		}
	}
	slices.Sort(out)
	return out
}

// startOf returns when the latest attempt of step id started in steps.
func startOf(steps []timeline.Entry, id string) time.Time {
	for i := len(steps) - 1; i >= 0; i-- {
		if steps[i].Step == id && steps[i].Kind == timeline.KindStart {
			return steps[i].At
		}
	}
	return time.Time{}
}
