package policyfile

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Sentinel errors, for errors.Is. Every other problem of a file is an
// *[Error] naming its line and field, within an *[ListError].
var (
	// ErrSyntax reports a file that is not YAML or JSON: a syntax error, a
	// character that YAML does not allow (a NUL byte, say), a second
	// document; or YAML that a policy file does not use: an alias.
	ErrSyntax = errors.New("policyfile: syntax error")
	// ErrTooLarge reports a file larger than [ParseOptions.MaxBytes]; nothing of
	// it was parsed.
	ErrTooLarge = errors.New("policyfile: file too large")
)

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

// Error returns "policyfile: line N: FIELD: what is wrong", or for a
// syntax error "policyfile: line N, column C: syntax error: ...".
func (e *Error) Error() string { return "policyfile: " + e.text() }

// text is Error without the package prefix.
func (e *Error) text() string {
	var b strings.Builder
	if e.Line > 0 {
		b.WriteString("line ")
		b.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 && errors.Is(e.Err, ErrSyntax) {
			// Where the syntax breaks, as JSON and YAML tools say it.
			b.WriteString(", column ")
			b.WriteString(strconv.Itoa(e.Column))
		}
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

// ListError is the error of a policy file that cannot be used: every
// problem found, in file order, so that one run shows what to fix. It
// keeps the first [ParseOptions.MaxProblems] problems and counts the
// others in More. Its Unwrap returns each *[Error], so errors.As finds the
// first and errors.Is their causes.
type ListError struct {
	Path     string   // the file, when read by ParseFile; "" otherwise
	Problems []*Error // at least one, in file order
	More     int      // problems found beyond Problems
}

// Error returns the one problem, or "policyfile: N problems:" followed by
// one indented line per problem and "and N more".
func (l *ListError) Error() string {
	prefix := "policyfile: "
	if l.Path != "" {
		prefix += l.Path + ": "
	}
	if len(l.Problems) == 1 && l.More == 0 {
		return prefix + l.Problems[0].text()
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s%d problems:", prefix, len(l.Problems)+l.More)
	for _, e := range l.Problems {
		b.WriteString("\n\t")
		b.WriteString(e.text())
	}
	if l.More > 0 {
		fmt.Fprintf(&b, "\n\tand %d more", l.More)
	}
	return b.String()
}

// Unwrap returns the problems, each an *Error.
func (l *ListError) Unwrap() []error {
	out := make([]error, len(l.Problems))
	for i, e := range l.Problems {
		out[i] = e
	}
	return out
}

// MarshalJSON writes {"path", "problems", "more"}; path and more are left
// out when empty.
func (l *ListError) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Path     string   `json:"path,omitempty"`
		Problems []*Error `json:"problems"`
		More     int      `json:"more,omitempty"`
	}{l.Path, l.Problems, l.More})
}
