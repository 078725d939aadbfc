package mep

import (
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
)

// Builtin returns the method's own exit criteria for the gate that leaves
// phase from (METHOD.md), in the order they are checked:
//
//   - Scoping: a planned time for every phase from Scoping to Review and a
//     builder named (R1, R2).
//   - Build: at least one member with the MCO role, the go-live team
//     chosen, with every MCO member in it, and a builder named as the MCO
//     team's contact (R3), as [Project.CheckTeam] checks.
//   - Validation: the validation checklist run is complete, and installation
//     procedures were checked, not only deliverables: an item whose section
//     or ID mentions "install" is done, as in [checklist.Validation] (R4).
//   - Rehearsal: at least one rehearsal with recorded step timings (R5).
//   - Planning: a meeting held since Planning began and by the gate's
//     instant, no overdue action at that instant (R6).
//   - Preparation: the readiness checklist complete by the gate's instant
//     and by T0 minus the readiness lead, with no late item (R7, R8), and
//     the operations team's final GO, given after it, since the project
//     last entered Preparation and by the gate's instant (R9): a GO given
//     before going back to an earlier phase does not count.
//   - Cutover: the cutover's journal summary attached, every step ended
//     (R10).
//   - Review: at least one lesson recorded (R12).
//   - Industrialization: the operations-readiness checklist complete, with
//     items checked done for probes, the backup process and the known
//     recurring failures: items whose section or ID mentions "probe",
//     "backup" and "failure", as in [checklist.Operations] (R13).
//
// Operations, the last phase, has no gate: Builtin returns nil, as it
// does for an invalid phase. The slice is new at each call.
func Builtin(from Phase) []Criterion {
	switch from {
	case Scoping:
		return []Criterion{
			{Name: "phase budget planned", Rule: "R2", Check: checkPlanned},
			{Name: "builders named", Rule: "R1", Check: checkBuilders},
		}
	case Build:
		return []Criterion{{Name: "go-live team", Rule: "R3", Check: checkTeam}}
	case Validation:
		return []Criterion{
			{Name: "validation checklist complete", Rule: "R4", Check: checkValidation},
			{Name: "installation procedures checked", Rule: "R4", Check: checkInstallation},
		}
	case Rehearsal:
		return []Criterion{{Name: "rehearsal timings recorded", Rule: "R5", Check: checkRehearsals}}
	case Planning:
		return []Criterion{
			{Name: "planning meeting held", Rule: "R6", Check: checkPlanningMeeting},
			{Name: "no overdue action", Rule: "R6", Check: checkNoOverdue},
		}
	case Preparation:
		return []Criterion{
			{Name: "readiness checklist complete in time", Rule: "R7", Check: checkReadiness},
			{Name: "operations GO", Rule: "R9", Check: checkGo},
		}
	case Cutover:
		return []Criterion{{Name: "cutover journaled", Rule: "R10", Check: checkCutover}}
	case Review:
		return []Criterion{{Name: "lessons recorded", Rule: "R12", Check: checkLessons}}
	case Industrialization:
		return []Criterion{
			{Name: "operations-readiness checklist complete", Rule: "R13", Check: checkOperations},
			{Name: "probes in place", Rule: "R13", Check: opsItem("probe", "probes")},
			{Name: "backup process", Rule: "R13", Check: opsItem("backup", "backup process")},
			{Name: "known failures recorded", Rule: "R13", Check: opsItem("failure", "record of known failures")},
		}
	}
	return nil
}

func checkPlanned(p *Project, _ time.Time) error {
	b := p.Budget(time.Time{})
	var missing []string
	for _, pt := range b.Phases {
		if budgetPhase(pt.Phase) && pt.Planned <= 0 {
			missing = append(missing, pt.Phase.String())
		}
	}
	if len(missing) > 0 {
		return fmt.Errorf("mep: no planned time for %s", strings.Join(missing, ", "))
	}
	return nil
}

func checkBuilders(p *Project, _ time.Time) error {
	if len(p.WithRole(RoleBuild)) == 0 {
		return fmt.Errorf("mep: no member with the build role")
	}
	return nil
}

func checkTeam(p *Project, _ time.Time) error { return p.CheckTeam() }

// runReady explains why run r is not complete, or returns nil.
func runReady(what string, r *checklist.Run) error {
	if r == nil {
		return fmt.Errorf("mep: no %s checklist run attached", what)
	}
	if r.Ready() {
		return nil
	}
	pr := r.Progress()
	return fmt.Errorf("mep: %s checklist not complete: %d required item(s) pending, %d failed",
		what, pr.RequiredPending, pr.Failed)
}

func checkValidation(p *Project, _ time.Time) error {
	return runReady("validation", p.Evidence().Validation)
}

// mentions reports whether a checklist item's section or ID mentions word.
func mentions(it checklist.Item, word string) bool {
	return strings.Contains(strings.ToLower(it.Section+" "+it.ID), word)
}

