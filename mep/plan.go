package mep

import (
	"bytes"
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
)

// The events of a rollout's plan: its creation, a new T0, a break-glass
// override, a note.

// rolloutJSON is what a rollout is created with.
type rolloutJSON struct {
	Environment string            `json:"environment,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Zone        string            `json:"zone,omitempty"`
	Runbook     []Step            `json:"runbook"`
	Readiness   recordedList      `json:"readiness"`
	Roles       []Role            `json:"roles,omitempty"`
	Quorum      map[string]int    `json:"quorum,omitempty"`
	Margin      float64           `json:"margin,omitempty"`
	// The rollout's own policies: the text of its policy file, and the
	// names of those given in code, which a program attaches again.
	PolicyFile string   `json:"policy_file,omitempty"`
	Code       []string `json:"code,omitempty"`
}

// recordedList is a rollout's readiness list. Read from the record,
// its text is parsed by the rollout's get through the decoder, which
// parses a text once per project (dec.checklist): a store's rollouts repeat
// one list.
type recordedList struct {
	checklist.List
	raw []byte // the list's JSON while it is read; nil once parsed
}

// MarshalJSON writes the list.
func (l recordedList) MarshalJSON() ([]byte, error) { return l.List.MarshalJSON() }

// UnmarshalJSON keeps the list's text for the decoder to parse.
func (l *recordedList) UnmarshalJSON(b []byte) error {
	l.raw = bytes.Clone(b)
	return nil
}

// evRollout creates a rollout.
type evRollout struct {
	At   time.Time
	Name string
	T0   time.Time
	Spec rolloutJSON
	By   string

	// Not in the record: the policies the program attaches (user) and the
	// set the rollout checks (set); the readiness run and the quorum that
	// check makes for apply.
	user, set policy.Set
	run       *checklist.Run
	quorum    map[Role]int
	file      policy.Set // the policies of Spec.PolicyFile, made by check
	given     givenOptions
}

func (*evRollout) kind() string      { return "rollout" }
func (v *evRollout) when() time.Time { return v.At }
func (v *evRollout) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.need("rollout", &v.Name)
	c.require("t0")
	c.time("t0", &v.T0)
	if c.w != nil {
		c.w.json("spec", v.Spec)
		return
	}
	d := c.d
	// Size the runbook once: encoding/json appends to the slice it is
	// given, and a runbook may have thousands of steps.
	v.Spec.Runbook = make([]Step, 0, strings.Count(d.need("spec"), `{"id":`))
	d.json("spec", &v.Spec)
	d.checklist("spec", &v.Spec.Readiness)
	if loc := zone(v.Spec.Zone, d.loc); loc != nil {
		v.T0 = v.T0.In(loc)
	}
}

var _ = register[evRollout]()

// maxMargin bounds RolloutOptions.Margin: a margin of ten times the
// estimate is already no estimate at all.
const maxMargin = 10

// prepare attaches the policies to a rollout the record already has,
// after checking that it is the one asked for: nothing to record then.
func (v *evRollout) prepare(p *Project, st *state) error {
	set, err := p.buildPolicies(st, v.file, v.user, v.quorum)
	if err != nil {
		return err
	}
	v.set = set
	old := st.byName[v.Name]
	if old == nil {
		return nil
	}
	if err := old.sameAs(v.Spec, v.given); err != nil {
		return err
	}
	// The set is built again from what the record states (its quorum).
	old.policies, old.user, old.attached = nil, v.user, true
	return errNothing
}

func (v *evRollout) check(st *state) error {
	sp := &v.Spec
	switch {
	case strings.TrimSpace(v.Name) == "":
		return fieldErr("rollout.name", v.Name, "empty")
	case st.byName[v.Name] != nil:
		return fieldErr("rollout.name", v.Name, "already a rollout of this project")
	case v.T0.IsZero():
		return fieldErr("rollout.t0", "", "zero time")
	case math.IsNaN(sp.Margin) || sp.Margin < 0 || sp.Margin > maxMargin:
		return fieldErr("rollout.margin", fmt.Sprint(sp.Margin), fmt.Sprintf("not a share between 0 and %d", maxMargin))
	}
	if err := checkTime("rollout.t0", v.T0); err != nil {
		return err
	}
	if err := validateRunbook(sp.Runbook); err != nil {
		return err
	}
	if st.writing {
		if err := checkStepIDs(sp.Runbook); err != nil {
			return err
		}
	}
	run, err := checklist.NewRun(sp.Readiness.List, v.T0)
	if err != nil {
		return errorf("readiness checklist: %w", err)
	}
	quorum := make(map[Role]int, len(sp.Quorum))
	for name, n := range sp.Quorum {
		role, err := ParseRole(name)
		if err != nil {
			return err
		}
		if n < 1 || n > maxQuorum {
			return fieldErr("rollout.quorum", name, fmt.Sprintf("not between 1 and %d voters", maxQuorum))
		}
		quorum[role] = n
	}
	file, err := parsePolicyFile(sp.PolicyFile)
	if err != nil {
		return err
	}
	v.run, v.quorum, v.file = run, quorum, file
	return nil
}

// parsePolicyFile returns the policies of a rollout's policy file, or a
// *FieldError naming what is wrong with it.
func parsePolicyFile(text string) (policy.Set, error) {
	if text == "" {
		return nil, nil
	}
	set, err := policyfile.Parse([]byte(text))
	if err != nil {
		return nil, fieldErr("rollout.policy_file", "", err.Error())
	}
	return set, nil
}

func (v *evRollout) apply(st *state) {
	r := &rollout{
		name: v.Name, created: v.At, env: v.Spec.Environment, labels: v.Spec.Labels, t0: v.T0,
		runbook: v.Spec.Runbook, index: make(map[string]int, len(v.Spec.Runbook)), readiness: v.run,
		roles: v.Spec.Roles, margin: v.Spec.Margin, quorum: v.quorum, user: v.user, policies: v.set,
		policyFile: v.Spec.PolicyFile, code: v.Spec.Code, attached: v.set != nil,
	}
	for i, s := range r.runbook {
		r.index[s.ID] = i
	}
	st.rollouts = append(st.rollouts, r)
	st.byName[r.name] = r
}

// evReschedule moves a rollout's T0.
type evReschedule struct {
	rolloutAct
	T0 time.Time

	run *checklist.Run // the readiness run moved, made by check, taken by apply
}

func (*evReschedule) kind() string { return "rollout.reschedule" }
func (v *evReschedule) fields(c codec) {
	v.rolloutAct.fields(c)
	c.require("t0")
	c.time("t0", &v.T0)
}

var _ = register[evReschedule]()

func (v *evReschedule) check(st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	switch {
	case v.T0.IsZero():
		return fieldErr("reschedule.t0", "", "zero time")
	case strings.TrimSpace(v.By) == "":
		return fieldErr("reschedule.by", v.By, "empty")
	case !st.mayAct(v.By):
		return fieldErr("reschedule.by", v.By, unknownPerson)
	case strings.TrimSpace(v.Reason) == "":
		return fieldErr("reschedule.reason", v.Reason, "empty: say why T0 moves")
	case ro.started:
		return wrapf(ErrStarted, "T0 cannot move")
	}
	if err := checkTime("reschedule.t0", v.T0); err != nil {
		return err
	}
	c := ro.readiness.Clone()
	if err := c.Reschedule(v.T0, v.By, v.At, v.Reason); err != nil {
		return err
	}
	v.run = c
	return nil
}

func (v *evReschedule) apply(st *state) {
	r := st.byName[v.Rollout]
	r.readiness = v.run
	r.t0 = v.T0.In(r.t0.Location())
	r.gen++
	r.decided = Decision{}
	r.override = nil
}

// rolloutAct is what most facts about a rollout say: when, which
// rollout, who and why (the entry's text).
type rolloutAct struct {
	At                  time.Time
	Rollout, By, Reason string
}

func (v *rolloutAct) when() time.Time { return v.At }
func (v *rolloutAct) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Reason)
	c.need("rollout", &v.Rollout)
}

// evOverride is a break-glass request.
type evOverride struct{ rolloutAct }

func (*evOverride) kind() string { return "override" }

var _ = register[evOverride]()

func (v *evOverride) check(st *state) error {
	if _, err := st.rollout(v.Rollout); err != nil {
		return err
	}
	if strings.TrimSpace(v.Reason) == "" {
		return fieldErr("override.reason", v.Reason, "empty")
	}
	return st.people.inTeam(v.By, RoleOperations)
}

func (v *evOverride) apply(st *state) {
	st.byName[v.Rollout].override = &policy.Override{By: v.By, Reason: v.Reason, At: v.At}
}

// evNote is free text, about a rollout or the project.
type evNote struct {
	At                time.Time
	Rollout, By, Text string
}

func (*evNote) kind() string      { return "note" }
func (v *evNote) when() time.Time { return v.At }
func (v *evNote) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Text)
	c.str("rollout", &v.Rollout)
}

var _ = register[evNote]()

func (v *evNote) check(st *state) error {
	if strings.TrimSpace(v.Text) == "" {
		return fieldErr("note.text", v.Text, "empty")
	}
	if !st.people.knows(v.By) {
		return fieldErr("note.by", v.By, "neither a member nor a declared guest (Team.Invite)")
	}
	if v.Rollout == "" {
		return nil
	}
	_, err := st.rollout(v.Rollout)
	return err
}

func (v *evNote) apply(st *state) {
	if r := st.byName[v.Rollout]; r != nil {
		r.notes = append(r.notes, Note{At: v.At, By: v.By, Text: v.Text, Rollout: v.Rollout})
	}
}
