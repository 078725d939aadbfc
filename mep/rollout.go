package mep

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/policy"
)

// Errors of a rollout, for errors.Is.
var (
	// ErrNoGo is returned when a cutover step is started without a GO
	// decided for the current T0 (R9).
	ErrNoGo = sentinel("no GO for this cutover")
	// ErrStarted is returned when T0 is moved after the cutover started.
	ErrStarted = sentinel("cutover already started")
	// ErrRunbook is returned when a step would break the runbook's order
	// (R10): started before the steps it follows, twice at once, or a
	// cutover finished with steps neither done nor skipped; and for a step
	// or a decision once the cutover finished.
	ErrRunbook = sentinel("not by the runbook")
)

// RolloutOptions describe one go-live. Name, T0 and Runbook are required.
type RolloutOptions struct {
	// Name names the rollout in the record, lessons and reports, e.g.
	// "v2-client-acme"; unique within the project.
	Name string
	// Environment and Labels are passed to the policies
	// (policy.Change.Environment and Labels).
	Environment string
	Labels      map[string]string
	// T0 is the planned start of the cutover. Its location is the one
	// reports and reasons use.
	T0 time.Time
	// Runbook lists the cutover's steps in order.
	Runbook []Step
	// Readiness is the preparation checklist (R7, R8), run against T0.
	// A list without items: checklist.Preparation().
	Readiness checklist.List
	// Policies are checked against the whole operation, [T0, T0+estimate).
	// The rollout adds the method's freeze (R11) unless the project opted
	// out ([Project.OptOutOfFreeze]), a readiness window with the
	// project's ReadinessLead unless the set has one with as long a lead
	// (a shorter one does not lower the project's), and a GO quorum for
	// each role of Quorum that the set does not require already as many
	// times; it finds them by type, never by name, and makes them
	// mandatory: no override lifts the GO or the readiness window.
	Policies policy.Set
	// Quorum is how many distinct members of the go-live team with each
	// role must vote GO (R9). The operations team's GO is always needed:
	// at least one.
	Quorum map[Role]int
	// PolicyFile is the text of a policy file (YAML or JSON, as
	// policy/policyfile reads it) whose policies the rollout checks besides
	// Policies. It is recorded with the rollout: a reopened record checks
	// them with nothing re-supplied. A file that does not parse is a
	// *FieldError naming its line.
	PolicyFile []byte
	// Margin is added to the estimated duration when fitting the cutover
	// into the policies' windows, as a share of it: 0.25 adds a quarter.
	// Zero: no margin; negative is an error.
	Margin float64
}

// Rollout is one go-live of a project, from its rehearsals to its review:
// the runbook, the readiness checklist run against T0, the policies, the
// go/no-go votes and the cutover's steps (R5, R7 to R12). Every fact is
// in the project's record.
//
// Rollout is safe for simultaneous use by multiple goroutines; it shares
// its project's lock. Get one with [Project.NewRollout] or
// [Project.Rollout]; the zero value is not usable (its methods panic).
type Rollout struct {
	p    *Project
	name string
}

// NewRollout prepares a go-live of p and records it, or, when the record
// already has a rollout of that name, returns it with o.Policies attached
// (policies given in code are attached again after [Open]: the record
// keeps their names, and until they are attached every decision is a
// No-Go); the other options must then be those it was recorded with,
// policies included, else a *FieldError (a zero Quorum, Margin, Labels or
// Readiness stands for the recorded one, which the rollout keeps).
//
// It returns a *FieldError for a missing name or T0, an invalid runbook
// (a step ID holding a control character, a line separator or a
// direction override among others: the field names the step,
// "runbook[i].id"), quorum or margin, an invalid readiness list, or a
// policy in o.Policies that is nil or whose name is not valid UTF-8.
func (p *Project) NewRollout(o RolloutOptions) (*Rollout, error) {
	list := o.Readiness
	if len(list.Items) == 0 {
		list = checklist.Preparation()
	}
	spec := rolloutJSON{
		Environment: o.Environment, Labels: maps.Clone(o.Labels), Zone: o.T0.Location().String(),
		Runbook: slices.Clone(o.Runbook), Readiness: recordedList{List: list}, Margin: o.Margin,
	}
	if spec.Zone == p.loc.String() {
		spec.Zone = ""
	} else if err := nameable("rollout.t0", o.T0.Location(), o.T0); err != nil {
		return nil, err
	}
	quorum := maps.Clone(o.Quorum)
	if quorum == nil {
		quorum = map[Role]int{}
	}
	if quorum[RoleOperations] < 1 {
		quorum[RoleOperations] = 1 // R9: the operations GO is always needed
	}
	for _, role := range slices.Sorted(maps.Keys(quorum)) {
		if !role.isValid() || quorum[role] < 1 {
			return nil, fieldErr("rollout.quorum", role.String(), "not a role, or fewer than one voter")
		}
		if spec.Quorum == nil {
			spec.Quorum = map[string]int{}
		}
		spec.Quorum[role.String()] = quorum[role]
	}
	if len(o.PolicyFile) > 0 {
		spec.PolicyFile = string(o.PolicyFile)
	}
	file, err := parsePolicyFile(spec.PolicyFile)
	if err != nil {
		return nil, err
	}
	if spec.Code, err = policyNames(o.Policies, "rollout.policies"); err != nil {
		return nil, err
	}
	ev := &evRollout{At: p.now(), Name: o.Name, T0: o.T0.Round(0), Spec: spec, user: slices.Clone(o.Policies), quorum: quorum, file: file,
		given: givenOptions{quorum: len(o.Quorum) > 0, readiness: len(o.Readiness.Items) > 0}}
	if err := p.record(ev); err != nil {
		return nil, err
	}
	return &Rollout{p: p, name: o.Name}, nil
}

