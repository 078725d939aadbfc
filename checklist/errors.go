package checklist

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors, for branching with [errors.Is]. The errors returned by
// the package wrap them in an [*Error], a [*ChangeError] or a
// [*SnapshotError] that names the line, the item and the field at fault.
var (
	// Problems with a checklist file (Parse).
	ErrSyntax        = errors.New("checklist: syntax error")
	ErrUnknownField  = errors.New("checklist: unknown field")
	ErrDuplicateKey  = errors.New("checklist: field given twice")
	ErrInvalidValue  = errors.New("checklist: invalid value")
	ErrEmptyDocument = errors.New("checklist: empty document")

	// Problems with a list (Validate, and Parse after it).
	ErrEmptyID           = errors.New("checklist: empty item ID")
	ErrDuplicateID       = errors.New("checklist: duplicate item ID")
	ErrEmptyTitle        = errors.New("checklist: empty title")
	ErrUnknownDependency = errors.New("checklist: unknown dependency")
	ErrCycle             = errors.New("checklist: dependency cycle")
	ErrInvalidMode       = errors.New("checklist: invalid mode")

	// Problems with a change to a run (Check, Fail, Waive, Reschedule).
	ErrUnknownItem     = errors.New("checklist: unknown item")
	ErrAlreadyDone     = errors.New("checklist: item already done")
	ErrAlreadyWaived   = errors.New("checklist: item already waived")
	ErrDependency      = errors.New("checklist: dependencies not done")
	ErrOutOfOrder      = errors.New("checklist: earlier required items of the section not done")
	ErrReasonRequired  = errors.New("checklist: a waiver needs a reason")
	ErrRequiredWaiver  = errors.New("checklist: required item cannot be waived")
	ErrNoActor         = errors.New("checklist: who made the change is missing")
	ErrNoTime          = errors.New("checklist: when the change was made is missing")
	ErrInvalidSchedule = errors.New("checklist: invalid T0")

	// Problems with a snapshot (Restore).
	ErrBadSnapshot      = errors.New("checklist: malformed snapshot")
	ErrSnapshotMismatch = errors.New("checklist: snapshot does not match its list")
)

// Error is a problem with a checklist or one of its items, found by
// [Parse] or [List.Validate]. Err is one of the Err* sentinels, possibly
// wrapped with more detail (a [*CycleError] for ErrCycle).
type Error struct {
	Line  int    // 1-based line in the parsed file; 0 when the list did not come from Parse
	Index int    // position of the item in List.Items; -1 for a problem with the list itself
	Item  string // the item's ID; "" for the list itself or an item without ID
	Field string // file field at fault ("id", "depends_on", ...); "" for the whole item or list
	Err   error
}

func (e *Error) Error() string {
	s := "checklist: "
	if e.Line > 0 {
		s += "line " + strconv.Itoa(e.Line) + ": "
	}
	switch {
	case e.Item != "":
		s += "item " + strconv.Quote(e.Item) + ": "
	case e.Index >= 0:
		s += "item #" + strconv.Itoa(e.Index+1) + ": "
	}
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + trimPrefix(e.Err)
}

func (e *Error) Unwrap() error { return e.Err }

// CycleError names a dependency cycle: Path starts and ends with the same
// item ID ("a", "b", "a" means a depends on b, which depends on a). It
// wraps [ErrCycle].
type CycleError struct {
	Path []string
}

func (e *CycleError) Error() string {
	s := "checklist: dependency cycle "
	for i, id := range e.Path {
		if i > 0 {
			s += " -> "
		}
		s += strconv.Quote(id)
	}
	return s
}

func (e *CycleError) Unwrap() error { return ErrCycle }

// ChangeError is a change to a [Run] that was refused; the run is left
// unchanged. Op is "check", "fail", "waive" or "reschedule" (the [Event]
// kinds), "start" when [NewRun] refuses its T0, or "result" when
// [Run.Result] is asked for an unknown item. Err is one of the Err*
// sentinels, possibly wrapped with more detail.
type ChangeError struct {
	Op   string
	Item string // "" for a reschedule
	Err  error
}

func (e *ChangeError) Error() string {
	s := "checklist: " + e.Op
	if e.Item != "" {
		s += " " + strconv.Quote(e.Item)
	}
	return s + ": " + trimPrefix(e.Err)
}

func (e *ChangeError) Unwrap() error { return e.Err }

// SnapshotError is a snapshot that [Restore] refused. Item names the item
// at fault, if any; Field the JSON field. Err wraps [ErrBadSnapshot] or
// [ErrSnapshotMismatch].
type SnapshotError struct {
	Item  string
	Field string
	Err   error
}

func (e *SnapshotError) Error() string {
	s := "checklist: snapshot: "
	if e.Item != "" {
		s += "item " + strconv.Quote(e.Item) + ": "
	}
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + trimPrefix(e.Err)
}

func (e *SnapshotError) Unwrap() error { return e.Err }

// detail wraps a sentinel with a sentence of detail.
func detail(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}

// trimPrefix drops the package prefix of a wrapped error so that it is
// not repeated in the message of the error that wraps it.
func trimPrefix(err error) string {
	if err == nil {
		return "unknown error"
	}
	s := err.Error()
	const p = "checklist: "
	if len(s) > len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}
