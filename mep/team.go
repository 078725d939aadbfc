package mep

import (
	"github.com/mepkit/mepkit/internal/enum"

	"fmt"
	"slices"
	"strings"
	"time"
)

// Role is what a member does on the project (R3). The zero value is not a
// role; a member never has it.
type Role uint8

// The roles of the method.
const (
	RoleSales      Role = iota + 1 // scoping, the contract
	RoleBuild                      // builds the solution
	RoleValidation                 // the industrial team that validates deliverables and procedures
	RoleOperations                 // runs production; gives the final GO (R9)
	RoleMCO                        // maintains the system in working order after the go-live
)

// roles names the roles; the zero Role has no name and is invalid.
var roles = enum.Enum[Role]{Package: "mep", Type: "Role", What: "role", Invalid: ErrInvalid, Fail: enumFail("role"),
	Names: []string{RoleSales: "sales", RoleBuild: "build", RoleValidation: "validation", RoleOperations: "operations", RoleMCO: "mco"}}

// String returns the role's lower-case name ("sales", "build",
// "validation", "operations", "mco"), or "Role(N)" for an invalid value.
func (r Role) String() string { return roles.String(r) }

// isValid reports whether r is one of the role constants.
func (r Role) isValid() bool { return roles.Valid(r) }

// ParseRole returns the role named s, ignoring case and surrounding space.
// An unknown name returns a *FieldError wrapping [ErrInvalid].
func ParseRole(s string) (Role, error) { return roles.Parse(s) }

// MarshalText returns the role's name; an invalid role is an error.
func (r Role) MarshalText() ([]byte, error) { return roles.MarshalText(r) }

// UnmarshalText parses a name as [ParseRole] does.
func (r *Role) UnmarshalText(b []byte) error { return roles.UnmarshalText(r, b) }

// Member is a person on the project. Name identifies the member within a
// project (compared exactly); it is one line, without control characters
// (a member's name is the actor of the facts they record).
type Member struct {
	Name    string `json:"name"`
	Roles   []Role `json:"roles"`
	Contact string `json:"contact,omitempty"` // e-mail or phone, free text
}

// has reports whether m has role r.
func (m Member) has(r Role) bool { return slices.Contains(m.Roles, r) }

// validate reports a *FieldError for an empty name, no role, an invalid or
// repeated role.
func (m Member) validate() error {
	if strings.TrimSpace(m.Name) == "" {
		return fieldErr("member.name", m.Name, "empty")
	}
	if len(m.Roles) == 0 {
		return fieldErr("member.roles", m.Name, "no role")
	}
	for i, r := range m.Roles {
		if !r.isValid() {
			return fieldErr(fmt.Sprintf("member.roles[%d]", i), r.String(), "invalid role")
		}
		if slices.Index(m.Roles, r) != i {
			return fieldErr(fmt.Sprintf("member.roles[%d]", i), r.String(), "repeated role")
		}
	}
	return nil
}

func (m Member) clone() Member {
	m.Roles = slices.Clone(m.Roles)
	return m
}

// teamError is one problem with the people of a project (R3), as returned,
// joined, by [Team.Check].
type teamError struct {
	Member  string // the member concerned, if any
	Problem string
}

func (e *teamError) Error() string { return prefix + e.detail() }

func (e *teamError) detail() string {
	if e.Member == "" {
		return "team: " + e.Problem
	}
	return "team: " + e.Member + ": " + e.Problem
}

// people holds the members, the go-live team and the MCO contact. It is
// part of a Project and guarded by its mutex.
type people struct {
	members    []Member
	index      map[string]int
	team       []string // the go-live team, chosen at the round table
	mcoContact string   // a builder who stays in touch with the MCO team
	guests     []string // declared guests of the meetings, not members
}

// inTeam reports whether name is in the go-live team with role r (R9,
// R10: those who vote and act in a cutover).
func (pp *people) inTeam(name string, r Role) error {
	i, ok := pp.find(name)
	if !ok {
		return &notFoundError{What: "member", Key: fmt.Sprintf("%q", name)}
	}
	if !slices.Contains(pp.team, name) {
		return fieldErr("member", name, "not in the go-live team chosen at the round table (R3)")
	}
	if r != 0 && !pp.members[i].has(r) {
		return fieldErr("member", name, "does not hold the "+r.String()+" role")
	}
	return nil
}