// sameAs reports a *FieldError when a rollout is opened again with other
// options than it was recorded with.
func (r *rollout) sameAs(spec rolloutJSON, given givenOptions) error {
	switch {
	case !slices.EqualFunc(r.runbook, spec.Runbook, func(a, b Step) bool { return a.equal(b) }):
		return fieldErr("rollout.runbook", r.name, "not the runbook recorded for this rollout")
	case r.env != spec.Environment:
		return fieldErr("rollout.environment", spec.Environment, "not the environment recorded, "+r.env)
	case r.policyFile != spec.PolicyFile:
		return fieldErr("rollout.policy_file", "", "not the policy file recorded for this rollout: change it with GoNoGo().SetPolicies")
	case !slices.Equal(r.code, spec.Code):
		return fieldErr("rollout.policies", strings.Join(spec.Code, ", "),
			"not the policies recorded ("+strings.Join(r.code, ", ")+"): change them with GoNoGo().SetPolicies")
	// A zero quorum, margin, labels or readiness list stands for the
	// recorded one; another one is refused.
	case given.quorum && !maps.Equal(r.quorumSpec(), spec.Quorum):
		return fieldErr("rollout.quorum", fmt.Sprint(spec.Quorum), "not the quorum recorded for this rollout")
	case spec.Margin != 0 && r.margin != spec.Margin:
		return fieldErr("rollout.margin", fmt.Sprint(spec.Margin), "not the margin recorded for this rollout")
	case len(spec.Labels) > 0 && !maps.Equal(r.labels, spec.Labels):
		return fieldErr("rollout.labels", fmt.Sprint(spec.Labels), "not the labels recorded for this rollout")
	case given.readiness && !sameJSON(r.readiness.List(), spec.Readiness):
		return fieldErr("rollout.readiness", spec.Readiness.Name, "not the readiness list recorded for this rollout")
	}
	return nil
}

// givenOptions says which options of a rollout opened again were given
// rather than left zero.
type givenOptions struct{ quorum, readiness bool }

// quorumSpec returns the rollout's quorum as the record states it.
func (r *rollout) quorumSpec() map[string]int {
	out := make(map[string]int, len(r.quorum))
	for role, n := range r.quorum {
		out[role.String()] = n
	}
	return out
}

// sameJSON reports whether a and b encode to the same JSON.
func sameJSON(a, b any) bool {
	x, errA := json.Marshal(a)
	y, errB := json.Marshal(b)
	return errA == nil && errB == nil && bytes.Equal(x, y)
}

// buildPolicies returns the policies a rollout checks: the user's, the
// method's freeze unless the project opted out, the readiness window with
// the project's lead, and the GO quorums, mandatory; with the options
// that st states. Requires p.mu held.
//
// The user's policies are those of the rollout's policy file, then
// those given in code (see withSchedule): file must hold a policy file's
// set parsed for this call alone, as buildPolicies sets the check of its
// conflicts entries.
func (p *Project) buildPolicies(st *state, file, code policy.Set, quorum map[Role]int) (policy.Set, error) {
	user := withSchedule(file, code)
	opts := st.options(p)
	var set policy.Set
	hasReadiness := false
	required := map[string]int{} // the most GOs a policy of the set asks of each role
	for _, q := range user {
		if q == nil {
			continue
		}
		lead, isReady := readinessLead(q)
		role, n, isQuorum := quorumOf(q)
		switch {
		case isReady:
			// It stands for the project's window only if it asks as much
			// time as the record states (R7: more, never less).
			hasReadiness = hasReadiness || lead >= opts.ReadinessLead
			set = append(set, policy.Mandatory(q))
		case isQuorum:
			required[role] = max(required[role], n)
			set = append(set, policy.Mandatory(q))
		default:
			set = append(set, q)
		}
	}
	if st.freezeOff == nil {
		freeze, err := methodFreeze(p.loc, opts.Country)
		if err != nil {
			return nil, err
		}
		set = append(freeze, set...)
	}
	if !hasReadiness {
		set = append(set, policy.Mandatory(readinessWindow(opts.ReadinessLead)))
	}
	for _, role := range slices.Sorted(maps.Keys(quorum)) {
		if required[role.String()] < quorum[role] { // a smaller quorum does not lower the rollout's
			set = append(set, policy.Mandatory(requireQuorum(role.String(), quorum[role])))
		}
	}
	return set, nil
}

