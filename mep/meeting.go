package mep

import (
	"slices"
	"strconv"
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
