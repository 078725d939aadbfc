// Package enum gives the small enumerations of the module (uint8 values
// 0, 1, 2, ... with a name each) one set of text rules: String names a
// value or writes "Type(N)"; MarshalText fails for a value without a name;
// Parse and UnmarshalText take a name in any case, around spaces trimmed,
// and fail for any other text; every error names the enum and wraps the
// package's own sentinel for invalid input.
package enum

import (
	"strconv"
	"strings"
)

// Enum is the text of an enumeration of type T: Names[v] is the name of
// value v. Declare one per type, as a package variable that is never
// changed, and write the type's methods with it:
//
//	var impacts = enum.Enum[Impact]{Package: "timeline", Type: "Impact", What: "impact",
//		Names: []string{"none", "disruption", "outage"}, Invalid: ErrInvalid}
//
//	func (i Impact) String() string { return impacts.String(i) }
//
// An Enum is safe for concurrent use once declared.
type Enum[T ~uint8] struct {
	Package string       // "timeline": the prefix of the errors
	Type    string       // "Impact": String writes "Impact(7)" for a value without a name
	What    string       // "impact": the enum, as errors name it
	Names   []string     // the name of each value, in lower case
	Aliases map[string]T // other spellings that Parse accepts (lower case), such as "" for the zero value
	Invalid error        // the package's sentinel for invalid input, wrapped by every error
	// Fail, if set, makes the errors instead of *Error, for a package whose
	// bad input is an error type of its own: value is the text refused or
	// the value's String, reason says why ("unknown phase (want ...)").
	Fail func(value, reason string) error
}

// Valid reports whether v has a name.
func (e *Enum[T]) Valid(v T) bool { return int(v) < len(e.Names) && e.Names[v] != "" }

// String returns the name of v, or "Type(N)" for a value without one.
func (e *Enum[T]) String(v T) string {
	if e.Valid(v) {
		return e.Names[v]
	}
	return e.Type + "(" + strconv.Itoa(int(v)) + ")"
}

// MarshalText returns the name of v; a value without a name is an error,
// "timeline: invalid impact 7", wrapping Invalid.
func (e *Enum[T]) MarshalText(v T) ([]byte, error) {
	if !e.Valid(v) {
		if e.Fail != nil {
			return nil, e.Fail(e.String(v), "invalid "+e.What)
		}
		return nil, &Error{pkg: e.Package, msg: "invalid " + e.What + " " + strconv.Itoa(int(v)), err: e.Invalid}
	}
	return []byte(e.Names[v]), nil
}

// Parse returns the value named s, in any case and with the spaces around
// it trimmed, or that an alias names. Any other text is an error, naming
// the text and the names wanted ("timeline: unknown impact \"total\" (want
// none, disruption or outage)"), wrapping Invalid.
func (e *Enum[T]) Parse(s string) (T, error) {
	name := strings.ToLower(strings.TrimSpace(s))
	for v, n := range e.Names {
		if n == name && n != "" {
			return T(v), nil
		}
	}
	if v, ok := e.Aliases[name]; ok {
		return v, nil
	}
	if e.Fail != nil {
		return 0, e.Fail(s, "unknown "+e.What+" (want "+e.want()+")")
	}
	return 0, &Error{pkg: e.Package, msg: "unknown " + e.What + " " + strconv.Quote(s) + " (want " + e.want() + ")", err: e.Invalid}
}

// UnmarshalText sets *v to the value that b names, as [Enum.Parse] reads
// it; on error *v is unchanged.
func (e *Enum[T]) UnmarshalText(v *T, b []byte) error {
	x, err := e.Parse(string(b))
	if err != nil {
		return err
	}
	*v = x
	return nil
}

// want lists the names: "a", "a or b", "a, b or c".
func (e *Enum[T]) want() string {
	var names []string
	for _, n := range e.Names {
		if n != "" { // a value without a name cannot be asked for
			names = append(names, n)
		}
	}
	n := len(names)
	if n < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:n-1], ", ") + " or " + names[n-1]
}

// Error is the error of a text that names no value, or of a value that has
// no name. Its text starts with the package's prefix; it wraps the
// package's sentinel for invalid input.
type Error struct {
	pkg, msg string
	err      error
}

func (e *Error) Error() string { return e.pkg + ": " + e.msg }

// Message returns the text of the error without the package's prefix,
// "unknown impact \"total\" (want none, disruption or outage)", for an
// error of the package that holds it and has its own prefix.
func (e *Error) Message() string { return e.msg }

// Unwrap returns the package's sentinel, nil if it has none.
func (e *Error) Unwrap() error { return e.err }
