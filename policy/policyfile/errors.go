package policyfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors, for errors.Is. Every other problem of a file is an
// *[Error] naming its line and field, within an *[ErrorList].
var (
	// ErrSyntax reports a file that is not YAML or JSON: a syntax error, a
	// character that YAML does not allow (a NUL byte, say), a second
	// document.
	ErrSyntax = errors.New("policyfile: syntax error")
	// ErrTooLarge reports a file larger than [Options.MaxSize]; nothing of
	// it was parsed.
	ErrTooLarge = errors.New("policyfile: file too large")
)

// MaxErrors is the number of problems an [ErrorList] keeps; it counts the
// others in More.
const MaxErrors = 20

// Error locates one problem in a policy file.
type Error struct {
	Line   int    // 1-based line, 0 if unknown
	Column int    // 1-based column in characters, 0 if unknown
	Field  string // path of the field, e.g. "policies[2].spec"; "" for the whole file
	// Err says what is wrong. It wraps ErrSyntax, ErrTooLarge or the error
	// of package policy behind the problem (a *policy.SpecError, a
	// *policy.CronError, policy.ErrCountry), when there is one.
	Err error
}

// Error returns "policyfile: line N: FIELD: what is wrong".
func (e *Error) Error() string { return "policyfile: " + e.text() }

// text is Error without the package prefix.
func (e *Error) text() string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		b.WriteString(": ")
	}
	if e.Field != "" {
		b.WriteString(e.Field)
		b.WriteString(": ")
	}
	msg := "invalid"
	if e.Err != nil {
		msg = strings.TrimPrefix(strings.TrimPrefix(e.Err.Error(), "policyfile: "), "policy: ")
	}
	b.WriteString(msg)
	return b.String()
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// MarshalJSON writes {"line", "column", "field", "message"}, for editors
// and CI annotations; message is the text after the line and field.
func (e *Error) MarshalJSON() ([]byte, error) {
	msg := ""
	if e.Err != nil {
		msg = strings.TrimPrefix(strings.TrimPrefix(e.Err.Error(), "policyfile: "), "policy: ")
	}
	return json.Marshal(struct {
		Line    int    `json:"line,omitempty"`
		Column  int    `json:"column,omitempty"`
		Field   string `json:"field,omitempty"`
		Message string `json:"message"`
	}{e.Line, e.Column, e.Field, msg})
}

// ErrorList is the error of a policy file that cannot be used: every
// problem found, in file order, so that one run shows what to fix. It
// keeps the first [MaxErrors] problems and counts the others in More. Its
// Unwrap returns each *[Error], so errors.As finds the first and
// errors.Is its causes.
type ErrorList struct {
	Path   string   // the file, when read by ReadFile; "" otherwise
	Errors []*Error // at least one
	More   int      // problems found beyond Errors
}

// Error returns the one problem, or "policyfile: N problems:" followed by
// one indented line per problem and "and N more".
func (l *ErrorList) Error() string {
	prefix := "policyfile: "
	if l.Path != "" {
		prefix += l.Path + ": "
	}
	if len(l.Errors) == 1 && l.More == 0 {
		return prefix + l.Errors[0].text()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s%d problems:", prefix, len(l.Errors)+l.More)
	for _, e := range l.Errors {
		b.WriteString("\n\t")
		b.WriteString(e.text())
	}
	if l.More > 0 {
		fmt.Fprintf(&b, "\n\tand %d more", l.More)
	}
	return b.String()
}

// Unwrap returns the problems, each an *Error.
func (l *ErrorList) Unwrap() []error {
	out := make([]error, len(l.Errors))
	for i, e := range l.Errors {
		out[i] = e
	}
	return out
}

// MarshalJSON writes {"path", "errors", "more"}; path and more are left
// out when empty.
func (l *ErrorList) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Path   string   `json:"path,omitempty"`
		Errors []*Error `json:"errors"`
		More   int      `json:"more,omitempty"`
	}{l.Path, l.Errors, l.More})
}
