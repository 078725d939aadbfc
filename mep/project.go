package mep

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/timeline"
)

// Options configure a [Project]. A nil *Options, like the zero value,
// means the defaults. A project copies what it needs and never modifies
// Options.
type Options struct {
	// Now is the project's clock: transitions, lessons recorded without a
	// time, the project's creation. Nil: time.Now.
	Now func() time.Time
	// Location is where meeting dates are computed (cadence, default due
	// dates) and where calendar exports show local times. Nil: UTC.
	Location *time.Location
	// Key, if not nil, makes the project's journal an HMAC-SHA256 chain
	// with this key; nil: SHA-256. A saved project is loaded with the
	// same key.
	Key []byte
	// Cadence is the initial meeting cadence; zero: none.
	Cadence Cadence
	// BuildShare is Build's expected share of the project's time (R2),
	// between 0 and 1 exclusive. 0: 0.75.
	BuildShare float64
	// BuildMargin is how far Build's share may depart from BuildShare
	// before the budget warns, in share points (0.1 = ten points). 0: 0.10;
	// a negative value, or one of 1 or more, is an error.
	BuildMargin float64
	// ReadinessLead is how long before the cutover's T0 the readiness
	// checklist must be complete (R7). 0: one hour.
	ReadinessLead time.Duration
}

// Defaults of [Options].
const (
	DefaultBuildShare    = 0.75
	DefaultBuildMargin   = 0.10
	DefaultReadinessLead = time.Hour
)

// settings are the resolved options.
type settings struct {
	now    func() time.Time
	loc    *time.Location
	key    []byte
	share  float64
	margin float64
	lead   time.Duration
}

func resolve(opts *Options) (settings, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	s := settings{now: o.Now, loc: o.Location, key: slices.Clone(o.Key), share: o.BuildShare, margin: o.BuildMargin, lead: o.ReadinessLead}
	if o.Key != nil && s.key == nil {
		s.key = []byte{}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	switch {
	case s.share == 0:
		s.share = DefaultBuildShare
	case !(s.share > 0 && s.share < 1):
		return s, fieldErr("options.build_share", fmt.Sprint(o.BuildShare), "not between 0 and 1")
	}
	switch {
	case s.margin == 0:
		s.margin = DefaultBuildMargin
	case !(s.margin > 0 && s.margin < 1):
		return s, fieldErr("options.build_margin", fmt.Sprint(o.BuildMargin), "not between 0 and 1")
	}
	switch {
	case s.lead == 0:
		s.lead = DefaultReadinessLead
	case s.lead < 0:
		return s, fieldErr("options.readiness_lead", s.lead.String(), "negative")
	}
	if err := o.Cadence.Validate(); err != nil {
		return s, err
	}
	return s, nil
}

// Transition is one move of a project from a phase to another (R1).
type Transition struct {
	From   Phase     `json:"from"`
	To     Phase     `json:"to"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"` // required when going back
}

// IsBack reports whether the transition goes back to an earlier phase.
func (t Transition) IsBack() bool { return t.To < t.From }

// Project is a go-live project run by the method: its phase, the gates
// between phases, its people, meetings and actions, lessons, the evidence
// the gates read, and a journal of everything that happened.
//
// Project is safe for simultaneous use by multiple goroutines; the values
// it returns are copies.
type Project struct {
	mu sync.Mutex
	settings
	name        string
	created     time.Time
	journal     *timeline.Journal
	tracker     *Tracker
	phase       Phase
	transitions []Transition
	planned     [NumPhases]time.Duration
	people      people
	lessons     []Lesson
	evidence    Evidence
	criteria    [NumPhases][]Criterion // added by the user, per phase left
	rev         uint64                 // bumped by every change under mu

	transMu sync.Mutex // serialises transitions
	saveMu  sync.Mutex // serialises saves
}

// New returns a project named name in the [Scoping] phase, created now
// (by the options' clock), with an empty in-memory journal. It returns a
// *FieldError for an empty name or invalid options.
func New(name string, opts *Options) (*Project, error) {
	if strings.TrimSpace(name) == "" {
		return nil, fieldErr("project.name", name, "empty")
	}
	s, err := resolve(opts)
	if err != nil {
		return nil, err
	}
	var cad Cadence
	if opts != nil {
		cad = opts.Cadence
	}
	p := &Project{settings: s, name: name}
	p.created = p.now()
	p.journal = timeline.New(&timeline.Options{Now: s.now, Key: s.key})
	p.tracker = &Tracker{loc: s.loc, cadence: cad, journal: p.journal}
	return p, nil
}

// now returns the clock's time without its monotonic reading.
func (p *Project) now() time.Time { return p.settings.now().Round(0) }

// Name returns the project's name.
func (p *Project) Name() string { return p.name }

// Created returns when the project was created: the start of Scoping.
func (p *Project) Created() time.Time { return p.created }

// Journal returns the project's journal: phase transitions, meetings,
// actions and lessons are recorded in it. Programs may record their own
// entries too.
func (p *Project) Journal() *timeline.Journal { return p.journal }

// Tracker returns the project's meetings and actions.
func (p *Project) Tracker() *Tracker { return p.tracker }

// Location returns the location meeting dates are computed in.
func (p *Project) Location() *time.Location { return p.loc }

// Phase returns the current phase.
func (p *Project) Phase() Phase {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.phase
}

// Transitions returns every transition so far, oldest first.
func (p *Project) Transitions() []Transition {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.transitions)
}

