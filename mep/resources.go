package mep

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
)

// ResourceKind is the type of a resource that a rollout touches: a
// service, a database, a network or a site. The zero value is no kind and
// is refused where a resource is declared.
type ResourceKind string

// The kinds of resource a rollout declares.
const (
	Service  ResourceKind = "service"
	Database ResourceKind = "database"
	Network  ResourceKind = "network"
	Site     ResourceKind = "site"
)

// IsValid reports whether k is one of the kinds above.
func (k ResourceKind) IsValid() bool {
	return k == Service || k == Database || k == Network || k == Site
}

// MaxResourceName bounds the length of a resource's name, in bytes.
const MaxResourceName = 200

// Resource is a resource that a rollout touches, as the record says: its
// kind and name, with who declared it, when and why. Two resources are the
// same when their Kind and Name are (see [Resource.Key]).
type Resource struct {
	Kind   ResourceKind `json:"kind"`
	Name   string       `json:"name"`             // e.g. "billing"; unique within a kind
	By     string       `json:"by,omitempty"`     // who declared it
	Reason string       `json:"reason,omitempty"` // why the rollout touches it
	At     time.Time    `json:"at,omitzero"`      // when it was declared
}

// Key returns the resource's identity, "kind:name", e.g.
// "database:billing".
func (r Resource) Key() string { return string(r.Kind) + ":" + r.Name }

// String returns [Resource.Key].
func (r Resource) String() string { return r.Key() }

// ParseResource reads a resource written "kind:name" ("database:billing").
// It returns a *FieldError for an unknown kind or an invalid name.
func ParseResource(s string) (Resource, error) {
	k, name, ok := strings.Cut(s, ":")
	if !ok {
		return Resource{}, fieldErr("resource", s, `not "kind:name"`)
	}
	r := Resource{Kind: ResourceKind(k), Name: name}
	return r, checkResource(r.Kind, r.Name)
}

// checkResource reports a *FieldError for an unknown kind or a name that
// is empty, too long, padded with spaces or holds control characters.
func checkResource(k ResourceKind, name string) error {
	switch {
	case !k.IsValid():
		return fieldErr("resource.kind", string(k), "not service, database, network or site")
	case strings.TrimSpace(name) == "":
		return fieldErr("resource.name", name, "empty")
	case len(name) > MaxResourceName:
		return fieldErr("resource.name", cut(name, 40), "longer than "+strconv.Itoa(MaxResourceName)+" bytes")
	case strings.TrimSpace(name) != name:
		return fieldErr("resource.name", name, "leading or trailing spaces")
	case strings.IndexFunc(name, unicode.IsControl) >= 0:
		return fieldErr("resource.name", name, "holds a control character")
	}
	return nil
}

// Resources is the list of resources a rollout touches: services,
// databases, networks, sites. Every change is recorded, with who and why.
// Get it with [Rollout.Resources]; it shares the project's lock.
type Resources struct{ r *Rollout }

// Resources returns the resources the rollout declares.
func (r *Rollout) Resources() Resources { return Resources{r} }

// Declare records that the rollout touches the resource kind:name, by a
// member of the project or a declared guest, for reason, at the project's
// clock. Declaring a resource already declared records nothing and
// returns nil. It returns a *FieldError for an unknown kind, an invalid
// name, an empty reason or a by who is neither a member nor a guest.
func (rs Resources) Declare(kind ResourceKind, name, by, reason string) error {
	return rs.change(kind, name, by, reason, false)
}

// Remove records that the rollout no longer touches kind:name, with who
// and why. It returns an error wrapping [ErrNotFound] when the resource
// is not declared, and the errors of [Resources.Declare].
func (rs Resources) Remove(kind ResourceKind, name, by, reason string) error {
	return rs.change(kind, name, by, reason, true)
}

func (rs Resources) change(kind ResourceKind, name, by, reason string, remove bool) error {
	ev := &evResource{Rollout: rs.r.name, Kind: kind, Name: name, By: by, Reason: reason, Removed: remove}
	if err := ev.validate(); err != nil {
		return err
	}
	ev.At = rs.r.p.now()
	return rs.r.p.record(ev)
}

// List returns the resources declared and not removed, sorted by kind
// then name.
func (rs Resources) List() []Resource {
	var out []Resource
	rs.r.with(func(_ *state, ro *rollout) { out = slices.Clone(ro.resources) })
	return out
}

// evResource declares a resource a rollout touches, or removes it.
type evResource struct {
	At         time.Time
	Rollout    string
	Kind       ResourceKind
	Name       string
	By, Reason string
	Removed    bool
}

func (*evResource) kind() string      { return "resource" }
func (v *evResource) when() time.Time { return v.At }
func (v *evResource) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Reason)
	c.need("rollout", &v.Rollout)
	c.need("type", (*string)(&v.Kind))
	c.need("name", &v.Name)
	c.bool("removed", &v.Removed)
}

var _ = register[evResource]()

// validate checks what the event says by itself.
func (v *evResource) validate() error {
	if err := checkResource(v.Kind, v.Name); err != nil {
		return err
	}
	switch {
	case strings.TrimSpace(v.By) == "":
		return fieldErr("resource.by", v.By, "empty")
	case strings.TrimSpace(v.Reason) == "":
		return fieldErr("resource.reason", v.Reason, "empty: say why the rollout touches it, or no longer does")
	}
	return nil
}

// prepare makes declaring a resource twice a no-op.
func (v *evResource) prepare(_ *Project, st *state) error {
	if ro := st.byName[v.Rollout]; ro != nil && !v.Removed && ro.resourceAt(v.Kind, v.Name) >= 0 {
		return errNothing
	}
	return nil
}

func (v *evResource) check(st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	if err := v.validate(); err != nil {
		return err
	}
	if !st.people.knows(v.By) {
		return fieldErr("resource.by", v.By, "neither a member nor a declared guest (Team.Invite)")
	}
	if v.Removed && ro.resourceAt(v.Kind, v.Name) < 0 {
		return &notFoundError{What: "resource", Key: strconv.Quote(string(v.Kind) + ":" + v.Name)}
	}
	return nil
}

func (v *evResource) apply(st *state) {
	ro := st.byName[v.Rollout]
	i := ro.resourceAt(v.Kind, v.Name)
	switch {
	case v.Removed:
		ro.resources = slices.Delete(slices.Clip(ro.resources), i, i+1)
	case i < 0:
		res := Resource{Kind: v.Kind, Name: v.Name, By: v.By, Reason: v.Reason, At: v.At}
		j, _ := slices.BinarySearchFunc(ro.resources, res, compareResources)
		ro.resources = slices.Insert(slices.Clip(ro.resources), j, res)
	}
}

// resourceAt returns the index of kind:name in ro.resources, or -1.
func (ro *rollout) resourceAt(k ResourceKind, name string) int {
	i, ok := slices.BinarySearchFunc(ro.resources, Resource{Kind: k, Name: name}, compareResources)
	if !ok {
		return -1
	}
	return i
}

func compareResources(a, b Resource) int {
	return cmp.Or(cmp.Compare(a.Kind, b.Kind), cmp.Compare(a.Name, b.Name))
}
