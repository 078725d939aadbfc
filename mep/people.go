package mep

import (
	"fmt"
	"slices"
	"strings"
)

// Role is what a member does on the project (R3). The zero value is not a
// role; [Member.Validate] rejects it.
type Role uint8

// The roles of the method.
const (
	RoleSales      Role = iota + 1 // scoping, the contract
	RoleBuild                      // builds the solution
	RoleValidation                 // the industrial team that validates deliverables and procedures
	RoleOperations                 // runs production; gives the final GO (R9)
	RoleMCO                        // maintains the system in working order after the go-live
)

var roleNames = [...]string{
	RoleSales:      "sales",
	RoleBuild:      "build",
	RoleValidation: "validation",
	RoleOperations: "operations",
	RoleMCO:        "mco",
}

// String returns the role's lower-case name ("sales", "build",
// "validation", "operations", "mco"), or "role(N)" for an invalid value.
func (r Role) String() string {
	if r.IsValid() {
		return roleNames[r]
	}
	return fmt.Sprintf("role(%d)", uint8(r))
}

// IsValid reports whether r is one of the role constants.
func (r Role) IsValid() bool { return r != 0 && int(r) < len(roleNames) }

// ParseRole returns the role named s, ignoring case and surrounding space.
// An unknown name returns a *FieldError wrapping [ErrInvalid].
func ParseRole(s string) (Role, error) {
	k := strings.ToLower(strings.TrimSpace(s))
	for i, n := range roleNames {
		if i > 0 && k == n {
			return Role(i), nil
		}
	}
	return 0, fieldErr("role", s, "unknown role")
}

// MarshalText returns the role's name; an invalid role is an error.
func (r Role) MarshalText() ([]byte, error) {
	if !r.IsValid() {
		return nil, fieldErr("role", r.String(), "invalid role")
	}
	return []byte(roleNames[r]), nil
}

// UnmarshalText parses a name as [ParseRole] does.
func (r *Role) UnmarshalText(b []byte) error {
	v, err := ParseRole(string(b))
	if err != nil {
		return err
	}
	*r = v
	return nil
}

// Member is a person on the project. Name identifies the member within a
// project (compared exactly).
type Member struct {
	Name    string `json:"name"`
	Roles   []Role `json:"roles"`
	Contact string `json:"contact,omitempty"` // e-mail or phone, free text
}

// Has reports whether m has role r.
func (m Member) Has(r Role) bool { return slices.Contains(m.Roles, r) }

// Validate reports a *FieldError for an empty name, no role, an invalid or
// repeated role.
func (m Member) Validate() error {
	if strings.TrimSpace(m.Name) == "" {
		return fieldErr("member.name", m.Name, "empty")
	}
	if len(m.Roles) == 0 {
		return fieldErr("member.roles", m.Name, "no role")
	}
	for i, r := range m.Roles {
		if !r.IsValid() {
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

// TeamError is one problem with the people of a project (R3), as returned,
// joined, by [Project.CheckTeam].
type TeamError struct {
	Member  string // the member concerned, if any
	Problem string
}

func (e *TeamError) Error() string {
	if e.Member == "" {
		return "mep: team: " + e.Problem
	}
	return fmt.Sprintf("mep: team: %s: %s", e.Member, e.Problem)
}

// people holds the members, the go-live team and the MCO contact. It is
// part of a Project and guarded by its mutex.
type people struct {
	members    []Member
	index      map[string]int
	team       []string // the go-live team, chosen at the round table
	mcoContact string   // a builder who stays in touch with the MCO team
}

func (pp *people) find(name string) (int, bool) {
	i, ok := pp.index[name]
	return i, ok
}

func (pp *people) add(m Member) error {
	if err := m.Validate(); err != nil {
		return err
	}
	if _, dup := pp.find(m.Name); dup {
		return fieldErr("member.name", m.Name, "already a member")
	}
	if pp.index == nil {
		pp.index = make(map[string]int)
	}
	pp.index[m.Name] = len(pp.members)
	pp.members = append(pp.members, m.clone())
	return nil
}

func (pp *people) setTeam(names []string) error {
	if len(names) == 0 {
		return fieldErr("team", "", "empty go-live team")
	}
	for i, n := range names {
		if _, ok := pp.find(n); !ok {
			return &NotFoundError{What: "member", Key: fmt.Sprintf("%q (team[%d])", n, i)}
		}
		if slices.Index(names, n) != i {
			return fieldErr(fmt.Sprintf("team[%d]", i), n, "named twice")
		}
	}
	pp.team = slices.Clone(names)
	return nil
}

func (pp *people) setMCOContact(name string) error {
	i, ok := pp.find(name)
	if !ok {
		return &NotFoundError{What: "member", Key: fmt.Sprintf("%q", name)}
	}
	if !pp.members[i].Has(RoleBuild) {
		return fieldErr("mco_contact", name, "not a builder (R3: the MCO team's contact is one of the builders)")
	}
	pp.mcoContact = name
	return nil
}

// check returns every R3 problem, in a stable order.
func (pp *people) check() []error {
	var errs []error
	if len(pp.team) == 0 {
		errs = append(errs, &TeamError{Problem: "no go-live team chosen (round table)"})
	}
	mco := false
	for _, m := range pp.members {
		mco = mco || m.Has(RoleMCO)
		if m.Has(RoleMCO) && !slices.Contains(pp.team, m.Name) {
			errs = append(errs, &TeamError{Member: m.Name, Problem: "does MCO but is not in the go-live team"})
		}
	}
	if !mco {
		errs = append(errs, &TeamError{Problem: "no member has the MCO role"})
	}
	if pp.mcoContact == "" {
		errs = append(errs, &TeamError{Problem: "no builder named as the MCO team's contact"})
	} else if i, ok := pp.find(pp.mcoContact); !ok || !pp.members[i].Has(RoleBuild) {
		errs = append(errs, &TeamError{Member: pp.mcoContact, Problem: "MCO contact is not a builder"})
	}
	return errs
}
