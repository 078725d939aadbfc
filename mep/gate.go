package mep

import (
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/timeline"
)

// Criterion is one exit criterion of a phase: the gate a project passes
// to leave the phase checks every criterion.
type Criterion struct {
	Name string // short, for people: "readiness checklist complete by T-1h"
	Rule string // the method's rule it comes from ("R7"), or "" for the user's own
	// Check returns nil when the criterion holds for p at the instant at,
	// or an error that says what is missing. It is called without any of
	// p's locks held: it may read p, and even change it (the change makes
	// [Project.Advance] check the gate again), but it must not call
	// [Project.Advance] or [Project.GoBack], which wait for the transition
	// in progress: the call would never return.
	Check func(p *Project, at time.Time) error
}

// Unmet is a criterion that did not hold.
type Unmet struct {
	Criterion string
	Rule      string
	Err       error
}

// GateError is a transition refused by a gate: every unmet criterion of
// the gate, not only the first. errors.Is(err, ErrGate) holds, as does
// errors.Is for the errors of the criteria.
type GateError struct {
	From, To Phase
	Unmet    []Unmet
}

func (e *GateError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "mep: gate %s -> %s refused, %d unmet:", e.From, e.To, len(e.Unmet))
	for i, u := range e.Unmet {
		if i > 0 {
			b.WriteString(";")
		}
		b.WriteString(" ")
		if u.Rule != "" {
			fmt.Fprintf(&b, "[%s] ", u.Rule)
		}
		fmt.Fprintf(&b, "%s: %s", u.Criterion, trimPrefix(u.Err.Error()))
	}
	return b.String()
}

// Unwrap returns [ErrGate] and the errors of the unmet criteria.
func (e *GateError) Unwrap() []error {
	errs := make([]error, 0, len(e.Unmet)+1)
	errs = append(errs, ErrGate)
	for _, u := range e.Unmet {
		errs = append(errs, u.Err)
	}
	return errs
}

