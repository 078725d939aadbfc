package mep

import (
	"fmt"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// Options configure a [Project]. A nil *Options, like the zero value,
// means the defaults. A project copies what it needs and never modifies
// Options.
//
// Location, Country, ReadinessLead, BuildShare and BuildMargin are
// recorded with the project: [Open] takes them from the record, and
// refuses, with a *FieldError, any of them given with another value.
// Records written before options were recorded take them from opts.
type Options struct {
	// Now is the project's clock: transitions, and every fact recorded
	// without a time of its own. Nil: time.Now.
	Now func() time.Time
	// Location is where meeting dates are computed (cadence, default due
	// dates), where calendar exports show local times, where the method's
	// freeze counts days, and where times read back from the record are
	// shown. Nil: UTC.
	Location *time.Location
	// Country is the country whose public holidays, and their eves, the
	// method's freeze keeps free of go-lives (R11), as policy.Holidays
	// takes it ("FR", ...). "": no holiday calendar, only Fridays and
	// weekends.
	Country string
	// Key, if not nil, makes the record an HMAC-SHA256 chain with this
	// key; nil: SHA-256. A record is opened with the key it was written
	// with.
	Key []byte
	// NoSync skips the fsync of each append to a file record (tests,
	// rehearsals on a laptop): a crash may then lose the latest facts.
	NoSync bool
	// BuildShare is Build's expected share of the project's time (R2),
	// between 0 and 1 exclusive. 0: 0.75.
	BuildShare float64
	// BuildMargin is how far Build's share may depart from BuildShare
	// before the budget warns, in share points (0.1 = ten points). 0: 0.10;
	// a negative value, or one of 1 or more, is an error.
	BuildMargin float64
	// ReadinessLead is how long before the cutover's T0 the readiness
	// checklist must be complete (R7). 0: one hour; a team may ask for
	// more, never less: a lead under one hour is an error.
	ReadinessLead time.Duration
	// RolloutsOnly, given to [New] or [Create], makes a project that runs
	// rollouts only, without the earlier phases of the method: its first
	// rollout needs no gate passed, and its reports leave the phases out;
	// R3, R7 to R11 and R13 still hold. It is a recorded choice: CreatedBy
	// and RolloutsOnlyReason are required with it. When opening a record
	// it is ignored.
	RolloutsOnly bool
	// RolloutsOnlyReason says why the project skips the method's phases
	// ("the product is in production; this project runs its upgrades").
	RolloutsOnlyReason string
	// CreatedBy is who creates the project, recorded with it; required
	// with RolloutsOnly.
	CreatedBy string
}

// Defaults of [Options].
const (
	defaultBuildShare    = 0.75
	defaultBuildMargin   = 0.10
	defaultReadinessLead = time.Hour
)

// settings are the resolved options.
type settings struct {
	now     func() time.Time
	loc     *time.Location
	country string
	key     []byte
	noSync  bool
	share   float64
	margin  float64
	lead    time.Duration
	only    bool
	by, why string // who made the project, and why it runs rollouts only
}

func resolve(opts *Options) (settings, error) {
	var o Options
	if opts != nil {
		o = *opts
	}
	s := settings{now: o.Now, loc: o.Location, country: o.Country, key: slices.Clone(o.Key), noSync: o.NoSync,
		share: o.BuildShare, margin: o.BuildMargin, lead: o.ReadinessLead, only: o.RolloutsOnly,
		by: o.CreatedBy, why: o.RolloutsOnlyReason}
	if o.Key != nil && s.key == nil {
		s.key = []byte{}
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.loc == nil {
		s.loc = time.UTC
	}
	if s.share == 0 {
		s.share = defaultBuildShare
	}
	if s.margin == 0 {
		s.margin = defaultBuildMargin
	}
	if s.lead == 0 {
		s.lead = defaultReadinessLead
	}
	return s, s.check()
}

// check reports the first option of s that the method refuses.
func (s *settings) check() error {
	switch {
	case s.loc == nil:
		return fieldErr("options.location", "", "unknown time zone")
	case !(s.share > 0 && s.share < 1):
		return fieldErr("options.build_share", fmt.Sprint(s.share), "not between 0 and 1")
	case !(s.margin > 0 && s.margin < 1):
		return fieldErr("options.build_margin", fmt.Sprint(s.margin), "not between 0 and 1")
	case s.lead < defaultReadinessLead:
		return fieldErr("options.readiness_lead", s.lead.String(), "under one hour: a team may ask for more, never less (R7)")
	}
	if s.country != "" {
		// Refused now rather than by every rollout's method freeze (R11).
		if _, err := methodFreeze(s.loc, s.country); err != nil {
			return err
		}
	}
	return nil
}

// recorded returns the options of s that a record states.
func (s *settings) recorded() *recorded {
	return &recorded{Zone: s.loc.String(), Country: s.country, ReadinessLead: s.lead, BuildShare: s.share, BuildMargin: s.margin, loc: s.loc}
}

// adopt takes the options that the record states, refusing those of o
// (given to Open) that say otherwise.
func (s *settings) adopt(r *recorded, o *Options) error {
	if o != nil {
		for _, c := range []struct {
			field      string
			given, rec string
			set        bool
		}{
			{"options.location", locName(o.Location), r.Zone, o.Location != nil},
			{"options.country", o.Country, r.Country, o.Country != ""},
			{"options.readiness_lead", o.ReadinessLead.String(), r.ReadinessLead.String(), o.ReadinessLead != 0},
			{"options.build_share", fmt.Sprint(o.BuildShare), fmt.Sprint(r.BuildShare), o.BuildShare != 0},
			{"options.build_margin", fmt.Sprint(o.BuildMargin), fmt.Sprint(r.BuildMargin), o.BuildMargin != 0},
		} {
			if c.set && c.given != c.rec {
				return fieldErr(c.field, c.given, "not what the record states ("+c.rec+"): a record is reopened with the options it was created with")
			}
		}
	}
	s.loc = r.loc // the other options are read from the record (state.options)
	return nil
}

// nameable reports a *FieldError for a location that the record cannot
// name: one whose name does not load (time.LoadLocation) as a zone with
// the same offsets, such as time.FixedZone("UTC+1", 3600); the record
// would not open, or would show its times in another zone.
func nameable(field string, loc *time.Location, at time.Time) error {
	named, same := zone(loc.String(), time.UTC), true
	for _, t := range []time.Time{at, time.Date(at.Year(), 1, 1, 0, 0, 0, 0, time.UTC), time.Date(at.Year(), 7, 1, 0, 0, 0, 0, time.UTC)} {
		_, a := t.In(loc).Zone()
		same = same && named != nil && a == offset(t, named)
	}
	if !same {
		return fieldErr(field, loc.String(), "not a zone the record can name: give one that time.LoadLocation loads (\"Europe/Paris\", \"UTC\")")
	}
	return nil
}

func offset(t time.Time, loc *time.Location) int {
	_, off := t.In(loc).Zone()
	return off
}

func locName(l *time.Location) string {
	if l == nil {
		return ""
	}
	return l.String()
}

// Transition is one move of a project from a phase to another (R1).
type Transition struct {
	From   Phase     `json:"from"`
	To     Phase     `json:"to"`
	By     string    `json:"by"`
	At     time.Time `json:"at"`
	Reason string    `json:"reason,omitempty"` // required when going back
}

// Project is a go-live project run by the method: its phase, the gates
// between phases, its people, meetings and actions, lessons, rollouts,
// and the record that keeps every fact of them (see the package doc).
//
// Project is safe for simultaneous use by multiple goroutines; the values
// it returns are copies. Its views ([Project.Team], [Project.Tracker],
// [Project.Lessons]) and its rollouts share its lock.
//
// The zero value is not a project and its methods panic: get one with
// [New], [Create], [CreateFile], [Open] or [OpenFile]. So for the zero
// values of the views and of [Rollout].
type Project struct {
	mu sync.Mutex // guards everything below; see the lock order in doc.go
	settings
	journal  *timeline.Journal
	st       *state
	criteria [numPhases][]Criterion // added by the user, per phase left
	crev     uint64                 // bumped when criteria change
	scratch  []byte                 // reused by the encoding of events
	epoch    uint64                 // bumped each time st is folded again after a refused write
}

// New returns a project named name in the [Scoping] phase, created now
// (by the options' clock), with its record in memory. It returns a
// *FieldError for an empty name or invalid options.
func New(name string, opts *Options) (*Project, error) {
	s, err := resolve(opts)
	if err != nil {
		return nil, err
	}
	return create(timeline.New(&timeline.Options{Now: s.now, Key: s.key}), name, s)
}

// create starts the record of a new project in j, which must be empty.
func create(j *timeline.Journal, name string, s settings) (*Project, error) {
	if strings.TrimSpace(name) == "" {
		return nil, fieldErr("project.name", name, "empty")
	}
	if j.Len() > 0 {
		return nil, ErrExists
	}
	if err := nameable("options.location", s.loc, s.now()); err != nil {
		return nil, err
	}
	p := &Project{settings: s, journal: j, st: newState()}
	opts := s.recorded()
	opts.Checks = checksNow
	ev := &evProject{At: p.now(), Name: name, By: s.by, RolloutsOnly: s.only, Reason: s.why, Options: opts}
	if err := p.record(ev); err != nil {
		return nil, err
	}
	return p, nil
}

// now returns the clock's time without its monotonic reading, in the
// project's location.
func (p *Project) now() time.Time { return p.settings.now().Round(0).In(p.loc) }

// stamp returns t without monotonic reading, or now when t is zero.
func (p *Project) stamp(t time.Time) time.Time {
	if t.IsZero() {
		return p.now()
	}
	return t.Round(0)
}

// read calls fn with the state, under p.mu, after folding the entries of
// other writers read so far.
func (p *Project) read(fn func(st *state)) {
	p.mu.Lock()
	defer p.mu.Unlock()
	_ = p.catchUp() // an error is reported by the next write
	fn(p.st)
}

// Name returns the project's name.
func (p *Project) Name() string {
	var n string
	p.read(func(st *state) { n = st.name })
	return n
}

// Created returns when the project was created: the start of Scoping.
func (p *Project) Created() time.Time {
	var t time.Time
	p.read(func(st *state) { t = st.created })
	return t
}

// Record returns a copy of the project's record: every fact stored, in
// order, as the hash-chained journal keeps it, with their seq and hash.
// Export it, verify it ([timeline.Verify]), summarise it; facts are
// written through the project only.
func (p *Project) Record() []timeline.Entry { return p.journal.Entries() }

// Refresh reads what other writers appended to the record since the
// project last read or wrote it ([timeline.Journal.Refresh]), verifies
// that it continues the chain, and folds it. Writes do so by themselves
// when the store reports a conflict; call Refresh before reading from a
// shared store. For a record in memory it does nothing; for a store that
// cannot say what others appended (no [timeline.Tailer]) it returns an
// error. An entry that does not read as a project's is a *RecordError.
func (p *Project) Refresh() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.refreshLocked()
}

// Close closes the project's record and its store.
func (p *Project) Close() error { return p.journal.Close() }

// Phase returns the current phase.
func (p *Project) Phase() Phase {
	var ph Phase
	p.read(func(st *state) { ph = st.phase })
	return ph
}

// Transitions returns every transition so far, oldest first.
func (p *Project) Transitions() []Transition {
	var out []Transition
	p.read(func(st *state) { out = slices.Clone(st.transitions) })
	return out
}

func (st *state) enteredAt() time.Time {
	if n := len(st.transitions); n > 0 {
		return st.transitions[n-1].At
	}
	return st.created
}

// OptOutOfFreeze records that this project's rollouts run without the
// method's freeze (R11: Fridays, weekends, public holidays and their
// eves), by whom, a member with the operations role, and why. Without it
// every rollout checks that freeze. It returns a *FieldError without by
// or reason or when by does not hold the operations role, and an error
// wrapping [ErrNotFound] for an unknown member.
func (p *Project) OptOutOfFreeze(by, reason string) error {
	switch {
	case strings.TrimSpace(by) == "":
		return fieldErr("opt_out.by", by, "empty")
	case strings.TrimSpace(reason) == "":
		return fieldErr("opt_out.reason", reason, "empty: say why the method's freeze does not apply")
	}
	return p.record(&evOptOut{At: p.now(), By: by, Reason: reason})
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

func (e *multiError) Error() string { return prefix + e.detail() }

func (e *multiError) detail() string {
	var b strings.Builder
	for i, err := range e.errs {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(detail(err))
	}
	return b.String()
}

func (e *multiError) Unwrap() []error { return e.errs }

// evProject opens a record: the project's name and how it runs. A record
// written since options are recorded (Options non-nil) states them, so
// that opening it needs nothing re-supplied.
type evProject struct {
	At           time.Time
	Name, By     string
	RolloutsOnly bool   // the project runs rollouts only, without the earlier phases
	Reason       string // why it runs rollouts only
	Options      *recorded
}

func (*evProject) kind() string      { return "project" }
func (v *evProject) when() time.Time { return v.At }
func (v *evProject) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Name)
	c.bool("rollouts_only", &v.RolloutsOnly)
	c.str("reason", &v.Reason)
	if c.w != nil {
		if v.Options != nil {
			c.w.json("options", v.Options)
		}
		return
	}
	d := c.d
	if strings.TrimSpace(v.Name) == "" {
		d.fail("text", "", "no project name")
	}
	if d.str("options") != "" {
		v.Options = &recorded{}
		d.json("options", v.Options)
		if v.Options.loc = zone(v.Options.Zone, time.UTC); v.Options.loc == nil {
			d.fail("options", v.Options.Zone, "unknown time zone")
		}
	}
}