func (pp *people) find(name string) (int, bool) {
	i, ok := pp.index[name]
	return i, ok
}

// add adds m, checked by evMember.
func (pp *people) add(m Member) {
	if pp.index == nil {
		pp.index = make(map[string]int)
	}
	pp.index[m.Name] = len(pp.members)
	pp.members = append(pp.members, m.clone())
}

// checkTeam reports why names cannot be the go-live team.
func (pp *people) checkTeam(names []string) error {
	if len(names) == 0 {
		return fieldErr("team", "", "empty go-live team")
	}
	for i, n := range names {
		if _, ok := pp.find(n); !ok {
			return &notFoundError{What: "member", Key: fmt.Sprintf("%q (team[%d])", n, i)}
		}
		if slices.Index(names, n) != i {
			return fieldErr(fmt.Sprintf("team[%d]", i), n, "named twice")
		}
	}
	return nil
}

// check returns every R3 problem, in a stable order.
func (pp *people) check() []error {
	var errs []error
	if len(pp.team) == 0 {
		errs = append(errs, &teamError{Problem: "no go-live team chosen (round table)"})
	}
	mco := false
	for _, m := range pp.members {
		mco = mco || m.has(RoleMCO)
		if m.has(RoleMCO) && !slices.Contains(pp.team, m.Name) {
			errs = append(errs, &teamError{Member: m.Name, Problem: "does MCO but is not in the go-live team"})
		}
	}
	if !mco {
		errs = append(errs, &teamError{Problem: "no member has the MCO role"})
	}
	if pp.mcoContact == "" {
		errs = append(errs, &teamError{Problem: "no builder named as the MCO team's contact"})
	} else if i, ok := pp.find(pp.mcoContact); !ok || !pp.members[i].has(RoleBuild) {
		errs = append(errs, &teamError{Member: pp.mcoContact, Problem: "MCO contact is not a builder"})
	}
	return errs
}

// Team is the people of a project (R3): its members and their roles, the
// go-live team chosen at the round table, the builder who is the MCO
// team's contact. Every change is recorded. Get it with [Project.Team];
// it shares the project's lock.
type Team struct{ p *Project }

// Team returns the project's people.
func (p *Project) Team() Team { return Team{p} }

// Add adds a member to the project (R3). It returns a *FieldError for an
// empty or taken name, a name holding a control character (a line break,
// a tab, an escape), a line separator or a direction override, no role
// or an invalid role.
func (t Team) Add(m Member) error {
	return t.p.record(&evMember{At: t.p.now(), Member: m.clone()})
}

// Members returns the members, in the order added; with a role, only
// those who have it.
func (t Team) Members(roles ...Role) []Member {
	var out []Member
	t.p.read(func(st *state) {
		for _, m := range st.people.members {
			if len(roles) == 0 || slices.ContainsFunc(roles, m.has) {
				out = append(out, m.clone())
			}
		}
	})
	return out
}

// Choose sets the go-live team, chosen explicitly at the round table that
// ends Build (R3); it replaces any earlier choice. It returns a
// *notFoundError for a name that is not a member and a *FieldError for an
// empty team or a name given twice.
func (t Team) Choose(by string, names ...string) error {
	return t.p.record(&evTeam{At: t.p.now(), Names: slices.Clone(names), By: by})
}

// Chosen returns the go-live team's names, in the order chosen.
func (t Team) Chosen() []string {
	var out []string
	t.p.read(func(st *state) { out = slices.Clone(st.people.team) })
	return out
}

// Invite declares the guests of the project's meetings: people who are
// not members but attend (a client's representative, say) (R6). It
// replaces any earlier list. It returns a *FieldError for an empty name,
// or one holding a control character, a line separator or a direction
// override.
func (t Team) Invite(by string, guests ...string) error {
	return t.p.record(&evTeam{At: t.p.now(), Names: slices.Clone(guests), Guests: true, By: by})
}

// SetMCOContact names the builder who stays in touch with the MCO team
// (R3). It returns an error wrapping [ErrNotFound] for a name that is not a member and a
// *FieldError for a member without [RoleBuild].
func (t Team) SetMCOContact(name string) error {
	return t.p.record(&evContact{At: t.p.now(), Name: name})
}

