package mep

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/internal/jsonstr"
	"github.com/mepkit/mepkit/timeline"
)

// This file holds the machinery of a project's record: how an event is
// written as a timeline entry and read back. Each event lives in the file
// of its concern with its kind, its fields, its encoding (put, get), its
// check and its effect (apply); it registers itself with register.

// kindPrefix starts the kind of every entry mep writes: "mep.vote", in
// timeline's dotted syntax for callers' kinds. Entries of other kinds (a
// program's own notes, say) are kept in the record and skipped by the fold.
const kindPrefix = "mep."

// legacyPrefix is the spelling of mep's kinds in records written before
// the dotted syntax, read as the same events: "x-mep.vote" is "mep.vote".
const legacyPrefix = "x-mep."

// event is one fact of a project's record.
type event interface {
	kind() string     // without the prefix: "phase", "vote", ...
	when() time.Time  // the entry's At
	put(e *enc)       // writes the event's fields
	get(d *dec) error // reads them back
	// check reports why the event cannot follow st: the one validation of
	// a fact, run before it is appended and again when the record is
	// replayed, so that nothing a replay refuses is ever appended.
	check(st *state) error
	// apply is the event's effect on st, once check has passed: it
	// cannot fail.
	apply(st *state)
}

// preparer is an event that takes values from the state (the T0 a vote
// is for, an action's default due date), or checks what only a writer
// can (the clock, the policies attached), before check. It runs under
// the project's lock, when the event is written, never on replay; it
// returns errNothing when there is nothing to record.
type preparer interface {
	prepare(p *Project, st *state) error
}

// errNothing, from prepare, means the call succeeds with nothing to
// record (a lesson already applied, a cutover already finished).
var errNothing = errors.New("mep: nothing to record")

// eventKinds makes an empty event of each kind, for the decoder; each event
// type adds itself with register.
var eventKinds = map[string]func() event{}

// register adds the event type *T to the kinds the record reads.
func register[T any, P interface {
	*T
	event
}]() struct{} {
	eventKinds[P(new(T)).kind()] = func() event { return P(new(T)) }
	return struct{}{}
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
		w.str(k, t.Format(time.RFC3339Nano))
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

// encode returns the entry that records ev (Seq and Hash are the
// journal's).
func encode(ev event) timeline.Entry {
	e, _ := encodeBuf(ev, nil)
	return e
}

// encodeBuf is encode with buf as scratch space; it returns buf to reuse.
func encodeBuf(ev event, buf []byte) (timeline.Entry, []byte) {
	w := enc{e: timeline.Entry{At: ev.when().Round(0), Kind: kindPrefix + ev.kind()}, buf: buf}
	ev.put(&w)
	return w.e, w.buf
}

// dec reads the fields of an entry; the first error sticks.
type dec struct {
	e     *timeline.Entry
	loc   *time.Location
	err   error
	lists map[string]checklist.List // parsed lists by their text; nil: none kept
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

// isEvent reports whether the entry's kind is one of mep's, and returns
// the kind without its prefix.
func isEvent(k string) (string, bool) {
	if s, ok := strings.CutPrefix(k, kindPrefix); ok {
		return s, true
	}
	return strings.CutPrefix(k, legacyPrefix)
}

// decode returns the event recorded by e, its times in loc. It returns
// nil, nil for an entry that is not mep's, and a *RecordError for one of
// mep's kinds that does not read. Lists, if not nil, keeps the checklists
// parsed by their text, for the entries to come.
func decode(e *timeline.Entry, loc *time.Location, lists map[string]checklist.List) (event, error) {
	k, ok := isEvent(e.Kind)
	if !ok {
		return nil, nil
	}
	mk := eventKinds[k]
	if mk == nil {
		return nil, &RecordError{Seq: e.Seq, Kind: e.Kind, Err: fmt.Errorf("%w: unknown event kind (a record written by a later mepkit?)", ErrCorrupt)}
	}
	ev := mk()
	d := dec{e: e, loc: loc, lists: lists}
	if err := ev.get(&d); err != nil {
		return nil, err
	}
	if d.err != nil {
		return nil, d.err
	}
	return ev, nil
}

// recordedOf returns when the entry e of an event was recorded: its
// attrRecorded when it was recorded late, else its At.
func recordedOf(e *timeline.Entry, loc *time.Location) (time.Time, error) {
	v, ok := e.Attrs[attrRecorded]
	if !ok {
		return e.At.In(loc), nil
	}
	t, err := time.Parse(time.RFC3339Nano, v)
	if err != nil || t.Before(e.At) {
		return time.Time{}, &RecordError{Seq: e.Seq, Kind: e.Kind, Field: attrRecorded,
			Err: fieldErr(attrRecorded, v, "not an RFC 3339 time at or after the entry's")}
	}
	return t.In(loc), nil
}

// zone returns the location named name: def when they agree or name is
// empty, else time.LoadLocation's, or nil when it is unknown.
func zone(name string, def *time.Location) *time.Location {
	if name == "" || name == def.String() {
		return def
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil
	}
	return loc
}

// maxQuorum bounds the voters a quorum may ask for in one role.
const maxQuorum = 100

// The instants a record holds, a day inside the years 0-9999 in UTC.
var (
	minTime = time.Date(0, 1, 2, 0, 0, 0, 0, time.UTC)
	maxTime = time.Date(9999, 12, 30, 23, 59, 59, 0, time.UTC)
)

// checkTime reports a *FieldError for a time the record cannot carry and
// read back as the same instant in the same zone offset: a year outside
// 0-9999, or within a day of their ends, or a UTC offset that is not a
// whole number of minutes under 24 hours (RFC 3339; a zone's local mean
// time before 1900 has seconds).
func checkTime(field string, t time.Time) error {
	// A day's margin at each end: the record reads a time back in the
	// project's zone, which may be a year over (9999-12-31 23:30 UTC is
	// 10000-01-01 in Paris).
	if y := t.Year(); y < 0 || y > 9999 || t.Before(minTime) || t.After(maxTime) {
		return fieldErr(field, t.String(), "outside the years 0-9999 that the record can hold")
	}
	if _, off := t.Zone(); off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		return fieldErr(field, t.String(), "a UTC offset that is not a whole number of minutes under 24 hours")
	}
	return nil
}
