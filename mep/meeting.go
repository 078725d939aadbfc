package mep

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Meeting is a meeting as the tracker keeps it (R6): who came, what was
// said and decided, and the actions it handed out. A meeting that hands out
// no action says why in NoActions.
type Meeting struct {
	ID        int       `json:"id"` // 1, 2, 3, ... assigned by the tracker
	At        time.Time `json:"at"`
	Title     string    `json:"title,omitempty"`
	Attendees []string  `json:"attendees"`
	Notes     string    `json:"notes,omitempty"`
	Decisions []string  `json:"decisions,omitempty"`
	Actions   []int     `json:"actions,omitempty"`    // IDs of the actions handed out
	NoActions string    `json:"no_actions,omitempty"` // why it handed out no action
	Next      time.Time `json:"next,omitzero"`        // the next meeting's date; zero: unknown
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
	Attendees []string     // at least one; members or declared guests ([Team.Invite])
	By        string       // who records the minutes; optional
	Notes     string       // optional
	Decisions []string     // optional; each non-empty
	Actions   []ActionSpec // the actions handed out; a zero Due means Next
	// NoActions says why the meeting handed out no action. Exactly one of
	// Actions and NoActions must be given (R6: meetings end with actions,
	// or say why not).
	NoActions string
	// Next is the next meeting's date. Zero: suggested from the tracker's
	// cadence, or unknown without a cadence, in which case
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

// isZero reports whether c is the zero cadence (no suggestion).
func (c Cadence) isZero() bool { return c.Months == 0 && c.Days == 0 }

// validate reports a *FieldError for a negative count.
func (c Cadence) validate() error {
	if c.Months < 0 {
		return fieldErr("cadence.months", strconv.Itoa(c.Months), "negative")
	}
	if c.Days < 0 {
		return fieldErr("cadence.days", strconv.Itoa(c.Days), "negative")
	}
	return nil
}

// next returns the meeting date that follows a meeting at t: t's wall
// clock in loc moved by c's months, then by c's days, with calendar
// arithmetic, so a weekly 10:00 meeting stays at 10:00 across a daylight
// saving change. A day of the month that the target month lacks becomes
// its last day, so no month is skipped: a monthly meeting on 31 January is
// followed by one on 28 (or 29) February, and that one by one on 28 March,
// since each date follows from the previous meeting alone. A nil loc means
// UTC. The zero cadence returns the zero time.
func (c Cadence) next(t time.Time, loc *time.Location) time.Time {
	if c.isZero() || t.IsZero() {
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

// evCadence sets the meeting cadence.
type evCadence struct {
	At      time.Time
	Cadence Cadence
	By      string
}

func (*evCadence) kind() string      { return "cadence" }
func (v *evCadence) when() time.Time { return v.At }
func (v *evCadence) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.int("months", &v.Cadence.Months)
	c.int("days", &v.Cadence.Days)
	c.bool("weekdays", &v.Cadence.Weekdays)
}

var _ = register[evCadence]()

func (v *evCadence) check(*state) error { return v.Cadence.validate() }

func (v *evCadence) apply(st *state) { st.cadence = v.Cadence }

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

	id int // set by apply: the meeting's ID
}

type actionJSON struct {
	Title string    `json:"title"`
	Owner string    `json:"owner"`
	Due   time.Time `json:"due"`
}

func (*evMeeting) kind() string      { return "meeting" }
func (v *evMeeting) when() time.Time { return v.At }
func (v *evMeeting) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Title)
	c.list("attendees", &v.Attendees)
	c.str("notes", &v.Notes)
	c.list("decisions", &v.Decisions)
	c.str("no_actions", &v.NoActions)
	c.time("next", &v.Next)
	// The actions, their due dates in the record's location.
	var acts []actionJSON
	if c.w != nil {
		for _, a := range v.Actions {
			acts = append(acts, actionJSON{Title: a.Title, Owner: a.Owner, Due: carried(a.Due)})
		}
		if len(acts) == 0 {
			return
		}
	}
	c.json("actions", &acts)
	if c.d != nil {
		for _, a := range acts {
			v.Actions = append(v.Actions, ActionSpec{Title: a.Title, Owner: a.Owner, Due: a.Due.In(c.d.loc)})
		}
	}
}

