package timeline

import (
	"errors"
	"fmt"
	"strconv"
)

// Sentinel errors, for errors.Is. The typed errors ([*EntryError],
// [*LineError], [*TamperError], [*KeyError]) carry the details and wrap
// one of them.
var (
	// ErrClosed is returned by Record after Close.
	ErrClosed = errors.New("timeline: journal closed")
	// ErrTampered is wrapped by every [TamperError] from Verify and Open,
	// and by the [LineError] of a line that is not the journal's encoding of
	// its entry.
	ErrTampered = errors.New("timeline: journal tampered with")
	// ErrWrongKey is wrapped by the [KeyError] of Verify and Open when the
	// journal was chained with another HMAC key than the one given, or with
	// one when none was given, or without one when one was: not tampering.
	ErrWrongKey = errors.New("timeline: wrong key")
	// ErrOldFormat is wrapped when Verify or Open meets a journal chained by
	// an earlier version of this package, whose hashes did not cover the UTC
	// offset of each time. Read and ReadFile still read such a file.
	ErrOldFormat = errors.New("timeline: journal written by an older version")
	// ErrConflict is wrapped when the store's record moved on (another
	// writer appended): nothing was stored. See [Store].
	ErrConflict = errors.New("timeline: record moved on")
	// ErrInvalid is wrapped by errors about a malformed entry, including one
	// of an unknown kind, and about an unknown impact or outcome.
	ErrInvalid = errors.New("timeline: invalid entry")
	// ErrNotStarted is wrapped when a step ends without a running attempt.
	ErrNotStarted = errors.New("timeline: step not started")
	// ErrAlreadyStarted is wrapped when a step starts while an attempt of it
	// is still running.
	ErrAlreadyStarted = errors.New("timeline: step already running")
	// ErrLineTooLong is wrapped when a JSON Lines record exceeds
	// [MaxLineSize], by Read, and by Record for an entry that would make
	// one.
	ErrLineTooLong = errors.New("timeline: line too long")
	// ErrTornWrite is wrapped by Read when the last line lacks its newline
	// and cannot be decoded: the trace of a crash in the middle of a write.
	ErrTornWrite = errors.New("timeline: torn last line")
	// ErrLocked is returned by Open when another journal holds the file.
	ErrLocked = errors.New("timeline: journal file in use")
)

// EntryError describes an entry that a journal refused, or that breaks the
// rules of a journal being loaded.
type EntryError struct {
	Seq    uint64 // the entry's sequence number (the one it would have had, for Record)
	Step   string // the step, if any
	Detail string // what is wrong, for people
	Err    error  // a sentinel: ErrInvalid, ErrNotStarted, ErrAlreadyStarted, ErrLineTooLong
}

func (e *EntryError) Error() string {
	s := "timeline: entry " + strconv.FormatUint(e.Seq, 10)
	if e.Step != "" {
		s += " (step " + quote(e.Step) + ")"
	}
	s += ": " + trimPrefix(e.Err.Error())
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

func (e *LineError) Error() string {
	return "timeline: line " + strconv.Itoa(e.Line) + ": " + trimPrefix(e.Err.Error())
}

// Unwrap returns the underlying error.
func (e *LineError) Unwrap() error { return e.Err }

// TamperError names the first entry whose chain does not hold.
type TamperError struct {
	Seq    uint64 // sequence number expected at that position
	Index  int    // 0-based position in the slice checked
	Reason string // what does not match
}

func (e *TamperError) Error() string {
	return fmt.Sprintf("timeline: journal tampered with at seq %d (entry #%d): %s", e.Seq, e.Index+1, e.Reason)
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

func (e *KeyError) Error() string {
	s := "timeline: wrong key: the journal was chained "
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

func trimPrefix(s string) string {
	const p = "timeline: "
	if len(s) >= len(p) && s[:len(p)] == p {
		return s[len(p):]
	}
	return s
}

func quote(s string) string { return strconv.Quote(s) }

func itoa(i int) string { return strconv.Itoa(i) }
