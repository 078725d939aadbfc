package mep

import (
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/timeline"
)

// This file holds the machinery of a project's record: how an event is
// written as a timeline entry and read back. Each event lives in the file
// of its concern with its kind, its fields (one list that writes and reads
// them, see codec), its check and its effect (apply); it registers itself
// with register.

// kindPrefix starts the kind of every entry mep writes: "mep.vote", in
// timeline's dotted syntax for callers' kinds. Entries of other kinds (a
// program's own notes, say) are kept in the record and skipped by the fold.
const kindPrefix = "mep."

// legacyPrefix is the spelling of mep's kinds in records written before
// the dotted syntax, read as the same events: "x-mep.vote" is "mep.vote".
const legacyPrefix = "x-mep."

// event is one fact of a project's record.
type event interface {
	kind() string    // without the prefix: "phase", "vote", ...
	when() time.Time // the entry's At
	// fields lists the event's fields for a codec, which writes them
	// into the entry or reads them back: one list, both ways.
	fields(c codec)
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
var errNothing = sentinel("nothing to record")

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

// encode returns the entry that records ev (Seq and Hash are the
// journal's).
func encode(ev event) timeline.Entry {
	e, _ := encodeBuf(ev, nil)
	return e
}

// encodeBuf is encode with buf as scratch space; it returns buf to reuse.
func encodeBuf(ev event, buf []byte) (timeline.Entry, []byte) {
	w := enc{e: timeline.Entry{At: ev.when().Round(0), Kind: kindPrefix + ev.kind()}, buf: buf}
	ev.fields(codec{w: &w})
	return w.e, w.buf
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
	return decodeAs(&dec{e: e, loc: loc, lists: lists})
}

// decodeAs is decode of d's entry, read as d says.
func decodeAs(d *dec) (event, error) {
	e := d.e
	k, ok := isEvent(e.Kind)
	if !ok {
		return nil, nil
	}
	mk := eventKinds[k]
	if mk == nil {
		return nil, &RecordError{Seq: e.Seq, Kind: e.Kind, Err: wrapf(ErrCorrupt, "unknown event kind (a record written by a later mepkit?)")}
	}
	ev := mk()
	ev.fields(codec{d: d})
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

// carried returns t as RFC 3339 can write it and a replay read it back:
// t, or the same instant in UTC when t's offset from UTC has seconds or
// is a day or more, which RFC 3339 would cut (time.Time.Format and
// MarshalJSON write "+00:00" for an offset of 30 seconds, another
// instant). A replay reads times in the record's location anyway: only
// the instant is the record's.
func carried(t time.Time) time.Time {
	if _, off := t.Zone(); off%60 != 0 || off <= -24*3600 || off >= 24*3600 {
		return t.UTC()
	}
	return t
}
