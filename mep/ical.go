package mep

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/internal/ical"
)

// ICSOptions configure a calendar export.
type ICSOptions struct {
	// Stamp is when the export is made (DTSTAMP of every event). Zero:
	// the project's clock ([Options.Now]); a fixed clock, or a Stamp, gives
	// the same bytes for the same state.
	Stamp time.Time
	// Name is the calendar's name as calendar programs show it. "": the
	// project's name.
	Name string
	// Domain makes the events' UIDs unique across projects:
	// "meeting-3@Domain". "": derived from the project's name, its ASCII
	// letters and digits ("billing-v2.mepkit"), or, for a name without
	// any, "project-" and a short hash of the name. Keep it stable so
	// that a re-import updates the events instead of copying them.
	Domain string
	// MeetingLength is the length given to meetings, which record only
	// their start. 0: one hour.
	MeetingLength time.Duration
	// Closed also exports the due dates of done and cancelled actions.
	Closed bool
}

// WriteICS writes the project's meetings, the next meeting when its date
// is known, and the due dates of its open actions as an iCalendar file
// (RFC 5545), named after the project by default: meetings as timed
// events in UTC, due dates as all-day events on their date in the
// project's location. Nil o: the defaults of [ICSOptions], as
// policy.Set.WriteICS takes them. It returns a *FieldError for a negative
// MeetingLength.
func (t Tracker) WriteICS(w io.Writer, opts *ICSOptions) error {
	var o ICSOptions
	if opts != nil {
		o = *opts
	}
	name := t.p.Name()
	if o.Name == "" {
		o.Name = name
	}
	if o.Domain == "" {
		o.Domain = slug(name) + ".mepkit"
	}
	if o.Stamp.IsZero() {
		o.Stamp = t.p.now()
	}
	if o.MeetingLength < 0 {
		return fieldErr("ics.meeting_length", o.MeetingLength.String(), "negative")
	}
	if o.MeetingLength == 0 {
		o.MeetingLength = time.Hour
	}
	var cal ical.Calendar
	t.p.read(func(st *state) { cal = st.calendar(o, t.p.loc) })
	if err := cal.Encode(w); err != nil {
		return errorf("calendar export: %w", err)
	}
	return nil
}

// slug keeps the ASCII letters and digits of s, in lower case, with a dash
// for each run of other characters between them. A name without any gives
// "project-" and the first 8 hex digits of its SHA-256, so that such
// names do not all give the same slug.
func slug(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case b.Len() > 0 && !strings.HasSuffix(b.String(), "-"):
			b.WriteByte('-')
		}
	}
	out := strings.Trim(b.String(), "-")
	if out == "" {
		sum := sha256.Sum256([]byte(s))
		return "project-" + hex.EncodeToString(sum[:4])
	}
	return out
}

// calendar builds the calendar of the meetings and actions.
func (t *state) calendar(o ICSOptions, loc *time.Location) ical.Calendar {
	cal := ical.Calendar{ProdID: "-//mepkit//mep//EN", Name: o.Name, Stamp: o.Stamp}
	for i := range t.meetings {
		cal.Events = append(cal.Events, t.meetingEvent(&t.meetings[i], o, loc))
	}
	if next := t.nextDate(loc); !next.IsZero() {
		cal.Events = append(cal.Events, t.nextMeetingEvent(next, o, loc))
	}
	for i := range t.actions {
		if a := &t.actions[i]; a.Status == ActionOpen || o.Closed {
			cal.Events = append(cal.Events, actionEvent(a, o, loc))
		}
	}
	return cal
}

// meetingEvent is the event of meeting m: its attendees, decisions and
// actions in the description.
func (t *state) meetingEvent(m *Meeting, o ICSOptions, loc *time.Location) ical.Event {
	title := m.Title
	if title == "" {
		title = "Meeting " + strconv.Itoa(m.ID)
	}
	var desc strings.Builder
	if len(m.Attendees) > 0 {
		fmt.Fprintf(&desc, "Attendees: %s\n", strings.Join(m.Attendees, ", "))
	}
	for _, d := range m.Decisions {
		fmt.Fprintf(&desc, "Decision: %s\n", d)
	}
	for _, id := range m.Actions {
		a := &t.actions[id-1]
		fmt.Fprintf(&desc, "Action #%d (%s, due %s): %s\n", a.ID, a.Owner, a.Due.In(loc).Format(time.DateOnly), a.Title)
	}
	if m.NoActions != "" {
		fmt.Fprintf(&desc, "No action handed out: %s\n", m.NoActions)
	}
	if m.Notes != "" {
		fmt.Fprintf(&desc, "Notes: %s\n", m.Notes)
	}
	return ical.Event{
		UID:         fmt.Sprintf("meeting-%d@%s", m.ID, o.Domain),
		Start:       m.At,
		End:         m.At.Add(o.MeetingLength),
		Summary:     title,
		Description: strings.TrimSuffix(desc.String(), "\n"),
		Categories:  []string{"meeting"},
	}
}

// nextMeetingEvent is the event of the next meeting, on next, with the
// open actions it carries over.
func (t *state) nextMeetingEvent(next time.Time, o ICSOptions, loc *time.Location) ical.Event {
	var desc strings.Builder
	desc.WriteString("Carried over:")
	n := 0
	for i := range t.actions {
		a := &t.actions[i]
		if a.Status == ActionOpen {
			fmt.Fprintf(&desc, "\n#%d %s (%s, due %s)", a.ID, a.Title, a.Owner, a.Due.In(loc).Format(time.DateOnly))
			n++
		}
	}
	if n == 0 {
		desc.WriteString(" no open action.")
	}
	return ical.Event{
		UID:         fmt.Sprintf("meeting-%d@%s", len(t.meetings)+1, o.Domain),
		Start:       next,
		End:         next.Add(o.MeetingLength),
		Summary:     "Next meeting",
		Description: desc.String(),
		Categories:  []string{"meeting"},
	}
}

// actionEvent is the all-day event of a's due date.
func actionEvent(a *Action, o ICSOptions, loc *time.Location) ical.Event {
	summary := fmt.Sprintf("Due: %s (%s)", a.Title, a.Owner)
	if a.Status != ActionOpen {
		summary = fmt.Sprintf("%s: %s (%s)", strings.ToUpper(a.Status.String()[:1])+a.Status.String()[1:], a.Title, a.Owner)
	}
	desc := fmt.Sprintf("Action #%d, owner %s", a.ID, a.Owner)
	if a.Meeting != 0 {
		desc += fmt.Sprintf(", from meeting %d", a.Meeting)
	}
	if a.Note != "" {
		desc += "\n" + a.Note
	}
	return ical.Event{
		UID:         fmt.Sprintf("action-%d@%s", a.ID, o.Domain),
		Start:       a.Due.In(loc),
		AllDay:      true,
		Summary:     summary,
		Description: desc,
		Categories:  []string{"action", a.Status.String()},
	}
}
