package mep

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/internal/jsonstr"
	"github.com/mepkit/mepkit/timeline"
)

// An event's fields, written into its entry and read back: each event
// lists its fields once, in its method fields, and the one list serves
// both ways (codec). enc and dec are the two directions; an event with
// nested data (a decision, a meeting's actions) also uses them directly.

// codec writes an event's fields into its entry (w set) or reads them
// back (d set). Each method takes the key of an attribute, where the
// field has one, and a pointer to the field.
type codec struct {
	w *enc
	d *dec
}

// at reads the entry's time, in the record's location, into t. Writing,
// the entry's At is the event's when().
func (c codec) at(t *time.Time) {
	if c.d != nil {
		*t = c.d.e.At.In(c.d.loc)
	}
}

// by is the entry's actor.
func (c codec) by(s *string) {
	if c.w != nil {
		c.w.by(*s)
	} else {
		*s = c.d.by()
	}
}

// text is the entry's text.
func (c codec) text(s *string) {
	if c.w != nil {
		c.w.text(*s)
	} else {
		*s = c.d.text()
	}
}

// str is an attribute that may be absent (empty).
func (c codec) str(k string, s *string) {
	if c.w != nil {
		c.w.str(k, *s)
	} else {
		*s = c.d.str(k)
	}
}

// need is an attribute that must be there, not blank, when read.
func (c codec) need(k string, s *string) {
	if c.w != nil {
		c.w.str(k, *s)
	} else {
		*s = c.d.need(k)
	}
}

// require fails the read when attribute k is absent or blank, whatever
// field reads it.
func (c codec) require(k string) {
	if c.d != nil {
		c.d.need(k)
	}
}

func (c codec) int(k string, n *int) {
	if c.w != nil {
		c.w.int(k, *n)
	} else {
		*n = c.d.int(k)
	}
}

func (c codec) bool(k string, b *bool) {
	if c.w != nil {
		c.w.bool(k, *b)
	} else {
		*b = c.d.bool(k)
	}
}

// time is an instant in RFC 3339, read in the record's location.
func (c codec) time(k string, t *time.Time) {
	if c.w != nil {
		c.w.time(k, *t)
	} else {
		*t = c.d.time(k)
	}
}

// dur is a duration as time.Duration.String writes it.
func (c codec) dur(k string, d *time.Duration) {
	if c.w != nil {
		c.w.dur(k, *d)
	} else {
		*d = c.d.dur(k)
	}
}

// list is a list of strings, as a JSON array.
func (c codec) list(k string, v *[]string) {
	if c.w != nil {
		c.w.list(k, *v)
	} else {
		*v = c.d.list(k)
	}
}

// enum is a value written by its String and read by its UnmarshalText.
func (c codec) enum(k string, v interface {
	String() string
	UnmarshalText([]byte) error
}) {
	if c.w != nil {
		c.w.str(k, v.String())
	} else {
		c.d.text2(k, v)
	}
}

// json is a value as encoding/json writes it; v is a pointer.
func (c codec) json(k string, v any) {
	if c.w != nil {
		c.w.json(k, v)
	} else {
		c.d.json(k, v)
	}
}

// enc builds the entry of an event.
type enc struct {
	e   timeline.Entry
	buf []byte // scratch for the JSON of lists, reused
}

func (w *enc) by(s string)   { w.e.Actor = s }
func (w *enc) text(s string) { w.e.Text = s }
func (w *enc) str(k, v string) {
	if v == "" {
		return
	}
	if w.e.Attrs == nil {
		w.e.Attrs = make(map[string]string, 8)
	}
	w.e.Attrs[k] = v
}
func (w *enc) int(k string, v int) {
	if v != 0 {
		w.str(k, strconv.Itoa(v))
	}
}
func (w *enc) bool(k string, v bool) {
	if v {
		w.str(k, "true")
	}
}
func (w *enc) time(k string, t time.Time) {
	if !t.IsZero() {
		w.str(k, carried(t).Format(time.RFC3339Nano))
	}
}
func (w *enc) dur(k string, d time.Duration) {
	if d != 0 {
		w.str(k, d.String())
	}
}
func (w *enc) list(k string, v []string) { array(w, k, v, jsonstr.Append) }

// reasons writes rs as encoding/json would, without its reflection: a
// decision carries a dozen of them.
func (w *enc) reasons(k string, rs []Reason) {
	array(w, k, rs, func(b []byte, r Reason) []byte {
		b = append(b, `{"source":`...)
		b = jsonstr.Append(b, r.Source)
		if r.Rule != 0 {
			b = append(b, `,"rule":`...)
			b = jsonstr.Append(b, r.Rule.String())
		}
		b = append(b, `,"text":`...)
		b = jsonstr.Append(b, r.Text)
		return append(b, '}')
	})
}

