package mep

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// The events of a cutover: steps started, ended or skipped (forward or in
// a rollback), the rollback decided, a failed test accepted, the cutover
// finished.

// Step events.
const (
	stepStart = "start"
	stepEnd   = "end"
	stepSkip  = "skip"
)

// evStep is a cutover step starting, ending or skipped (R10); in a
// rollback (Rollback), a step of the rollback procedure.
type evStep struct {
	At                time.Time
	Rollout, Step, By string
	Event             string // stepStart, stepEnd or stepSkip
	Outcome           timeline.Outcome
	Reason            string // a skip's reason
	Rollback          bool
}

func (*evStep) kind() string      { return "step" }
func (v *evStep) when() time.Time { return v.At }
func (v *evStep) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Reason)
	c.need("rollout", &v.Rollout)
	c.need("step", &v.Step)
	c.need("event", &v.Event)
	c.bool("rollback", &v.Rollback)
	if c.w != nil {
		if v.Event == stepEnd {
			c.w.str("outcome", v.Outcome.String())
		}
		return
	}
	d := c.d
	switch v.Event {
	case stepStart, stepSkip:
	case stepEnd:
		o, err := timeline.ParseOutcome(d.need("outcome"))
		if err != nil {
			d.fail("outcome", d.str("outcome"), "unknown outcome")
		}
		v.Outcome = o
	default:
		d.fail("event", v.Event, "not start, end or skip")
	}
}

var _ = register[evStep]()

// prepare marks the steps of a rollback as such, and checks, for the
// first step of the cutover, started or skipped, that the GO decided
// still holds for a start at this moment (R9): a No-Go voted since, an
// item failed since, a start moved into a freeze refuse it.
func (v *evStep) prepare(p *Project, st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	v.Rollback = ro.rollback != nil && v.Event != stepSkip
	if v.Event == stepEnd || ro.started || v.Rollback || ro.decided.Verdict != Go || !ro.decided.T0.Equal(ro.t0) {
		return nil // check refuses what does not follow
	}
	// Judged after every fact recorded, if the clock was set back.
	if d := ro.evaluate(context.Background(), st, p, latest(v.At, st.now), v.At); !d.IsGo() {
		return wrapf(ErrNoGo, "the GO no longer holds for a start at %s: %s",
			v.At.In(ro.t0.Location()).Format("2006-01-02 15:04 MST"), d)
	}
	return nil
}

// check holds a step to the runbook (R10): a step of it, by a member of
// the go-live team, in order, the first one after a GO (R9).
func (v *evStep) check(st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	if _, ok := ro.index[v.Step]; !ok {
		return &notFoundError{What: "runbook step", Key: strconv.Quote(v.Step)}
	}
	if err := st.people.inTeam(v.By, 0); err != nil {
		return err
	}
	if v.Rollback != (ro.rollback != nil && v.Event != stepSkip) {
		return wrapf(ErrRunbook, "a rollback step outside a rollback, or the reverse")
	}
	if last := ro.lastStepAt(); v.Event != stepSkip && v.At.Before(last) {
		// The clock stepped back: the journal keeps time's order (R10).
		return fieldErr("step.at", v.At.Format(time.RFC3339), "before the cutover's last step event at "+last.Format(time.RFC3339)+" (did the clock step back?)")
	}
	switch v.Event {
	case stepStart:
		if err := ro.checkStart(v.Step, v.Rollback); err != nil {
			return err
		}
		if err := st.inCutoverPhase(ro, v.Rollback); err != nil {
			return err
		}
		return ro.goHolds(st, v)
	case stepEnd:
		if !v.Outcome.IsValid() {
			return fieldErr("step.outcome", v.Outcome.String(), "invalid outcome")
		}
		steps := ro.steps
		if v.Rollback {
			steps = ro.rbSteps
		}
		if !running(steps, v.Step) {
			return wrapf(ErrRunbook, "step %s is not running", v.Step)
		}
		if start := startOf(steps, v.Step); v.At.Before(start) {
			// The clock stepped back: the record keeps time's order.
			return fieldErr("step.at", v.At.Format(time.RFC3339), "before the step's start at "+start.Format(time.RFC3339)+" (did the clock step back?)")
		}
	case stepSkip:
		if strings.TrimSpace(v.Reason) == "" {
			return fieldErr("skip.reason", "", "empty: a step is skipped only with a reason (R10)")
		}
		if s := ro.status()[v.Step]; s != stepPending {
			return wrapf(ErrRunbook, "step %s started; it cannot be skipped", v.Step)
		}
		if !ro.started && !ro.hasGo() {
			// Skipping every step would close a cutover nobody gave the GO
			// for (R9, R10).
			return wrapf(ErrNoGo, "step %q cannot be skipped before the cutover started; the decision is %s", v.Step, ro.decided.Verdict)
		}
		if err := st.inCutoverPhase(ro, false); err != nil {
			return err
		}
		return ro.goHolds(st, v)
	default:
		return fieldErr("step.event", v.Event, "not start, end or skip")
	}
	return nil
}

