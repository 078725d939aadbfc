package mep

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// Meeting is a meeting as the tracker keeps it (R6): who came, what was
// said and decided, and the actions it handed out. A meeting that hands out
// no action says so with NoActions.
type Meeting struct {
	ID        int       `json:"id"` // 1, 2, 3, ... assigned by the tracker
	At        time.Time `json:"at"`
	Title     string    `json:"title,omitempty"`
	Attendees []string  `json:"attendees"`
	Notes     string    `json:"notes,omitempty"`
	Decisions []string  `json:"decisions,omitempty"`
	Actions   []int     `json:"actions,omitempty"` // IDs of the actions handed out
	NoActions bool      `json:"no_actions,omitempty"`
	Next      time.Time `json:"next,omitzero"` // the next meeting's date; zero: unknown
}

func (m Meeting) clone() Meeting {
	m.Attendees = slices.Clone(m.Attendees)
	m.Decisions = slices.Clone(m.Decisions)
	m.Actions = slices.Clone(m.Actions)
	return m
}

// Minutes is what [Tracker.Hold] records of a meeting.
type Minutes struct {
	At        time.Time    // when the meeting took place; required
	Title     string       // optional
	Attendees []string     // at least one
	Notes     string       // optional
	Decisions []string     // optional; each non-empty
	Actions   []ActionSpec // the actions handed out; a zero Due means Next
	// NoActions states that the meeting handed out no action. Exactly one
	// of Actions and NoActions must be given (R6: meetings end with actions,
	// or say why not).
	NoActions bool
	// Next is the next meeting's date. Zero: suggested from the tracker's
	// cadence ([Cadence.Next]), or unknown without a cadence, in which case
	// every action needs its own Due.
	Next time.Time
}

// Cadence is how often meetings take place, in calendar months and days:
// Cadence{Days: 7} is weekly. As a project stabilises (R10) the cadence is
// spaced out with [Tracker.SetCadence]. The zero value means no cadence:
// the tracker suggests no date.
type Cadence struct {
	Months int `json:"months,omitempty"`
	Days   int `json:"days,omitempty"`
	// Weekdays moves a date that falls on a Saturday or a Sunday to the
	// following Monday.
	Weekdays bool `json:"weekdays,omitempty"`
}

// IsZero reports whether c is the zero cadence (no suggestion).
func (c Cadence) IsZero() bool { return c.Months == 0 && c.Days == 0 }

// Validate reports a *FieldError for a negative count.
func (c Cadence) Validate() error {
	if c.Months < 0 {
		return fieldErr("cadence.months", strconv.Itoa(c.Months), "negative")
	}
	if c.Days < 0 {
		return fieldErr("cadence.days", strconv.Itoa(c.Days), "negative")
	}
	return nil
}

// Next returns the meeting date that follows a meeting at t: t's wall
// clock in loc moved by c's months, then by c's days, with calendar
// arithmetic, so a weekly 10:00 meeting stays at 10:00 across a daylight
// saving change. A day of the month that the target month lacks becomes
// its last day, so no month is skipped: a monthly meeting on 31 January is
// followed by one on 28 (or 29) February, and that one by one on 28 March,
// since each date follows from the previous meeting alone. A nil loc means
// UTC. The zero cadence returns the zero time.
func (c Cadence) Next(t time.Time, loc *time.Location) time.Time {
	if c.IsZero() || t.IsZero() {
		return time.Time{}
	}
	if loc == nil {
		loc = time.UTC
	}
	t = t.In(loc)
	y, m, d := t.Date()
	months := int(m) - 1 + c.Months
	y, m = y+months/12, time.Month(months%12+1)
	if last := time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day(); d > last {
		d = last
	}
	hh, mm, ss := t.Clock()
	n := time.Date(y, m, d+c.Days, hh, mm, ss, t.Nanosecond(), loc)
	if c.Weekdays {
		switch n.Weekday() {
		case time.Saturday:
			n = n.AddDate(0, 0, 2)
		case time.Sunday:
			n = n.AddDate(0, 0, 1)
		}
	}
	return n.Round(0)
}

// Agenda is what the next meeting starts from: the actions it carries over.
type Agenda struct {
	At      time.Time // the next meeting's date, as the latest meeting set it; zero: unknown
	Overdue []Action  // open actions due before the agenda's instant, in the order handed out
	Open    []Action  // the other open actions, in the order handed out
}

