package timeline

import (
	"bytes"
	"errors"
	"slices"
	"strconv"
	"time"
	"unicode/utf8"
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
	b = appendJSONString(b, e.Kind)
	if e.Step != "" {
		b = append(b, `,"step":`...)
		b = appendJSONString(b, e.Step)
	}
	if e.Actor != "" {
		b = append(b, `,"actor":`...)
		b = appendJSONString(b, e.Actor)
	}
	if e.Text != "" {
		b = append(b, `,"text":`...)
		b = appendJSONString(b, e.Text)
	}
	if e.Impact != NoImpact {
		b = append(b, `,"impact":"`...)
		b = append(b, impactNames[e.Impact]...)
		b = append(b, '"')
	}
	if e.Outcome != Done {
		b = append(b, `,"outcome":"`...)
		b = append(b, outcomeNames[e.Outcome]...)
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
			b = appendJSONString(b, k)
			b = append(b, ':')
			b = appendJSONString(b, e.Attrs[k])
		}
		b = append(b, '}')
	}
	b = append(b, `,"hash":`...)
	b = appendJSONString(b, e.Hash)
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

const hexDigits = "0123456789abcdef"

// appendJSONString appends s as encoding/json does with HTML escaping (its
// default): quotes, backslashes and control characters escaped, <, > and &
// as \u003c, \u003e, \u0026, U+2028 and U+2029 as \u2028 and \u2029,
// invalid UTF-8 as \ufffd.
func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if c := s[i]; c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += size
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += size
			start = i
			continue
		}
		i += size
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

// canonical checks that line is exactly the canonical encoding of e, the
// entry decoded from it; buf is scratch.
func canonical(line []byte, e *Entry, buf []byte) ([]byte, error) {
	buf, err := appendEntry(buf[:0], e)
	if err != nil {
		return buf, err
	}
	if bytes.Equal(buf, line) {
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

func (e *canonicalError) Error() string {
	return "timeline: journal tampered with: the line is not the journal's encoding of the entry it holds (it differs from column " +
		strconv.Itoa(e.offset+1) + "): edited by hand?"
}

func (e *canonicalError) Unwrap() error { return ErrTampered }
