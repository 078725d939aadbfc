package mep

import (
	"errors"
	"fmt"
)

// Sentinel errors, for branching with [errors.Is]. Detailed errors wrap them.
var (
	// ErrInvalid is wrapped by every *FieldError: bad input.
	ErrInvalid = sentinel("invalid input")
	// ErrNotFound is returned for an unknown member, meeting, action or lesson.
	ErrNotFound = sentinel("not found")
	// ErrGate is matched by a *GateError: a transition was refused.
	ErrGate = sentinel("gate refused the transition")
	// ErrTransition is returned for a transition that the method never
	// allows: skipping a phase, going back without a reason, moving past
	// the last phase.
	ErrTransition = sentinel("transition not allowed")
	// ErrActionClosed is returned when an action that is already closed (done
	// or cancelled) is closed again.
	ErrActionClosed = sentinel("action already closed")
	// ErrCorrupt is wrapped by the error of a record whose entries do not
	// read as a project's (see [RecordError]).
	ErrCorrupt = sentinel("corrupt project record")
	// ErrExists is returned by [Create] for a store that already holds a
	// project's record.
	ErrExists = sentinel("the store already holds a project")
	// ErrNoProject is returned by [Open] for a store that holds no
	// project's record.
	ErrNoProject = sentinel("no project in the store")
)

// FieldError reports a missing or invalid field. Field names the field,
// with its path where it helps ("meeting.actions[2].owner"); Value is the
// offending value as text, if any.
type FieldError struct {
	Field  string
	Value  string
	Reason string
}

func (e *FieldError) Error() string { return prefix + e.detail() }

func (e *FieldError) detail() string {
	if e.Value == "" {
		return e.Field + ": " + e.Reason
	}
	return fmt.Sprintf("%s %q: %s", e.Field, e.Value, e.Reason)
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

func (e *notFoundError) Error() string  { return prefix + e.detail() }
func (e *notFoundError) detail() string { return e.What + " " + e.Key + " not found" }

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

func (e *RecordError) Error() string { return prefix + e.detail() }

func (e *RecordError) detail() string {
	return fmt.Sprintf("record entry %d (%s): %s", e.Seq, e.Kind, detail(e.Err))
}

// Unwrap returns [ErrCorrupt] and the cause.
func (e *RecordError) Unwrap() []error { return []error{ErrCorrupt, e.Err} }

// enumFail returns the errors of mep's enums: a *FieldError naming field.
func enumFail(field string) func(value, reason string) error {
	return func(value, reason string) error { return fieldErr(field, value, reason) }
}

// prefix starts the text of every error of this package.
const prefix = "mep: "

// sentinel returns an error of this package whose text is prefix and
// text, for branching with [errors.Is].
func sentinel(text string) error { return &mepError{errors.New(text)} }

// errorf returns an error of this package: prefix and the text that
// fmt.Errorf makes of format and args, wrapping what %w names.
func errorf(format string, args ...any) error { return &mepError{fmt.Errorf(format, args...)} }

// mepError is an error of this package: its text without the prefix is
// err's.
type mepError struct{ err error }

func (e *mepError) Error() string   { return prefix + e.err.Error() }
func (e *mepError) detail() string  { return e.err.Error() }
func (e *mepError) Unwrap() []error { return []error{e.err} }

// wrapf returns base with what happened, as fmt.Sprintf formats it:
// "mep: not by the runbook: step b is done". errors.Is(err, base) holds.
func wrapf(base error, format string, args ...any) error {
	return &wrapped{base, fmt.Sprintf(format, args...)}
}

type wrapped struct {
	base error
	text string
}

func (e *wrapped) Error() string  { return e.base.Error() + ": " + e.text }
func (e *wrapped) detail() string { return detail(e.base) + ": " + e.text }
func (e *wrapped) Unwrap() error  { return e.base }

// detail returns the text of err without the prefix that names this
// package, for a sentence that says where it comes from already (a
// decision's reason, a list of errors); the whole text of another
// package's error.
func detail(err error) string {
	if d, ok := err.(interface{ detail() string }); ok {
		return d.detail()
	}
	return err.Error()
}
