package mep

import (
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// SetOptions changes the options the record states, for the decisions and
// reports to come: o's Country, ReadinessLead, BuildShare and BuildMargin,
// each when not zero (the zero value leaves an option as it is; Country
// "-" removes the holiday calendar). By, a member of the project, records
// it with a reason. The zone is the project's for good: a Location other
// than the recorded one is a *FieldError, as are an empty reason and
// values that [New] refuses.
func (p *Project) SetOptions(o Options, by, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return fieldErr("options.reason", reason, "empty: say why the options change")
	}
	if o.Location != nil && o.Location.String() != p.loc.String() {
		return fieldErr("options.location", o.Location.String(), "the zone of a project is the one it was created in ("+p.loc.String()+")")
	}
	return p.record(&evOptions{At: p.now(), By: by, Reason: reason, change: o})
}

// evOptions changes the options a record states, with who and why.
type evOptions struct {
	At         time.Time
	By, Reason string
	Options    recorded // the options from now on

	change Options // what SetOptions was given, made into Options by prepare
}

func (*evOptions) kind() string      { return "options" }
func (v *evOptions) when() time.Time { return v.At }
func (v *evOptions) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Reason)
	c.json("options", &v.Options)
	if c.d != nil {
		v.Options.loc = zone(v.Options.Zone, time.UTC)
	}
}

var _ = register[evOptions]()

// prepare makes the options from now on: those the record states, with
// the changes asked for.
func (v *evOptions) prepare(p *Project, st *state) error {
	o := *st.options(p)
	c := v.change
	switch c.Country {
	case "":
	case "-":
		o.Country = ""
	default:
		o.Country = c.Country
	}
	if c.ReadinessLead != 0 {
		o.ReadinessLead = c.ReadinessLead
	}
	if c.BuildShare != 0 {
		o.BuildShare = c.BuildShare
	}
	if c.BuildMargin != 0 {
		o.BuildMargin = c.BuildMargin
	}
	v.Options = o
	return nil
}

func (v *evOptions) check(st *state) error {
	if strings.TrimSpace(v.Reason) == "" {
		return fieldErr("options.reason", v.Reason, "empty: say why the options change")
	}
	o := &v.Options
	if st.opts != nil && o.Zone != st.opts.Zone {
		return fieldErr("options.location", o.Zone, "the zone of a project is the one it was created in ("+st.opts.Zone+")")
	}
	if err := o.check(); err != nil {
		return err
	}
	if st.opts != nil && o.Checks < st.opts.Checks {
		// A record is never held to older checks than it states: that
		// would let facts written after this one escape today's.
		return fieldErr("options.checks", strconv.Itoa(o.Checks), "below the "+strconv.Itoa(st.opts.Checks)+" the record states")
	}
	if !st.people.knows(v.By) {
		return fieldErr("options.by", v.By, "not a member of the project")
	}
	return nil
}

func (v *evOptions) apply(st *state) {
	o := v.Options
	o.freeze = nil // built again in these options
	st.opts = &o
	for _, r := range st.rollouts {
		r.policies = nil // built again with the new options
	}
}

// recorded are the options a project states in its record.
type recorded struct {
	Zone          string        `json:"zone"`
	Country       string        `json:"country,omitempty"`
	ReadinessLead time.Duration `json:"readiness_lead"`
	BuildShare    float64       `json:"build_share"`
	BuildMargin   float64       `json:"build_margin"`
	// Checks is the generation of the checks a replay holds the record
	// to (see state.checks): 0 for a record written before facts by
	// strangers, and a GO after a rollback or in another's name, were
	// refused; 1 for one written before a decision after the cutover's
	// end was; checksNow for one written since.
	Checks int `json:"checks,omitempty"`
	loc    *time.Location
	freeze policy.Set // the method's freeze in these options, built once (stands.go); nil: to build
}

// check reports the first of the recorded options that the method
// refuses, as [settings.check] does.
func (r *recorded) check() error {
	if r.Checks < 0 || r.Checks > checksNow {
		// Written by a mepkit that checks what this one does not know:
		// judged by this one's rules, it could pass what those refuse.
		return fieldErr("options.checks", strconv.Itoa(r.Checks), "a generation of checks this version does not know (0 to "+strconv.Itoa(checksNow)+")")
	}
	s := settings{loc: r.loc, country: r.Country, lead: r.ReadinessLead, share: r.BuildShare, margin: r.BuildMargin}
	return s.check()
}