var _ = register[evProject]()

func (v *evProject) check(st *state) error {
	if st.name != "" {
		return sentinel("a second project event")
	}
	if o := v.Options; o != nil {
		if err := o.check(); err != nil {
			return err
		}
		if v.RolloutsOnly && (strings.TrimSpace(v.By) == "" || strings.TrimSpace(v.Reason) == "") {
			return fieldErr("options.rollouts_only", v.Reason, "who and why are required: the project skips the method's gates (R1)")
		}
	}
	return nil
}

func (v *evProject) apply(st *state) {
	st.name, st.created, st.rolloutsOnly, st.opts = v.Name, v.At, v.RolloutsOnly, v.Options
}

// evOptOut is the project's explicit opt-out of the method's freeze
// (R11): who and why.
type evOptOut struct {
	At         time.Time
	By, Reason string
}

func (*evOptOut) kind() string      { return "freeze.opt-out" }
func (v *evOptOut) when() time.Time { return v.At }
func (v *evOptOut) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Reason)
	if c.d != nil && strings.TrimSpace(v.Reason) == "" {
		c.d.fail("text", "", "no reason")
	}
}

var _ = register[evOptOut]()

func (v *evOptOut) check(st *state) error {
	if strings.TrimSpace(v.By) == "" || strings.TrimSpace(v.Reason) == "" {
		return fieldErr("opt_out", v.Reason, "who and why are required (R11)")
	}
	// Lifting the freeze weighs more than a break-glass override, which
	// an operations member asks for.
	i, ok := st.people.find(v.By)
	if !ok {
		return &notFoundError{What: "member", Key: fmt.Sprintf("%q", v.By)}
	}
	if !st.people.members[i].has(RoleOperations) {
		return fieldErr("opt_out.by", v.By, "does not hold the operations role (R11)")
	}
	return nil
}

func (v *evOptOut) apply(st *state) {
	st.freezeOff = v
	for _, r := range st.rollouts {
		r.policies = nil // built again without the method's freeze
	}
}
