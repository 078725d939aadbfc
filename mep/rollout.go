package mep

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// Errors of a rollout, for errors.Is.
var (
	// ErrNoGo is returned when a cutover step is started without a GO
	// decided for the current T0 (R9).
	ErrNoGo = errors.New("mep: no GO for this cutover")
	// ErrStarted is returned when T0 is moved after the cutover started.
	ErrStarted = errors.New("mep: cutover already started")
)

// RolloutOptions describe one go-live. Name, T0 and Runbook are required.
type RolloutOptions struct {
	// Name names the rollout in journals, lessons and reports, e.g.
	// "v2-client-acme".
	Name string
	// Environment is passed to the policies (policy.Change.Environment).
	Environment string
	// T0 is the planned start of the cutover. Its location is the one
	// reports and reasons use.
	T0 time.Time
	// Runbook lists the cutover's steps in order.
	Runbook []Step
	// Readiness is the preparation checklist (R7, R8), run against T0.
	// A list without items: checklist.Preparation().
	Readiness checklist.List
	// Policies are checked against the whole operation, [T0, T0+estimate).
	// The rollout adds policy.RequireGo for each of Roles and
	// policy.ReadinessWindow with the project's ReadinessLead, unless the
	// Set has policies of those names, and makes them mandatory: no
	// override lifts the GO or the readiness window.
	Policies policy.Set
	// Roles are the roles whose GO the cutover needs (R9), as Role names.
	// "operations" is always among them.
	Roles []string
	// Margin is added to the estimated duration when fitting the cutover
	// into the policies' windows, as a share of it: 0.25 adds a quarter.
	// Zero: no margin; negative is an error.
	Margin float64
	// Journal is the cutover's journal. Nil: a new in-memory journal on the
	// project's clock and key. A journal that already holds a rollout's
	// entries (a file journal reopened after a stop or a crash) resumes it:
	// see [Project.NewRollout].
	Journal *timeline.Journal
	// ReadinessRun, when resuming, is the readiness run as it was saved
	// (checklist.Restore of its Snapshot); nil: a new run of Readiness.
	ReadinessRun *checklist.Run
}

// Rollout is one go-live of a project, from its rehearsals to its review:
// the runbook, the readiness checklist run against T0, the policies, the
// go/no-go votes and the cutover's journal (R5, R7 to R12).
//
// Rollout is safe for simultaneous use by multiple goroutines. Make one
// with [Project.NewRollout]; the zero Rollout is not usable.
type Rollout struct {
	mu        sync.Mutex
	moveMu    sync.Mutex // serialises Reschedule and the first StartStep; taken before mu
	p         *Project
	name, env string
	t0        time.Time
	gen       uint64 // bumped when T0 moves: votes of an earlier generation are stale
	runbook   []Step
	index     map[string]int
	readiness *checklist.Run
	policies  policy.Set
	roles     []string
	margin    float64
	journal   *timeline.Journal
	votes     []Vote
	override  *policy.Override
	decided   Verdict // the last decision taken by Decide
	started   bool    // a cutover step has started
}