// Rollout returns the project's rollout of that name, as the record has
// it, with no policies attached but the method's own (attach yours with
// [Project.NewRollout]).
func (p *Project) Rollout(name string) (*Rollout, bool) {
	var ok bool
	p.read(func(st *state) { ok = st.byName[name] != nil })
	if !ok {
		return nil, false
	}
	return &Rollout{p: p, name: name}, true
}

// Rollouts returns the names of the project's rollouts, in the order
// created.
func (p *Project) Rollouts() []string {
	var out []string
	p.read(func(st *state) {
		for _, r := range st.rollouts {
			out = append(out, r.name)
		}
	})
	return out
}

// RolloutOptions returns the options the rollout named name was created
// with, as its record states them: its T0 as it stands now, its runbook,
// readiness list, environment, labels, quorum, margin and policy file.
// Policies are those given in code and attached (nil after [Open] until
// [Project.NewRollout] attaches them again). It returns false for a name
// the project has no rollout of. The values are copies.
func (p *Project) RolloutOptions(name string) (RolloutOptions, bool) {
	var o RolloutOptions
	var ok bool
	p.read(func(st *state) {
		ro := st.byName[name]
		if ro == nil {
			return
		}
		ok = true
		o = RolloutOptions{Name: ro.name, Environment: ro.env, Labels: maps.Clone(ro.labels), T0: ro.t0,
			Runbook: slices.Clone(ro.runbook), Readiness: ro.readiness.List(), Margin: ro.margin,
			Policies: slices.Clone(ro.user), Quorum: maps.Clone(ro.quorum)}
		if ro.policyFile != "" {
			o.PolicyFile = []byte(ro.policyFile)
		}
	})
	return o, ok
}

// with calls fn with the rollout's state under the project's lock.
func (r *Rollout) with(fn func(st *state, ro *rollout)) {
	r.p.read(func(st *state) { fn(st, st.byName[r.name]) })
}

// Name returns the rollout's name.
func (r *Rollout) Name() string { return r.name }

// T0 returns the planned start of the cutover.
func (r *Rollout) T0() time.Time {
	var t time.Time
	r.with(func(_ *state, ro *rollout) { t = ro.t0 })
	return t
}

// withSchedule returns the policies of a policy file followed by those
// given in code. The file's conflicts entries (a policy.Conflicts without
// a check) take the check of the first policy.Conflicts of code that has
// one (its Against; the file's Warn stands); without one they deny every
// change. The policy of code that gave the check then stands in their
// place rather than being weighed twice, unless an entry filled could
// check less than it: one scoped, or, when the code's is mandatory, one
// not mandatory or one that only warns where the code's denies; both are
// then weighed. The policies given in code are never changed.
func withSchedule(file, code policy.Set) policy.Set {
	set := append(slices.Clip(file), code...)
	var given *policy.Conflicts
	at := -1
	for i, q := range code {
		if c, ok := policy.As[*policy.Conflicts](q); ok && c.Against != nil {
			given, at = c, i
			break
		}
	}
	if given == nil {
		return set
	}
	mandatory := policy.IsMandatory(code[at])
	filled, weaker := false, false
	for _, q := range file {
		if c, ok := policy.As[*policy.Conflicts](q); ok && c.Against == nil {
			c.Against, filled = withExclusive(given.Against, c.Exclusive), true
			weaker = weaker || policy.IsScoped(q) || mandatory && (!policy.IsMandatory(q) || c.Warn && !given.Warn)
		}
	}
	if !filled || weaker {
		return set
	}
	return slices.Delete(set, len(file)+at, len(file)+at+1)
}

