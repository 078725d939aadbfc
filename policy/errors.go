package policy

import (
	"errors"
	"fmt"
	"strconv"
	"unicode/utf8"
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

// Error quotes the spec whole when it is short, else the part around
// Column.
func (e *SpecError) Error() string {
	return fmt.Sprintf("policy: window spec %s: range %d, column %d: %s", quoteExcerpt(e.Spec, e.Column-1), e.Range, e.Column, e.Msg)
}

// CronError describes a cron expression that cannot be used for a recurring
// freeze; find it with errors.As.
type CronError struct {
	Expr string // the expression as given
	Msg  string // what is wrong, e.g. "never fires"
}

// Error quotes the expression whole when it is short, else its start.
func (e *CronError) Error() string {
	return fmt.Sprintf("policy: cron %s: %s", quoteExcerpt(e.Expr, 0), e.Msg)
}

// maxQuoted is about how many bytes of a caller's text an error message
// quotes, so that a megabyte spec does not make a megabyte message.
const maxQuoted = 80

// quoteExcerpt quotes s for an error message: whole when it is at most
// maxQuoted bytes long, else the maxQuoted bytes around byte offset at,
// cut at rune boundaries, with "…" where text is left out and the length
// of s.
func quoteExcerpt(s string, at int) string {
	if len(s) <= maxQuoted {
		return strconv.Quote(s)
	}
	at = min(max(at, 0), len(s))
	lo := max(at-maxQuoted/4, 0)
	hi := min(lo+maxQuoted, len(s))
	lo = max(hi-maxQuoted, 0)
	// A rune is at most utf8.UTFMax bytes: look no further than that for
	// its start, which bytes that are not UTF-8 may not have.
	for i := 0; i < utf8.UTFMax-1 && lo > 0 && !utf8.RuneStart(s[lo]); i++ {
		lo++
	}
	for i := 0; i < utf8.UTFMax-1 && hi < len(s) && !utf8.RuneStart(s[hi]); i++ {
		hi--
	}
	q := strconv.Quote(s[lo:hi])
	if lo > 0 {
		q = q[:1] + "…" + q[1:]
	}
	if hi < len(s) {
		q = q[:len(q)-1] + "…" + q[len(q)-1:]
	}
	return q + " (" + strconv.Itoa(len(s)) + " bytes)"
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