var _ = register[evMeeting]()

// prepare gives the meeting its next date from the cadence, when it has
// none, and each action without a due date that next date (R6).
func (v *evMeeting) prepare(p *Project, st *state) error {
	next := v.Next
	if next.IsZero() {
		next = st.cadence.next(v.At, p.loc).Round(0)
	}
	for i := range v.Actions {
		a := &v.Actions[i]
		if err := a.validate(fmt.Sprintf("meeting.actions[%d]", i)); err != nil {
			return err
		}
		if a.Due.IsZero() {
			if next.IsZero() {
				return fieldErr(fmt.Sprintf("meeting.actions[%d].due", i), "", "no due date and no next meeting date (set Minutes.Next or a cadence)")
			}
			a.Due = next
		}
		a.Due = a.Due.Round(0)
	}
	v.Next = next
	return nil
}

// check holds what a meeting must be (R6): attendees who are members or
// declared guests, decisions that say something, and actions with an
// owner and a due date, or the reason why there are none.
func (v *evMeeting) check(st *state) error {
	if v.At.IsZero() {
		return fieldErr("meeting.at", "", "zero time")
	}
	if len(v.Attendees) == 0 {
		return fieldErr("meeting.attendees", "", "no attendee")
	}
	for i, a := range v.Attendees {
		field := fmt.Sprintf("meeting.attendees[%d]", i)
		switch {
		case strings.TrimSpace(a) == "":
			return fieldErr(field, a, "empty")
		case slices.Index(v.Attendees, a) != i:
			return fieldErr(field, a, "named twice")
		case !st.people.knows(a):
			return fieldErr(field, a, "neither a member nor a declared guest (Team.Invite)")
		}
	}
	for i, d := range v.Decisions {
		if strings.TrimSpace(d) == "" {
			return fieldErr(fmt.Sprintf("meeting.decisions[%d]", i), d, "empty")
		}
	}
	switch {
	case len(v.Actions) == 0 && strings.TrimSpace(v.NoActions) == "":
		return fieldErr("meeting.actions", "", "no action handed out: list the actions or say why not in NoActions (R6)")
	case len(v.Actions) > 0 && v.NoActions != "":
		return fieldErr("meeting.no_actions", v.NoActions, "set while actions are handed out")
	case !v.Next.IsZero() && !v.Next.After(v.At):
		return fieldErr("meeting.next", v.Next.Format(time.RFC3339), "not after the meeting")
	}
	for i, a := range v.Actions {
		field := fmt.Sprintf("meeting.actions[%d]", i)
		if err := a.validate(field); err != nil {
			return err
		}
		if err := a.known(st, field); err != nil {
			return err
		}
		if a.Due.IsZero() {
			return fieldErr(field+".due", "", "no due date")
		}
	}
	return nil
}

func (v *evMeeting) apply(st *state) {
	mt := Meeting{
		ID: len(st.meetings) + 1, At: v.At, Title: v.Title, Attendees: slices.Clone(v.Attendees),
		Notes: v.Notes, Decisions: slices.Clone(v.Decisions), NoActions: v.NoActions, Next: v.Next,
	}
	for _, a := range v.Actions {
		id := len(st.actions) + 1
		st.actions = append(st.actions, Action{ID: id, Meeting: mt.ID, Title: a.Title, Owner: a.Owner, Due: a.Due, By: v.By, At: v.At})
		mt.Actions = append(mt.Actions, id)
	}
	st.meetings = append(st.meetings, mt)
	if st.latest == 0 || !mt.At.Before(st.meetings[st.latest-1].At) {
		st.latest = len(st.meetings)
	}
	v.id = mt.ID
}