// votes writes vs byte for byte as encoding/json would, without its
// reflection; their roles, verdicts and times are valid (see
// evDecision.encodable).
func (w *enc) votes(k string, vs []Vote) {
	array(w, k, vs, func(b []byte, v Vote) []byte {
		b = append(b, `{"role":`...)
		b = jsonstr.Append(b, v.Role.String())
		b = append(b, `,"by":`...)
		b = jsonstr.Append(b, v.By)
		b = append(b, `,"verdict":`...)
		b = jsonstr.Append(b, v.Verdict.String())
		if v.Reason != "" {
			b = append(b, `,"reason":`...)
			b = jsonstr.Append(b, v.Reason)
		}
		b = append(b, `,"at":"`...)
		b = append(v.At.AppendFormat(b, time.RFC3339Nano), `","t0":"`...)
		b = append(v.T0.AppendFormat(b, time.RFC3339Nano), `","digest":`...)
		b = jsonstr.Append(b, v.Digest)
		if v.Stale != "" {
			b = append(b, `,"stale":`...)
			b = jsonstr.Append(b, v.Stale)
		}
		return append(b, '}')
	})
}

// array writes v under k as a JSON array, each element by elem, in w's
// scratch space; nothing for an empty v.
func array[T any](w *enc, k string, v []T, elem func([]byte, T) []byte) {
	if len(v) == 0 {
		return
	}
	b := append(w.buf[:0], '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = elem(b, x)
	}
	b = append(b, ']')
	w.str(k, string(b))
	w.buf = b
}

func (w *enc) json(k string, v any) {
	b, err := json.Marshal(v)
	if err != nil { // every value mep encodes marshals; keep the error visible
		b = []byte(strconv.Quote(err.Error()))
	}
	w.str(k, string(b))
}

// dec reads the fields of an entry; the first error sticks.
type dec struct {
	e     *timeline.Entry
	loc   *time.Location
	err   error
	lists map[string]checklist.List // parsed lists by their text; nil: none kept
	// readBack: the entry was just encoded, and is read back to prove a
	// replay can read it (readsBack). An event whose check vouches for
	// its encoding (evDecision.encodable) need not parse it again.
	readBack bool
}

// checklist parses the text of l read from attribute k's JSON, once per
// distinct text when d keeps lists, and records a failure naming k.
func (d *dec) checklist(k string, l *recordedList) {
	if l.raw == nil || d.err != nil {
		return
	}
	text := l.raw
	l.raw = nil
	if list, ok := d.lists[string(text)]; ok {
		l.List = list.Clone()
		return
	}
	list, err := checklist.Parse(text)
	if err != nil {
		d.fail(k, "", err.Error())
		return
	}
	if d.lists != nil {
		d.lists[string(text)] = list
	}
	l.List = list.Clone()
}

func (d *dec) fail(k, v, reason string) {
	if d.err == nil {
		d.err = &RecordError{Seq: d.e.Seq, Kind: d.e.Kind, Field: k, Err: fieldErr(k, v, reason)}
	}
}
func (d *dec) by() string   { return d.e.Actor }
func (d *dec) text() string { return d.e.Text }
func (d *dec) str(k string) string {
	return d.e.Attrs[k]
}
func (d *dec) need(k string) string {
	v := d.e.Attrs[k]
	if strings.TrimSpace(v) == "" {
		d.fail(k, v, "missing")
	}
	return v
}
func (d *dec) int(k string) int {
	v, ok := d.e.Attrs[k]
	if !ok {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		d.fail(k, v, "not an integer")
	}
	return n
}
func (d *dec) bool(k string) bool {
	v, ok := d.e.Attrs[k]
	if !ok {
		return false
	}
	if v != "true" {
		d.fail(k, v, "not true")
	}
	return true
}
func (d *dec) time(k string) time.Time {
	v, ok := d.e.Attrs[k]
	if !ok {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil {
		d.fail(k, v, "not an RFC 3339 time")
		return time.Time{}
	}
	if checkTime(k, t) != nil {
		// A time no writer records, which could not be written again.
		d.fail(k, v, "outside the years 0-9999 that the record can hold")
		return time.Time{}
	}
	if t.IsZero() {
		// Written, the zero time is an absent attribute: read as
		// present, it would be an event that cannot be written again.
		d.fail(k, v, "the zero time, which the record writes as no attribute")
		return time.Time{}
	}
	return t.In(d.loc)
}
func (d *dec) dur(k string) time.Duration {
	v, ok := d.e.Attrs[k]
	if !ok {
		return 0
	}
	x, err := time.ParseDuration(v)
	if err != nil {
		d.fail(k, v, "not a duration")
	}
	return x
}
func (d *dec) list(k string) []string {
	var out []string
	d.json(k, &out)
	return out
}
func (d *dec) json(k string, v any) {
	s, ok := d.e.Attrs[k]
	if !ok {
		return
	}
	if err := json.Unmarshal([]byte(s), v); err != nil {
		d.fail(k, cut(s, 40), "malformed: "+err.Error())
	}
}
func (d *dec) text2(k string, v interface{ UnmarshalText([]byte) error }) {
	s, ok := d.e.Attrs[k]
	if !ok {
		return
	}
	if err := v.UnmarshalText([]byte(s)); err != nil {
		d.fail(k, s, "unknown value")
	}
}

func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "..."
}
