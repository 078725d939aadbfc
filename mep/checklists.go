package mep

import (
	"time"

	"github.com/mepkit/mepkit/checklist"
)

// Checklist is one of a project's own checklist runs: the validation run
// (R4) or the operations-readiness run (R13). Every change is recorded.
// Get it with [Project.Validation] or [Project.Operations]; it shares the
// project's lock. A rollout's readiness run is the rollout's
// ([Rollout.Check]).
type Checklist struct {
	p   *Project
	run string
}

// Validation returns the project's validation checklist (R4): deliverables
// and installation procedures, offline or under real conditions.
func (p *Project) Validation() Checklist { return Checklist{p, runValidation} }

// Operations returns the project's operations-readiness checklist (R13):
// probes, the backup process, the known recurring failures, checked
// before the first go-live.
func (p *Project) Operations() Checklist { return Checklist{p, runOperations} }

// Start starts a run of list against t0 and records it; it replaces an
// earlier run. It returns the list's validation error.
func (c Checklist) Start(list checklist.List, t0 time.Time, by string) error {
	if _, err := checklist.NewRun(list, t0); err != nil {
		return err
	}
	list = list.Clone()
	return c.p.write(func(*state) (event, error) {
		return &evChecklist{At: c.p.now(), Run: c.run, List: list, T0: t0.Round(0), By: by}, nil
	})
}

// Run returns a copy of the run as the record has it, or nil before
// Start.
func (c Checklist) Run() *checklist.Run {
	var out *checklist.Run
	c.p.read(func(st *state) {
		if run, err := st.run(c.run, ""); err == nil {
			out = cloneRun(run)
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
	return c.p.write(func(st *state) (event, error) {
		run, err := st.run(c.run, "")
		if err != nil {
			return nil, err
		}
		return tryTick(run, &evTick{At: c.p.stamp(at), Run: c.run, Item: id, Status: s, By: by, Note: note})
	})
}