// MCOContact returns the builder named as the MCO team's contact, or "".
func (t Team) MCOContact() string {
	var s string
	t.p.read(func(st *state) { s = st.people.mcoContact })
	return s
}

// Check checks the people against R3: at least one member has [RoleMCO],
// a go-live team is chosen, every member with RoleMCO is in it, and a
// builder is named as the MCO team's contact. It returns nil, or every
// problem joined in one error, whose Unwrap returns
// them all.
func (t Team) Check() error {
	var err error
	t.p.read(func(st *state) { err = joinErrs(st.people.check()) })
	return err
}

// has reports whether name is a member.
func (pp *people) has(name string) bool { _, ok := pp.find(name); return ok }

// knows reports whether name is a member or a declared guest: who may
// attend a meeting or write a note (R6, R10).
func (pp *people) knows(name string) bool { return pp.has(name) || slices.Contains(pp.guests, name) }

// evMember adds a member (R3).
type evMember struct {
	At     time.Time
	Member Member
	By     string
}

func (*evMember) kind() string      { return "member" }
func (v *evMember) when() time.Time { return v.At }
func (v *evMember) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Member.Name)
	c.str("contact", &v.Member.Contact)
	roles := make([]string, len(v.Member.Roles))
	for i, r := range v.Member.Roles {
		roles[i] = r.String()
	}
	c.list("roles", &roles)
	if c.d == nil {
		return
	}
	for _, s := range roles {
		r, err := ParseRole(s)
		if err != nil {
			c.d.fail("roles", s, "unknown role")
		}
		v.Member.Roles = append(v.Member.Roles, r)
	}
}

var _ = register[evMember]()

func (v *evMember) check(st *state) error {
	if err := v.Member.validate(); err != nil {
		return err
	}
	if st.writing && breaksLine(v.Member.Name) {
		// A member acts: the journal refuses such an actor.
		return fieldErr("member.name", v.Member.Name, notOneLine)
	}
	if st.people.has(v.Member.Name) {
		return fieldErr("member.name", v.Member.Name, "already a member")
	}
	return nil
}

func (v *evMember) apply(st *state) { st.people.add(v.Member) }

// evTeam is the round table's choice of the go-live team (R3), with the
// declared guests of its meetings.
type evTeam struct {
	At     time.Time
	Names  []string
	Guests bool // Names are guests of the meetings, not the go-live team
	By     string
}

func (*evTeam) kind() string      { return "team" }
func (v *evTeam) when() time.Time { return v.At }
func (v *evTeam) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.list("names", &v.Names)
	c.bool("guests", &v.Guests)
}

var _ = register[evTeam]()

func (v *evTeam) check(st *state) error {
	if v.Guests {
		for i, g := range v.Names {
			if strings.TrimSpace(g) == "" {
				return fieldErr(fmt.Sprintf("guests[%d]", i), g, "empty")
			}
			if st.writing && breaksLine(g) {
				return fieldErr(fmt.Sprintf("guests[%d]", i), g, notOneLine)
			}
		}
		return nil
	}
	return st.people.checkTeam(v.Names)
}

func (v *evTeam) apply(st *state) {
	if v.Guests {
		st.people.guests = slices.Clone(v.Names)
	} else {
		st.people.team = slices.Clone(v.Names)
	}
}

// evContact names the builder who is the MCO team's contact (R3).
type evContact struct {
	At       time.Time
	Name, By string
}

func (*evContact) kind() string      { return "mco-contact" }
func (v *evContact) when() time.Time { return v.At }
func (v *evContact) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.need("name", &v.Name)
}

var _ = register[evContact]()

func (v *evContact) check(st *state) error {
	i, ok := st.people.find(v.Name)
	if !ok {
		return &notFoundError{What: "member", Key: fmt.Sprintf("%q", v.Name)}
	}
	if !st.people.members[i].has(RoleBuild) {
		return fieldErr("mco_contact", v.Name, "not a builder (R3: the MCO team's contact is one of the builders)")
	}
	return nil
}

func (v *evContact) apply(st *state) { st.people.mcoContact = v.Name }
