package mep

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// Names of the project's own checklist runs.
const (
	runValidation = "validation" // R4
	runOperations = "operations" // R13
	runReadiness  = "readiness"  // a rollout's (R7, R8)
)

// state is a project as its record says: the fold of its events. Only
// apply changes it.
type state struct {
	seq          uint64 // the last entry applied
	name         string
	created      time.Time
	rolloutsOnly bool
	freezeOff    *evOptOut

	phase       Phase
	transitions []Transition
	planned     [numPhases]time.Duration

	people people

	cadence  Cadence
	meetings []Meeting // meetings[i].ID == i+1
	actions  []Action  // actions[i].ID == i+1
	latest   int       // index+1 of the latest meeting by At; 0: none

	lessons []Lesson

	validation, operations *checklist.Run
	rehearsals             []RehearsalRun

	rollouts []*rollout
	byName   map[string]*rollout
}

// rollout is a rollout as the record says.
type rollout struct {
	name      string
	created   time.Time
	env       string
	labels    map[string]string
	t0        time.Time
	gen       uint64 // bumped when T0 moves
	runbook   []Step
	index     map[string]int
	readiness *checklist.Run
	roles     []Role
	quorum    map[Role]int
	margin    float64

	rehearsals []RehearsalRun
	votes      []Vote
	decided    Decision
	override   *policy.Override
	steps      []timeline.Entry // start and end entries of the cutover, as timeline reads them
	skipped    map[string]string
	stat       map[string]stepState // where each step stands
	prefix     int                  // leading runbook steps done or skipped
	notes      []Note
	started    bool
	finished   *evFinish
	rollback   *evRollback
	rbSteps    []timeline.Entry // start and end entries of the rollback steps
	accepted   map[string]evAccept

	// Not part of the record: the policies the program attached (user),
	// and the set checked, user's and method's (policies; nil: to build).
	user     policy.Set
	policies policy.Set
	est      *Estimate // cached estimate; nil: to compute
}

// Note is free text written in a project's record.
type Note struct {
	At      time.Time
	By      string
	Text    string
	Rollout string // the rollout it is about; "" for the project
}

func newState() *state { return &state{byName: map[string]*rollout{}} }

// replay folds entries into a new state.
func replay(entries []timeline.Entry, loc *time.Location) (*state, error) {
	st := newState()
	// Actions are the most numerous facts of a long project: size their
	// list once.
	actions := 0
	for i := range entries {
		if k, ok := isEvent(entries[i].Kind); ok && k == "action" {
			actions++
		}
	}
	if actions > 0 {
		st.actions = make([]Action, 0, actions)
	}
	for i := range entries {
		if err := st.applyEntry(&entries[i], loc); err != nil {
			return nil, err
		}
	}
	if st.name == "" && st.seq > 0 {
		return nil, &RecordError{Seq: 1, Kind: entries[0].Kind, Err: fmt.Errorf("%w: the record does not start with a project event", ErrCorrupt)}
	}
	return st, nil
}

// applyEntry decodes e and applies it. Entries of other kinds only move
// seq.
func (st *state) applyEntry(e *timeline.Entry, loc *time.Location) error {
	ev, err := decode(e, loc)
	if err != nil {
		return err
	}
	if ev != nil {
		if err := st.apply(ev); err != nil {
			return &RecordError{Seq: e.Seq, Kind: e.Kind, Err: err}
		}
	}
	st.seq = e.Seq
	return nil
}

// errNoRollout is the error of an event about a rollout the record does
// not have.
func (st *state) rollout(name string) (*rollout, error) {
	r := st.byName[name]
	if r == nil {
		return nil, &notFoundError{What: "rollout", Key: strconv.Quote(name)}
	}
	return r, nil
}

