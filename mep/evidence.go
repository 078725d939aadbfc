package mep

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/timeline"
)

// Decision is the outcome of a go/no-go. The zero value is [Undecided],
// never [Go].
type Decision uint8

// The go/no-go outcomes.
const (
	Undecided Decision = iota // no decision yet: the cutover may not start
	Go                        // go: the cutover may start (R9)
	NoGo                      // no-go: the cutover does not start
)

var decisionNames = [...]string{Undecided: "undecided", Go: "go", NoGo: "no-go"}

// String returns "undecided", "go" or "no-go", or "decision(N)".
func (d Decision) String() string {
	if int(d) < len(decisionNames) {
		return decisionNames[d]
	}
	return fmt.Sprintf("decision(%d)", uint8(d))
}

// MarshalText returns the decision's name; an invalid value is an error.
func (d Decision) MarshalText() ([]byte, error) {
	if int(d) >= len(decisionNames) {
		return nil, fieldErr("decision", d.String(), "invalid decision")
	}
	return []byte(decisionNames[d]), nil
}

// UnmarshalText parses "undecided" (or ""), "go" or "no-go", ignoring case.
func (d *Decision) UnmarshalText(b []byte) error {
	k := strings.ToLower(strings.TrimSpace(string(b)))
	if k == "" {
		*d = Undecided
		return nil
	}
	for i, n := range decisionNames {
		if k == n {
			*d = Decision(i)
			return nil
		}
	}
	return fieldErr("decision", string(b), "unknown decision")
}

// GoDecision is the operations team's final go/no-go (R9). How it is
// reached (votes, checks) is the rollout's business; the gate from
// [Preparation] to [Cutover] reads the decision. The zero value is
// undecided.
type GoDecision struct {
	Decision Decision  `json:"decision"`
	By       string    `json:"by,omitempty"` // a GO: the member with RoleOperations who gave it; a no-go: who voted it, or the rollout that refused
	At       time.Time `json:"at,omitzero"`
	Reason   string    `json:"reason,omitempty"`
}

func (d GoDecision) validate() error {
	if int(d.Decision) >= len(decisionNames) {
		return fieldErr("go_decision.decision", d.Decision.String(), "invalid decision")
	}
	if d.Decision == Undecided {
		return nil
	}
	if strings.TrimSpace(d.By) == "" {
		return fieldErr("go_decision.by", d.By, "empty")
	}
	if d.At.IsZero() {
		return fieldErr("go_decision.at", "", "zero time")
	}
	return nil
}

// Evidence is what the built-in gate criteria read: the results of the
// work done in each phase. Each field is set by a Project setter as the
// work is done, by hand or by the rollout. A nil run or an empty slice
// means "not there yet". Checklist runs are shared, not copied: they are
// safe for concurrent use and the gates read their current state.
type Evidence struct {
	// Validation is the validation checklist run (R4): deliverables and
	// installation procedures, offline or under real conditions.
	Validation *checklist.Run
	// Rehearsals are the summaries of the timed rehearsals (R5).
	Rehearsals []timeline.Summary
	// Readiness is the preparation checklist run against the cutover's T0
	// (R7, R8).
	Readiness *checklist.Run
	// Go is the operations team's final go/no-go (R9).
	Go GoDecision
	// Cutover is the summary of the cutover's journal (R10).
	Cutover *timeline.Summary
	// Operations is the operations-readiness checklist run (R13): probes,
	// backup process, known recurring failures.
	Operations *checklist.Run
}

func (e Evidence) clone() Evidence {
	e.Rehearsals = append([]timeline.Summary(nil), e.Rehearsals...)
	if e.Cutover != nil {
		c := *e.Cutover
		e.Cutover = &c
	}
	return e
}

// checkSummary reports a *FieldError, with field as the path prefix, for
// a summary that [timeline.Summarize] would not have made: an Open count
// that is not the number of open steps, a Duration that is not End minus
// Start, an open step with an end, a closed step that ends before it
// starts or whose Duration is not its End minus its Start, an Outage or a
// Disruption that is negative or longer, together, than Duration.
func checkSummary(field string, s *timeline.Summary) error {
	dur := func(d time.Duration) string { return d.String() }
	switch {
	case s.Entries < 0:
		return fieldErr(field+".entries", strconv.Itoa(s.Entries), "negative")
	case s.End.Before(s.Start):
		return fieldErr(field+".end", s.End.Format(time.RFC3339), "before the start")
	case s.Duration != s.End.Sub(s.Start):
		return fieldErr(field+".duration", dur(s.Duration), "not end minus start, "+dur(s.End.Sub(s.Start)))
	case s.Outage < 0:
		return fieldErr(field+".outage", dur(s.Outage), "negative")
	case s.Disruption < 0:
		return fieldErr(field+".disruption", dur(s.Disruption), "negative")
	case s.Outage > s.Duration:
		return fieldErr(field+".outage", dur(s.Outage), "longer than the duration, "+dur(s.Duration))
	case s.Disruption > s.Duration-s.Outage:
		return fieldErr(field+".disruption", dur(s.Disruption), "longer than the duration less the outage, "+dur(s.Duration-s.Outage))
	}
	open := 0
	for k, sp := range s.Steps {
		f := fmt.Sprintf("%s.steps[%d]", field, k)
		if sp.Open {
			open++
			if !sp.End.IsZero() || sp.Duration != 0 {
				return fieldErr(f+".end", sp.End.Format(time.RFC3339), "set on an open step")
			}
			continue
		}
		switch {
		case sp.End.Before(sp.Start):
			return fieldErr(f+".end", sp.End.Format(time.RFC3339), "before the step's start")
		case sp.Duration != sp.End.Sub(sp.Start):
			return fieldErr(f+".duration", dur(sp.Duration), "not end minus start, "+dur(sp.End.Sub(sp.Start)))
		}
	}
	if s.Open != open {
		return fieldErr(field+".open", strconv.Itoa(s.Open), fmt.Sprintf("%d step(s) are open", open))
	}
	return nil
}