// goHolds reports why the GO recorded no longer holds for the cutover's
// first step, v, started or skipped at its time, judged after every fact
// before it (R9): what the record
// alone says of it (goStands), on replay as when it is written, where
// prepare has already evaluated it with every policy.
func (ro *rollout) goHolds(st *state, v *evStep) error {
	if ro.started || v.Rollback {
		return nil
	}
	if at := ro.decided.At; v.At.Before(at) {
		// The clock stepped back: the cutover starts after its GO (R9).
		return fieldErr("step.at", v.At.Format(time.RFC3339), "before the GO it starts on, decided at "+at.Format(time.RFC3339)+" (did the clock step back?)")
	}
	if _, err := ro.goStands(st, latest(v.At, st.now), v.At); err != nil {
		return errorf("step %q cannot start: the GO no longer holds at %s: %w", v.Step,
			v.At.In(ro.t0.Location()).Format("2006-01-02 15:04 MST"), err)
	}
	return nil
}

// inCutoverPhase reports why a step of ro cannot start or be skipped in
// the project's phase: the Preparation -> Cutover gate (readiness lead,
// operations readiness, the GO) must pass before the first go-live runs
// (R1).
func (st *state) inCutoverPhase(ro *rollout, rollback bool) error {
	if !rollback && !ro.started && !st.rolloutsOnly && st.phase != Cutover && st.firstGoLive(ro) {
		return wrapf(ErrGate, "the project is in %s; the first go-live's steps run in the cutover phase: advance through its gate first (R1)", st.phase)
	}
	return nil
}

// checkStart reports why step id cannot start now.
func (ro *rollout) checkStart(id string, rollback bool) error {
	if ro.finished != nil {
		return wrapf(ErrRunbook, "the cutover is finished")
	}
	if rollback {
		todo := ro.toRollBack()
		switch {
		case running(ro.rbSteps, id):
			return wrapf(ErrRunbook, "the rollback of %s is already running", id)
		case len(todo) == 0 || todo[0] != id:
			return wrapf(ErrRunbook, "the rollback runs %s next, not %s", firstOr(todo, "no step"), id)
		}
		return nil
	}
	status := ro.status()
	switch status[id] {
	case stepRunning:
		return wrapf(ErrRunbook, "step %s is already running", id)
	case stepDone:
		return wrapf(ErrRunbook, "step %s is done", id)
	case stepSkipped:
		return wrapf(ErrRunbook, "step %s was skipped", id)
	}
	if w := ro.waitsOn(ro.index[id], status); len(w) > 0 {
		return wrapf(ErrRunbook, "step %s follows %s, not done or skipped yet", id, strings.Join(w, ", "))
	}
	if !ro.started {
		switch {
		case ro.decided.Verdict != Go:
			return wrapf(ErrNoGo, "step %q cannot start; the decision is %s", id, ro.decided.Verdict)
		case !ro.decided.T0.Equal(ro.t0):
			return wrapf(ErrNoGo, "the GO was for another T0")
		}
	}
	return nil
}

func (v *evStep) apply(st *state) { st.byName[v.Rollout].applyStep(v) }

// applyStep applies a step event of r.
func (r *rollout) applyStep(v *evStep) {
	steps := &r.steps
	if v.Rollback {
		steps = &r.rbSteps
	}
	seq := uint64(len(*steps) + 1)
	switch v.Event {
	case stepSkip:
		if r.skipped == nil {
			r.skipped = map[string]string{}
		}
		r.skipped[v.Step] = v.Reason
		if !v.Rollback {
			r.setStatus(v.Step, stepSkipped)
		}
	case stepStart:
		if *steps == nil {
			*steps = make([]timeline.Entry, 0, 2*len(r.runbook)) // each step starts and ends
		}
		s := r.runbook[r.index[v.Step]]
		impact := s.Impact // a rollback step affects users as the step did
		*steps = append(*steps, timeline.Entry{Seq: seq, At: v.At, Kind: timeline.KindStart, Step: v.Step, Actor: v.By, Impact: impact})
		if !v.Rollback {
			r.started = true
			r.setStatus(v.Step, stepRunning)
		}
	case stepEnd:
		*steps = append(*steps, timeline.Entry{Seq: seq, At: v.At, Kind: timeline.KindEnd, Step: v.Step, Actor: v.By, Outcome: v.Outcome})
		if !v.Rollback {
			st := stepDone
			if v.Outcome == timeline.Failed {
				st = stepFailed
			}
			r.setStatus(v.Step, st)
		}
	}
	r.est = nil
}

