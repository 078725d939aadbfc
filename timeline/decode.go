package timeline

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"unicode/utf8"
)

// decodeLine decodes one JSON Lines record (without its newline). Unknown
// fields and trailing data are errors: what a journal cannot carry over
// must not be dropped silently.
//
// Lines in the exact layout the journal writes take a fast path; anything
// else (other key order, white space, escapes the fast path does not
// handle) goes through encoding/json, which gives the same result or the
// error.
func decodeLine(line []byte) (Entry, error) {
	if err := checkLineSize(len(line)); err != nil {
		return Entry{}, err
	}
	if e, ok := decodeFast(line); ok {
		return e, nil
	}
	return decodeSlow(line)
}

func decodeSlow(line []byte) (Entry, error) {
	var e Entry
	dec := json.NewDecoder(bytes.NewReader(line))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&e); err != nil {
		return Entry{}, err
	}
	if dec.More() {
		return Entry{}, errors.New("trailing data after the entry")
	}
	if e.At.IsZero() {
		return Entry{}, errors.New(`missing "at"`)
	}
	return e, nil
}

// fastDecoder reads the layout written by appendLine, field by field in
// order. Any surprise makes it give up, never guess.
type fastDecoder struct {
	b  []byte
	ok bool
}

func (d *fastDecoder) lit(s string) bool {
	if d.ok && bytes.HasPrefix(d.b, []byte(s)) {
		d.b = d.b[len(s):]
		return true
	}
	return false
}

func (d *fastDecoder) expect(s string) {
	if !d.lit(s) {
		d.ok = false
	}
}

// str reads a JSON string with no escapes and valid UTF-8, returning its
// raw bytes (quotes excluded).
func (d *fastDecoder) str() []byte {
	if !d.ok || len(d.b) == 0 || d.b[0] != '"' {
		d.ok = false
		return nil
	}
	for i := 1; i < len(d.b); i++ {
		c := d.b[i]
		if c == '"' {
			s := d.b[1:i]
			if !utf8.Valid(s) {
				d.ok = false
				return nil
			}
			d.b = d.b[i+1:]
			return s
		}
		if c == '\\' || c < 0x20 {
			d.ok = false
			return nil
		}
	}
	d.ok = false
	return nil
}

func decodeFast(line []byte) (Entry, bool) {
	var e Entry
	d := fastDecoder{b: line, ok: true}
	d.expect(`{"seq":`)
	i := 0
	for i < len(d.b) && d.b[i] >= '0' && d.b[i] <= '9' {
		i++
	}
	if !d.ok || i == 0 || (i > 1 && d.b[0] == '0') {
		return e, false
	}
	seq, err := strconv.ParseUint(string(d.b[:i]), 10, 64)
	if err != nil {
		return e, false
	}
	e.Seq = seq
	d.b = d.b[i:]

	d.expect(`,"at":`)
	if !d.ok || len(d.b) == 0 || d.b[0] != '"' {
		return e, false
	}
	end := bytes.IndexByte(d.b[1:], '"')
	if end < 0 || e.At.UnmarshalJSON(d.b[:end+2]) != nil {
		return e, false
	}
	d.b = d.b[end+2:]

	d.expect(`,"kind":`)
	e.Kind = internKind(d.str())
	if d.lit(`,"step":`) {
		e.Step = string(d.str())
	}
	if d.lit(`,"actor":`) {
		e.Actor = string(d.str())
	}
	if d.lit(`,"text":`) {
		e.Text = string(d.str())
	}
	if d.lit(`,"impact":`) {
		if err := e.Impact.UnmarshalText(d.str()); err != nil {
			return e, false
		}
	}
	if d.lit(`,"outcome":`) {
		if err := e.Outcome.UnmarshalText(d.str()); err != nil {
			return e, false
		}
	}
	if d.lit(`,"attrs":{`) {
		e.Attrs = map[string]string{}
		for first := true; d.ok && !d.lit("}"); first = false {
			if !first {
				d.expect(",")
			}
			k := d.str()
			d.expect(":")
			v := d.str()
			if _, dup := e.Attrs[string(k)]; dup {
				return e, false // encoding/json keeps the last; let it decide
			}
			e.Attrs[string(k)] = string(v)
		}
	}
	d.expect(`,"hash":`)
	e.Hash = string(d.str())
	d.expect("}")
	if !d.ok || len(d.b) != 0 {
		return Entry{}, false
	}
	return e, true
}

// internKind returns the constant for a known kind, to save an allocation
// per entry.
func internKind(b []byte) string {
	switch string(b) {
	case KindNote:
		return KindNote
	case KindStart:
		return KindStart
	case KindEnd:
		return KindEnd
	}
	return string(b)
}
