package mep

import (
	"errors"
	"strings"
	"time"

	sim "github.com/mepkit/mepkit/risk" // mep has a risk of its own: what policies see
	"github.com/mepkit/mepkit/timeline"
)

// DecisionPoint is the latest moment, during a cutover, to decide a
// rollback that still ends before the window closes: the window's end
// minus the P90 of rolling back the steps started so far that can be
// undone, simulated from the rollback rehearsals (risk.SimulateRollback).
// It counts elapsed time: a window across midnight or a change of the
// clocks keeps the rollback's whole duration.
type DecisionPoint struct {
	At time.Time // when it was computed
	// DecideBy is the decision point; zero when there is no window, or
	// nothing to roll back, or no rollback any more (NoReturn, RollingBack).
	DecideBy    time.Time
	WindowEnd   time.Time     // when the policies' calendars next block after the start; zero: none within a week
	Rollback    time.Duration // the P90 of the rollback of the steps started so far
	ExpectedEnd time.Time     // when the cutover is expected to end at its current pace (Drift)
	// Unknown lists the started steps that no rollback rehearsal timed:
	// they count as taking no time, and DecideBy is that much late.
	Unknown []string
	// NoReturn is the step past which the cutover can no longer be rolled
	// back, once started: the only way is forward. "": not passed.
	NoReturn    string
	RollingBack bool // a rollback was decided
	Ended       bool // the cutover ended
}

// IsPassed reports whether At is past the decision point.
func (d DecisionPoint) IsPassed() bool { return !d.DecideBy.IsZero() && d.At.After(d.DecideBy) }

// IsWarning reports whether the point passed with the cutover expected to
// end after its window: a rollback decided now ends past the window, and
// so does the cutover.
func (d DecisionPoint) IsWarning() bool {
	return d.IsPassed() && !d.WindowEnd.IsZero() && d.ExpectedEnd.After(d.WindowEnd)
}

// String says in one sentence when to decide: "decide by 22:58 CET:
// after that a rollback (P90 32m) ends past the window, which closes at
// 23:30 CET".
func (d DecisionPoint) String() string {
	clock := func(t time.Time) string { return t.Format("15:04 MST") }
	switch {
	case d.Ended:
		return "the cutover ended"
	case d.RollingBack:
		return "rolling back"
	case d.NoReturn != "":
		return "past the point of no return (" + d.NoReturn + "): no rollback, the only way is forward"
	case d.WindowEnd.IsZero():
		return "no window closes within a week: no decision point"
	case d.DecideBy.IsZero():
		return "nothing started can be rolled back yet"
	}
	rb := "a rollback (P90 " + timeline.FormatDuration(d.Rollback.Round(time.Minute)) + ")"
	s := "decide by " + clock(d.DecideBy) + ": after that " + rb + " ends past the window, which closes at " + clock(d.WindowEnd)
	if d.IsPassed() {
		s = "the decision point " + clock(d.DecideBy) + " passed: " + rb + " decided now ends past the window, which closes at " + clock(d.WindowEnd)
		if d.ExpectedEnd.After(d.WindowEnd) {
			s += ", and the cutover is expected to end at " + clock(d.ExpectedEnd)
		}
	}
	if len(d.Unknown) > 0 {
		s += " (rollback not rehearsed for " + strings.Join(d.Unknown, ", ") + ")"
	}
	return s
}

// DecisionPoint returns the cutover's decision point at now. It reads
// the record only; [Switchover.Watch] records the warning.
func (c Switchover) DecisionPoint(now time.Time) DecisionPoint {
	return c.r.decisionPoint(now.Round(0))
}

// Watch computes the decision point at the project's clock and, the first
// time it has passed with the cutover expected to end after its window
// (DecisionPoint.IsWarning), records that warning: the record then says
// when the team was told that a rollback could no longer end in the
// window. It returns the point, recorded or not, and the error of the
// record.
func (c Switchover) Watch() (DecisionPoint, error) {
	r := c.r
	d := r.decisionPoint(r.p.now())
	if !d.IsWarning() {
		return d, nil
	}
	err := r.p.record(&evDecisionPoint{At: d.At, Rollout: r.name, DecideBy: d.DecideBy, WindowEnd: d.WindowEnd,
		ExpectedEnd: d.ExpectedEnd, Rollback: d.Rollback})
	if errors.Is(err, errNothing) {
		err = nil
	}
	return d, err
}

// decisionPoint computes the decision point at now.
func (r *Rollout) decisionPoint(now time.Time) DecisionPoint {
	d, _ := r.driftPoint(now)
	return d
}

