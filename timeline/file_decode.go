package timeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// decodeLine decodes one JSON Lines record (without its newline) and checks
// that it is exactly the canonical encoding of the entry it holds (see
// appendEntry). Unknown fields and trailing data are errors: what a
// journal cannot carry over must not be dropped silently.
//
// Lines in the canonical layout take a fast path that checks the layout as
// it decodes; anything else goes through encoding/json, which gives the
// entry or the error, and then through the canonical check, which refuses
// it with the column where it departs. On the fast path, the strings of the
// entry are substrings of line. buf is scratch for that check.
func decodeLine(line string, buf []byte) (Entry, []byte, error) {
	if err := checkLineSize(len(line)); err != nil {
		return Entry{}, buf, err
	}
	if e, ok := decodeFast(line); ok {
		return e, buf, nil
	}
	e, err := decodeSlow([]byte(line))
	if err != nil {
		return Entry{}, buf, err
	}
	buf, err = canonical(line, &e, buf)
	if err != nil {
		return Entry{}, buf, err
	}
	return e, buf, nil
}

func decodeSlow(line []byte) (Entry, error) {
	var e Entry
	if bytes.HasPrefix(line, []byte("\ufeff")) {
		return Entry{}, errors.New("a byte order mark: a journal writes none")
	}
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		switch {
		case err == io.EOF && len(line) == 0:
			return Entry{}, errors.New("empty line: a journal writes none")
		case err == io.EOF:
			return Entry{}, errors.New("blank line: a journal writes none")
		case err == io.ErrUnexpectedEOF:
			return Entry{}, errors.New("the line ends inside its entry")
		}
		return Entry{}, err
	}
	if dec.More() {
		return Entry{}, errors.New("trailing data after the entry")
	}
	if e.At.IsZero() {
		return Entry{}, errors.New(`no time: "at" is missing or the zero time`)
	}
	return e, nil
}

// fastDecoder reads the canonical layout, field by field in order; the
// strings of the entry are substrings of the line. Any departure from the
// layout makes it give up, never guess.
type fastDecoder struct {
	s  string
	ok bool
}

func (d *fastDecoder) lit(p string) bool {
	if d.ok && strings.HasPrefix(d.s, p) {
		d.s = d.s[len(p):]
		return true
	}
	return false
}

func (d *fastDecoder) expect(p string) {
	if !d.lit(p) {
		d.ok = false
	}
}

// str reads a JSON string as jsonstr.Append writes it: valid UTF-8, and
// exactly the escapes Append makes (\" \\ \b \f \n \r \t, \u00XX for
// other control characters and for <, > and &, \u2028, \u2029). Any
// other form gives up. A string without escapes is a substring of the
// line.
func (d *fastDecoder) str() string {
	if !d.ok || len(d.s) == 0 || d.s[0] != '"' {
		d.ok = false
		return ""
	}
	var buf []byte // the string so far, once an escape was met
	start := 1     // where the bytes not yet in buf begin
	for i := 1; i < len(d.s); {
		c := d.s[i]
		if c < utf8.RuneSelf {
			switch {
			case plainASCII[c]:
				i++
				continue
			case c == '"':
				v := d.s[start:i]
				if buf != nil {
					v = string(append(buf, v...))
				}
				d.s = d.s[i+1:]
				return v
			case c == '\\':
				r, n := canonicalEscape(d.s[i:])
				if n == 0 {
					d.ok = false
					return ""
				}
				if buf == nil {
					buf = make([]byte, 0, rawLen(d.s))
				}
				buf = utf8.AppendRune(append(buf, d.s[start:i]...), r)
				i += n
				start = i
				continue
			}
			d.ok = false // a byte that the canonical encoding escapes
			return ""
		}
		r, size := utf8.DecodeRuneInString(d.s[i:])
		if (r == utf8.RuneError && size == 1) || r == '\u2028' || r == '\u2029' {
			d.ok = false
			return ""
		}
		i += size
	}
	d.ok = false
	return ""
}

// rawLen returns the length of the JSON string that starts s, without
// its quotes, as written (escapes and all): no less than its value's.
func rawLen(s string) int {
	for i := 1; i < len(s); i++ {
		switch s[i] {
		case '\\':
			i++
		case '"':
			return i - 1
		}
	}
	return len(s)
}