// itemDone explains why run r has no item mentioning word checked done.
func itemDone(r *checklist.Run, what, word, desc string) error {
	if r == nil {
		return fmt.Errorf("mep: no %s checklist run attached", what)
	}
	found := false
	for _, res := range r.Results() {
		if !mentions(res.Item, word) {
			continue
		}
		found = true
		if res.Status == checklist.Done {
			return nil
		}
	}
	if !found {
		return fmt.Errorf("mep: the %s checklist has no item for the %s (a section or ID mentioning %q)", what, desc, word)
	}
	return fmt.Errorf("mep: no %s item checked done", desc)
}

func checkInstallation(p *Project, _ time.Time) error {
	return itemDone(p.Evidence().Validation, "validation", "install", "installation procedures")
}

func opsItem(word, desc string) func(*Project, time.Time) error {
	return func(p *Project, _ time.Time) error {
		return itemDone(p.Evidence().Operations, "operations-readiness", word, desc)
	}
}

func checkRehearsals(p *Project, _ time.Time) error {
	ev := p.Evidence()
	for _, s := range ev.Rehearsals {
		if len(s.Steps) > 0 && s.Duration > 0 && s.IsComplete() {
			return nil
		}
	}
	if len(ev.Rehearsals) == 0 {
		return fmt.Errorf("mep: no rehearsal recorded")
	}
	return fmt.Errorf("mep: no complete timed rehearsal among %d recorded", len(ev.Rehearsals))
}

func checkPlanningMeeting(p *Project, at time.Time) error {
	since := p.EnteredAt()
	for _, m := range p.Tracker().Meetings() {
		if !m.At.Before(since) && !m.At.After(at) {
			return nil
		}
	}
	return fmt.Errorf("mep: no meeting held since planning began on %s, by %s", since.Format(time.DateOnly), at.Format(time.RFC3339))
}

func checkNoOverdue(p *Project, at time.Time) error {
	od := p.Tracker().Overdue(at)
	if len(od) == 0 {
		return nil
	}
	ids := make([]string, len(od))
	for i, a := range od {
		ids[i] = fmt.Sprintf("#%d %s (%s)", a.ID, a.Title, a.Owner)
	}
	return fmt.Errorf("mep: %d overdue action(s): %s", len(od), strings.Join(ids, ", "))
}

func checkReadiness(p *Project, at time.Time) error {
	r := p.Evidence().Readiness
	if err := runReady("readiness", r); err != nil {
		return err
	}
	if ra := r.ReadyAt(); ra.After(at) {
		return fmt.Errorf("mep: readiness checklist complete at %s, after %s",
			ra.Format(time.RFC3339), at.Format(time.RFC3339))
	}
	t0 := r.T0()
	by := t0.Add(-p.lead)
	if late := r.Late(by); len(late) > 0 {
		ids := make([]string, len(late))
		for i, it := range late {
			ids[i] = it.ID
		}
		return fmt.Errorf("mep: readiness items late: %s", strings.Join(ids, ", "))
	}
	if ra := r.ReadyAt(); ra.After(by) {
		return fmt.Errorf("mep: readiness complete at %s, after T0-%s (%s)",
			ra.Format(time.RFC3339), p.lead, by.Format(time.RFC3339))
	}
	return nil
}

func checkGo(p *Project, at time.Time) error {
	d := p.Evidence().Go
	switch d.Decision {
	case Undecided:
		return fmt.Errorf("mep: no go/no-go decision yet")
	case NoGo:
		return fmt.Errorf("mep: no-go given by %s: %s", d.By, d.Reason)
	}
	if d.At.After(at) {
		return fmt.Errorf("mep: GO given at %s, after %s", d.At.Format(time.RFC3339), at.Format(time.RFC3339))
	}
	if since := p.EnteredAt(); d.At.Before(since) {
		return fmt.Errorf("mep: GO given at %s, before the project entered its current phase at %s: a GO from an earlier stay does not count",
			d.At.Format(time.RFC3339), since.Format(time.RFC3339))
	}
	if m, ok := p.Member(d.By); !ok || !m.Has(RoleOperations) {
		return fmt.Errorf("mep: GO given by %q, who is not a member with the operations role", d.By)
	}
	if r := p.Evidence().Readiness; r != nil {
		if ra := r.ReadyAt(); ra.After(at) {
			return fmt.Errorf("mep: readiness checklist complete at %s, after %s",
				ra.Format(time.RFC3339), at.Format(time.RFC3339))
		}
		if ra := r.ReadyAt(); !ra.IsZero() && d.At.Before(ra) {
			return fmt.Errorf("mep: GO given at %s, before readiness was complete at %s",
				d.At.Format(time.RFC3339), ra.Format(time.RFC3339))
		}
	}
	return nil
}

func checkCutover(p *Project, _ time.Time) error {
	s := p.Evidence().Cutover
	switch {
	case s == nil:
		return fmt.Errorf("mep: no cutover summary attached")
	case len(s.Steps) == 0:
		return fmt.Errorf("mep: the cutover summary has no step")
	case !s.IsComplete():
		return fmt.Errorf("mep: %d cutover step(s) still running", s.Open)
	}
	return nil
}

func checkLessons(p *Project, _ time.Time) error {
	if len(p.Lessons()) == 0 {
		return fmt.Errorf("mep: no lesson recorded from the review")
	}
	return nil
}

func checkOperations(p *Project, _ time.Time) error {
	return runReady("operations-readiness", p.Evidence().Operations)
}
