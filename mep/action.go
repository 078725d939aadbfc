package mep

import (
	"github.com/mepkit/mepkit/internal/enum"

	"strconv"
	"strings"
	"time"
)

// ActionStatus is where an action stands. The zero value is [ActionOpen].
type ActionStatus uint8

// The statuses of an action.
const (
	ActionOpen      ActionStatus = iota // handed out, not closed
	ActionDone                          // closed: done
	ActionCancelled                     // closed: no longer needed, with a reason
)

var statuses = enum.Enum[ActionStatus]{Package: "mep", Type: "ActionStatus", What: "status", Invalid: ErrInvalid,
	Names:   []string{ActionOpen: "open", ActionDone: "done", ActionCancelled: "cancelled"},
	Aliases: map[string]ActionStatus{"": ActionOpen}, Fail: enumFail("status")}

// String returns "open", "done" or "cancelled", or "ActionStatus(N)" for
// an invalid value.
func (s ActionStatus) String() string { return statuses.String(s) }

// MarshalText returns the status's name; an invalid status is an error.
func (s ActionStatus) MarshalText() ([]byte, error) { return statuses.MarshalText(s) }

// UnmarshalText parses "open" (or ""), "done" or "cancelled", ignoring
// case; anything else is a *FieldError.
func (s *ActionStatus) UnmarshalText(b []byte) error { return statuses.UnmarshalText(s, b) }

// Action is something a person must do by a date (R6). Actions are handed
// out by meetings ([Tracker.Hold]) or on their own ([Tracker.Assign]) and
// stay tracked until done or cancelled.
type Action struct {
	ID       int          `json:"id"`                  // 1, 2, 3, ... assigned by the tracker
	Meeting  int          `json:"meeting,omitempty"`   // ID of the meeting that handed it out; 0: none
	Title    string       `json:"title"`               // what to do
	Owner    string       `json:"owner"`               // who does it
	Due      time.Time    `json:"due"`                 // when it is due; never zero
	Status   ActionStatus `json:"status"`              // open, done or cancelled
	ClosedAt time.Time    `json:"closed_at,omitzero"`  // when it was done or cancelled; zero while open
	ClosedBy string       `json:"closed_by,omitempty"` // who closed it
	Note     string       `json:"note,omitempty"`      // done: optional note; cancelled: the reason
	By       string       `json:"by,omitempty"`        // who handed it out (the minutes' By for a meeting's)
	At       time.Time    `json:"at"`                  // when it was handed out
}

// isOverdue reports whether a is open and due before now.
func (a Action) isOverdue(now time.Time) bool {
	return a.Status == ActionOpen && a.Due.Before(now)
}

// ActionSpec describes an action to hand out.
type ActionSpec struct {
	Title string    // required
	Owner string    // required
	Due   time.Time // zero: the next meeting's date (R6)
}

func (s ActionSpec) validate(field string) error {
	if strings.TrimSpace(s.Title) == "" {
		return fieldErr(field+".title", s.Title, "empty")
	}
	if strings.TrimSpace(s.Owner) == "" {
		return fieldErr(field+".owner", s.Owner, "empty (every action has an owner, R6)")
	}
	return nil
}

// known reports a *FieldError when the owner of the action is neither a
// member nor a declared guest: only they own actions (R6).
func (s ActionSpec) known(st *state, field string) error {
	if !st.mayAct(s.Owner) {
		return fieldErr(field+".owner", s.Owner, unknownPerson)
	}
	return nil
}

// unknownPerson says why a name that the project does not know cannot act.
const unknownPerson = "neither a member nor a declared guest (Team.Invite)"

// evAssign hands out an action outside a meeting (R6).
type evAssign struct {
	At   time.Time
	Spec ActionSpec // Due resolved
	By   string

	id int // set by apply: the action's ID
}

// prepare gives an action without a due date the next meeting's date.
func (v *evAssign) prepare(p *Project, st *state) error {
	if v.Spec.Due.IsZero() {
		v.Spec.Due = st.nextDate(p.loc).Round(0)
		if v.Spec.Due.IsZero() {
			return fieldErr("action.due", "", "no due date and no next meeting date")
		}
	}
	return nil
}

func (*evAssign) kind() string      { return "action" }
func (v *evAssign) when() time.Time { return v.At }
func (v *evAssign) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Spec.Title)
	c.need("owner", &v.Spec.Owner)
	c.require("due")
	c.time("due", &v.Spec.Due)
}

var _ = register[evAssign]()

func (v *evAssign) check(st *state) error {
	if err := v.Spec.validate("action"); err != nil {
		return err
	}
	if err := v.Spec.known(st, "action"); err != nil {
		return err
	}
	if !st.mayAct(v.By) {
		return fieldErr("action.by", v.By, unknownPerson)
	}
	if v.Spec.Due.IsZero() {
		return fieldErr("action.due", "", "no due date")
	}
	return nil
}

func (v *evAssign) apply(st *state) {
	v.id = len(st.actions) + 1
	st.actions = append(st.actions, Action{ID: v.id, Title: v.Spec.Title, Owner: v.Spec.Owner, Due: v.Spec.Due, By: v.By, At: v.At})
}

// evClose closes an action, done or cancelled.
type evClose struct {
	At     time.Time
	ID     int
	Status ActionStatus
	By     string
	Note   string
}

func (*evClose) kind() string      { return "action.close" }
func (v *evClose) when() time.Time { return v.At }
func (v *evClose) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Note)
	c.int("id", &v.ID)
	c.require("status")
	c.enum("status", &v.Status)
}

var _ = register[evClose]()

func (v *evClose) check(st *state) error {
	switch {
	case v.ID < 1 || v.ID > len(st.actions):
		return &notFoundError{What: "action", Key: strconv.Itoa(v.ID)}
	case v.Status != ActionDone && v.Status != ActionCancelled:
		return fieldErr("action.status", v.Status.String(), "not done or cancelled")
	case strings.TrimSpace(v.By) == "":
		return fieldErr("action.closed_by", v.By, "empty")
	case !st.mayAct(v.By):
		return fieldErr("action.closed_by", v.By, unknownPerson)
	}
	if a := st.actions[v.ID-1]; a.Status != ActionOpen {
		return errorf("action %d is %s: %w", v.ID, a.Status, ErrActionClosed)
	}
	return nil
}

func (v *evClose) apply(st *state) {
	a := &st.actions[v.ID-1]
	a.Status, a.ClosedAt, a.ClosedBy, a.Note = v.Status, v.At, v.By, v.Note
}
