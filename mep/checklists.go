package mep

import (
	"time"

	"github.com/mepkit/mepkit/checklist"
)

// Checklist is one of the checklist runs of a project: its validation run
// (R4), its operations-readiness run (R13), or a rollout's readiness run
// (R7, R8). Every change is recorded. Get it with [Project.Validation],
// [Project.Operations] or [Rollout.Readiness]; it shares the project's
// lock.
type Checklist struct {
	p       *Project
	run     string
	rollout string // the rollout whose readiness run it is; "" for the project's
}

// Validation returns the project's validation checklist (R4): deliverables
// and installation procedures, offline or under real conditions.
func (p *Project) Validation() Checklist { return Checklist{p: p, run: runValidation} }

// Operations returns the project's operations-readiness checklist (R13):
// probes, the backup process, the known recurring failures, checked
// before the first go-live.
func (p *Project) Operations() Checklist { return Checklist{p: p, run: runOperations} }

// Start starts a run of list against t0 and records it; it replaces an
// earlier run. It returns the list's validation error, and a *FieldError
// for a rollout's readiness run, whose list is the rollout's.
func (c Checklist) Start(list checklist.List, t0 time.Time, by string) error {
	if c.run == runReadiness {
		return fieldErr("readiness", c.rollout, "a rollout's readiness list is set by NewRollout; Reschedule moves its T0")
	}
	if _, err := checklist.NewRun(list, t0); err != nil {
		return err
	}
	return c.p.record(&evChecklist{At: c.p.now(), Run: c.run, List: list.Clone(), T0: t0.Round(0), By: by})
}

// Run returns a copy of the run as the record has it, or nil before
// Start.
func (c Checklist) Run() *checklist.Run {
	var out *checklist.Run
	c.p.read(func(st *state) {
		if run, err := st.run(c.run, c.rollout); err == nil {
			out = run.Clone()
		}
	})
	return out
}

// Check records that item id was done and verified, by whom, when (zero:
// the project's clock), with an optional note. Errors are those of
// checklist.Run.Check, and an error wrapping [ErrNotFound] before Start; nothing is
// recorded then.
func (c Checklist) Check(id, by string, at time.Time, note string) error {
	return c.tick(id, by, at, note, checklist.Done)
}

// Fail records that item id was tried and failed.
func (c Checklist) Fail(id, by string, at time.Time, note string) error {
	return c.tick(id, by, at, note, checklist.Failed)
}

// Waive records that item id does not apply, with the reason.
func (c Checklist) Waive(id, by string, at time.Time, reason string) error {
	return c.tick(id, by, at, reason, checklist.Waived)
}

func (c Checklist) tick(id, by string, at time.Time, note string, s checklist.Status) error {
	return c.p.record(&evTick{At: c.p.stamp(at), Run: c.run, Rollout: c.rollout, Item: id, Status: s, By: by, Note: note})
}

// evChecklist starts a project checklist run: validation (R4) or
// operations readiness (R13).
type evChecklist struct {
	At   time.Time
	Run  string // runValidation or runOperations
	List checklist.List
	T0   time.Time
	By   string

	run *checklist.Run // made by check, taken by apply
}

func (*evChecklist) kind() string      { return "checklist" }
func (v *evChecklist) when() time.Time { return v.At }
func (v *evChecklist) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.need("run", &v.Run)
	c.time("t0", &v.T0)
	c.json("list", &v.List)
}

var _ = register[evChecklist]()

func (v *evChecklist) check(st *state) error {
	if v.Run != runValidation && v.Run != runOperations {
		return fieldErr("run", v.Run, "not validation or operations")
	}
	if !st.mayAct(v.By) {
		return fieldErr("checklist.by", v.By, unknownPerson)
	}
	run, err := checklist.NewRun(v.List, v.T0)
	if err != nil {
		return err
	}
	v.run = run
	return nil
}

func (v *evChecklist) apply(st *state) {
	if v.Run == runValidation {
		st.validation = v.run
	} else {
		st.operations = v.run
	}
}

// evTick is a change to an item of a checklist run: checked, failed or
// waived. Rollout names the rollout whose readiness run it is; "" for a
// project run.
type evTick struct {
	At                 time.Time
	Run, Rollout, Item string
	Status             checklist.Status // Done, Failed or Waived
	By, Note           string

	next *checklist.Run // the run with the change, made by check, taken by apply
}

func (*evTick) kind() string      { return "checklist.tick" }
func (v *evTick) when() time.Time { return v.At }
func (v *evTick) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Note)
	c.need("run", &v.Run)
	c.str("rollout", &v.Rollout)
	c.need("item", &v.Item)
	if c.w != nil {
		c.w.str("status", v.Status.String())
		return
	}
	switch s := c.d.need("status"); s {
	case checklist.Done.String():
		v.Status = checklist.Done
	case checklist.Failed.String():
		v.Status = checklist.Failed
	case checklist.Waived.String():
		v.Status = checklist.Waived
	default:
		c.d.fail("status", s, "not done, failed or waived")
	}
}

var _ = register[evTick]()

// check makes the change on a copy of the run: the run refuses what
// does not follow its rules, and apply takes the copy.
func (v *evTick) check(st *state) error {
	run, err := st.run(v.Run, v.Rollout)
	if err != nil {
		return err
	}
	if !st.mayAct(v.By) {
		// Only members and declared guests act: no item is verified by
		// someone the project does not know (R3, R8).
		return fieldErr("checklist.tick.by", v.By, unknownPerson)
	}
	c := run.Clone()
	// Deadlines are judged on when the tick was recorded: a tick
	// backdated before T-1h does not make a late checklist ready (R7).
	at, note := recordedLate(v.At, st.now, v.Note)
	switch v.Status {
	case checklist.Done:
		err = c.Check(v.Item, v.By, at, note)
	case checklist.Failed:
		err = c.Fail(v.Item, v.By, at, note)
	case checklist.Waived:
		err = c.Waive(v.Item, v.By, at, note)
	default:
		err = fieldErr("status", v.Status.String(), "not done, failed or waived")
	}
	if err != nil {
		return errorf("%s checklist: %w", v.Run, err)
	}
	v.next = c
	return nil
}

func (v *evTick) apply(st *state) {
	switch v.Run {
	case runValidation:
		st.validation = v.next
	case runOperations:
		st.operations = v.next
	default:
		r := st.byName[v.Rollout]
		r.readiness, r.est = v.next, nil
	}
}