// driftPoint computes the decision point and the drift at now: the drift
// and the started steps under the lock, the rollback's simulation after
// it.
func (r *Rollout) driftPoint(now time.Time) (DecisionPoint, Drift) {
	d := DecisionPoint{At: now}
	var dr Drift
	var (
		runbook    []Step
		rehearsals []RehearsalRun
		started    []string
	)
	r.with(func(_ *state, ro *rollout) {
		dr = ro.drift(r.p, now)
		d.WindowEnd, d.ExpectedEnd = dr.WindowEnd, dr.ExpectedEnd
		d.RollingBack, d.Ended = ro.rollback != nil, ro.finished != nil || !dr.Ended.IsZero()
		d.NoReturn = ro.pastNoReturn()
		runbook, rehearsals = ro.runbook, ro.rehearsals
		for _, e := range ro.steps {
			if e.Kind == timeline.KindStart {
				started = append(started, e.Step)
			}
		}
	})
	if d.Ended || d.RollingBack || d.NoReturn != "" || d.WindowEnd.IsZero() {
		return d, dr
	}
	ov, err := sim.SimulateRollback(riskRunbook(runbook), riskRuns(rehearsals), started, sim.Options{})
	if err != nil || ov.Duration.Quantile(1) == 0 && len(ov.Unknown) == 0 {
		return d, dr // nothing to roll back
	}
	d.Rollback, d.Unknown = ov.Duration.P90(), ov.Unknown
	d.DecideBy = sim.DecideBy(d.WindowEnd, d.Rollback).In(d.WindowEnd.Location())
	return d, dr
}

// evDecisionPoint is the warning that a cutover's decision point passed
// with the cutover expected to end after its window.
type evDecisionPoint struct {
	At                               time.Time
	Rollout                          string
	DecideBy, WindowEnd, ExpectedEnd time.Time
	Rollback                         time.Duration
}

func (*evDecisionPoint) kind() string      { return "decision-point" }
func (v *evDecisionPoint) when() time.Time { return v.At }
func (v *evDecisionPoint) fields(c codec) {
	c.at(&v.At)
	c.need("rollout", &v.Rollout)
	c.time("decide_by", &v.DecideBy)
	c.time("window_end", &v.WindowEnd)
	c.time("expected_end", &v.ExpectedEnd)
	c.dur("rollback", &v.Rollback)
}

var _ = register[evDecisionPoint]()

// prepare makes a second warning for the same cutover a no-op.
func (v *evDecisionPoint) prepare(_ *Project, st *state) error {
	if ro := st.byName[v.Rollout]; ro != nil && ro.decisionPoint != nil {
		return errNothing
	}
	return nil
}

// check refuses a warning that does not hold: a cutover that is not
// running, a point not passed, an expected end within the window, or a
// second warning for the same cutover.
func (v *evDecisionPoint) check(st *state) error {
	ro, err := st.rollout(v.Rollout)
	switch {
	case err != nil:
		return err
	case !ro.started || ro.finished != nil || ro.rollback != nil:
		return fieldErr("decision_point.rollout", v.Rollout, "no cutover running")
	case ro.decisionPoint != nil:
		return fieldErr("decision_point.rollout", v.Rollout, "already warned of its decision point")
	case v.DecideBy.IsZero() || !v.At.After(v.DecideBy):
		return fieldErr("decision_point.decide_by", v.DecideBy.String(), "not passed")
	case v.Rollback < 0 || !v.WindowEnd.Equal(v.DecideBy.Add(v.Rollback)):
		return fieldErr("decision_point.rollback", v.Rollback.String(), "the decision point is not the window's end less the rollback")
	case !v.ExpectedEnd.After(v.WindowEnd):
		return fieldErr("decision_point.expected_end", v.ExpectedEnd.String(), "within the window: nothing to warn of")
	}
	return nil
}

// apply keeps the warning, and writes it in the rollout's notes, which
// the report lists.
func (v *evDecisionPoint) apply(st *state) {
	ro := st.byName[v.Rollout]
	ro.decisionPoint = v
	clock := func(t time.Time) string { return t.Format("15:04 MST") }
	ro.notes = append(ro.notes, Note{At: v.At, Rollout: v.Rollout, Text: "warning: the decision point " + clock(v.DecideBy) +
		" passed with the cutover expected to end at " + clock(v.ExpectedEnd) + ", after the window closes at " +
		clock(v.WindowEnd) + ": a rollback (P90 " + timeline.FormatDuration(v.Rollback.Round(time.Minute)) + ") decided now ends past it"})
}