// canonicalEscape decodes the escape that starts s (at its backslash)
// when it is one that jsonstr.Append writes, and returns the rune and the
// escape's length; 0 for any other.
func canonicalEscape(s string) (rune, int) {
	if len(s) < 2 {
		return 0, 0
	}
	switch s[1] {
	case '"', '\\':
		return rune(s[1]), 2
	case 'b':
		return '\b', 2
	case 'f':
		return '\f', 2
	case 'n':
		return '\n', 2
	case 'r':
		return '\r', 2
	case 't':
		return '\t', 2
	case 'u':
	default:
		return 0, 0
	}
	if len(s) < 6 {
		return 0, 0
	}
	switch u := s[2:6]; u {
	case "2028":
		return '\u2028', 6
	case "2029":
		return '\u2029', 6
	case "003c", "003e", "0026":
		return rune(hexByte(u[2], u[3])), 6
	default:
		// A control character Append writes as \u00XX: not one of those
		// it writes \b, \f, \n, \r or \t.
		if u[0] != '0' || u[1] != '0' || (u[2] != '0' && u[2] != '1') || !isLowerHex(u[3:]) {
			return 0, 0
		}
		c := hexByte(u[2], u[3])
		if c == '\b' || c == '\f' || c == '\n' || c == '\r' || c == '\t' {
			return 0, 0
		}
		return rune(c), 6
	}
}

// hexByte returns the byte of two lower-case hex digits.
func hexByte(hi, lo byte) byte {
	v := func(c byte) byte {
		if c >= 'a' {
			return c - 'a' + 10
		}
		return c - '0'
	}
	return v(hi)<<4 | v(lo)
}

// plainASCII tells the ASCII bytes that stand for themselves in a string of
// the canonical encoding: not a quote, a backslash, a control character or
// one of <, > and &, which jsonstr.Append escapes.
var plainASCII = func() (t [utf8.RuneSelf]bool) {
	for c := byte(0x20); c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()

// optional reads the string of an optional field, which the layout leaves
// out when empty.
func (d *fastDecoder) optional() string {
	v := d.str()
	if v == "" {
		d.ok = false
	}
	return v
}

// decodeFast decodes line when it is exactly in the canonical layout that
// appendEntry writes, and reports whether it was: what it accepts,
// encoding/json decodes to the same entry and appendEntry writes back byte
// for byte. The strings of the entry are substrings of line.
func decodeFast(line string) (Entry, bool) {
	var e Entry
	d := fastDecoder{s: line, ok: true}
	d.expect(`{"seq":`)
	i := 0
	for i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9' {
		i++
	}
	if !d.ok || i == 0 || (i > 1 && d.s[0] == '0') {
		return e, false
	}
	seq, err := strconv.ParseUint(d.s[:i], 10, 64)
	if err != nil {
		return e, false
	}
	e.Seq = seq
	d.s = d.s[i:]

	d.expect(`,"at":"`)
	end := strings.IndexByte(d.s, '"')
	if !d.ok || end < 0 || !d.time(&e.At, d.s[:end]) {
		return e, false
	}
	d.s = d.s[end+1:]

	d.expect(`,"kind":`)
	e.Kind = d.str()
	if d.lit(`,"step":`) {
		e.Step = d.optional()
	}
	if d.lit(`,"actor":`) {
		e.Actor = d.optional()
	}
	if d.lit(`,"text":`) {
		e.Text = d.optional()
	}
	if d.lit(`,"impact":`) {
		name := d.str()
		v, err := ParseImpact(name)
		if err != nil || v == NoImpact || impacts.Names[v] != name {
			return e, false
		}
		e.Impact = v
	}
	if d.lit(`,"outcome":`) {
		name := d.str()
		v, err := ParseOutcome(name)
		if err != nil || v == Done || outcomes.Names[v] != name {
			return e, false
		}
		e.Outcome = v
	}
	if d.lit(`,"attrs":{`) {
		e.Attrs = map[string]string{}
		prev := ""
		for first := true; d.ok && (first || !d.lit("}")); first = false {
			if !first {
				d.expect(",")
			}
			k := d.str()
			d.expect(":")
			v := d.str()
			if !first && k <= prev { // keys sorted, each once
				return e, false
			}
			e.Attrs[k] = v
			prev = k
		}
	}
	d.expect(`,"hash":`)
	e.Hash = d.str()
	d.expect("}")
	if !d.ok || len(d.s) != 0 {
		return Entry{}, false
	}
	return e, true
}

// time decodes the RFC 3339 time raw into t and reports whether raw is
// what appendEntry writes for it.
func (d *fastDecoder) time(t *time.Time, raw string) bool {
	var q [48]byte
	if len(raw)+2 > len(q) {
		return false
	}
	b := append(append(append(q[:0], '"'), raw...), '"')
	if t.UnmarshalJSON(b) != nil || t.IsZero() || checkTime(*t) != nil {
		return false
	}
	return string(t.AppendFormat(q[:0], time.RFC3339Nano)) == raw
}
