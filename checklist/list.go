package checklist

import (
	"slices"
	"time"

	"github.com/mepkit/mepkit/internal/enum"
)

// Mode says how the items of a list are worked through. The zero value is
// [ReadDo].
type Mode uint8

const (
	// ReadDo: each item is read, then done, one after the other. A run
	// refuses to check an item before the items it depends on and, when
	// the list is Ordered, before the earlier required items of its section.
	ReadDo Mode = iota
	// DoConfirm: the work is done from memory, then confirmed against the
	// list in any order. Dependencies still hold.
	DoConfirm
)

var modes = enum.Enum[Mode]{Package: "checklist", Type: "Mode", What: "mode",
	Names: []string{ReadDo: "read-do", DoConfirm: "do-confirm"}, Invalid: ErrInvalid}

// String returns "read-do" or "do-confirm", and "Mode(N)" for an unknown
// mode.
func (m Mode) String() string { return modes.String(m) }

// MarshalText implements [encoding.TextMarshaler]; it fails for an
// unknown mode, with an error wrapping [ErrInvalid].
func (m Mode) MarshalText() ([]byte, error) { return modes.MarshalText(m) }

// UnmarshalText implements [encoding.TextUnmarshaler]; it reads what
// [ParseMode] reads.
func (m *Mode) UnmarshalText(b []byte) error { return modes.UnmarshalText(m, b) }

// ParseMode returns the mode named "read-do" or "do-confirm" (in any
// case, with spaces around trimmed), or an error wrapping [ErrInvalid].
func ParseMode(s string) (Mode, error) { return modes.Parse(s) }

// Item is one line of a checklist. The zero value has no ID and no title:
// [List.Validate] refuses it.
type Item struct {
	ID      string // unique within the list, not empty
	Title   string // what to do or verify, for people
	Section string // the section the item belongs to; "" is the unnamed section
	Owner   string // who (a person or a role) answers for it; "" is allowed, and Lint reports it

	// Optional items may be left undone, failed items aside: a run is
	// ready without them. They can always be waived.
	Optional bool

	// Deadline is relative to the run's T0: -time.Hour means "done by
	// T-1h" (rule R7). Zero means no deadline. The due instant is
	// T0.Add(Deadline): elapsed time, so across a daylight-saving change
	// "-24h" is not "the same wall-clock time the day before".
	Deadline time.Duration

	// DependsOn lists the IDs of the items that must be done (or waived)
	// before this one can be checked.
	DependsOn []string

	// Offline reports whether the check runs offline (true) or under real
	// conditions (false): rule R4 asks validation to say which.
	Offline bool

	// Purpose says what the item is for in the method (R4, R8, R13), for
	// a go/no-go that asks for it ([Run.Coverage]); the zero value,
	// [General], is an item like any other.
	Purpose Purpose
}

// List is a checklist: a named, ordered set of items. A List is a plain
// value; build it in Go, from a file with [Parse], or from a template
// ([Validation], [Preparation], [Operations]), then check it with
// [List.Validate] and [List.Lint]. The zero value is an empty, valid list.
type List struct {
	Name  string
	Items []Item

	// Mode is how the items are worked through; the zero value is ReadDo.
	Mode Mode
	// Ordered, with ReadDo, makes a run refuse to check an item before the
	// earlier required items of its section are done or waived.
	Ordered bool
	// WaiveRequired allows a run to waive required items, not only
	// optional ones. A waiver always needs a reason.
	WaiveRequired bool
}

// Section is the items of one section of a list, in list order. The zero
// value is the unnamed section, empty.
type Section struct {
	Name  string `json:"name"`
	Items []Item `json:"items"`
}

// Sections groups the items by section, sections in the order of their
// first item. The items are copies, in list order.
func (l List) Sections() []Section {
	var out []Section
	at := map[string]int{}
	for _, it := range l.Items {
		i, ok := at[it.Section]
		if !ok {
			i = len(out)
			at[it.Section] = i
			out = append(out, Section{Name: it.Section})
		}
		out[i].Items = append(out[i].Items, it.clone())
	}
	return out
}

// Item returns the item with the given ID, and whether there is one.
func (l List) Item(id string) (Item, bool) {
	for _, it := range l.Items {
		if it.ID == id {
			return it.clone(), true
		}
	}
	return Item{}, false
}

// Clone returns a deep copy of the list, which can be changed without
// changing l.
func (l List) Clone() List {
	c := l
	if l.Items != nil {
		c.Items = make([]Item, len(l.Items))
		for i, it := range l.Items {
			c.Items[i] = it.clone()
		}
	}
	return c
}

func (it Item) clone() Item {
	if it.DependsOn != nil {
		it.DependsOn = slices.Clone(it.DependsOn)
	}
	return it
}

// equal reports whether two items are the same, a nil and an empty
// DependsOn being the same.
func (it Item) equal(o Item) bool {
	return it.ID == o.ID && it.Title == o.Title && it.Section == o.Section &&
		it.Owner == o.Owner && it.Optional == o.Optional && it.Deadline == o.Deadline &&
		it.Offline == o.Offline && it.Purpose == o.Purpose && slices.Equal(it.DependsOn, o.DependsOn)
}
