package mep

import (
	"fmt"
	"github.com/mepkit/mepkit/policy"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
)

// methodCriterion is one of the method's own criteria, checked on a
// state the caller holds.
type methodCriterion struct {
	name, rule string
	check      func(st *state, p *Project, at time.Time) error
}

// builtin returns the method's own exit criteria for the gate that leaves
// phase from (METHOD.md), in the order they are checked; the package doc
// lists them.
func builtin(from Phase) []Criterion {
	var out []Criterion
	for _, m := range methodCriteria(from) {
		check := m.check
		out = append(out, Criterion{Name: m.name, Rule: m.rule, Check: func(p *Project, at time.Time) error {
			var err error
			p.read(func(st *state) { err = check(st, p, at) })
			return err
		}})
	}
	return out
}

// unmetLocked returns the method's criteria of the gate that leaves the
// current phase that do not hold at at, one sentence each; requires p.mu
// held.
func (st *state) unmetLocked(p *Project, at time.Time) []unmetCriterion {
	var out []unmetCriterion
	for _, m := range methodCriteria(st.phase) {
		if err := m.check(st, p, at); err != nil {
			out = append(out, unmetCriterion{rule: parseRule(m.rule), text: m.name + ": " + detail(err)})
		}
	}
	return out
}

// unmetCriterion is a criterion of the method that a gate would refuse,
// with the rule it comes from.
type unmetCriterion struct {
	rule policy.Rule
	text string
}

// methodCriteria returns the method's criteria of the gate that leaves
// phase from.
func methodCriteria(from Phase) []methodCriterion {
	c := func(name, rule string, check func(st *state, p *Project, at time.Time) error) methodCriterion {
		return methodCriterion{name, rule, check}
	}
	switch from {
	case Scoping:
		return []methodCriterion{
			c("phase budget planned", "R2", checkPlanned),
			c("builders named", "R1", checkBuilders),
		}
	case Build:
		return []methodCriterion{c("go-live team", "R3", func(st *state, _ *Project, _ time.Time) error { return joinErrs(st.people.check()) })}
	case Validation:
		return []methodCriterion{
			c("validation checklist complete", "R4", func(st *state, _ *Project, _ time.Time) error { return runReady("validation", st.validation) }),
			c("installation procedures checked", "R4", func(st *state, _ *Project, _ time.Time) error {
				return purposesDone(st.validation, "validation", checklist.InstallProcedure)
			}),
		}
	case Rehearsal:
		return []methodCriterion{c("rehearsal timings recorded", "R5", checkRehearsals)}
	case Planning:
		return []methodCriterion{
			c("planning meeting held", "R6", checkPlanningMeeting),
			c("no overdue action", "R6", checkNoOverdue),
		}
	case Preparation:
		return []methodCriterion{
			c("readiness checklist complete in time", "R7", checkReadiness),
			c("operations readiness", "R13", checkOperations),
			c("operations GO", "R9", checkGo),
		}
	case Cutover:
		return []methodCriterion{c("cutover journaled", "R10", checkCutover)}
	case Review:
		return []methodCriterion{
			c("post-deployment meeting", "R6", checkReviewMeeting),
			c("lessons recorded", "R12", checkLessons),
		}
	case Industrialization:
		return []methodCriterion{c("lessons applied or waived", "R12", checkLessonsSettled)}
	}
	return nil
}

func checkPlanned(st *state, p *Project, _ time.Time) error {
	b := st.budget(p, time.Time{})
	var missing []string
	for _, pt := range b.Phases {
		if budgetPhase(pt.Phase) && pt.Planned <= 0 {
			missing = append(missing, pt.Phase.String())
		}
	}
	if len(missing) > 0 {
		return errorf("no planned time for %s", strings.Join(missing, ", "))
	}
	return nil
}

func checkBuilders(st *state, _ *Project, _ time.Time) error {
	for _, m := range st.people.members {
		if m.has(RoleBuild) {
			return nil
		}
	}
	return errorf("no member with the build role")
}