// evRollback is the decision to roll a cutover back: who, why, when.
type evRollback struct{ rolloutAct }

func (*evRollback) kind() string { return "rollback" }

var _ = register[evRollback]()

// check holds that a rollback is decided by an operations member of the
// go-live team, with a reason, during a cutover, before its point of no
// return.
func (v *evRollback) check(st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	if strings.TrimSpace(v.Reason) == "" {
		return fieldErr("rollback.reason", "", "empty: say why the cutover is rolled back")
	}
	if err := st.people.inTeam(v.By, RoleOperations); err != nil {
		return err
	}
	switch {
	case !ro.started:
		return wrapf(ErrRunbook, "nothing to roll back before the cutover starts")
	case ro.rollback != nil:
		return wrapf(ErrRunbook, "already rolling back")
	case ro.finished != nil:
		return wrapf(ErrRunbook, "the cutover is finished")
	}
	if s := ro.pastNoReturn(); s != "" {
		return wrapf(ErrRunbook, "step %s, the point of no return, has started: the only way is forward", s)
	}
	return nil
}

func (v *evRollback) apply(st *state) { st.byName[v.Rollout].rollback = v }

// evFinish closes a rollout's cutover (R10).
type evFinish struct {
	At          time.Time
	Rollout, By string
}

func (*evFinish) kind() string      { return "cutover.finish" }
func (v *evFinish) when() time.Time { return v.At }
func (v *evFinish) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.need("rollout", &v.Rollout)
}

var _ = register[evFinish]()

// prepare makes finishing a finished cutover a no-op.
func (v *evFinish) prepare(_ *Project, st *state) error {
	if ro := st.byName[v.Rollout]; ro != nil && ro.finished != nil && st.people.inTeam(v.By, 0) == nil {
		return errNothing
	}
	return nil
}

// check holds that the cutover is over (R10): every step done or
// skipped, or, after a rollback, every step to roll back rolled back. A
// functional test that failed does not hold it: the review decides.
func (v *evFinish) check(st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	if err := st.people.inTeam(v.By, 0); err != nil {
		return err
	}
	if ro.finished != nil {
		return wrapf(ErrRunbook, "the cutover is finished")
	}
	if ro.rollback != nil {
		if todo := ro.toRollBack(); len(todo) > 0 {
			return wrapf(ErrRunbook, "rollback not finished: %s to roll back", strings.Join(todo, ", "))
		}
		return nil
	}
	status := ro.status()
	var left []string
	for _, step := range ro.runbook {
		if status[step.ID] == stepFailed && step.Kind == TestStep {
			continue // the change is in place: the review decides (Accept or Rollback)
		}
		if s := status[step.ID]; s != stepDone && s != stepSkipped {
			left = append(left, step.ID+" ("+[...]string{"not run", "running", "done", "failed", "skipped"}[s]+")")
		}
	}
	if len(left) > 0 {
		return wrapf(ErrRunbook, "cutover not finished: %s", strings.Join(left, ", "))
	}
	return nil
}

func (v *evFinish) apply(st *state) { st.byName[v.Rollout].finished = v }

// evAccept accepts a failed functional test with a reason, so that the
// review gate may pass.
type evAccept struct {
	rolloutAct
	Step string
}

func (*evAccept) kind() string { return "failure.accept" }
func (v *evAccept) fields(c codec) {
	v.rolloutAct.fields(c)
	c.need("step", &v.Step)
}

var _ = register[evAccept]()

func (v *evAccept) check(st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	if strings.TrimSpace(v.Reason) == "" {
		return fieldErr("accept.reason", "", "empty: say why the failure is accepted")
	}
	if err := st.people.inTeam(v.By, RoleOperations); err != nil {
		return err
	}
	if !slices.Contains(ro.undecidedFailures(), v.Step) {
		return fieldErr("accept.step", v.Step, "not a functional test that failed and awaits a decision")
	}
	return nil
}

func (v *evAccept) apply(st *state) {
	r := st.byName[v.Rollout]
	if r.accepted == nil {
		r.accepted = map[string]evAccept{}
	}
	r.accepted[v.Step] = *v
}

// lastStepAt returns when the latest step of the cutover, forward or
// rollback, started or ended; zero before the first.
func (ro *rollout) lastStepAt() time.Time {
	var t time.Time
	for _, steps := range [][]timeline.Entry{ro.steps, ro.rbSteps} {
		if n := len(steps); n > 0 && steps[n-1].At.After(t) {
			t = steps[n-1].At
		}
	}
	return t
}

// hasGo reports whether the decision recorded is a Go for the current T0.
func (ro *rollout) hasGo() bool {
	return ro.decided.Verdict == Go && ro.decided.T0.Equal(ro.t0)
}
