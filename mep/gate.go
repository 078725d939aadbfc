package mep

import (
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// Criterion is one exit criterion of a phase: the gate a project passes
// to leave the phase checks every criterion.
type Criterion struct {
	Name string // short, for people: "readiness checklist complete by T-1h"
	Rule string // the method's rule it comes from ("R7"), or "" for the user's own
	// Check returns nil when the criterion holds for p at the instant at,
	// or an error that says what is missing. It is called without p's
	// lock held: it may read p, and even change it (the change makes
	// [Project.Advance] check the gate again).
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

func (e *GateError) Error() string { return prefix + e.detail() }

func (e *GateError) detail() string {
	var b strings.Builder
	fmt.Fprintf(&b, "gate %s -> %s refused, %d unmet:", e.From, e.To, len(e.Unmet))
	for i, u := range e.Unmet {
		if i > 0 {
			b.WriteString(";")
		}
		b.WriteString(" ")
		if u.Rule != "" {
			fmt.Fprintf(&b, "[%s] ", u.Rule)
		}
		fmt.Fprintf(&b, "%s: %s", u.Criterion, detail(u.Err))
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
// built-in criteria. User criteria are code: they are not in the record,
// and are added again after [Open]. It returns a *FieldError for an
// invalid phase, an empty name or a nil Check.
func (p *Project) AddCriterion(from Phase, c Criterion) error {
	switch {
	case !from.isValid() || from == Operations:
		return fieldErr("criterion.phase", from.String(), "no gate leaves this phase")
	case strings.TrimSpace(c.Name) == "":
		return fieldErr("criterion.name", c.Name, "empty")
	case c.Check == nil:
		return fieldErr("criterion.check", c.Name, "nil")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.criteria[from] = append(p.criteria[from], c)
	p.crev++
	return nil
}

// gate requires p.mu held.
func (p *Project) gate(from Phase) []Criterion {
	if !from.isValid() {
		return nil
	}
	return append(builtin(from), p.criteria[from]...)
}

// CheckGate checks the gate that leaves the current phase at the instant
// at, without moving: nil if [Project.Advance] would pass it, else a
// *GateError listing every unmet criterion. In [Operations], the last
// phase, it returns an error wrapping [ErrTransition].
func (p *Project) CheckGate(at time.Time) error {
	p.mu.Lock()
	from := p.st.phase
	crit := p.gate(from)
	p.mu.Unlock()
	if from == Operations {
		return errorf("%s is the last phase: %w", from, ErrTransition)
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
// required; reason is optional. The transition is recorded.
//
// The criteria run without the project's lock, so that they can read
// it. If the project changes while they run (any fact recorded, or a
// criterion added), the gate is checked again on the new state, up to
// eight times in all: the move happens on a state the last check saw.
//
// A refused transition returns a *GateError listing every unmet criterion
// (errors.Is(err, ErrGate)). When the project changed during every check,
// Advance does not move and returns an error wrapping [timeline.ErrConflict]: retry.
// Advancing from Operations returns an error wrapping [ErrTransition]; an
// empty by, a *FieldError.
func (p *Project) Advance(by, reason string) (Transition, error) {
	if strings.TrimSpace(by) == "" {
		return Transition{}, fieldErr("transition.by", by, "empty")
	}
	var from Phase
	for range maxAttempts {
		p.mu.Lock()
		_ = p.catchUp()
		from = p.st.phase
		seq, crev := p.st.seq, p.crev
		crit := p.gate(from)
		p.mu.Unlock()
		if from == Operations {
			return Transition{}, errorf("%s is the last phase: %w", from, ErrTransition)
		}
		at := p.now()
		if err := p.evaluate(from, crit, at); err != nil {
			return Transition{}, err
		}
		t := &evPhase{At: at, From: from, To: from + 1, By: by, Reason: reason, gated: true, seen: seq, crev: crev}
		err := p.record(t)
		if err == errChanged {
			continue
		}
		if err != nil {
			return Transition{}, err
		}
		return t.transition(), nil
	}
	return Transition{}, errorf("gate %s -> %s: the project changed during each of %d checks, retry: %w",
		from, from+1, maxAttempts, timeline.ErrConflict)
}

// errChanged stops a transition whose gate was checked on an older state.
var errChanged = sentinel("changed since the gate was checked")

// GoBack moves the project back to the earlier phase to, with a reason
// (required), at the project clock's time (R1). Going back passes no gate.
// The transition is recorded. It returns a *FieldError for an empty by or
// reason, and an error wrapping [ErrTransition] when to is not an earlier
// phase.
func (p *Project) GoBack(to Phase, by, reason string) (Transition, error) {
	if strings.TrimSpace(by) == "" {
		return Transition{}, fieldErr("transition.by", by, "empty")
	}
	if strings.TrimSpace(reason) == "" {
		return Transition{}, fieldErr("transition.reason", "", "going back needs a reason (R1)")
	}
	t := &evPhase{At: p.now(), To: to, By: by, Reason: reason}
	if err := p.record(t); err != nil {
		return Transition{}, err
	}
	return t.transition(), nil
}

// evPhase is a transition (R1).
type evPhase struct {
	At         time.Time
	From, To   Phase
	By, Reason string

	// Not in the record: a transition forward was gated on the state at
	// seq seen and the criteria at revision crev.
	gated      bool
	seen, crev uint64
}

// prepare takes the phase to leave from the state (going back), refuses
// a transition forward whose gate was checked on an older state, and
// keeps the transitions in time order when the clock steps back.
func (v *evPhase) prepare(p *Project, st *state) error {
	if v.gated {
		if st.seq != v.seen || p.crev != v.crev {
			return errChanged
		}
	} else {
		if !v.To.isValid() || v.To >= st.phase {
			return errorf("cannot go back from %s to %s: %w", st.phase, v.To, ErrTransition)
		}
		v.From = st.phase
	}
	if last := st.enteredAt(); v.At.Before(last) {
		v.At = last
	}
	return nil
}

func (v *evPhase) transition() Transition {
	return Transition{From: v.From, To: v.To, By: v.By, At: v.At, Reason: v.Reason}
}

func (*evPhase) kind() string      { return "phase" }
func (v *evPhase) when() time.Time { return v.At }
func (v *evPhase) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Reason)
	c.enum("from", &v.From)
	c.require("to")
	c.enum("to", &v.To)
}

var _ = register[evPhase]()

// check refuses a transition that does not start from the current phase,
// or that the method never allows (R1): skipping ahead, or going back
// without a reason.
func (v *evPhase) check(st *state) error {
	switch {
	case v.From != st.phase:
		return errorf("transition from %s while in %s: %w", v.From, st.phase, ErrTransition)
	case !v.To.isValid():
		return fieldErr("transition.to", v.To.String(), "invalid phase")
	case v.To == v.From+1:
	case v.To < v.From && strings.TrimSpace(v.Reason) != "":
	default:
		return errorf("cannot move from %s to %s: %w", v.From, v.To, ErrTransition)
	}
	if strings.TrimSpace(v.By) == "" {
		return fieldErr("transition.by", v.By, "empty")
	}
	if v.To == v.From+1 && st.opts != nil {
		// A record that does not state its options was written by a
		// mepkit whose criteria differed: its transitions stand as gated.
		return st.gateHolds(v.From, v.At)
	}
	return nil
}

// gateHolds returns a *GateError listing the method's criteria of the
// gate that leaves from that do not hold at at on st: what the record
// alone says of the gate, checked again as the transition is written
// (after Advance checked every criterion, the user's too) and on replay,
// so that a phase entered without its gate is refused (R1).
func (st *state) gateHolds(from Phase, at time.Time) error {
	var unmet []Unmet
	for _, m := range methodCriteria(from) {
		if err := m.check(st, nil, at); err != nil {
			unmet = append(unmet, Unmet{Criterion: m.name, Rule: m.rule, Err: err})
		}
	}
	if len(unmet) == 0 {
		return nil
	}
	return &GateError{From: from, To: from + 1, Unmet: unmet}
}

func (v *evPhase) apply(st *state) {
	st.transitions = append(st.transitions, v.transition())
	st.phase = v.To
}