// runReady explains why run r is not complete, or returns nil.
func runReady(what string, r *checklist.Run) error {
	if r == nil {
		return errorf("no %s checklist run started", what)
	}
	if r.Ready() {
		return nil
	}
	pr := r.Progress()
	return errorf("%s checklist not complete: %d required item(s) pending, %d failed",
		what, pr.RequiredPending, pr.Failed)
}

// purposesDone explains why run r, the checklist called what, lacks an
// item of each purpose, or has one not done (R4, R8, R13): items have
// purposes, not keywords (checklist.Purpose), and a waived item does not
// count.
func purposesDone(r *checklist.Run, what string, purposes ...checklist.Purpose) error {
	if r == nil {
		return errorf("no %s checklist run started", what)
	}
	var errs []error
	for _, c := range r.Coverage(purposes...) {
		switch {
		case c.Met():
		case len(c.Items) == 0:
			errs = append(errs, errorf("the %s checklist has no item for the %s (purpose %s)", what, purposeWords[c.Purpose], c.Purpose))
		default:
			errs = append(errs, errorf("%s checklist, %s: %s", what, purposeWords[c.Purpose], c))
		}
	}
	return joinErrs(errs)
}

// purposeWords says what each purpose of an item is, for people.
var purposeWords = map[checklist.Purpose]string{
	checklist.InstallProcedure: "installation procedures",
	checklist.HardwareVerified: "old and new hardware verified",
	checklist.ConfigBackup:     "backup of the impacted configurations",
	checklist.Probes:           "probes",
	checklist.BackupProcess:    "backup process",
	checklist.KnownFailures:    "known recurring failures",
}

func checkRehearsals(st *state, _ *Project, _ time.Time) error {
	timed := 0
	for _, rh := range st.rehearsals {
		s := rh.Summary
		if rh.Rollback || rh.Partial || len(s.Steps) == 0 || s.Duration <= 0 || !s.IsComplete() {
			continue
		}
		if rh.ProductionLike || strings.TrimSpace(rh.Why) != "" {
			return nil
		}
		timed++
	}
	switch {
	case len(st.rehearsals) == 0:
		return errorf("no rehearsal recorded")
	case timed > 0:
		return errorf("no production-like rehearsal among %d complete ones: rehearse in conditions close to production, or record why a run stands for it (RehearsalRun.Why)", timed)
	}
	return errorf("no complete timed rehearsal of the whole runbook among %d recorded", len(st.rehearsals))
}

func checkPlanningMeeting(st *state, _ *Project, at time.Time) error {
	since := st.enteredAt()
	for _, m := range st.meetings {
		if !m.At.Before(since) && !m.At.After(at) {
			return nil
		}
	}
	return errorf("no meeting held since planning began on %s, by %s", since.Format(time.DateOnly), at.Format(time.RFC3339))
}

func checkNoOverdue(st *state, _ *Project, at time.Time) error {
	od := st.overdue(at)
	if len(od) == 0 {
		return nil
	}
	ids := make([]string, len(od))
	for i, a := range od {
		ids[i] = fmt.Sprintf("#%d %s (%s)", a.ID, a.Title, a.Owner)
	}
	return errorf("%d overdue action(s): %s", len(od), strings.Join(ids, ", "))
}

// current returns the project's latest rollout, or nil.
func (st *state) current() *rollout {
	if len(st.rollouts) == 0 {
		return nil
	}
	return st.rollouts[len(st.rollouts)-1]
}

func checkReadiness(st *state, p *Project, at time.Time) error {
	cur := st.current()
	if cur == nil {
		return errorf("no rollout prepared")
	}
	r := cur.readiness
	if err := runReady("readiness", r); err != nil {
		return err
	}
	if ra := r.ReadyAt(); ra.After(at) {
		return errorf("readiness checklist complete at %s, after %s",
			ra.Format(time.RFC3339), at.Format(time.RFC3339))
	}
	lead := st.options(p).ReadinessLead
	by := r.T0().Add(-lead)
	if late := r.Late(by); len(late) > 0 {
		ids := make([]string, len(late))
		for i, it := range late {
			ids[i] = it.ID
		}
		return errorf("readiness items late: %s", strings.Join(ids, ", "))
	}
	if ra := r.ReadyAt(); ra.After(by) {
		return errorf("readiness complete at %s, after T0-%s (%s)",
			ra.Format(time.RFC3339), lead, by.Format(time.RFC3339))
	}
	return nil
}

