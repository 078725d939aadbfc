package timeline

import (
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/mepkit/mepkit/internal/jsonstr"
)

// MaxLineSize is the largest JSON Lines record of an entry, in bytes,
// newline excluded. Record refuses an entry whose line would be longer
// (with [ErrLineTooLong]), and Read and Open refuse a longer line, so
// whatever a journal accepts it can read back. Text grows when encoded: a
// "<" takes 6 bytes (\u003c), so the limit on text is lower than
// MaxLineSize when the text has such characters.
const MaxLineSize = 1 << 20

// checkLineSize is the one rule on line length, shared by every writer and
// reader of the package: n bytes (newline excluded) fit in a line.
func checkLineSize(n int) error {
	if n > MaxLineSize {
		return ErrLineTooLong
	}
	return nil
}

// minLineSize is a lower bound of the length of a line, newline excluded:
// the canonical line of an entry with every optional field empty is
// {"seq":0,"at":"0000-01-01T00:00:00Z","kind":"","hash":""}.
const minLineSize = len(`{"seq":0,"at":"0000-01-01T00:00:00Z","kind":"","hash":""}`)

// maxLineOverhead bounds the bytes of a line that do not come from the
// entry's strings: keys, punctuation, seq, time, impact, outcome, hash.
const maxLineOverhead = 256

// lineBound returns an upper bound of the length of e's line: every byte
// of a string takes at most 6 bytes once escaped.
func lineBound(e *Entry) int {
	n := len(e.Kind) + len(e.Step) + len(e.Actor) + len(e.Text)
	for k, v := range e.Attrs {
		n += len(k) + len(v) + 6 // quotes, colon, comma
	}
	return maxLineOverhead + len(e.Hash) + 6*n
}

// checkLine reports whether e's line fits in MaxLineSize; buf is scratch.
// It encodes e only when the cheap bound says it might not fit.
func checkLine(e *Entry, buf []byte) ([]byte, error) {
	if lineBound(e) <= MaxLineSize {
		return buf, nil
	}
	buf, err := appendEntry(buf[:0], e)
	if err != nil {
		return buf, err
	}
	if err := checkLineSize(len(buf)); err != nil {
		return buf, &EntryError{Seq: e.Seq, Step: e.Step, Err: err,
			Detail: "its line would take " + strconv.Itoa(len(buf)) + " bytes, over MaxLineSize (" + strconv.Itoa(MaxLineSize) + ")"}
	}
	return buf, nil
}

// appendLine appends the canonical line of e, newline included.
func appendLine(b []byte, e *Entry) ([]byte, error) {
	b, err := appendEntry(b, e)
	if err != nil {
		return b, err
	}
	return append(b, '\n'), nil
}

// appendEntry appends the canonical encoding of e: one JSON object, byte
// for byte what encoding/json writes for an Entry (fields in declaration
// order, empty optional fields left out, attribute keys sorted, HTML
// characters escaped), and refuses what RFC 3339 or the enums cannot
// carry. A file line must be exactly this encoding of the entry it holds.
func appendEntry(b []byte, e *Entry) ([]byte, error) {
	if e.At.IsZero() {
		return b, &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: "no time"}
	}
	if err := checkTime(e.At); err != nil {
		return b, &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: err.Error()}
	}
	if !e.Impact.IsValid() {
		return b, &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: "impact out of range"}
	}
	if !e.Outcome.IsValid() {
		return b, &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: "outcome out of range"}
	}
	b = append(b, `{"seq":`...)
	b = strconv.AppendUint(b, e.Seq, 10)
	b = append(b, `,"at":"`...)
	b = e.At.AppendFormat(b, time.RFC3339Nano)
	b = append(b, `","kind":`...)
	b = jsonstr.Append(b, e.Kind)
	if e.Step != "" {
		b = append(b, `,"step":`...)
		b = jsonstr.Append(b, e.Step)
	}
	if e.Actor != "" {
		b = append(b, `,"actor":`...)
		b = jsonstr.Append(b, e.Actor)
	}
	if e.Text != "" {
		b = append(b, `,"text":`...)
		b = jsonstr.Append(b, e.Text)
	}
	if e.Impact != NoImpact {
		b = append(b, `,"impact":"`...)
		b = append(b, impacts.Names[e.Impact]...)
		b = append(b, '"')
	}
	if e.Outcome != Done {
		b = append(b, `,"outcome":"`...)
		b = append(b, outcomes.Names[e.Outcome]...)
		b = append(b, '"')
	}
	if len(e.Attrs) > 0 {
		b = append(b, `,"attrs":{`...)
		keys := make([]string, 0, len(e.Attrs))
		for k := range e.Attrs {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for i, k := range keys {
			if i > 0 {
				b = append(b, ',')
			}
			b = jsonstr.Append(b, k)
			b = append(b, ':')
			b = jsonstr.Append(b, e.Attrs[k])
		}
		b = append(b, '}')
	}
	b = append(b, `,"hash":`...)
	b = jsonstr.Append(b, e.Hash)
	return append(b, '}'), nil
}

// checkTime reports why t cannot be written in RFC 3339 and read back as
// the same instant and offset, or returns nil.
func checkTime(t time.Time) error {
	if y := t.Year(); y < 0 || y > 9999 {
		return errors.New("time outside years 0-9999 (RFC 3339)")
	}
	_, off := t.Zone()
	if off%60 != 0 {
		return errors.New("UTC offset with seconds, which RFC 3339 cannot keep")
	}
	if off <= -24*3600 || off >= 24*3600 {
		return errors.New("UTC offset of 24 hours or more, which RFC 3339 cannot keep")
	}
	return nil
}

// canonical checks that line is exactly the canonical encoding of e, the
// entry decoded from it; buf is scratch.
func canonical(line string, e *Entry, buf []byte) ([]byte, error) {
	buf, err := appendEntry(buf[:0], e)
	if err != nil {
		return buf, err
	}
	if string(buf) == line {
		return buf, nil
	}
	i := 0
	for i < len(buf) && i < len(line) && buf[i] == line[i] {
		i++
	}
	return buf, &canonicalError{offset: i}
}

// canonicalError says where a line departs from the journal's encoding.
type canonicalError struct{ offset int }

func (e *canonicalError) Error() string { return prefix + e.message() }

func (e *canonicalError) message() string {
	return "journal tampered with: the line is not the journal's encoding of the entry it holds (it differs from column " +
		strconv.Itoa(e.offset+1) + "): edited by hand?"
}

func (e *canonicalError) Unwrap() error { return ErrTampered }
