package mep

import (
	"errors"
	"fmt"
)

// Sentinel errors, for branching with [errors.Is]. Detailed errors wrap them.
var (
	// ErrInvalid is wrapped by every *FieldError: bad input.
	ErrInvalid = errors.New("mep: invalid input")
	// ErrNotFound is returned for an unknown member, meeting, action or lesson.
	ErrNotFound = errors.New("mep: not found")
	// ErrGate is matched by a *GateError: a transition was refused.
	ErrGate = errors.New("mep: gate refused the transition")
	// ErrTransition is returned for a transition that the method never
	// allows: skipping a phase, going back without a reason, moving past
	// the last phase.
	ErrTransition = errors.New("mep: transition not allowed")
	// ErrActionClosed is returned when an action that is already closed (done
	// or cancelled) is closed again.
	ErrActionClosed = errors.New("mep: action already closed")
	// ErrCorrupt is wrapped by the error of a record whose entries do not
	// read as a project's (see [RecordError]).
	ErrCorrupt = errors.New("mep: corrupt project record")
	// ErrExists is returned by [Create] for a store that already holds a
	// project's record.
	ErrExists = errors.New("mep: the store already holds a project")
	// ErrNoProject is returned by [Open] for a store that holds no
	// project's record.
	ErrNoProject = errors.New("mep: no project in the store")
)

// FieldError reports a missing or invalid field. Field names the field,
// with its path where it helps ("meeting.actions[2].owner"); Value is the
// offending value as text, if any.
type FieldError struct {
	Field  string
	Value  string
	Reason string
}

func (e *FieldError) Error() string {
	if e.Value == "" {
		return fmt.Sprintf("mep: %s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("mep: %s %q: %s", e.Field, e.Value, e.Reason)
}

// Unwrap returns [ErrInvalid].
func (e *FieldError) Unwrap() error { return ErrInvalid }

func fieldErr(field, value, reason string) error {
	return &FieldError{Field: field, Value: value, Reason: reason}
}

// notFoundError reports an unknown member, meeting, action or lesson; it
// wraps [ErrNotFound].
type notFoundError struct {
	What string // "member", "meeting", "action", "lesson"
	Key  string // its name or ID
}

func (e *notFoundError) Error() string { return fmt.Sprintf("mep: %s %s not found", e.What, e.Key) }

// Unwrap returns [ErrNotFound].
func (e *notFoundError) Unwrap() error { return ErrNotFound }

// RecordError reports an entry of a project's record that does not read
// as the event its kind says, or that the project's state refuses on
// replay. errors.Is(err, ErrCorrupt) holds.
type RecordError struct {
	Seq   uint64 // the entry's sequence number
	Kind  string // its kind
	Field string // the attribute at fault, if any
	Err   error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("mep: record entry %d (%s): %s", e.Seq, e.Kind, trimPrefix(e.Err.Error()))
}

// Unwrap returns [ErrCorrupt] and the cause.
func (e *RecordError) Unwrap() []error { return []error{ErrCorrupt, e.Err} }

// enumFail returns the errors of mep's enums: a *FieldError naming field.
func enumFail(field string) func(value, reason string) error {
	return func(value, reason string) error { return fieldErr(field, value, reason) }
}
