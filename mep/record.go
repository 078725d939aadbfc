package mep

import (
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/internal/jsonstr"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// This file is the only place that knows how an event of a project's
// record is written as a timeline entry: its kind, and the keys of its
// attributes. Each event type has one put (encoder) and one get (decoder).

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
}

// events makes an empty event of each kind, for the decoder.
var events = map[string]func() event{
	"project":            func() event { return &evProject{} },
	"phase":              func() event { return &evPhase{} },
	"plan":               func() event { return &evPlan{} },
	"member":             func() event { return &evMember{} },
	"team":               func() event { return &evTeam{} },
	"mco-contact":        func() event { return &evContact{} },
	"cadence":            func() event { return &evCadence{} },
	"meeting":            func() event { return &evMeeting{} },
	"action":             func() event { return &evAssign{} },
	"action.close":       func() event { return &evClose{} },
	"lesson":             func() event { return &evLesson{} },
	"lesson.apply":       func() event { return &evApply{} },
	"checklist":          func() event { return &evChecklist{} },
	"checklist.tick":     func() event { return &evTick{} },
	"rehearsal":          func() event { return &evRehearsal{} },
	"rollout":            func() event { return &evRollout{} },
	"rollout.reschedule": func() event { return &evReschedule{} },
	"vote":               func() event { return &evVote{} },
	"decision":           func() event { return &evDecision{} },
	"override":           func() event { return &evOverride{} },
	"step":               func() event { return &evStep{} },
	"note":               func() event { return &evNote{} },
	"cutover.finish":     func() event { return &evFinish{} },
	"freeze.opt-out":     func() event { return &evOptOut{} },
	"rollback":           func() event { return &evRollback{} },
	"failure.accept":     func() event { return &evAccept{} },
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
func (w *enc) list(k string, v []string) {
	if len(v) == 0 {
		return
	}
	b := append(w.buf[:0], '[')
	for i, x := range v {
		if i > 0 {
			b = append(b, ',')
		}
		b = jsonstr.Append(b, x)
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
	e   *timeline.Entry
	loc *time.Location
	err error
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
// mep's kinds that does not read.
func decode(e *timeline.Entry, loc *time.Location) (event, error) {
	k, ok := isEvent(e.Kind)
	if !ok {
		return nil, nil
	}
	mk := events[k]
	if mk == nil {
		return nil, &RecordError{Seq: e.Seq, Kind: e.Kind, Err: fmt.Errorf("%w: unknown event kind (a record written by a later mepkit?)", ErrCorrupt)}
	}
	ev := mk()
	d := dec{e: e, loc: loc}
	if err := ev.get(&d); err != nil {
		return nil, err
	}
	if d.err != nil {
		return nil, d.err
	}
	return ev, nil
}

// The events. Each one's At is the entry's At.

// evProject opens a record: the project's name and how it runs.
type evProject struct {
	At           time.Time
	Name, By     string
	RolloutsOnly bool // the project runs rollouts only, without the earlier phases
}

func (*evProject) kind() string      { return "project" }
func (v *evProject) when() time.Time { return v.At }
func (v *evProject) put(w *enc) {
	w.by(v.By)
	w.text(v.Name)
	w.bool("rollouts_only", v.RolloutsOnly)
}
func (v *evProject) get(d *dec) error {
	v.At, v.By, v.Name, v.RolloutsOnly = d.e.At.In(d.loc), d.by(), d.text(), d.bool("rollouts_only")
	if strings.TrimSpace(v.Name) == "" {
		d.fail("text", "", "no project name")
	}
	return nil
}

// evPhase is a transition (R1).
type evPhase struct {
	At         time.Time
	From, To   Phase
	By, Reason string
}

func (*evPhase) kind() string      { return "phase" }
func (v *evPhase) when() time.Time { return v.At }
func (v *evPhase) put(w *enc) {
	w.by(v.By)
	w.text(v.Reason)
	w.str("from", v.From.String())
	w.str("to", v.To.String())
}
func (v *evPhase) get(d *dec) error {
	v.At, v.By, v.Reason = d.e.At.In(d.loc), d.by(), d.text()
	d.text2("from", &v.From)
	d.need("to")
	d.text2("to", &v.To)
	return nil
}

// evPlan sets the planned time of a phase (R2).
type evPlan struct {
	At      time.Time
	Phase   Phase
	Planned time.Duration
	By      string
}

func (*evPlan) kind() string      { return "plan" }
func (v *evPlan) when() time.Time { return v.At }
func (v *evPlan) put(w *enc) {
	w.by(v.By)
	w.str("phase", v.Phase.String())
	w.dur("planned", v.Planned)
}
func (v *evPlan) get(d *dec) error {
	v.At, v.By = d.e.At.In(d.loc), d.by()
	d.need("phase")
	d.text2("phase", &v.Phase)
	v.Planned = d.dur("planned")
	return nil
}

// evMember adds a member (R3).
type evMember struct {
	At     time.Time
	Member Member
	By     string
}

func (*evMember) kind() string      { return "member" }
func (v *evMember) when() time.Time { return v.At }
func (v *evMember) put(w *enc) {
	w.by(v.By)
	w.text(v.Member.Name)
	roles := make([]string, len(v.Member.Roles))
	for i, r := range v.Member.Roles {
		roles[i] = r.String()
	}
	w.list("roles", roles)
	w.str("contact", v.Member.Contact)
}
func (v *evMember) get(d *dec) error {
	v.At, v.By = d.e.At.In(d.loc), d.by()
	v.Member = Member{Name: d.text(), Contact: d.str("contact")}
	for _, s := range d.list("roles") {
		r, err := ParseRole(s)
		if err != nil {
			d.fail("roles", s, "unknown role")
		}
		v.Member.Roles = append(v.Member.Roles, r)
	}
	return nil
}

// evTeam is the round table's choice of the go-live team (R3), with the
// declared guests of its meetings.
type evTeam struct {
	At     time.Time
	Names  []string
	Guests bool // Names are guests of the meetings, not the go-live team
	By     string
}

func (*evTeam) kind() string      { return "team" }
func (v *evTeam) when() time.Time { return v.At }
func (v *evTeam) put(w *enc) {
	w.by(v.By)
	w.list("names", v.Names)
	w.bool("guests", v.Guests)
}
func (v *evTeam) get(d *dec) error {
	v.At, v.By, v.Names, v.Guests = d.e.At.In(d.loc), d.by(), d.list("names"), d.bool("guests")
	return nil
}

// evContact names the builder who is the MCO team's contact (R3).
type evContact struct {
	At       time.Time
	Name, By string
}

func (*evContact) kind() string      { return "mco-contact" }
func (v *evContact) when() time.Time { return v.At }
func (v *evContact) put(w *enc)      { w.by(v.By); w.str("name", v.Name) }
func (v *evContact) get(d *dec) error {
	v.At, v.By, v.Name = d.e.At.In(d.loc), d.by(), d.need("name")
	return nil
}

// evCadence sets the meeting cadence.
type evCadence struct {
	At      time.Time
	Cadence Cadence
	By      string
}

func (*evCadence) kind() string      { return "cadence" }
func (v *evCadence) when() time.Time { return v.At }
func (v *evCadence) put(w *enc) {
	w.by(v.By)
	w.int("months", v.Cadence.Months)
	w.int("days", v.Cadence.Days)
	w.bool("weekdays", v.Cadence.Weekdays)
}
func (v *evCadence) get(d *dec) error {
	v.At, v.By = d.e.At.In(d.loc), d.by()
	v.Cadence = Cadence{Months: d.int("months"), Days: d.int("days"), Weekdays: d.bool("weekdays")}
	return nil
}

// evMeeting is a meeting held, with the actions it hands out (their due
// dates resolved) (R6).
type evMeeting struct {
	At        time.Time
	Title     string
	Attendees []string
	Notes     string
	Decisions []string
	Actions   []ActionSpec
	NoActions string // why the meeting hands out no action
	Next      time.Time
	By        string
}

type actionJSON struct {
	Title string    `json:"title"`
	Owner string    `json:"owner"`
	Due   time.Time `json:"due"`
}

func (*evMeeting) kind() string      { return "meeting" }
func (v *evMeeting) when() time.Time { return v.At }
func (v *evMeeting) put(w *enc) {
	w.by(v.By)
	w.text(v.Title)
	w.list("attendees", v.Attendees)
	w.str("notes", v.Notes)
	w.list("decisions", v.Decisions)
	if len(v.Actions) > 0 {
		acts := make([]actionJSON, len(v.Actions))
		for i, a := range v.Actions {
			acts[i] = actionJSON(a)
		}
		w.json("actions", acts)
	}
	w.str("no_actions", v.NoActions)
	w.time("next", v.Next)
}
func (v *evMeeting) get(d *dec) error {
	v.At, v.By, v.Title = d.e.At.In(d.loc), d.by(), d.text()
	v.Attendees, v.Notes, v.Decisions = d.list("attendees"), d.str("notes"), d.list("decisions")
	var acts []actionJSON
	d.json("actions", &acts)
	for _, a := range acts {
		v.Actions = append(v.Actions, ActionSpec{Title: a.Title, Owner: a.Owner, Due: a.Due.In(d.loc)})
	}
	v.NoActions, v.Next = d.str("no_actions"), d.time("next")
	return nil
}

// evAssign hands out an action outside a meeting (R6).
type evAssign struct {
	At   time.Time
	Spec ActionSpec // Due resolved
	By   string
}

func (*evAssign) kind() string      { return "action" }
func (v *evAssign) when() time.Time { return v.At }
func (v *evAssign) put(w *enc) {
	w.by(v.By)
	w.text(v.Spec.Title)
	w.str("owner", v.Spec.Owner)
	w.time("due", v.Spec.Due)
}
func (v *evAssign) get(d *dec) error {
	v.At, v.By = d.e.At.In(d.loc), d.by()
	d.need("owner")
	d.need("due")
	v.Spec = ActionSpec{Title: d.text(), Owner: d.str("owner"), Due: d.time("due")}
	return nil
}

// evClose closes an action, done or cancelled.
type evClose struct {
	At     time.Time
	ID     int
	Status ActionStatus
	By     string
	Note   string
}

func (*evClose) kind() string      { return "action.close" }
func (v *evClose) when() time.Time { return v.At }
func (v *evClose) put(w *enc) {
	w.by(v.By)
	w.text(v.Note)
	w.int("id", v.ID)
	w.str("status", v.Status.String())
}
func (v *evClose) get(d *dec) error {
	v.At, v.By, v.Note, v.ID = d.e.At.In(d.loc), d.by(), d.text(), d.int("id")
	d.need("status")
	d.text2("status", &v.Status)
	return nil
}

// evLesson records a lesson (R12).
type evLesson struct {
	At                 time.Time
	From, Text, Action string
	By                 string
}

func (*evLesson) kind() string      { return "lesson" }
func (v *evLesson) when() time.Time { return v.At }
func (v *evLesson) put(w *enc) {
	w.by(v.By)
	w.text(v.Text)
	w.str("from", v.From)
	w.str("action", v.Action)
}
func (v *evLesson) get(d *dec) error {
	v.At, v.By, v.Text, v.From, v.Action = d.e.At.In(d.loc), d.by(), d.text(), d.need("from"), d.need("action")
	return nil
}

// evApply records that a rollout applied a lesson, or waived it with a
// reason (R12).
type evApply struct {
	At                time.Time
	ID                int
	Rollout, By, Note string
	Waived            bool
}

func (*evApply) kind() string      { return "lesson.apply" }
func (v *evApply) when() time.Time { return v.At }
func (v *evApply) put(w *enc) {
	w.by(v.By)
	w.text(v.Note)
	w.int("id", v.ID)
	w.str("rollout", v.Rollout)
	w.bool("waived", v.Waived)
}
func (v *evApply) get(d *dec) error {
	v.At, v.By, v.Note, v.ID, v.Rollout, v.Waived = d.e.At.In(d.loc), d.by(), d.text(), d.int("id"), d.str("rollout"), d.bool("waived")
	return nil
}

// evChecklist starts a project checklist run: validation (R4) or
// operations readiness (R13).
type evChecklist struct {
	At   time.Time
	Run  string // runValidation or runOperations
	List checklist.List
	T0   time.Time
	By   string
}

func (*evChecklist) kind() string      { return "checklist" }
func (v *evChecklist) when() time.Time { return v.At }
func (v *evChecklist) put(w *enc) {
	w.by(v.By)
	w.str("run", v.Run)
	w.json("list", v.List)
	w.time("t0", v.T0)
}
func (v *evChecklist) get(d *dec) error {
	v.At, v.By, v.Run, v.T0 = d.e.At.In(d.loc), d.by(), d.need("run"), d.time("t0")
	d.json("list", &v.List)
	return nil
}

// evTick is a change to an item of a checklist run: checked, failed or
// waived. Rollout names the rollout whose readiness run it is; "" for a
// project run.
type evTick struct {
	At                 time.Time
	Run, Rollout, Item string
	Status             checklist.Status // Done, Failed or Waived
	By, Note           string
}

func (*evTick) kind() string      { return "checklist.tick" }
func (v *evTick) when() time.Time { return v.At }
func (v *evTick) put(w *enc) {
	w.by(v.By)
	w.text(v.Note)
	w.str("run", v.Run)
	w.str("rollout", v.Rollout)
	w.str("item", v.Item)
	w.str("status", v.Status.String())
}
func (v *evTick) get(d *dec) error {
	v.At, v.By, v.Note, v.Run, v.Rollout, v.Item = d.e.At.In(d.loc), d.by(), d.text(), d.need("run"), d.str("rollout"), d.need("item")
	switch s := d.need("status"); s {
	case checklist.Done.String():
		v.Status = checklist.Done
	case checklist.Failed.String():
		v.Status = checklist.Failed
	case checklist.Waived.String():
		v.Status = checklist.Waived
	default:
		d.fail("status", s, "not done, failed or waived")
	}
	return nil
}

// spanJSON is one attempt of a step of a rehearsal.
type spanJSON struct {
	Step    string           `json:"step"`
	Actor   string           `json:"actor,omitempty"`
	Start   time.Time        `json:"start"`
	End     time.Time        `json:"end"`
	Impact  timeline.Impact  `json:"impact,omitempty"`
	Outcome timeline.Outcome `json:"outcome,omitempty"`
}

// evRehearsal records a timed rehearsal (R5) with its conditions.
type evRehearsal struct {
	At      time.Time
	Rollout string
	Run     RehearsalRun
	By      string
}

func (*evRehearsal) kind() string      { return "rehearsal" }
func (v *evRehearsal) when() time.Time { return v.At }
func (v *evRehearsal) put(w *enc) {
	w.by(v.By)
	w.str("rollout", v.Rollout)
	rh := &v.Run
	w.str("environment", rh.Environment)
	w.bool("production_like", rh.ProductionLike)
	w.bool("partial", rh.Partial)
	w.bool("rollback", rh.Rollback)
	w.json("steps", spansOf(rh.Summary))
}

// spansOf returns the attempts of a run as the record keeps them.
func spansOf(s timeline.Summary) []spanJSON {
	spans := make([]spanJSON, len(s.Steps))
	for i, sp := range s.Steps {
		spans[i] = spanJSON{sp.Step, sp.Actor, sp.Start, sp.End, sp.Impact, sp.Outcome}
	}
	return spans
}
func (v *evRehearsal) get(d *dec) error {
	v.At, v.By, v.Rollout = d.e.At.In(d.loc), d.by(), d.str("rollout")
	rh := &v.Run
	rh.Environment, rh.ProductionLike, rh.Partial, rh.Rollback = d.str("environment"), d.bool("production_like"), d.bool("partial"), d.bool("rollback")
	var spans []spanJSON
	d.json("steps", &spans)
	if d.err != nil {
		return nil
	}
	rh.Summary = summarizeSpans(spans, d.loc)
	if len(spans) == 0 {
		d.fail("steps", "", "no step")
	}
	return nil
}

// summarizeSpans rebuilds the summary of a run from its attempts.
func summarizeSpans(spans []spanJSON, loc *time.Location) timeline.Summary {
	entries := make([]timeline.Entry, 0, 2*len(spans))
	for i, sp := range spans {
		entries = append(entries,
			timeline.Entry{Seq: uint64(2*i + 1), At: sp.Start.In(loc), Kind: timeline.KindStart, Step: sp.Step, Actor: sp.Actor, Impact: sp.Impact},
			timeline.Entry{Seq: uint64(2*i + 2), At: sp.End.In(loc), Kind: timeline.KindEnd, Step: sp.Step, Outcome: sp.Outcome})
	}
	slices.SortStableFunc(entries, func(a, b timeline.Entry) int { return a.At.Compare(b.At) })
	return timeline.Summarize(entries)
}

// rolloutJSON is what a rollout is created with.
type rolloutJSON struct {
	Environment string            `json:"environment,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	Zone        string            `json:"zone,omitempty"`
	Runbook     []Step            `json:"runbook"`
	Readiness   checklist.List    `json:"readiness"`
	Roles       []Role            `json:"roles,omitempty"`
	Quorum      map[string]int    `json:"quorum,omitempty"`
	Margin      float64           `json:"margin,omitempty"`
}

// evRollout creates a rollout.
type evRollout struct {
	At   time.Time
	Name string
	T0   time.Time
	Spec rolloutJSON
	By   string
}

func (*evRollout) kind() string      { return "rollout" }
func (v *evRollout) when() time.Time { return v.At }
func (v *evRollout) put(w *enc) {
	w.by(v.By)
	w.str("rollout", v.Name)
	w.time("t0", v.T0)
	w.json("spec", v.Spec)
}
func (v *evRollout) get(d *dec) error {
	v.At, v.By, v.Name = d.e.At.In(d.loc), d.by(), d.need("rollout")
	d.need("t0")
	v.T0 = d.time("t0")
	// Size the runbook once: encoding/json appends to the slice it is
	// given, and a runbook may have thousands of steps.
	v.Spec.Runbook = make([]Step, 0, strings.Count(d.need("spec"), `{"id":`))
	d.json("spec", &v.Spec)
	if loc := zone(v.Spec.Zone, d.loc); loc != nil {
		v.T0 = v.T0.In(loc)
	}
	return nil
}

// evReschedule moves a rollout's T0.
type evReschedule struct {
	At         time.Time
	Rollout    string
	T0         time.Time
	By, Reason string
}

func (*evReschedule) kind() string      { return "rollout.reschedule" }
func (v *evReschedule) when() time.Time { return v.At }
func (v *evReschedule) put(w *enc) {
	w.by(v.By)
	w.text(v.Reason)
	w.str("rollout", v.Rollout)
	w.time("t0", v.T0)
}
func (v *evReschedule) get(d *dec) error {
	v.At, v.By, v.Reason, v.Rollout = d.e.At.In(d.loc), d.by(), d.text(), d.need("rollout")
	d.need("t0")
	v.T0 = d.time("t0")
	return nil
}

// evVote is a go or no-go (R9).
type evVote struct {
	At      time.Time
	Rollout string
	Vote    Vote
}

func (*evVote) kind() string      { return "vote" }
func (v *evVote) when() time.Time { return v.At }
func (v *evVote) put(w *enc) {
	w.by(v.Vote.By)
	w.text(v.Vote.Reason)
	w.str("rollout", v.Rollout)
	w.str("role", v.Vote.Role.String())
	w.str("verdict", v.Vote.Verdict.String())
	w.time("t0", v.Vote.T0)
	w.str("digest", v.Vote.Digest)
}
func (v *evVote) get(d *dec) error {
	v.At, v.Rollout = d.e.At.In(d.loc), d.need("rollout")
	v.Vote = Vote{By: d.by(), Reason: d.text(), At: v.At, T0: d.time("t0"), Digest: d.str("digest")}
	d.need("role")
	d.text2("role", &v.Vote.Role)
	d.need("verdict")
	d.text2("verdict", &v.Vote.Verdict)
	return nil
}

// policyJSON is one policy's decision as a decision keeps it.
type policyJSON struct {
	Policy     string    `json:"policy"`
	Verdict    string    `json:"verdict"`
	Reason     string    `json:"reason,omitempty"`
	Next       time.Time `json:"next,omitzero"`
	Overridden bool      `json:"overridden,omitempty"`
}

// evDecision is a go/no-go decision taken by Decide (R9), with its
// reasons and the policies' answers behind it.
type evDecision struct {
	At       time.Time
	Rollout  string
	Decision Decision
	By       string
}

func (*evDecision) kind() string      { return "decision" }
func (v *evDecision) when() time.Time { return v.At }
func (v *evDecision) put(w *enc) {
	dd := &v.Decision
	w.by(v.By)
	w.text(strings.Join(dd.Reasons, "\n"))
	w.str("rollout", v.Rollout)
	w.str("verdict", dd.Verdict.String())
	w.time("t0", dd.T0)
	w.str("digest", dd.Digest)
	w.dur("estimate", dd.Estimate)
	w.int("pending", dd.Pending)
	w.buf = appendPolicies(w.buf[:0], dd.Policy.Decisions)
	w.str("policies", string(w.buf))
	if o := dd.Policy.Override; o != nil {
		w.json("override", overrideJSON{o.By, o.Reason, o.At})
	}
	w.list("warnings", dd.Warnings)
}

// appendPolicies appends the policies' answers as a JSON array of
// policyJSON, written by hand: a decision is recorded at every Decide, and
// reflection would cost half of it.
func appendPolicies(b []byte, ds []policy.Decision) []byte {
	b = append(b, '[')
	for i := range ds {
		p := &ds[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"policy":`...)
		b = jsonstr.Append(b, p.Policy)
		b = append(b, `,"verdict":`...)
		b = jsonstr.Append(b, p.Verdict.String())
		if p.Reason != "" {
			b = append(b, `,"reason":`...)
			b = jsonstr.Append(b, p.Reason)
		}
		if !p.Next.IsZero() {
			b = append(b, `,"next":"`...)
			b = p.Next.AppendFormat(b, time.RFC3339Nano)
			b = append(b, '"')
		}
		if p.Overridden {
			b = append(b, `,"overridden":true`...)
		}
		b = append(b, '}')
	}
	return append(b, ']')
}

type overrideJSON struct {
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at,omitzero"`
}

func (v *evDecision) get(d *dec) error {
	v.At, v.By, v.Rollout = d.e.At.In(d.loc), d.by(), d.need("rollout")
	dd := &v.Decision
	dd.At, dd.T0, dd.Digest, dd.Estimate, dd.Pending = v.At, d.time("t0"), d.str("digest"), d.dur("estimate"), d.int("pending")
	if t := d.text(); t != "" {
		dd.Reasons = strings.Split(t, "\n")
	}
	d.need("verdict")
	d.text2("verdict", &dd.Verdict)
	var ps []policyJSON
	d.json("policies", &ps)
	for _, p := range ps {
		pv, ok := parsePolicyVerdict(p.Verdict)
		if !ok {
			d.fail("policies", p.Verdict, "unknown policy verdict")
		}
		next := p.Next
		if !next.IsZero() {
			next = next.In(d.loc)
		}
		dd.Policy.Decisions = append(dd.Policy.Decisions, policyDecision(p.Policy, pv, p.Reason, next, p.Overridden))
	}
	if _, ok := d.e.Attrs["override"]; ok {
		var o overrideJSON
		d.json("override", &o)
		dd.Policy.Override = overrideOf(o.By, o.Reason, o.At.In(d.loc))
	}
	dd.Warnings = d.list("warnings")
	return nil
}

// evOverride is a break-glass request.
type evOverride struct {
	At                  time.Time
	Rollout, By, Reason string
}

func (*evOverride) kind() string      { return "override" }
func (v *evOverride) when() time.Time { return v.At }
func (v *evOverride) put(w *enc)      { w.by(v.By); w.text(v.Reason); w.str("rollout", v.Rollout) }
func (v *evOverride) get(d *dec) error {
	v.At, v.By, v.Reason, v.Rollout = d.e.At.In(d.loc), d.by(), d.text(), d.need("rollout")
	return nil
}

// Step events.
const (
	stepStart = "start"
	stepEnd   = "end"
	stepSkip  = "skip"
)

// evStep is a cutover step starting, ending or skipped (R10); in a
// rollback (Rollback), a step of the rollback procedure.
type evStep struct {
	At                time.Time
	Rollout, Step, By string
	Event             string // stepStart, stepEnd or stepSkip
	Outcome           timeline.Outcome
	Reason            string // a skip's reason
	Rollback          bool
}

func (*evStep) kind() string      { return "step" }
func (v *evStep) when() time.Time { return v.At }
func (v *evStep) put(w *enc) {
	w.by(v.By)
	w.text(v.Reason)
	w.str("rollout", v.Rollout)
	w.str("step", v.Step)
	w.str("event", v.Event)
	if v.Event == stepEnd {
		w.str("outcome", v.Outcome.String())
	}
	w.bool("rollback", v.Rollback)
}
func (v *evStep) get(d *dec) error {
	v.At, v.By, v.Reason = d.e.At.In(d.loc), d.by(), d.text()
	v.Rollout, v.Step, v.Event, v.Rollback = d.need("rollout"), d.need("step"), d.need("event"), d.bool("rollback")
	switch v.Event {
	case stepStart, stepSkip:
	case stepEnd:
		o, err := timeline.ParseOutcome(d.need("outcome"))
		if err != nil {
			d.fail("outcome", d.str("outcome"), "unknown outcome")
		}
		v.Outcome = o
	default:
		d.fail("event", v.Event, "not start, end or skip")
	}
	return nil
}

// evNote is free text, about a rollout or the project.
type evNote struct {
	At                time.Time
	Rollout, By, Text string
}

func (*evNote) kind() string      { return "note" }
func (v *evNote) when() time.Time { return v.At }
func (v *evNote) put(w *enc)      { w.by(v.By); w.text(v.Text); w.str("rollout", v.Rollout) }
func (v *evNote) get(d *dec) error {
	v.At, v.By, v.Text, v.Rollout = d.e.At.In(d.loc), d.by(), d.text(), d.str("rollout")
	return nil
}

// evFinish closes a rollout's cutover (R10).
type evFinish struct {
	At          time.Time
	Rollout, By string
}

func (*evFinish) kind() string      { return "cutover.finish" }
func (v *evFinish) when() time.Time { return v.At }
func (v *evFinish) put(w *enc)      { w.by(v.By); w.str("rollout", v.Rollout) }
func (v *evFinish) get(d *dec) error {
	v.At, v.By, v.Rollout = d.e.At.In(d.loc), d.by(), d.need("rollout")
	return nil
}

// evOptOut is the project's explicit opt-out of the method's freeze
// (R11): who and why.
type evOptOut struct {
	At         time.Time
	By, Reason string
}

func (*evOptOut) kind() string      { return "freeze.opt-out" }
func (v *evOptOut) when() time.Time { return v.At }
func (v *evOptOut) put(w *enc)      { w.by(v.By); w.text(v.Reason) }
func (v *evOptOut) get(d *dec) error {
	v.At, v.By, v.Reason = d.e.At.In(d.loc), d.by(), d.text()
	if strings.TrimSpace(v.Reason) == "" {
		d.fail("text", "", "no reason")
	}
	return nil
}

// evRollback is the decision to roll a cutover back: who, why, when.
type evRollback struct {
	At                  time.Time
	Rollout, By, Reason string
}

func (*evRollback) kind() string      { return "rollback" }
func (v *evRollback) when() time.Time { return v.At }
func (v *evRollback) put(w *enc)      { w.by(v.By); w.text(v.Reason); w.str("rollout", v.Rollout) }
func (v *evRollback) get(d *dec) error {
	v.At, v.By, v.Reason, v.Rollout = d.e.At.In(d.loc), d.by(), d.text(), d.need("rollout")
	return nil
}

// evAccept accepts a failed functional test with a reason, so that the
// review gate may pass.
type evAccept struct {
	At                        time.Time
	Rollout, Step, By, Reason string
}

func (*evAccept) kind() string      { return "failure.accept" }
func (v *evAccept) when() time.Time { return v.At }
func (v *evAccept) put(w *enc) {
	w.by(v.By)
	w.text(v.Reason)
	w.str("rollout", v.Rollout)
	w.str("step", v.Step)
}
func (v *evAccept) get(d *dec) error {
	v.At, v.By, v.Reason, v.Rollout, v.Step = d.e.At.In(d.loc), d.by(), d.text(), d.need("rollout"), d.need("step")
	return nil
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
