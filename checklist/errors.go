package checklist

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/mepkit/mepkit/internal/enum"
)

// Sentinel errors, for branching with [errors.Is]. The package's errors
// wrap one of them in a typed error that holds the detail: a [*ListError]
// of [*Error]s (line, column, item, field) for files and lists, a
// [*ChangeError] for a change to a run, a [*SnapshotError] for a snapshot.
var (
	// ErrInvalid: a checklist file, list, snapshot or argument that is not
	// valid: a syntax error, an unknown or repeated field, a bad value, an
	// empty or duplicate ID, an unknown dependency, a cycle (see
	// [*CycleError]), an unknown mode or status; for a change to a run, a
	// missing actor, time or waiver reason, or a zero T0.
	ErrInvalid = newError("invalid")

	// ErrTooLarge: input over the parser's size limit
	// ([ParseOptions.MaxBytes]), refused before it is decoded.
	ErrTooLarge = newError("input too large")

	// ErrNotFound: no item of the run has that ID.
	ErrNotFound = newError("no such item")

	// ErrState: the change does not fit where the run stands or what its
	// list allows: the item is already done or waived, an item it depends
	// on (or, in an ordered list, an earlier item of its section) is not
	// done, or the list does not let required items be waived.
	ErrState = newError("change not allowed now")

	// ErrMismatch: a snapshot of another list ([Restore]).
	ErrMismatch = newError("snapshot of another list")
)

// DefaultMaxProblems is how many problems a [*ListError] keeps by default;
// it counts the others in [ListError.More].
const DefaultMaxProblems = 20

// because is a reason for an error: a message for people, the sentinel
// it counts as for errors.Is, and the error that caused it, if any.
type because struct {
	kind  error
	msg   string
	cause error
}

func (b *because) Error() string {
	switch {
	case b.cause == nil:
		return b.msg
	case b.msg == "":
		return message(b.cause)
	}
	return b.msg + ": " + message(b.cause)
}

func (b *because) Unwrap() []error {
	if b.cause == nil {
		return []error{b.kind}
	}
	return []error{b.kind, b.cause}
}

// wrap returns an error that counts as the sentinel kind and wraps cause,
// with msg before the cause's message ("" for none).
func wrap(kind error, msg string, cause error) error {
	return &because{kind: kind, msg: msg, cause: cause}
}

// why returns an error with the message, which wraps the sentinel kind
// without repeating its text.
func why(kind error, format string, args ...any) error {
	if len(args) == 0 {
		return &because{kind: kind, msg: format}
	}
	return &because{kind: kind, msg: fmt.Sprintf(format, args...)}
}

// Error is one problem with a checklist file or list, found by [Parse] or
// [List.Validate], or one problem of an item. It wraps [ErrInvalid] or,
// for input over the limit, [ErrTooLarge]; Err may also be a
// [*CycleError]. The zero value describes an unknown problem of the first
// item, with no line.
type Error struct {
	Line   int    // 1-based line in the parsed file; 0 when the list did not come from a file
	Column int    // 1-based column, in characters, of a JSON or encoding error; 0 when unknown
	Index  int    // position of the item in List.Items; -1 for a problem with the list itself
	Item   string // the item's ID; "" for the list itself or an item without ID
	Field  string // file field at fault ("id", "depends_on", ...); "" for the whole item or list
	Err    error
}

func (e *Error) Error() string { return prefix + e.message() }

func (e *Error) message() string {
	var sb strings.Builder
	if e.Line > 0 {
		sb.WriteString("line ")
		sb.WriteString(strconv.Itoa(e.Line))
		if e.Column > 0 {
			sb.WriteString(", column ")
			sb.WriteString(strconv.Itoa(e.Column))
		}
		sb.WriteString(": ")
	}
	switch {
	case e.Item != "":
		sb.WriteString("item ")
		sb.WriteString(strconv.Quote(e.Item))
		sb.WriteString(": ")
	case e.Index >= 0:
		sb.WriteString("item #")
		sb.WriteString(strconv.Itoa(e.Index + 1))
		sb.WriteString(": ")
	}
	if e.Field != "" {
		sb.WriteString(e.Field)
		sb.WriteString(": ")
	}
	sb.WriteString(message(e.Err))
	return sb.String()
}

func (e *Error) Unwrap() error { return e.Err }

// ListError is every problem found in a checklist file or list, as far as
// the parser could go on: [Parse] and [List.Validate] return one holding
// each problem, so that a file is fixed in one pass. [errors.Is] and
// [errors.As] see each problem: errors.As(err, &e) with e an [*Error]
// finds the first. The zero value holds no problem.
type ListError struct {
	// Problems are the problems kept, in file order for Parse and in item
	// order for Validate: at most [ParseOptions.MaxProblems]
	// ([DefaultMaxProblems] for Validate).
	Problems []*Error
	// More counts the problems found beyond those kept.
	More int
}