// EnteredAt returns when the project last entered its current phase: the
// creation time while in Scoping.
func (p *Project) EnteredAt() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.enteredAt()
}

// enteredAt requires p.mu held.
func (p *Project) enteredAt() time.Time {
	if n := len(p.transitions); n > 0 {
		return p.transitions[n-1].At
	}
	return p.created
}

// AddMember adds a member to the project (R3). It returns a *FieldError
// for an empty or taken name, no role or an invalid role.
func (p *Project) AddMember(m Member) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.people.add(m); err != nil {
		return err
	}
	p.rev++
	return nil
}

// Member returns the member with the given name.
func (p *Project) Member(name string) (Member, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	i, ok := p.people.find(name)
	if !ok {
		return Member{}, false
	}
	return p.people.members[i].clone(), true
}

// Members returns the members, in the order added.
func (p *Project) Members() []Member {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Member, len(p.people.members))
	for i, m := range p.people.members {
		out[i] = m.clone()
	}
	return out
}

// WithRole returns the members who have role r, in the order added.
func (p *Project) WithRole(r Role) []Member {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Member
	for _, m := range p.people.members {
		if m.Has(r) {
			out = append(out, m.clone())
		}
	}
	return out
}

// ChooseTeam sets the go-live team, chosen explicitly at the round table
// that ends Build (R3); it replaces any earlier choice. It returns a
// *NotFoundError for a name that is not a member and a *FieldError for an
// empty team or a name given twice.
func (p *Project) ChooseTeam(names ...string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.people.setTeam(names); err != nil {
		return err
	}
	p.rev++
	return nil
}

// Team returns the go-live team's names, in the order chosen.
func (p *Project) Team() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.people.team)
}

// SetMCOContact names the builder who stays in touch with the MCO team
// (R3). It returns a *NotFoundError for a name that is not a member and a
// *FieldError for a member without [RoleBuild].
func (p *Project) SetMCOContact(name string) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	if err := p.people.setMCOContact(name); err != nil {
		return err
	}
	p.rev++
	return nil
}

// MCOContact returns the builder named as the MCO team's contact, or "".
func (p *Project) MCOContact() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.people.mcoContact
}

// CheckTeam checks the people against R3: at least one member has
// [RoleMCO], a go-live team is chosen, every member with RoleMCO is in it,
// and a builder is named as the MCO team's contact. It returns nil, or
// every problem as *TeamError values joined in one error, whose Unwrap
// returns them all.
func (p *Project) CheckTeam() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return joinErrs(p.people.check())
}