// TrackerOptions configure a [Tracker]. A nil *TrackerOptions, like the
// zero value, means the defaults. The tracker copies them.
type TrackerOptions struct {
	// Location is where meeting dates are computed (cadence, default due
	// dates). Nil: UTC.
	Location *time.Location
	// Cadence is the initial meeting cadence; zero: none.
	Cadence Cadence
	// Journal, if not nil, receives an entry for every meeting held and
	// every action handed out, done or cancelled (kinds note, decision and
	// action).
	Journal *timeline.Journal
}

// Tracker keeps meetings and the actions they hand out, across meetings
// (R6): open, done, cancelled, overdue, by owner, and the next meeting's
// agenda.
//
// The zero value is an empty tracker in UTC with no cadence and no journal.
// Tracker is safe for simultaneous use by multiple goroutines; the values
// it returns are copies.
type Tracker struct {
	mu       sync.Mutex
	loc      *time.Location
	cadence  Cadence
	journal  *timeline.Journal
	meetings []Meeting // meetings[i].ID == i+1
	actions  []Action  // actions[i].ID == i+1
	latest   int       // index+1 of the latest meeting by At; 0: none
	rev      uint64    // bumped by every change under mu
}

// NewTracker returns an empty tracker. It returns a *FieldError for an
// invalid cadence.
func NewTracker(opts *TrackerOptions) (*Tracker, error) {
	var o TrackerOptions
	if opts != nil {
		o = *opts
	}
	if err := o.Cadence.Validate(); err != nil {
		return nil, err
	}
	return &Tracker{loc: o.Location, cadence: o.Cadence, journal: o.Journal}, nil
}

// location requires t.mu held.
func (t *Tracker) location() *time.Location {
	if t.loc == nil {
		return time.UTC
	}
	return t.loc
}

// Location returns the location meeting dates are computed in.
func (t *Tracker) Location() *time.Location {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.location()
}

// Cadence returns the current meeting cadence.
func (t *Tracker) Cadence() Cadence {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.cadence
}

