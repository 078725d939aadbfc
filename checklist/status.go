package checklist

import (
	"time"

	"github.com/mepkit/mepkit/internal/enum"
)

// Status is where an item of a run stands. The zero value is [Pending].
type Status uint8

const (
	Pending Status = iota // not done yet
	Done                  // checked: done and verified
	Failed                // tried and failed; it can be checked later
	Waived                // not applicable, with a reason
)

var statuses = enum.Enum[Status]{Package: "checklist", Type: "Status", What: "status",
	Names: []string{Pending: "pending", Done: "done", Failed: "failed", Waived: "waived"}, Invalid: ErrInvalid}

// String returns "pending", "done", "failed" or "waived", and "Status(N)"
// for an unknown status.
func (s Status) String() string { return statuses.String(s) }

// MarshalText implements [encoding.TextMarshaler]; it fails for an
// unknown status, with an error wrapping [ErrInvalid].
func (s Status) MarshalText() ([]byte, error) { return statuses.MarshalText(s) }

// UnmarshalText implements [encoding.TextUnmarshaler]; it reads
// "pending", "done", "failed" or "waived", in any case, with spaces
// around trimmed, and fails with an error wrapping [ErrInvalid] for any
// other text.
func (s *Status) UnmarshalText(b []byte) error { return statuses.UnmarshalText(s, b) }

// inRange reports whether t can be written in a snapshot, as it is and in
// UTC: RFC 3339 has four-digit years and offsets under a day.
func inRange(t time.Time) bool {
	_, off := t.Zone()
	y, uy := t.Year(), t.UTC().Year()
	return off > -86400 && off < 86400 && y >= 0 && y <= 9999 && uy >= 0 && uy <= 9999
}

// satisfied reports whether the status lets dependent items go on.
func (s Status) satisfied() bool { return s == Done || s == Waived }

// Change is one change to an item of a run, kept in its history. The zero
// value is a change to Pending by nobody at no time, which a run never
// records.
type Change struct {
	Status Status    `json:"status"`         // the status the change set
	By     string    `json:"by"`             // who made it
	At     time.Time `json:"at"`             // when, without monotonic reading
	Note   string    `json:"note,omitempty"` // a note, or the reason of a waiver
}

// Move is one rescheduling of a run: T0 moved From one instant To another.
// The zero value is a move between zero instants, which a run never
// records.
type Move struct {
	From time.Time `json:"from"`
	To   time.Time `json:"to"`
	By   string    `json:"by"`
	At   time.Time `json:"at"`
	Note string    `json:"note,omitempty"`
}

// Result is where one item of a run stands. The zero value is a pending
// item with no ID and no history.
type Result struct {
	Item   Item      `json:"item"`
	Status Status    `json:"status"`
	By     string    `json:"by,omitempty"`   // who made the last change; "" when pending
	At     time.Time `json:"at,omitzero"`    // when; zero when pending
	Note   string    `json:"note,omitempty"` // its note, or the reason of a waiver
	// Due is T0 plus the item's deadline: an absolute instant that follows
	// T0 when the run is rescheduled. Zero when the item has no deadline.
	Due     time.Time `json:"due,omitzero"`
	History []Change  `json:"history,omitempty"` // every change, oldest first
}

// Progress counts the items of a run. The zero value is the progress of a
// run of the empty list.
type Progress struct {
	Done            int `json:"done"`             // items checked
	Waived          int `json:"waived"`           // items waived
	Failed          int `json:"failed"`           // items whose last change is a failure
	Total           int `json:"total"`            // items in the list
	RequiredPending int `json:"required_pending"` // required items neither done nor waived
}

// Event kinds, in [Event.Kind].
const (
	KindCheck      = "check"
	KindFail       = "fail"
	KindWaive      = "waive"
	KindReschedule = "reschedule"
	KindRestore    = "restore"
)

// Event is one change to a run, reported to the function given to
// [Run.Observe]: a check, a failure, a waiver, a reschedule or a restore
// ([Run.Restore]). The zero value is an event of no kind, which a run
// never reports.
type Event struct {
	// Seq numbers the events of the run, 1, 2, 3, ... in the order of the
	// changes. It never goes back: the restore event of [Run.Restore] and
	// the events after it go on from the larger of the last Seq and the
	// snapshot's number of changes.
	Seq      uint64    `json:"seq"`
	List     string    `json:"list"`           // the list's name
	Kind     string    `json:"kind"`           // KindCheck, KindFail, KindWaive, KindReschedule or KindRestore
	Item     string    `json:"item,omitempty"` // the item's ID; "" for a reschedule or a restore
	Status   Status    `json:"status"`         // the item's status after the change
	Previous Status    `json:"previous"`       // and before it
	By       string    `json:"by,omitempty"`   // "" for a restore
	At       time.Time `json:"at,omitzero"`    // zero for a restore
	Note     string    `json:"note,omitempty"`
	T0       time.Time `json:"t0"` // T0 after the change
	// PreviousT0 is T0 before a reschedule or a restore; equal to T0
	// otherwise.
	PreviousT0 time.Time `json:"previous_t0"`
}