func joinErrs(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	if len(errs) == 1 {
		return errs[0]
	}
	return &multiError{errs: errs}
}

// multiError joins errors with "; " on one line.
type multiError struct{ errs []error }

func (e *multiError) Error() string {
	var b strings.Builder
	for i, err := range e.errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(trimPrefix(err.Error()))
	}
	return "mep: " + b.String()
}

func (e *multiError) Unwrap() []error { return e.errs }

func trimPrefix(s string) string { return strings.TrimPrefix(s, "mep: ") }

// Evidence returns the evidence the gates read. Checklist runs are shared
// with the project.
func (p *Project) Evidence() Evidence {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.evidence.clone()
}

// SetValidation attaches the validation checklist run (R4); nil detaches it.
func (p *Project) SetValidation(r *checklist.Run) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.evidence.Validation = r
	p.rev++
}

// AddRehearsal adds the summary of a timed rehearsal (R5), typically
// [timeline.Summarize] of the rehearsal's journal. It returns a *FieldError
// for a summary with no step, and for one that Summarize would not have
// made: an Open count that is not the number of open steps, a Duration
// that is not End minus Start, a step that ends before it starts, an
// Outage or a Disruption that is negative or longer than the Duration.
func (p *Project) AddRehearsal(s timeline.Summary) error {
	if len(s.Steps) == 0 {
		return fieldErr("rehearsal.steps", "", "no step timed (R5)")
	}
	if err := checkSummary("rehearsal", &s); err != nil {
		return err
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	s.Steps = slices.Clone(s.Steps)
	p.evidence.Rehearsals = append(p.evidence.Rehearsals, s)
	p.rev++
	return nil
}

// SetReadiness attaches the preparation checklist run (R7, R8), whose T0
// is the cutover's planned start; nil detaches it.
func (p *Project) SetReadiness(r *checklist.Run) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.evidence.Readiness = r
	p.rev++
}

// SetGoDecision records the operations team's final go/no-go (R9) and
// journals it (kind decision). An undecided GoDecision, such as the zero
// value, resets it: when there was a decision to reset, the reset is
// journaled too (kind decision, attributes decision "undecided" and event
// "reset", at d.At or else the project clock's time, by d.By). It returns
// a *FieldError for an invalid decision, or a go or no-go without By or
// At.
func (p *Project) SetGoDecision(d GoDecision) error {
	if err := d.validate(); err != nil {
		return err
	}
	d.At = d.At.Round(0)
	p.mu.Lock()
	defer p.mu.Unlock()
	prev := p.evidence.Go.Decision
	if d.Decision != Undecided || prev != Undecided { // an undecided one resets nothing
		e := timeline.Entry{
			At: d.At, Kind: kindDecision, Actor: d.By, Text: d.Reason,
			Attrs: map[string]string{"decision": d.Decision.String()},
		}
		if d.Decision == Undecided {
			e.Attrs["event"], e.Attrs["previous"] = "reset", prev.String()
			if e.At.IsZero() {
				e.At = p.now()
			}
		}
		if _, err := p.journal.Record(e); err != nil {
			return fmt.Errorf("mep: journal go decision: %w", err)
		}
	}
	p.evidence.Go = d
	p.rev++
	return nil
}

// SetCutover attaches the summary of the cutover's journal (R10), as
// [timeline.Summarize] makes it: a summary that AddRehearsal would refuse
// for its consistency makes [Project.Save] fail until it is replaced.
func (p *Project) SetCutover(s timeline.Summary) {
	s.Steps = slices.Clone(s.Steps)
	p.mu.Lock()
	defer p.mu.Unlock()
	p.evidence.Cutover = &s
	p.rev++
}

// SetOperations attaches the operations-readiness checklist run (R13);
// nil detaches it.
func (p *Project) SetOperations(r *checklist.Run) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.evidence.Operations = r
	p.rev++
}