// SetCadence changes the meeting cadence for the meetings to come, for
// instance from weekly to fortnightly once the project is stable (R10).
// It returns a *FieldError for a negative count.
func (t *Tracker) SetCadence(c Cadence) error {
	if err := c.Validate(); err != nil {
		return err
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	t.cadence = c
	t.rev++
	return nil
}

// Suggest returns the date the cadence gives after the latest meeting,
// in the tracker's location, or the zero time without a meeting or a
// cadence. The latest meeting's own Next, when set, is in [Tracker.Agenda].
func (t *Tracker) Suggest() time.Time {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.latest == 0 {
		return time.Time{}
	}
	return t.cadence.Next(t.meetings[t.latest-1].At, t.location())
}

// Hold records a meeting and hands out its actions, each due by default on
// the next meeting's date (R6). It returns the meeting as stored, with its
// ID and the IDs of its actions.
//
// Hold returns a *FieldError naming the field for a zero At, no attendee,
// an empty attendee, decision, action title or owner, a Next not after At,
// an action with no due date when the next meeting's date is unknown, and
// a meeting that neither hands out actions nor states NoActions (or does
// both). Nothing is recorded then. With a journal, a journal error is
// returned and the meeting is not recorded (entries already journaled
// stay).
func (t *Tracker) Hold(m Minutes) (Meeting, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.hold(m)
}

// hold requires t.mu held.
func (t *Tracker) hold(m Minutes) (Meeting, error) {
	if m.At.IsZero() {
		return Meeting{}, fieldErr("meeting.at", "", "zero time")
	}
	if len(m.Attendees) == 0 {
		return Meeting{}, fieldErr("meeting.attendees", "", "no attendee")
	}
	for i, a := range m.Attendees {
		if strings.TrimSpace(a) == "" {
			return Meeting{}, fieldErr(fmt.Sprintf("meeting.attendees[%d]", i), a, "empty")
		}
		if slices.Index(m.Attendees, a) != i {
			return Meeting{}, fieldErr(fmt.Sprintf("meeting.attendees[%d]", i), a, "named twice")
		}
	}
	for i, d := range m.Decisions {
		if strings.TrimSpace(d) == "" {
			return Meeting{}, fieldErr(fmt.Sprintf("meeting.decisions[%d]", i), d, "empty")
		}
	}
	switch {
	case len(m.Actions) == 0 && !m.NoActions:
		return Meeting{}, fieldErr("meeting.actions", "", "no action handed out: list the actions or set NoActions (R6)")
	case len(m.Actions) > 0 && m.NoActions:
		return Meeting{}, fieldErr("meeting.no_actions", "", "set while actions are handed out")
	}
	next := m.Next
	if next.IsZero() {
		next = t.cadence.Next(m.At, t.location())
	} else if !next.After(m.At) {
		return Meeting{}, fieldErr("meeting.next", next.Format(time.RFC3339), "not after the meeting")
	}
	for i, a := range m.Actions {
		field := fmt.Sprintf("meeting.actions[%d]", i)
		if err := a.validate(field); err != nil {
			return Meeting{}, err
		}
		if a.Due.IsZero() && next.IsZero() {
			return Meeting{}, fieldErr(field+".due", "", "no due date and no next meeting date (set Minutes.Next or a cadence)")
		}
	}

	mt := Meeting{
		ID:        len(t.meetings) + 1,
		At:        m.At.Round(0),
		Title:     m.Title,
		Attendees: slices.Clone(m.Attendees),
		Notes:     m.Notes,
		Decisions: slices.Clone(m.Decisions),
		NoActions: m.NoActions,
		Next:      next.Round(0),
	}
	acts := make([]Action, len(m.Actions))
	for i, a := range m.Actions {
		due := a.Due
		if due.IsZero() {
			due = next
		}
		acts[i] = Action{
			ID:      len(t.actions) + 1 + i,
			Meeting: mt.ID,
			Title:   a.Title,
			Owner:   a.Owner,
			Due:     due.Round(0),
		}
		mt.Actions = append(mt.Actions, acts[i].ID)
	}
	if err := t.journalMeeting(&mt, acts); err != nil {
		return Meeting{}, err
	}
	t.meetings = append(t.meetings, mt)
	t.actions = append(t.actions, acts...)
	t.rev++
	if t.latest == 0 || !mt.At.Before(t.meetings[t.latest-1].At) {
		t.latest = len(t.meetings)
	}
	return mt.clone(), nil
}

// journalMeeting requires t.mu held.
func (t *Tracker) journalMeeting(m *Meeting, acts []Action) error {
	if t.journal == nil {
		return nil
	}
	id := strconv.Itoa(m.ID)
	text := m.Title
	if text == "" {
		text = "meeting " + id
	}
	if _, err := t.journal.Record(timeline.Entry{
		At: m.At, Kind: timeline.KindNote, Text: text,
		Attrs: map[string]string{"meeting": id, "attendees": strings.Join(m.Attendees, ", ")},
	}); err != nil {
		return fmt.Errorf("mep: journal meeting %d: %w", m.ID, err)
	}
	for _, d := range m.Decisions {
		if _, err := t.journal.Record(timeline.Entry{
			At: m.At, Kind: kindDecision, Text: d,
			Attrs: map[string]string{"meeting": id},
		}); err != nil {
			return fmt.Errorf("mep: journal meeting %d: %w", m.ID, err)
		}
	}
	for i := range acts {
		if err := t.journalAction(&acts[i], m.At, "", "assigned"); err != nil {
			return err
		}
	}
	return nil
}

// journalAction requires t.mu held.
func (t *Tracker) journalAction(a *Action, at time.Time, actor, event string) error {
	if t.journal == nil {
		return nil
	}
	attrs := map[string]string{
		"action": strconv.Itoa(a.ID),
		"event":  event,
		"owner":  a.Owner,
		"due":    a.Due.Format(time.RFC3339),
	}
	if a.Meeting != 0 {
		attrs["meeting"] = strconv.Itoa(a.Meeting)
	}
	text := a.Title
	if a.Note != "" {
		text += ": " + a.Note
	}
	if _, err := t.journal.Record(timeline.Entry{At: at, Kind: kindAction, Actor: actor, Text: text, Attrs: attrs}); err != nil {
		return fmt.Errorf("mep: journal action %d: %w", a.ID, err)
	}
	return nil
}

// Assign hands out an action outside a meeting, at the given time. A zero
// Due means the latest meeting's Next date, or the cadence's suggestion.
// It returns a *FieldError for an empty title or owner, a zero at, or no
// due date to be found.
func (t *Tracker) Assign(s ActionSpec, by string, at time.Time) (Action, error) {
	if err := s.validate("action"); err != nil {
		return Action{}, err
	}
	if at.IsZero() {
		return Action{}, fieldErr("action.at", "", "zero time")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	due := s.Due
	if due.IsZero() {
		due = t.nextDate()
		if due.IsZero() {
			return Action{}, fieldErr("action.due", "", "no due date and no next meeting date")
		}
	}
	a := Action{ID: len(t.actions) + 1, Title: s.Title, Owner: s.Owner, Due: due.Round(0)}
	if err := t.journalAction(&a, at, by, "assigned"); err != nil {
		return Action{}, err
	}
	t.actions = append(t.actions, a)
	t.rev++
	return a, nil
}

// nextDate returns the next meeting's date: the latest meeting's Next, or
// the cadence's suggestion after it. Requires t.mu held.
func (t *Tracker) nextDate() time.Time {
	if t.latest == 0 {
		return time.Time{}
	}
	last := &t.meetings[t.latest-1]
	if !last.Next.IsZero() {
		return last.Next
	}
	return t.cadence.Next(last.At, t.location())
}

// Done closes action id as done by by at at, with an optional note. It
// returns a *NotFoundError for an unknown ID, a *FieldError for an empty
// by or a zero at, and an error wrapping [ErrClosed] if the action is
// already closed.
func (t *Tracker) Done(id int, by string, at time.Time, note string) error {
	return t.close(id, by, at, note, ActionDone)
}

// Cancel closes action id as cancelled, with a reason (required). Errors
// are those of [Tracker.Done], and a *FieldError for an empty reason.
func (t *Tracker) Cancel(id int, by string, at time.Time, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return fieldErr("action.reason", "", "a cancelled action needs a reason")
	}
	return t.close(id, by, at, reason, ActionCancelled)
}

func (t *Tracker) close(id int, by string, at time.Time, note string, st Status) error {
	if strings.TrimSpace(by) == "" {
		return fieldErr("action.closed_by", by, "empty")
	}
	if at.IsZero() {
		return fieldErr("action.closed_at", "", "zero time")
	}
	t.mu.Lock()
	defer t.mu.Unlock()
	if id < 1 || id > len(t.actions) {
		return &NotFoundError{What: "action", Key: strconv.Itoa(id)}
	}
	a := t.actions[id-1]
	if a.Status != ActionOpen {
		return fmt.Errorf("mep: action %d is %s: %w", id, a.Status, ErrClosed)
	}
	a.Status, a.ClosedAt, a.ClosedBy, a.Note = st, at.Round(0), by, note
	if err := t.journalAction(&a, a.ClosedAt, by, st.String()); err != nil {
		return err
	}
	t.actions[id-1] = a
	t.rev++
	return nil
}

// Action returns the action with the given ID.
func (t *Tracker) Action(id int) (Action, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id < 1 || id > len(t.actions) {
		return Action{}, false
	}
	return t.actions[id-1], true
}

// Actions returns every action, in the order handed out.
func (t *Tracker) Actions() []Action {
	t.mu.Lock()
	defer t.mu.Unlock()
	return slices.Clone(t.actions)
}

// Open returns the open actions, in the order handed out.
func (t *Tracker) Open() []Action {
	return t.filter(func(a *Action) bool { return a.Status == ActionOpen })
}

// Overdue returns the actions still open at now and due before it, in the
// order handed out.
func (t *Tracker) Overdue(now time.Time) []Action {
	return t.filter(func(a *Action) bool { return a.IsOverdue(now) })
}

// ByOwner returns every action of owner (open or closed), in the order
// handed out.
func (t *Tracker) ByOwner(owner string) []Action {
	return t.filter(func(a *Action) bool { return a.Owner == owner })
}

func (t *Tracker) filter(keep func(*Action) bool) []Action {
	t.mu.Lock()
	defer t.mu.Unlock()
	var out []Action
	for i := range t.actions {
		if keep(&t.actions[i]) {
			out = append(out, t.actions[i])
		}
	}
	return out
}

// Agenda returns the next meeting's agenda as it stands at now: its date
// and the open actions it carries over, the overdue ones (due before now)
// apart.
func (t *Tracker) Agenda(now time.Time) Agenda {
	t.mu.Lock()
	defer t.mu.Unlock()
	ag := Agenda{At: t.nextDate()}
	for i := range t.actions {
		a := &t.actions[i]
		switch {
		case a.Status != ActionOpen:
		case a.Due.Before(now):
			ag.Overdue = append(ag.Overdue, *a)
		default:
			ag.Open = append(ag.Open, *a)
		}
	}
	return ag
}

// Meeting returns the meeting with the given ID.
func (t *Tracker) Meeting(id int) (Meeting, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if id < 1 || id > len(t.meetings) {
		return Meeting{}, false
	}
	return t.meetings[id-1].clone(), true
}

// Meetings returns every meeting, in the order held.
func (t *Tracker) Meetings() []Meeting {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Meeting, len(t.meetings))
	for i := range t.meetings {
		out[i] = t.meetings[i].clone()
	}
	return out
}
