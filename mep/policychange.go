package mep

import (
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mepkit/mepkit/policy"
)

// SetPolicies changes the rollout's own policies: set, given in code, and
// the text of a policy file (nil: none), which replace those it was
// created with. By, a member of the go-live team with the operations
// role, records it with a reason; the record keeps the file's text and
// the names of the policies in set. The method's freeze, the readiness
// window and the GO quorums stay. Votes already given stand; the next
// decision weighs the new policies.
//
// It returns a *FieldError without a reason, for a nil policy in set or
// one whose name is not valid UTF-8 (naming its index), for a file that
// does not parse (naming its line) or when by does not hold the
// operations role in the go-live team, and an error wrapping
// [ErrNotFound] for an unknown member.
func (g GoNoGo) SetPolicies(set policy.Set, file []byte, by, reason string) error {
	r := g.r
	if strings.TrimSpace(reason) == "" {
		return fieldErr("policies.reason", reason, "empty: say why the policies change")
	}
	code, err := policyNames(set, "policies")
	if err != nil {
		return err
	}
	ev := &evPolicies{At: r.p.now(), Rollout: r.name, File: string(file), Code: code, By: by, Reason: reason, user: slices.Clone(set)}
	return r.p.record(ev)
}

// policyNames returns the names of the policies given in code, as the
// record keeps them; a nil policy is refused, naming its index in
// field, and so is a name that is not valid UTF-8, which the record
// would read back as another: the policy could never be attached again.
func policyNames(set policy.Set, field string) ([]string, error) {
	var out []string
	for i, q := range set {
		if q == nil {
			return nil, fieldErr(field+"["+strconv.Itoa(i)+"]", "", "nil: not a policy")
		}
		name := q.Name()
		if !utf8.ValidString(name) {
			return nil, fieldErr(field+"["+strconv.Itoa(i)+"]", name, notUTF8)
		}
		out = append(out, name)
	}
	return out, nil
}

// evPolicies changes a rollout's own policies.
type evPolicies struct {
	At         time.Time
	Rollout    string
	File       string   // the policy file's text
	Code       []string // the names of the policies given in code
	By, Reason string
	user, set  policy.Set // made by prepare
}

func (*evPolicies) kind() string      { return "rollout.policies" }
func (v *evPolicies) when() time.Time { return v.At }
func (v *evPolicies) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Reason)
	c.need("rollout", &v.Rollout)
	c.str("policy_file", &v.File)
	c.list("code", &v.Code)
}

var _ = register[evPolicies]()

// prepare builds the set the rollout will check.
func (v *evPolicies) prepare(p *Project, st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	file, err := parsePolicyFile(v.File)
	if err != nil {
		return err
	}
	v.set, err = p.buildPolicies(st, file, v.user, ro.quorum)
	return err
}

func (v *evPolicies) check(st *state) error {
	if _, err := st.rollout(v.Rollout); err != nil {
		return err
	}
	if strings.TrimSpace(v.Reason) == "" {
		return fieldErr("policies.reason", v.Reason, "empty: say why the policies change")
	}
	if _, err := parsePolicyFile(v.File); err != nil {
		return err
	}
	return st.people.inTeam(v.By, RoleOperations)
}

func (v *evPolicies) apply(st *state) {
	ro := st.byName[v.Rollout]
	ro.policyFile, ro.code = v.File, v.Code
	// Written here, the set is attached; replayed, the code policies wait
	// for the program to attach them (NewRollout) and the set is built
	// again from those.
	ro.user, ro.policies, ro.attached = v.user, v.set, v.set != nil
}