// withExclusive returns check made to hold the environments of
// exclusive as exclusive too, through its WithExclusive method (mep/fleet's
// checks have one); a check without one cannot honour them, and denies
// saying so (fail closed).
func withExclusive(check policy.Policy, exclusive []string) policy.Policy {
	if len(exclusive) == 0 {
		return check
	}
	if w, ok := check.(interface {
		WithExclusive([]string) policy.Policy
	}); ok {
		return w.WithExclusive(exclusive)
	}
	reason := fmt.Sprintf("the policy file makes %s exclusive, which the check given in code (%s) cannot take: give one that can (mep/fleet's Snapshot.Policy)",
		strings.Join(exclusive, ", "), check.Name())
	return policy.Func(check.Name(), func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Deny, Reason: reason}
	})
}

// policySet returns the policies attached, or the method's own when none
// were (a rollout read back from the record).
func (ro *rollout) policySet(p *Project) policy.Set {
	if ro.policies == nil {
		set, err := p.rolloutPoliciesLocked(ro)
		if err == nil {
			ro.policies = set
		}
	}
	return ro.policies
}

// rolloutPoliciesLocked is rolloutPolicies for a rollout read back from
// the record, or whose project opted out of the freeze since; requires
// p.mu held.
func (p *Project) rolloutPoliciesLocked(ro *rollout) (policy.Set, error) {
	file, err := parsePolicyFile(ro.policyFile) // fresh: buildPolicies fills its conflicts
	if err != nil {
		return nil, err
	}
	return p.buildPolicies(p.st, file, ro.user, ro.quorum)
}

// Readiness returns the rollout's readiness checklist (R7, R8), run
// against T0: tick it with [Checklist.Check], [Checklist.Fail] and
// [Checklist.Waive], read it with [Checklist.Run]. Its list is the one
// the rollout was created with: [Checklist.Start] refuses to replace it.
func (r *Rollout) Readiness() Checklist { return Checklist{p: r.p, run: runReadiness, rollout: r.name} }

// Switchover is a rollout's cutover (R9, R10): steps started, ended or
// skipped in the runbook's order after a GO, notes, the rollback, the
// finish, and the drift while it runs. Every change is recorded. Get it
// with [Rollout.Cutover]; it shares the project's lock. (The name
// Cutover is the phase's.)
type Switchover struct{ r *Rollout }

// Cutover returns the rollout's cutover.
func (r *Rollout) Cutover() Switchover { return Switchover{r} }

// GoNoGo is a rollout's go/no-go (R9): the votes, the decision previewed
// or taken and recorded, and the break-glass override. Get it with
// [Rollout.GoNoGo]; it shares the project's lock.
type GoNoGo struct{ r *Rollout }

// GoNoGo returns the rollout's go/no-go.
func (r *Rollout) GoNoGo() GoNoGo { return GoNoGo{r} }

// Reschedule moves T0 to t0 before the cutover starts: the readiness
// deadlines follow, the votes given so far no longer count (they cite
// the readiness run before the move) and the decision returns to
// Undecided. It is recorded. It returns a *FieldError without by or
// reason, and ErrStarted once a cutover step has started.
func (r *Rollout) Reschedule(t0 time.Time, by, reason string) error {
	switch {
	case t0.IsZero():
		return fieldErr("reschedule.t0", "", "zero time")
	case strings.TrimSpace(by) == "":
		return fieldErr("reschedule.by", by, "empty")
	case strings.TrimSpace(reason) == "":
		return fieldErr("reschedule.reason", reason, "empty: say why T0 moves")
	}
	return r.p.record(&evReschedule{rolloutAct: rolloutAct{At: r.p.now(), Rollout: r.name, By: by, Reason: reason}, T0: t0.Round(0)})
}

// Override records a break-glass request: By, a member of the go-live
// team with the operations role, takes responsibility for running the
// cutover although policies deny it. Mandatory policies still deny, among
// them the GO and the readiness window. It is recorded and lasts until T0
// moves. It returns an error wrapping [ErrNotFound] for an unknown member and a
// *FieldError without By or Reason or when By does not hold the
// operations role in the go-live team.
func (g GoNoGo) Override(by, reason string) error {
	r := g.r
	switch {
	case strings.TrimSpace(by) == "":
		return fieldErr("override.by", by, "empty")
	case strings.TrimSpace(reason) == "":
		return fieldErr("override.reason", reason, "empty")
	}
	return r.p.record(&evOverride{rolloutAct{At: r.p.now(), Rollout: r.name, By: by, Reason: reason}})
}

// Note records free text about the rollout, at the project's clock.
func (c Switchover) Note(by, text string) error {
	r := c.r
	if strings.TrimSpace(text) == "" {
		return fieldErr("note.text", text, "empty")
	}
	return r.p.record(&evNote{At: r.p.now(), Rollout: r.name, By: by, Text: text})
}

// Notes returns the notes recorded about the rollout, in order.
func (c Switchover) Notes() []Note {
	r := c.r
	var out []Note
	r.with(func(_ *state, ro *rollout) { out = slices.Clone(ro.notes) })
	return out
}