// AddCriterion adds c to the gate that leaves phase from, after the
// built-in criteria. User criteria are code: they are not saved, and are
// added again after [Load]. It returns a *FieldError for an invalid phase,
// an empty name or a nil Check.
func (p *Project) AddCriterion(from Phase, c Criterion) error {
	switch {
	case !from.IsValid() || from == Operations:
		return fieldErr("criterion.phase", from.String(), "no gate leaves this phase")
	case strings.TrimSpace(c.Name) == "":
		return fieldErr("criterion.name", c.Name, "empty")
	case c.Check == nil:
		return fieldErr("criterion.check", c.Name, "nil")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.criteria[from] = append(p.criteria[from], c)
	p.rev++
	return nil
}

// Gate returns the criteria of the gate that leaves phase from: the
// built-in ones ([Builtin]), then those added with [Project.AddCriterion].
func (p *Project) Gate(from Phase) []Criterion {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.gate(from)
}

// gate requires p.mu held.
func (p *Project) gate(from Phase) []Criterion {
	if !from.IsValid() {
		return nil
	}
	return append(Builtin(from), p.criteria[from]...)
}

// CheckGate checks the gate that leaves the current phase at the instant
// at, without moving: nil if [Project.Advance] would pass it, else a
// *GateError listing every unmet criterion. In [Operations], the last
// phase, it returns an error wrapping [ErrTransition].
func (p *Project) CheckGate(at time.Time) error {
	p.mu.Lock()
	from := p.phase
	crit := p.gate(from)
	p.mu.Unlock()
	if from == Operations {
		return fmt.Errorf("mep: %s is the last phase: %w", from, ErrTransition)
	}
	return p.evaluate(from, crit, at)
}

func (p *Project) evaluate(from Phase, crit []Criterion, at time.Time) error {
	var unmet []Unmet
	for _, c := range crit {
		if err := c.Check(p, at); err != nil {
			unmet = append(unmet, Unmet{Criterion: c.Name, Rule: c.Rule, Err: err})
		}
	}
	if len(unmet) == 0 {
		return nil
	}
	return &GateError{From: from, To: from + 1, Unmet: unmet}
}

// Advance moves the project to the next phase, at the project clock's
// time, if the gate of the current phase holds (R1). by (who) is
// required; reason is optional. The transition is journaled (kind phase)
// before it takes effect.
//
// The criteria run without the project's locks, so that they can read
// it. If the project changes while they run, the gate is checked again on
// the new state, up to eight times in all. A change is one to the
// project's own state (phase, plan, people, lessons, criteria, the
// evidence attached), to its tracker's meetings, actions and cadence, or
// to the state of an attached checklist run (its [checklist.Run.Digest]);
// what a user criterion reads outside the project is not watched. The
// move happens on a state the last check saw.
//
// A refused transition returns a *GateError listing every unmet criterion
// (errors.Is(err, ErrGate)). When the project changed during every check,
// Advance does not move and returns an error wrapping [ErrChanged]: retry.
// Advancing from Operations returns an error wrapping [ErrTransition]; an
// empty by, a *FieldError.
func (p *Project) Advance(by, reason string) (Transition, error) {
	if strings.TrimSpace(by) == "" {
		return Transition{}, fieldErr("transition.by", by, "empty")
	}
	p.transMu.Lock()
	defer p.transMu.Unlock()
	var from Phase
	for range gateChecks {
		p.mu.Lock()
		from = p.phase
		st := p.gateState()
		crit := p.gate(from)
		p.mu.Unlock()
		if from == Operations {
			return Transition{}, fmt.Errorf("mep: %s is the last phase: %w", from, ErrTransition)
		}
		at := p.now()
		if err := p.evaluate(from, crit, at); err != nil {
			return Transition{}, err
		}
		p.mu.Lock()
		if p.gateState() != st {
			p.mu.Unlock()
			continue
		}
		t, err := p.move(Transition{From: from, To: from + 1, By: by, At: at, Reason: reason})
		p.mu.Unlock()
		return t, err
	}
	return Transition{}, fmt.Errorf("mep: gate %s -> %s: the project changed during each of %d checks, retry: %w",
		from, from+1, gateChecks, ErrChanged)
}

// gateChecks is how many times Advance checks a gate while the project
// keeps changing before it gives up.
const gateChecks = 8

// gateState is what a gate check depends on, as far as the project knows.
type gateState struct {
	rev, tracker uint64
	runs         [3]string // digests of the validation, readiness and operations runs
}

// gateState requires p.mu held; it takes the tracker's and the runs' locks.
func (p *Project) gateState() gateState {
	st := gateState{rev: p.rev}
	p.tracker.mu.Lock()
	st.tracker = p.tracker.rev
	p.tracker.mu.Unlock()
	for i, r := range [...]*checklist.Run{p.evidence.Validation, p.evidence.Readiness, p.evidence.Operations} {
		if r != nil {
			st.runs[i] = r.Digest()
		}
	}
	return st
}

// GoBack moves the project back to the earlier phase to, with a reason
// (required), at the project clock's time (R1). Going back passes no gate.
// The transition is journaled before it takes effect. It returns a
// *FieldError for an empty by or reason, and an error wrapping
// [ErrTransition] when to is not an earlier phase.
func (p *Project) GoBack(to Phase, by, reason string) (Transition, error) {
	if strings.TrimSpace(by) == "" {
		return Transition{}, fieldErr("transition.by", by, "empty")
	}
	if strings.TrimSpace(reason) == "" {
		return Transition{}, fieldErr("transition.reason", "", "going back needs a reason (R1)")
	}
	p.transMu.Lock()
	defer p.transMu.Unlock()
	p.mu.Lock()
	defer p.mu.Unlock()
	if !to.IsValid() || to >= p.phase {
		return Transition{}, fmt.Errorf("mep: cannot go back from %s to %s: %w", p.phase, to, ErrTransition)
	}
	return p.move(Transition{From: p.phase, To: to, By: by, At: p.now(), Reason: reason})
}

// move journals and applies t. Requires p.mu held.
func (p *Project) move(t Transition) (Transition, error) {
	if last := p.enteredAt(); t.At.Before(last) {
		t.At = last // a clock stepping back keeps the transitions in order
	}
	dir := "forward"
	if t.IsBack() {
		dir = "back"
	}
	if _, err := p.journal.Record(timeline.Entry{
		At: t.At, Kind: kindPhase, Actor: t.By, Text: t.Reason,
		Attrs: map[string]string{"from": t.From.String(), "to": t.To.String(), "direction": dir},
	}); err != nil {
		return Transition{}, fmt.Errorf("mep: journal transition: %w", err)
	}
	p.transitions = append(p.transitions, t)
	p.phase = t.To
	p.rev++
	return t, nil
}