// NewRollout prepares a go-live of p. It attaches the readiness run to the
// project's evidence (SetReadiness) and returns a *FieldError for a
// missing name or T0, an invalid runbook, role or margin, or an invalid
// readiness list.
//
// Given a journal that already holds entries, NewRollout resumes the
// rollout they record: T0 as last rescheduled (o.T0 is the first one), the
// votes, the last decision, the override and whether the cutover started.
// Pass the readiness run as saved in o.ReadinessRun; its T0 must be the
// resumed one. A journal whose entries do not read as a rollout's is a
// *FieldError naming the entry.
func (p *Project) NewRollout(o RolloutOptions) (*Rollout, error) {
	switch {
	case strings.TrimSpace(o.Name) == "":
		return nil, fieldErr("rollout.name", o.Name, "empty")
	case o.T0.IsZero():
		return nil, fieldErr("rollout.t0", "", "zero time")
	case o.Margin < 0:
		return nil, fieldErr("rollout.margin", fmt.Sprint(o.Margin), "negative")
	}
	if err := validateRunbook(o.Runbook); err != nil {
		return nil, err
	}
	roles := slices.Clone(o.Roles)
	if !slices.ContainsFunc(roles, func(r string) bool { return strings.EqualFold(r, RoleOperations.String()) }) {
		roles = append(roles, RoleOperations.String()) // R9: the operations GO is always needed
	}
	for i, name := range roles {
		if _, err := ParseRole(name); err != nil {
			return nil, fieldErr(fmt.Sprintf("rollout.roles[%d]", i), name, "unknown role")
		}
	}
	r := &Rollout{
		p: p, name: o.Name, env: o.Environment, t0: o.T0.Round(0),
		runbook: slices.Clone(o.Runbook), index: make(map[string]int, len(o.Runbook)),
		roles: slices.Clone(roles), margin: o.Margin, journal: o.Journal,
	}
	for i, s := range r.runbook {
		r.index[s.ID] = i
	}
	if r.journal != nil {
		if err := r.resume(r.journal.Entries()); err != nil {
			return nil, err
		}
	}
	run := o.ReadinessRun
	if run == nil {
		list := o.Readiness
		if len(list.Items) == 0 {
			list = checklist.Preparation()
		}
		var err error
		if run, err = checklist.NewRun(list, r.t0); err != nil {
			return nil, fmt.Errorf("mep: readiness checklist: %w", err)
		}
	} else if !run.T0().Equal(r.t0) {
		return nil, fieldErr("rollout.readiness_run", run.T0().Format(time.RFC3339), "its T0 is not the rollout's, "+r.t0.Format(time.RFC3339))
	}
	r.readiness = run
	r.policies = slices.Clone(o.Policies)
	r.require(policy.ReadinessWindow(p.settings.lead))
	for _, role := range roles {
		r.require(policy.RequireGo(role))
	}
	if r.journal == nil {
		r.journal = timeline.New(&timeline.Options{Now: p.settings.now, Key: p.settings.key})
	}
	p.SetReadiness(run)
	return r, nil
}

// require makes q part of the rollout's policies and mandatory: a policy of
// the same name already in the set is made mandatory, or q is added. The
// GO (R9) and the readiness window (R7) cannot be lifted by an override.
func (r *Rollout) require(q policy.Policy) {
	i := slices.IndexFunc(r.policies, func(x policy.Policy) bool { return x != nil && strings.EqualFold(x.Name(), q.Name()) })
	if i >= 0 {
		r.policies[i] = policy.Mandatory(r.policies[i])
		return
	}
	r.policies = append(r.policies, policy.Mandatory(q))
}

// Name returns the rollout's name.
func (r *Rollout) Name() string { return r.name }

// Project returns the project the rollout belongs to.
func (r *Rollout) Project() *Project { return r.p }

// T0 returns the planned start of the cutover.
func (r *Rollout) T0() time.Time {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.t0
}

// Runbook returns a copy of the runbook.
func (r *Rollout) Runbook() []Step { return slices.Clone(r.runbook) }

// Readiness returns the readiness checklist run (R7, R8). Tick its items
// directly; it is safe for concurrent use.
func (r *Rollout) Readiness() *checklist.Run { return r.readiness }

// Journal returns the cutover's journal.
func (r *Rollout) Journal() *timeline.Journal { return r.journal }

// Policies returns the policies the rollout checks, with the RequireGo
// rules it added.
func (r *Rollout) Policies() policy.Set { return slices.Clone(r.policies) }

// Votes returns every vote given, in order, including those given for an
// earlier T0.
func (r *Rollout) Votes() []Vote {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.votes)
}