// checkOperations is R13: probes, a backup process and the record of
// known recurring failures exist before the first go-live.
func checkOperations(st *state, _ *Project, _ time.Time) error {
	if err := runReady("operations-readiness", st.operations); err != nil {
		return err
	}
	return purposesDone(st.operations, "operations-readiness", checklist.Probes, checklist.BackupProcess, checklist.KnownFailures)
}

func checkGo(st *state, _ *Project, at time.Time) error {
	cur := st.current()
	if cur == nil {
		return errorf("no rollout prepared")
	}
	d := cur.decided
	switch d.Verdict {
	case Undecided:
		return errorf("no go/no-go decision yet for %s", cur.name)
	case NoGo:
		return errorf("no-go for %s: %s", cur.name, firstOr(reasonStrings(d.Reasons), "no reason"))
	}
	if d.At.After(at) {
		return errorf("GO given at %s, after %s", d.At.Format(time.RFC3339), at.Format(time.RFC3339))
	}
	if since := st.enteredAt(); d.At.Before(since) {
		return errorf("GO given at %s, before the project entered its current phase at %s: a GO from an earlier stay does not count",
			d.At.Format(time.RFC3339), since.Format(time.RFC3339))
	}
	return nil
}

func checkCutover(st *state, _ *Project, _ time.Time) error {
	cur := st.current()
	switch {
	case cur == nil:
		return errorf("no rollout prepared")
	case cur.finished == nil:
		return errorf("the cutover of %s is not finished (Switchover.Finish)", cur.name)
	}
	return nil
}

// reviewed returns the latest rollout whose cutover finished: the one
// the Review phase reviews, even when the next one is being prepared.
func (st *state) reviewed() *rollout {
	for i := len(st.rollouts) - 1; i >= 0; i-- {
		if st.rollouts[i].finished != nil {
			return st.rollouts[i]
		}
	}
	return nil
}

// checkReviewMeeting: the post-deployment meeting is held after the
// cutover, with operations present (R6, R12).
func checkReviewMeeting(st *state, _ *Project, at time.Time) error {
	cur := st.reviewed()
	if cur == nil || cur.finished == nil {
		return errorf("no finished cutover to review")
	}
	for _, m := range st.meetings {
		if m.At.Before(cur.finished.At) || m.At.After(at) {
			continue
		}
		for _, a := range m.Attendees {
			if i, ok := st.people.find(a); ok && st.people.members[i].has(RoleOperations) {
				return nil
			}
		}
	}
	return errorf("no post-deployment meeting with operations present since the cutover of %s ended at %s",
		cur.name, cur.finished.At.Format(time.RFC3339))
}

// checkLessons: lessons of this project's rollouts (R12), and a decision
// on every failed functional test.
func checkLessons(st *state, _ *Project, _ time.Time) error {
	var errs []error
	cur := st.reviewed()
	found := false
	for _, l := range st.lessons {
		if cur != nil && l.From == cur.name {
			found = true
		}
	}
	if !found {
		errs = append(errs, errorf("no lesson recorded from the review of this rollout"))
	}
	if cur != nil {
		for _, id := range cur.undecidedFailures() {
			errs = append(errs, errorf("functional test %s failed: roll back, or accept it with a reason (Switchover.Accept)", id))
		}
	}
	return joinErrs(errs)
}

// checkLessonsSettled: every lesson applied or waived with a reason (R12).
func checkLessonsSettled(st *state, _ *Project, _ time.Time) error {
	var open []string
	for _, l := range st.lessons {
		if !l.isSettled() {
			open = append(open, fmt.Sprintf("#%d %s", l.ID, l.Text))
		}
	}
	if len(open) > 0 {
		return errorf("%d lesson(s) neither applied nor waived: %s", len(open), strings.Join(open, "; "))
	}
	return nil
}

func firstOr(s []string, def string) string {
	if len(s) > 0 {
		return s[0]
	}
	return def
}

// parseRule returns the rule named "R1" to "R13", or 0.
func parseRule(name string) policy.Rule {
	r, _ := policy.ParseRule(name)
	return r
}