// apply is the fold: the effect of one event on the state. It refuses an
// event that cannot follow the state (a record changed by hand, or by a
// writer that did not check), so that a state is always one that the
// checks of the writers allow.
func (st *state) apply(ev event) error {
	if _, ok := ev.(*evProject); !ok && st.name == "" {
		return errors.New("mep: an event before the project event")
	}
	switch v := ev.(type) {
	case *evProject:
		if st.name != "" {
			return errors.New("mep: a second project event")
		}
		st.name, st.created, st.rolloutsOnly = v.Name, v.At, v.RolloutsOnly
	case *evPhase:
		if v.From != st.phase {
			return fmt.Errorf("mep: transition from %s while in %s", v.From, st.phase)
		}
		st.transitions = append(st.transitions, Transition{From: v.From, To: v.To, By: v.By, At: v.At, Reason: v.Reason})
		st.phase = v.To
	case *evPlan:
		if !v.Phase.isValid() {
			return fieldErr("phase", v.Phase.String(), "invalid phase")
		}
		st.planned[v.Phase] = v.Planned
	case *evMember:
		return st.people.add(v.Member)
	case *evTeam:
		if v.Guests {
			st.people.guests = slices.Clone(v.Names)
			return nil
		}
		return st.people.setTeam(v.Names)
	case *evContact:
		return st.people.setMCOContact(v.Name)
	case *evCadence:
		st.cadence = v.Cadence
	case *evMeeting:
		st.addMeeting(v)
	case *evAssign:
		st.actions = append(st.actions, Action{ID: len(st.actions) + 1, Title: v.Spec.Title, Owner: v.Spec.Owner, Due: v.Spec.Due, By: v.By, At: v.At})
	case *evClose:
		if v.ID < 1 || v.ID > len(st.actions) {
			return &notFoundError{What: "action", Key: strconv.Itoa(v.ID)}
		}
		a := &st.actions[v.ID-1]
		if a.Status != ActionOpen {
			return fmt.Errorf("mep: action %d is %s: %w", v.ID, a.Status, ErrClosed)
		}
		a.Status, a.ClosedAt, a.ClosedBy, a.Note = v.Status, v.At, v.By, v.Note
	case *evLesson:
		st.lessons = append(st.lessons, Lesson{ID: len(st.lessons) + 1, At: v.At, From: v.From, Text: v.Text, Action: v.Action, By: v.By})
	case *evApply:
		if v.ID < 1 || v.ID > len(st.lessons) {
			return &notFoundError{What: "lesson", Key: strconv.Itoa(v.ID)}
		}
		l := &st.lessons[v.ID-1]
		l.Applied = append(l.Applied, Application{Rollout: v.Rollout, By: v.By, At: v.At, Note: v.Note, Waived: v.Waived})
	case *evChecklist:
		run, err := checklist.NewRun(v.List, v.T0)
		if err != nil {
			return err
		}
		switch v.Run {
		case runValidation:
			st.validation = run
		case runOperations:
			st.operations = run
		default:
			return fieldErr("run", v.Run, "not validation or operations")
		}
	case *evTick:
		run, err := st.run(v.Run, v.Rollout)
		if err != nil {
			return err
		}
		if err := tick(run, v); err != nil {
			return err
		}
		if r := st.byName[v.Rollout]; r != nil {
			r.est = nil
		}
	case *evRehearsal:
		st.rehearsals = append(st.rehearsals, v.Run)
		if v.Rollout != "" {
			r, err := st.rollout(v.Rollout)
			if err != nil {
				return err
			}
			r.rehearsals = append(r.rehearsals, v.Run)
			r.est = nil
		}
	case *evRollout:
		return st.addRollout(v)
	case *evReschedule:
		r, err := st.rollout(v.Rollout)
		if err != nil {
			return err
		}
		if r.started {
			return ErrStarted
		}
		if err := r.readiness.Reschedule(v.T0, v.By, v.At, v.Reason); err != nil {
			return err
		}
		r.t0 = v.T0.In(r.t0.Location())
		r.gen++
		r.decided = Decision{}
		r.override = nil
	case *evVote:
		r, err := st.rollout(v.Rollout)
		if err != nil {
			return err
		}
		vt := v.Vote
		vt.gen = r.gen
		r.votes = append(r.votes, vt)
	case *evDecision:
		r, err := st.rollout(v.Rollout)
		if err != nil {
			return err
		}
		r.decided = v.Decision
		r.decided.By = v.By
		// The record keeps the reasons that name these, not the lists.
		r.decided.Late, r.decided.Failed, r.decided.Votes, r.decided.Stale = nil, nil, nil, nil
	case *evOverride:
		r, err := st.rollout(v.Rollout)
		if err != nil {
			return err
		}
		r.override = &policy.Override{By: v.By, Reason: v.Reason, At: v.At}
	case *evStep:
		r, err := st.rollout(v.Rollout)
		if err != nil {
			return err
		}
		return r.applyStep(v)
	case *evNote:
		if v.Rollout != "" {
			r, err := st.rollout(v.Rollout)
			if err != nil {
				return err
			}
			r.notes = append(r.notes, Note{At: v.At, By: v.By, Text: v.Text, Rollout: v.Rollout})
		}
	case *evFinish:
		r, err := st.rollout(v.Rollout)
		if err != nil {
			return err
		}
		r.finished = v
	case *evOptOut:
		st.freezeOff = v
		for _, r := range st.rollouts {
			r.policies = nil // built again without the method's freeze
		}
	case *evRollback:
		r, err := st.rollout(v.Rollout)
		if err != nil {
			return err
		}
		r.rollback = v
	case *evAccept:
		r, err := st.rollout(v.Rollout)
		if err != nil {
			return err
		}
		if r.accepted == nil {
			r.accepted = map[string]evAccept{}
		}
		r.accepted[v.Step] = *v
	default:
		return fmt.Errorf("mep: no fold for %T", ev)
	}
	return nil
}

