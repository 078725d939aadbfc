package timeline

import (
	"fmt"
	"strconv"

	"github.com/mepkit/mepkit/internal/enum"
)

// Sentinel errors, for errors.Is. The typed errors ([*EntryError],
// [*LineError], [*TamperError], [*KeyError]) carry the details and wrap
// one of them.
var (
	// ErrClosed is returned by Record after Close.
	ErrClosed = newError("journal closed")
	// ErrTampered is wrapped by every [TamperError] from Verify and Open,
	// and by the [LineError] of a line that is not the journal's encoding of
	// its entry.
	ErrTampered = newError("journal tampered with")
	// ErrWrongKey is wrapped by the [KeyError] of Verify and Open when the
	// journal was chained with another HMAC key than the one given, or with
	// one when none was given, or without one when one was: not tampering.
	ErrWrongKey = newError("wrong key")
	// ErrOldFormat is wrapped when Verify or Open meets a journal chained by
	// an earlier version of this package, whose hashes did not cover the UTC
	// offset of each time. Read and ReadFile still read such a file.
	ErrOldFormat = newError("journal written by an older version")
	// ErrConflict is wrapped when the store's record moved on (another
	// writer appended): nothing was stored. See [Store].
	ErrConflict = newError("record moved on")
	// ErrInvalid is wrapped by errors about a malformed entry, including one
	// of an unknown kind, and about an unknown impact or outcome.
	ErrInvalid = newError("invalid entry")
	// ErrNotStarted is wrapped when a step ends without a running attempt.
	ErrNotStarted = newError("step not started")
	// ErrAlreadyStarted is wrapped when a step starts while an attempt of it
	// is still running.
	ErrAlreadyStarted = newError("step already running")
	// ErrLineTooLong is wrapped when a JSON Lines record exceeds
	// [MaxLineSize], by Read, and by Record for an entry that would make
	// one.
	ErrLineTooLong = newError("line too long")
	// ErrTornWrite is wrapped by Read when the last line lacks its newline
	// and cannot be decoded: the trace of a crash in the middle of a write.
	ErrTornWrite = newError("torn last line")
	// ErrLocked is returned by Open when another journal holds the file.
	ErrLocked = newError("journal file in use")
)

// EntryError describes an entry that a journal refused, or that breaks the
// rules of a journal being loaded.
type EntryError struct {
	Seq    uint64 // the entry's sequence number (the one it would have had, for Record)
	Step   string // the step, if any
	Detail string // what is wrong, for people
	Err    error  // a sentinel: ErrInvalid, ErrNotStarted, ErrAlreadyStarted, ErrLineTooLong
}

func (e *EntryError) Error() string { return prefix + e.message() }

func (e *EntryError) message() string {
	s := "entry " + strconv.FormatUint(e.Seq, 10)
	if e.Step != "" {
		s += " (step " + quote(e.Step) + ")"
	}
	s += ": " + message(e.Err)
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	return s
}

// Unwrap returns the sentinel.
func (e *EntryError) Unwrap() error { return e.Err }

// LineError locates a problem in JSON Lines input.
type LineError struct {
	Line int   // 1-based line number
	Err  error // what is wrong with it
}

func (e *LineError) Error() string { return prefix + e.message() }

func (e *LineError) message() string {
	return "line " + strconv.Itoa(e.Line) + ": " + message(e.Err)
}

// Unwrap returns the underlying error.
func (e *LineError) Unwrap() error { return e.Err }

// TamperError names the first entry whose chain does not hold.
type TamperError struct {
	Seq    uint64 // sequence number expected at that position
	Index  int    // 0-based position in the slice checked
	Reason string // what does not match
}

func (e *TamperError) Error() string { return prefix + e.message() }

func (e *TamperError) message() string {
	return fmt.Sprintf("journal tampered with at seq %d (entry #%d): %s", e.Seq, e.Index+1, e.Reason)
}

// Unwrap returns ErrTampered.
func (e *TamperError) Unwrap() error { return ErrTampered }

// KeyError reports that a journal was chained with another key than the
// one given to check it (see [KeyID]).
type KeyError struct {
	Seq          uint64 // the entry that showed it (the first one)
	JournalKeyID string // identifier of the key the journal was chained with; "": no key
	KeyID        string // identifier of the key given; "": no key
}

func (e *KeyError) Error() string { return prefix + e.message() }

func (e *KeyError) message() string {
	s := "wrong key: the journal was chained "
	if e.JournalKeyID == "" {
		s += "without a key"
	} else {
		s += "with key " + e.JournalKeyID
	}
	if e.KeyID == "" {
		return s + ", and no key was given"
	}
	return s + ", and the key given has id " + e.KeyID
}

// Unwrap returns ErrWrongKey.
func (e *KeyError) Unwrap() error { return ErrWrongKey }

// prefix starts the text of every error of this package. An error of the
// package that holds another one shows that one's [message], so that the
// prefix is written once, at the front.
const prefix = "timeline: "

// pkgError is an error of this package: a message, then the messages of
// the errors it wraps, each after ": ".
type pkgError struct {
	msg  string
	errs []error
}

// newError returns an error of this package whose text is prefix and msg.
func newError(msg string) error { return &pkgError{msg: msg} }

// wrapError returns an error of this package whose text is prefix, msg
// (if any) and the message of each of errs, and that wraps errs.
func wrapError(msg string, errs ...error) error { return &pkgError{msg: msg, errs: errs} }

func (e *pkgError) Error() string { return prefix + e.message() }

func (e *pkgError) message() string {
	s := e.msg
	for _, err := range e.errs {
		if s != "" {
			s += ": "
		}
		s += message(err)
	}
	return s
}

// Unwrap returns the errors wrapped.
func (e *pkgError) Unwrap() []error { return e.errs }

// message returns the text of err without the package prefix when err is
// an error of this package (one of its impacts or outcomes included), and
// the whole text of err otherwise.
func message(err error) string {
	switch e := err.(type) {
	case interface{ message() string }:
		return e.message()
	case *enum.Error:
		return e.Message()
	}
	return err.Error()
}

func quote(s string) string { return strconv.Quote(s) }

func itoa(i int) string { return strconv.Itoa(i) }
