package risk

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// ErrInvalid is wrapped by every *FieldError: bad input.
var ErrInvalid = errors.New("risk: invalid input")

// FieldError reports an invalid runbook or options. Field names the field
// with its path ("runbook[2].depends_on[0]", "options.trials"); Value is
// the offending value as text, if any.
type FieldError struct {
	Field  string
	Value  string
	Reason string
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("risk: %s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("risk: %s %q: %s", e.Field, e.Value, e.Reason)
}

// Unwrap returns [ErrInvalid].
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldErr(field, value, reason string) error {
	return &FieldError{Field: field, Value: value, Reason: reason}
}

// Step is one step of a runbook, as the simulation sees it. The zero Step
// (but for its ID) waits for every earlier step, cuts nobody off and is
// known only from its rehearsals.
type Step struct {
	// ID is the step's name, unique in the runbook; Attempt.Step refers
	// to it.
	ID string
	// DependsOn lists earlier steps that must end before this one starts.
	// Empty: every earlier step of the runbook outside this step's Group
	// (rule R10: the runbook's order, to the letter).
	DependsOn []string
	// Group names a set of consecutive steps that may run in parallel:
	// none of them waits for the others.
	Group string
	// Outage reports that the step cuts users off: its time counts in
	// [Overrun.Outage].
	Outage bool
	// Expected is how long the step should take, used only when no
	// rehearsal timed it. Zero: not known.
	Expected time.Duration
	// Reversible reports that the step has a rollback procedure: a
	// rollback ([SimulateRollback]) undoes it.
	Reversible bool
}

// Run is one timed rehearsal of a runbook: the attempts of its steps, as
// its journal recorded them, and its conditions.
type Run struct {
	// Attempts are the timed attempts of its steps, in any order. A step
	// that failed and was retried has several: its elapsed time runs from
	// its first start to its last end, failures and retries included.
	Attempts []Attempt
	// ProductionLike reports that the run took place in conditions as
	// close to production as possible (R5): a step timed by any such run
	// is drawn from them alone.
	ProductionLike bool
	// Rollback reports that the run rehearsed the rollback: its attempts
	// time the undoing of the steps, for [SimulateRollback] only.
	Rollback bool
}

// Attempt is one attempt of a step in a [Run]: when it started and
// ended, and whether it failed. Start and End carry when the run took
// place: a run's hand-overs between steps are read from them.
type Attempt struct {
	Step       string    // the Step.ID it times
	Start, End time.Time // End before Start: ignored, and counted in a warning
	// Failed reports that the attempt failed: a retry follows, or the run
	// stopped there. It counts in the step's elapsed time as observed.
	Failed bool
	// Open reports that the attempt never ended: it is ignored.
	Open bool
}

// Bounds of the input.
const (
	// maxSteps bounds a runbook: the model keeps a bit per pair of steps.
	maxSteps = 10_000
	// maxCutover bounds a timing, and the sum of a runbook's Expected
	// durations: a year.
	maxCutover = 366 * 24 * time.Hour
)

// validate reports a *FieldError for an empty runbook, an empty or
// repeated ID, a dependency that is not an earlier step, or a negative
// or overlong Expected duration.
func validate(steps []Step) error {
	if len(steps) > maxSteps {
		return fieldErr("runbook", fmt.Sprint(len(steps)), fmt.Sprintf("more than %d steps", maxSteps))
	}
	if len(steps) == 0 {
		return fieldErr("runbook", "", "no step")
	}
	seen := make(map[string]bool, len(steps))
	var total time.Duration
	for i, s := range steps {
		field := func() string { return fmt.Sprintf("runbook[%d]", i) } // for an error only
		switch {
		case strings.TrimSpace(s.ID) == "":
			return fieldErr(field()+".id", s.ID, "empty")
		case seen[s.ID]:
			return fieldErr(field()+".id", s.ID, "repeated")
		case s.Expected < 0:
			return fieldErr(field()+".expected", s.Expected.String(), "negative")
		case s.Expected > maxCutover-total:
			return fieldErr(field()+".expected", s.Expected.String(), "the runbook's expected durations add up to more than a year")
		}
		total += s.Expected
		for j, d := range s.DependsOn {
			if !seen[d] {
				return fieldErr(fmt.Sprintf("%s.depends_on[%d]", field(), j), d, "not an earlier step of the runbook")
			}
		}
		seen[s.ID] = true
	}
	return nil
}
