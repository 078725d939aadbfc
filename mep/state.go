package mep

import (
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
	seq          uint64    // the last entry applied
	now          time.Time // when the event being checked or applied was recorded
	name         string
	created      time.Time
	rolloutsOnly bool
	opts         *recorded // the options the record states; nil in older records
	writing      bool      // a write is being checked (admit from Project.queue), not a replay
	freezeOff    *evOptOut
	// lists caches the readiness lists of the record by their text
	// (dec.checklist), so that each is parsed once per project.
	lists map[string]checklist.List

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
	resources  []Resource // declared, sorted by kind and name (resources.go)
	// decisionPoint is the warning that the decision point passed with
	// the cutover expected after its window; nil: none (decisionpoint.go).
	decisionPoint *evDecisionPoint

	// Not part of the record: the policies the program attached (user),
	// and the set checked, user's and method's (policies; nil: to build).
	user     policy.Set
	policies policy.Set
	est      *Estimate // cached estimate; nil: to compute
	// The rollout's own policies: the text of its policy file, as
	// recorded (parsed again for each set built); the names of those
	// given in code; whether the program attached them (when it created
	// the rollout or since the record was opened).
	policyFile string
	code       []string
	attached   bool
	// The policies the record states (recordPolicies), and what they
	// were built from; nil: to build.
	recorded *recordedSet
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
		if i == 0 && st.opts != nil {
			// The record states where its times are read.
			loc = st.opts.loc
			st.created = st.created.In(loc)
		}
	}
	if st.name == "" && st.seq > 0 {
		return nil, &RecordError{Seq: 1, Kind: entries[0].Kind, Err: wrapf(ErrCorrupt, "the record does not start with a project event")}
	}
	return st, nil
}

// applyEntry decodes e, checks it as a writer would have, and applies
// it: a replay refuses what the API refuses. Entries of other kinds only
// move seq.
func (st *state) applyEntry(e *timeline.Entry, loc *time.Location) error {
	if st.lists == nil {
		st.lists = map[string]checklist.List{}
	}
	ev, err := decode(e, loc, st.lists)
	if err != nil {
		return err
	}
	if ev != nil {
		rec, err := recordedOf(e, loc)
		if err != nil {
			return err
		}
		if rec.After(st.now) {
			st.now = rec
		}
		if err := st.admit(ev); err != nil {
			return &RecordError{Seq: e.Seq, Kind: e.Kind, Err: err}
		}
		ev.apply(st)
	}
	st.seq = e.Seq
	return nil
}

// admit checks ev against st: the checks every event shares, then its
// own.
func (st *state) admit(ev event) error {
	if _, ok := ev.(*evProject); !ok && st.name == "" {
		return sentinel("an event before the project event")
	}
	return ev.check(st)
}

// rollout returns the rollout named name, or an error wrapping
// [ErrNotFound].
func (st *state) rollout(name string) (*rollout, error) {
	r := st.byName[name]
	if r == nil {
		return nil, &notFoundError{What: "rollout", Key: strconv.Quote(name)}
	}
	return r, nil
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

// firstGoLive reports whether ro is the project's first go-live: no
// other rollout's cutover has finished.
func (st *state) firstGoLive(ro *rollout) bool {
	for _, o := range st.rollouts {
		if o != ro && o.finished != nil {
			return false
		}
	}
	return true
}

// opsReadyAt returns when the operations-readiness run was complete, or
// the zero time.
func (st *state) opsReadyAt() time.Time {
	if st.operations == nil {
		return time.Time{}
	}
	return st.operations.ReadyAt()
}

// checksNow is the generation of the checks that this version writes
// records under (recorded.Checks).
const checksNow = 2

// strict reports whether the checks added in generation 1 apply: facts
// acted only by members or declared guests, no GO after a rollback nor in
// another's name (see checks).
func (st *state) strict() bool { return st.checks(1) }

// checks reports whether the checks added in generation gen apply (1:
// see strict; 2: no decision once the cutover finished). They always
// apply to what is written now; a replay holds a record to them only when
// it was written under them, so that a record written before them still
// opens, judged by the rules it was written under.
func (st *state) checks(gen int) bool {
	return st.writing || (st.opts != nil && st.opts.Checks >= gen)
}

// mayAct reports whether name may record a fact that only members and
// declared guests record (see strict).
func (st *state) mayAct(name string) bool {
	return st.people.knows(name) || !st.strict()
}

// options returns the options the record states, or, for a record written
// before options were recorded, those p was opened with.
func (st *state) options(p *Project) *recorded {
	if st.opts != nil {
		return st.opts
	}
	return p.settings.recorded()
}