// run returns the checklist run an event names.
func (st *state) run(name, rolloutName string) (*checklist.Run, error) {
	var run *checklist.Run
	switch name {
	case runValidation:
		run = st.validation
	case runOperations:
		run = st.operations
	case runReadiness:
		r, err := st.rollout(rolloutName)
		if err != nil {
			return nil, err
		}
		run = r.readiness
	}
	if run == nil {
		return nil, &notFoundError{What: "checklist run", Key: strconv.Quote(name)}
	}
	return run, nil
}

// tick applies a checklist change to run.
func tick(run *checklist.Run, v *evTick) error {
	switch v.Status {
	case checklist.Done:
		return run.Check(v.Item, v.By, v.At, v.Note)
	case checklist.Failed:
		return run.Fail(v.Item, v.By, v.At, v.Note)
	case checklist.Waived:
		return run.Waive(v.Item, v.By, v.At, v.Note)
	}
	return fieldErr("status", v.Status.String(), "not done, failed or waived")
}

func (st *state) addMeeting(v *evMeeting) {
	mt := Meeting{
		ID: len(st.meetings) + 1, At: v.At, Title: v.Title, Attendees: slices.Clone(v.Attendees),
		Notes: v.Notes, Decisions: slices.Clone(v.Decisions), NoActions: v.NoActions, Next: v.Next,
	}
	for _, a := range v.Actions {
		id := len(st.actions) + 1
		st.actions = append(st.actions, Action{ID: id, Meeting: mt.ID, Title: a.Title, Owner: a.Owner, Due: a.Due, By: v.By, At: v.At})
		mt.Actions = append(mt.Actions, id)
	}
	st.meetings = append(st.meetings, mt)
	if st.latest == 0 || !mt.At.Before(st.meetings[st.latest-1].At) {
		st.latest = len(st.meetings)
	}
}

func (st *state) addRollout(v *evRollout) error {
	if st.byName[v.Name] != nil {
		return fieldErr("rollout.name", v.Name, "already a rollout of this project")
	}
	list := v.Spec.Readiness
	run, err := checklist.NewRun(list, v.T0)
	if err != nil {
		return fmt.Errorf("mep: readiness checklist: %w", err)
	}
	r := &rollout{
		name: v.Name, created: v.At, env: v.Spec.Environment, labels: v.Spec.Labels, t0: v.T0,
		runbook: v.Spec.Runbook, index: make(map[string]int, len(v.Spec.Runbook)), readiness: run,
		roles: v.Spec.Roles, margin: v.Spec.Margin, quorum: map[Role]int{},
	}
	for role, n := range v.Spec.Quorum {
		rl, err := ParseRole(role)
		if err != nil {
			return err
		}
		r.quorum[rl] = n
	}
	for i, s := range r.runbook {
		r.index[s.ID] = i
	}
	st.rollouts = append(st.rollouts, r)
	st.byName[r.name] = r
	return nil
}

// applyStep applies a step event of r.
func (r *rollout) applyStep(v *evStep) error {
	if _, ok := r.index[v.Step]; !ok {
		return &notFoundError{What: "runbook step", Key: strconv.Quote(v.Step)}
	}
	steps := &r.steps
	if v.Rollback {
		steps = &r.rbSteps
	}
	seq := uint64(len(*steps) + 1)
	switch v.Event {
	case stepSkip:
		if r.skipped == nil {
			r.skipped = map[string]string{}
		}
		r.skipped[v.Step] = v.Reason
		if !v.Rollback {
			r.setStatus(v.Step, stepSkipped)
		}
	case stepStart:
		if *steps == nil {
			*steps = make([]timeline.Entry, 0, 2*len(r.runbook)) // each step starts and ends
		}
		s := r.runbook[r.index[v.Step]]
		impact := s.Impact // a rollback step affects users as the step did
		*steps = append(*steps, timeline.Entry{Seq: seq, At: v.At, Kind: timeline.KindStart, Step: v.Step, Actor: v.By, Impact: impact})
		if !v.Rollback {
			r.started = true
			r.setStatus(v.Step, stepRunning)
		}
	case stepEnd:
		*steps = append(*steps, timeline.Entry{Seq: seq, At: v.At, Kind: timeline.KindEnd, Step: v.Step, Actor: v.By, Outcome: v.Outcome})
		if !v.Rollback {
			st := stepDone
			if v.Outcome == timeline.Failed {
				st = stepFailed
			}
			r.setStatus(v.Step, st)
		}
	}
	r.est = nil
	return nil
}
