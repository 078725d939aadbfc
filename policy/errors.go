package policy

import (
	"errors"
	"fmt"
)

// Sentinel errors, for errors.Is. Errors with details are types:
// [SpecError] (a bad window spec), [CronError] (a bad cron expression),
// [DeniedError] (a denied change, wrapping ErrDenied).
var (
	// ErrNoSlot reports that no start within the horizon lets the whole
	// operation run.
	ErrNoSlot = errors.New("policy: no allowed slot within the horizon")
	// ErrDenied is wrapped by the error of [Result.Err] when a change is denied.
	ErrDenied = errors.New("policy: change denied")
	// ErrCountry reports a country code that has no holiday calendar.
	ErrCountry = errors.New("policy: unknown holiday country")
	// ErrInvalid reports an invalid argument to a constructor, such as a nil
	// location or a non-positive duration.
	ErrInvalid = errors.New("policy: invalid argument")
)

// SpecError describes a syntax error in a [Windows] spec; find it with
// errors.As.
type SpecError struct {
	Spec   string // the whole spec
	Range  int    // 1-based index of the comma-separated range
	Column int    // 1-based byte column in Spec
	Msg    string // what is wrong, e.g. `unknown day "Mun"`
}

func (e *SpecError) Error() string {
	return fmt.Sprintf("policy: window spec %q: range %d, column %d: %s", e.Spec, e.Range, e.Column, e.Msg)
}

// CronError describes a cron expression that cannot be used for a recurring
// freeze; find it with errors.As.
type CronError struct {
	Expr string // the expression as given
	Msg  string // what is wrong, e.g. "never fires"
}

func (e *CronError) Error() string {
	return fmt.Sprintf("policy: cron %q: %s", e.Expr, e.Msg)
}

// DeniedError is returned by [Result.Err] when a change is denied. It lists
// the denials that were not overridden.
type DeniedError struct {
	Denials []Decision
}

func (e *DeniedError) Error() string {
	switch len(e.Denials) {
	case 0:
		return "policy: change denied"
	case 1:
		return "policy: change denied: " + e.Denials[0].String()
	}
	return fmt.Sprintf("policy: change denied by %d policies, first: %s", len(e.Denials), e.Denials[0].String())
}

// Unwrap returns [ErrDenied].
func (e *DeniedError) Unwrap() error { return ErrDenied }

func fmtInvalid(msg string) error { return fmt.Errorf("policy: %s: %w", msg, ErrInvalid) }