// AddRehearsal records a rehearsal of the runbook (R5): the summary of a
// journal of the same steps in production-like conditions. It feeds the
// estimate of every later decision, and is added to the project's
// evidence. It returns a *FieldError naming the steps that are not in the
// runbook (a rehearsal runs the same runbook) or that are still open.
func (r *Rollout) AddRehearsal(s timeline.Summary) error {
	var unknown, open []string
	for _, sp := range s.Steps {
		if _, ok := r.index[sp.Step]; !ok && !slices.Contains(unknown, sp.Step) {
			unknown = append(unknown, sp.Step)
		}
		if sp.Open {
			open = append(open, sp.Step)
		}
	}
	switch {
	case len(unknown) > 0:
		return fieldErr("rehearsal.steps", strings.Join(unknown, ", "), "not in the runbook")
	case len(open) > 0:
		return fieldErr("rehearsal.steps", strings.Join(open, ", "), "still running: a rehearsal is recorded once every step ended")
	}
	return r.p.AddRehearsal(s)
}

// Reschedule moves T0 to t0 before the cutover starts: the readiness
// deadlines follow, the votes given so far no longer count (they were for
// the old T0) and the decision returns to Undecided. It is journaled. It
// returns a *FieldError without by or reason, and ErrStarted once a
// cutover step has started.
func (r *Rollout) Reschedule(t0 time.Time, by, reason string) error {
	switch {
	case t0.IsZero():
		return fieldErr("reschedule.t0", "", "zero time")
	case strings.TrimSpace(by) == "":
		return fieldErr("reschedule.by", by, "empty")
	case strings.TrimSpace(reason) == "":
		return fieldErr("reschedule.reason", reason, "empty: say why T0 moves")
	}
	r.moveMu.Lock()
	defer r.moveMu.Unlock()
	r.mu.Lock()
	started, from := r.started, r.t0
	r.mu.Unlock()
	if started {
		return fmt.Errorf("%w: T0 cannot move", ErrStarted)
	}
	now := r.p.now()
	t0 = t0.Round(0)
	if _, err := r.journal.Record(timeline.Entry{
		At: now, Kind: kindDecision, Actor: by, Text: reason,
		Attrs: map[string]string{"event": "reschedule", "from": from.Format(time.RFC3339), "to": t0.Format(time.RFC3339)},
	}); err != nil {
		return fmt.Errorf("mep: journal reschedule: %w", err)
	}
	// Without r.mu: the checklist tells its observer, who may well ask
	// this rollout for an evaluation.
	if err := r.readiness.Reschedule(t0, by, now, reason); err != nil {
		return fmt.Errorf("mep: readiness checklist: %w", err)
	}
	r.mu.Lock()
	r.t0 = t0
	r.gen++
	r.decided = Verdict{}
	r.override = nil
	r.mu.Unlock()
	if r.p.Evidence().Go.Decision != Undecided {
		return r.p.SetGoDecision(GoDecision{})
	}
	return nil
}

// Override records a break-glass request: By, a member with the operations
// role, takes responsibility for running the cutover although policies deny
// it. Mandatory policies still deny, among them the GO and the readiness
// window. It is journaled (kind override) and lasts until T0 moves. It
// returns a *NotFoundError for an unknown member and a *FieldError without
// By or Reason or when By does not hold the operations role.
func (r *Rollout) Override(o policy.Override) error {
	switch {
	case strings.TrimSpace(o.By) == "":
		return fieldErr("override.by", o.By, "empty")
	case strings.TrimSpace(o.Reason) == "":
		return fieldErr("override.reason", o.Reason, "empty")
	}
	m, ok := r.p.Member(o.By)
	if !ok {
		return &NotFoundError{What: "member", Key: o.By}
	}
	if !m.Has(RoleOperations) {
		return fieldErr("override.by", o.By, "only a member with the operations role may break the glass")
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if o.At.IsZero() {
		o.At = r.p.now()
	}
	o.At = o.At.Round(0)
	if _, err := r.journal.Record(timeline.Entry{At: o.At, Kind: kindOverride, Actor: o.By, Text: o.Reason}); err != nil {
		return fmt.Errorf("mep: journal override: %w", err)
	}
	r.override = &o
	return nil
}
