package mep

import (
	"fmt"
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

var statusNames = [...]string{ActionOpen: "open", ActionDone: "done", ActionCancelled: "cancelled"}

// String returns "open", "done" or "cancelled", or "status(N)" for an
// invalid value.
func (s ActionStatus) String() string {
	if s.isValid() {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", uint8(s))
}

// isValid reports whether s is one of the status constants.
func (s ActionStatus) isValid() bool { return int(s) < len(statusNames) }

// MarshalText returns the status's name; an invalid status is an error.
func (s ActionStatus) MarshalText() ([]byte, error) {
	if !s.isValid() {
		return nil, fieldErr("status", s.String(), "invalid status")
	}
	return []byte(statusNames[s]), nil
}

// UnmarshalText parses "open" (or ""), "done" or "cancelled", ignoring case.
func (s *ActionStatus) UnmarshalText(b []byte) error {
	k := strings.ToLower(strings.TrimSpace(string(b)))
	if k == "" {
		*s = ActionOpen
		return nil
	}
	for i, n := range statusNames {
		if k == n {
			*s = ActionStatus(i)
			return nil
		}
	}
	return fieldErr("status", string(b), "unknown status")
}

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
