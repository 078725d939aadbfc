package mep

import (
	"github.com/mepkit/mepkit/internal/enum"

	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// StepKind says what a runbook step is for. The zero value is [ChangeStep].
type StepKind uint8

// The kinds of runbook steps. Functional tests and observation periods
// follow the switch (METHOD.md, Cutover) and have their own outcome.
const (
	ChangeStep      StepKind = iota // changes production: the switch itself
	TestStep                        // a functional test after the switch
	ObservationStep                 // a period of watching the system
)

var stepKinds = enum.Enum[StepKind]{Package: "mep", Type: "StepKind", What: "step kind", Invalid: ErrInvalid,
	Names:   []string{ChangeStep: "change", TestStep: "test", ObservationStep: "observation"},
	Aliases: map[string]StepKind{"": ChangeStep}, Fail: enumFail("step.kind")}

// String returns "change", "test" or "observation", or "StepKind(N)".
func (k StepKind) String() string { return stepKinds.String(k) }

// MarshalText returns the kind's name; an invalid value is an error.
func (k StepKind) MarshalText() ([]byte, error) { return stepKinds.MarshalText(k) }

// UnmarshalText parses "change" (or ""), "test" or "observation",
// ignoring case; anything else is a *FieldError.
func (k *StepKind) UnmarshalText(b []byte) error { return stepKinds.UnmarshalText(k, b) }

// Step is one line of a rollout's runbook.
type Step struct {
	ID     string          `json:"id"`              // unique in the runbook, one line without control characters; the journal's step ID
	Title  string          `json:"title,omitempty"` // for people
	Owner  string          `json:"owner,omitempty"` // who carries it out
	Kind   StepKind        `json:"kind,omitempty"`
	Impact timeline.Impact `json:"impact,omitempty"` // what it does to users
	// Expected is how long the step should take. Zero: from the
	// rehearsals (R5), once there is one.
	Expected time.Duration `json:"expected,omitempty"`
	// DependsOn lists the steps that must be done or skipped before this
	// one starts. Empty: every earlier step of the runbook outside this
	// step's Group (R10: the runbook's order, to the letter).
	DependsOn []string `json:"depends_on,omitempty"`
	// Group names a set of consecutive steps that may run in parallel:
	// none of them waits for the others.
	Group string `json:"group,omitempty"`
	// Rollback is the procedure that undoes the step, for people; a
	// rollback runs the steps that have one, in reverse order.
	Rollback string `json:"rollback,omitempty"`
	// PointOfNoReturn marks the step after whose start the cutover can no
	// longer be rolled back: the only way is forward.
	PointOfNoReturn bool `json:"point_of_no_return,omitempty"`
}

func (s Step) equal(o Step) bool {
	return s.ID == o.ID && s.Title == o.Title && s.Owner == o.Owner && s.Kind == o.Kind && s.Impact == o.Impact &&
		s.Expected == o.Expected && slices.Equal(s.DependsOn, o.DependsOn) && s.Group == o.Group &&
		s.Rollback == o.Rollback && s.PointOfNoReturn == o.PointOfNoReturn
}

// validateRunbook reports a *FieldError for an empty runbook, an empty or
// repeated ID, an invalid kind or impact, or a negative duration.
func validateRunbook(steps []Step) error {
	if len(steps) > maxSteps {
		return fieldErr("runbook", fmt.Sprint(len(steps)), fmt.Sprintf("more than %d steps", maxSteps))
	}
	if len(steps) == 0 {
		return fieldErr("runbook", "", "no step")
	}
	seen := make(map[string]bool, len(steps))
	var total time.Duration
	for i, s := range steps {
		if s.Expected > maxCutover-total {
			return fieldErr(stepField(i, "expected"), s.Expected.String(), "the runbook's expected durations add up to more than a year")
		}
		total += s.Expected
		switch {
		case strings.TrimSpace(s.ID) == "":
			return fieldErr(stepField(i, "id"), s.ID, "empty")
		case seen[s.ID]:
			return fieldErr(stepField(i, "id"), s.ID, "repeated")
		case !stepKinds.Valid(s.Kind):
			return fieldErr(stepField(i, "kind"), s.Kind.String(), "invalid step kind")
		case !s.Impact.IsValid():
			return fieldErr(stepField(i, "impact"), s.Impact.String(), "invalid impact")
		case s.Expected < 0:
			return fieldErr(stepField(i, "expected"), s.Expected.String(), "negative")
		}
		for j, d := range s.DependsOn {
			if !seen[d] {
				return fieldErr(stepField(i, fmt.Sprintf("depends_on[%d]", j)), d, "not an earlier step of the runbook")
			}
		}
		seen[s.ID] = true
	}
	return nil
}

// stepField names field sub of the runbook's step i: "runbook[3].id".
// Built only for an error: a replay validates runbooks of thousands of
// steps.
func stepField(i int, sub string) string {
	return "runbook[" + strconv.Itoa(i) + "]." + sub
}

// checkStepIDs reports a *FieldError naming the first step whose ID
// holds a control character, a line separator or a direction override
// (see breaksLine): a step ID prints on one line in reports, cutover
// boards and terminals, where such a character would forge a line,
// rewrite the screen or reorder what follows; the journal refuses it as
// a step name for the same reason. It holds for a rollout being created;
// a record that holds one, written before the rule, still opens and its
// cutover goes on.
func checkStepIDs(steps []Step) error {
	for i, s := range steps {
		if breaksLine(s.ID) {
			return fieldErr(stepField(i, "id"), s.ID, notOneLine)
		}
	}
	return nil
}

// notOneLine is the reason a name or a step ID that breaksLine is
// refused.
const notOneLine = "holds a control character (a line break, a tab, an escape), a line separator or a direction override: it is printed on one line"

// breaksLine reports whether s holds a character that breaks or rewrites
// the line it prints on (see timeline.BreaksLine): the journal refuses
// such a step, actor or kind.
func breaksLine(s string) bool { return strings.IndexFunc(s, timeline.BreaksLine) >= 0 }

// Bounds of a runbook: its steps are one fact of the record, a line of at
// most timeline.MaxLineSize, and its expected durations add up without
// overflow.
const (
	maxSteps   = 5000
	maxCutover = 366 * 24 * time.Hour
)