// Error returns the problems one per line, and how many more there are.
func (e *ListError) Error() string {
	if len(e.Problems) == 0 {
		if e.More > 0 {
			return prefix + strconv.Itoa(e.More) + " problems"
		}
		return prefix + "no problem"
	}
	var sb strings.Builder
	for i, p := range e.Problems {
		if i > 0 {
			sb.WriteByte('\n')
		}
		sb.WriteString(p.Error())
	}
	if e.More > 0 {
		sb.WriteString("\nchecklist: and ")
		sb.WriteString(strconv.Itoa(e.More))
		sb.WriteString(" more problem")
		if e.More > 1 {
			sb.WriteByte('s')
		}
	}
	return sb.String()
}

// Unwrap returns the problems kept, for [errors.Is] and [errors.As].
func (e *ListError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

// newListError keeps the first max problems of errs (nil when there is
// none), counting the others with more.
func newListError(errs []*Error, more, max int) error {
	if len(errs) == 0 && more == 0 {
		return nil
	}
	if max <= 0 {
		max = DefaultMaxProblems
	}
	if len(errs) > max {
		more += len(errs) - max
		errs = errs[:max:max]
	}
	return &ListError{Problems: errs, More: more}
}

// CycleError names a dependency cycle: Path starts and ends with the same
// item ID ("a", "b", "a" means a depends on b, which depends on a), and
// holds the whole cycle however long; the message shows its first and last
// items only. It wraps [ErrInvalid]. The zero value is an empty cycle.
type CycleError struct {
	Path []string
}

// cycleShown is how many items of a cycle an error message shows at most,
// before its last two.
const cycleShown = 8

func (e *CycleError) Error() string { return prefix + e.message() }

func (e *CycleError) message() string {
	var sb strings.Builder
	sb.WriteString("dependency cycle ")
	n := len(e.Path)
	long := n > cycleShown+2
	for i := 0; i < n; i++ {
		if long && i == cycleShown {
			sb.WriteString(" -> ...")
			i = n - 2 // the last item and the first again
		}
		if i > 0 {
			sb.WriteString(" -> ")
		}
		sb.WriteString(strconv.Quote(e.Path[i]))
	}
	if long {
		sb.WriteString(" (")
		sb.WriteString(thousands(n - 1))
		sb.WriteString(" items)")
	}
	return sb.String()
}

func (e *CycleError) Unwrap() error { return ErrInvalid }

// thousands writes n with commas between groups of three digits.
func thousands(n int) string {
	s := strconv.Itoa(n)
	if len(s) <= 3 {
		return s
	}
	var sb strings.Builder
	lead := len(s) % 3
	if lead > 0 {
		sb.WriteString(s[:lead])
	}
	for i := lead; i < len(s); i += 3 {
		if sb.Len() > 0 {
			sb.WriteByte(',')
		}
		sb.WriteString(s[i : i+3])
	}
	return sb.String()
}

// ChangeError is a change to a [Run] that was refused; the run is left
// unchanged. Op is "check", "fail", "waive" or "reschedule" (the [Event]
// kinds), "start" when [NewRun] refuses its T0, or "result" when
// [Run.Result] is asked for an unknown item. Err wraps [ErrNotFound],
// [ErrState] or [ErrInvalid]. The zero value is a refused change with no
// operation, item or reason.
type ChangeError struct {
	Op   string
	Item string // "" for a reschedule
	// Blocker is the item that must be done or waived first, when the
	// change waits for a dependency or, in an ordered list, for an
	// earlier item of the section; "" otherwise.
	Blocker string
	Err     error
}

func (e *ChangeError) Error() string { return prefix + e.message() }

func (e *ChangeError) message() string {
	s := e.Op
	if e.Item != "" {
		s += " " + strconv.Quote(e.Item)
	}
	return s + ": " + message(e.Err)
}

func (e *ChangeError) Unwrap() error { return e.Err }

// SnapshotError is a snapshot that [Restore] refused. Item names the item
// at fault, if any; Field the JSON field. Err wraps [ErrInvalid] (a
// malformed or inconsistent snapshot, or one whose digest does not match
// its content) or [ErrMismatch]. The zero value is a refused snapshot with
// no detail.
type SnapshotError struct {
	Item  string
	Field string
	Err   error
}

func (e *SnapshotError) Error() string { return prefix + e.message() }

func (e *SnapshotError) message() string {
	s := "snapshot: "
	if e.Item != "" {
		s += "item " + strconv.Quote(e.Item) + ": "
	}
	if e.Field != "" {
		s += e.Field + ": "
	}
	return s + message(e.Err)
}

func (e *SnapshotError) Unwrap() error { return e.Err }

// prefix starts the text of every error of this package. An error of the
// package that holds another one shows that one's [message], so that the
// prefix is written once, at the front.
const prefix = "checklist: "

// pkgError is a sentinel error of this package.
type pkgError struct{ msg string }

// newError returns an error of this package whose text is prefix and msg.
func newError(msg string) error { return &pkgError{msg: msg} }

func (e *pkgError) Error() string   { return prefix + e.msg }
func (e *pkgError) message() string { return e.msg }

// message returns the text of err without the package prefix when err is
// an error of this package (one of its modes or statuses included), the
// whole text of err otherwise, and "unknown error" for nil.
func message(err error) string {
	switch e := err.(type) {
	case nil:
		return "unknown error"
	case interface{ message() string }:
		return e.message()
	case *enum.Error:
		return e.Message()
	}
	return err.Error()
}
