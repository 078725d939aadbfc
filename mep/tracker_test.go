package mep_test

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

func ids(as []mep.Action) []int {
	out := []int{}
	for _, a := range as {
		out = append(out, a.ID)
	}
	return out
}

// trackerIn returns the tracker of a staffed project in loc, with a cadence.
func trackerIn(t testing.TB, loc *time.Location, c mep.Cadence) (*mep.Project, mep.Tracker) {
	t.Helper()
	clk := newClock(time.Date(2026, 1, 1, 9, 0, 0, 0, loc))
	p, err := mep.New("billing v2", &mep.Options{Now: clk.now, Location: loc})
	require.NoError(t, err)
	staff(t, p)
	require.Zero(t, p.Tracker().Cadence(), "no cadence before one is set")
	if c != (mep.Cadence{}) {
		require.NoError(t, p.Tracker().SetCadence(c, "Sam"))
		require.Equal(t, c, p.Tracker().Cadence())
	}
	// The minutes below are recorded once the meetings were held, some
	// years later.
	clk.set(time.Date(2029, 1, 1, 9, 0, 0, 0, loc))
	return p, p.Tracker()
}

// TestHoldDefaultsDueToNextMeeting (R6): an action without a due date is
// due at the next meeting, which a weekly cadence keeps at 10:00 across
// the change to summer time.
func TestHoldDefaultsDueToNextMeeting(t *testing.T) {
	_, tr := trackerIn(t, paris, mep.Cadence{Days: 7})
	when := at(paris, 2026, 3, 24, 10, 0) // Tuesday before the change to summer time
	m, err := tr.Hold(mep.Minutes{
		At: when, Title: "planning #1", Attendees: []string{"Bea", "Otto"},
		Decisions: []string{"cutover on Tuesday night"},
		Actions: []mep.ActionSpec{
			{Title: "back up the router", Owner: "Otto"},
			{Title: "write the runbook", Owner: "Bea", Due: when.Add(48 * time.Hour)},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, 1, m.ID)
	assert.Equal(t, []int{1, 2}, m.Actions)
	wantNext := at(paris, 2026, 3, 31, 10, 0)
	assert.True(t, m.Next.Equal(wantNext), "next %v, want %v", m.Next, wantNext)
	assert.Equal(t, 7*24*time.Hour-time.Hour, m.Next.Sub(when), "the week had 167 hours")
	acts := tr.Actions()
	require.Len(t, acts, 2)
	assert.True(t, acts[0].Due.Equal(wantNext), "an action without due date is due at the next meeting (R6)")
	assert.Equal(t, 1, acts[0].Meeting)
	assert.Equal(t, mep.ActionOpen, acts[0].Status)
	assert.True(t, acts[1].Due.Equal(when.Add(48*time.Hour)))
}

// TestHoldRejectsBadMinutes: each bad field is named; nothing recorded.
func TestHoldRejectsBadMinutes(t *testing.T) {
	when := utc(2026, 3, 2, 10, 0)
	tests := []struct {
		name  string
		m     mep.Minutes
		field string
	}{
		{"no time", mep.Minutes{Attendees: []string{"Bea"}, NoActions: "x"}, "meeting.at"},
		{"nobody", mep.Minutes{At: when, NoActions: "x"}, "meeting.attendees"},
		{"empty attendee", mep.Minutes{At: when, Attendees: []string{"Bea", ""}, NoActions: "x"}, "meeting.attendees[1]"},
		{"twice", mep.Minutes{At: when, Attendees: []string{"Bea", "Bea"}, NoActions: "x"}, "meeting.attendees[1]"},
		{"stranger", mep.Minutes{At: when, Attendees: []string{"Bea", "Zed"}, NoActions: "x"}, "meeting.attendees[1]"},
		{"silent", mep.Minutes{At: when, Attendees: []string{"Bea"}}, "meeting.actions"},
		{"both", mep.Minutes{At: when, Attendees: []string{"Bea"}, NoActions: "x",
			Actions: []mep.ActionSpec{{Title: "t", Owner: "o", Due: when}}}, "meeting.no_actions"},
		{"empty decision", mep.Minutes{At: when, Attendees: []string{"Bea"}, NoActions: "x", Decisions: []string{" "}}, "meeting.decisions[0]"},
		{"next before", mep.Minutes{At: when, Attendees: []string{"Bea"}, NoActions: "x", Next: when}, "meeting.next"},
		{"no owner", mep.Minutes{At: when, Attendees: []string{"Bea"}, Actions: []mep.ActionSpec{{Title: "t", Due: when}}}, "meeting.actions[0].owner"},
		{"no title", mep.Minutes{At: when, Attendees: []string{"Bea"}, Actions: []mep.ActionSpec{{Owner: "o", Due: when}}}, "meeting.actions[0].title"},
		{"no due", mep.Minutes{At: when, Attendees: []string{"Bea"}, Actions: []mep.ActionSpec{{Title: "t", Owner: "o"}}}, "meeting.actions[0].due"},
	}
	p, tr := trackerIn(t, time.UTC, mep.Cadence{})
	n := len(p.Record())
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tr.Hold(tt.m)
			assert.Equal(t, tt.field, fieldErr(t, err).Field)
		})
	}
	assert.Empty(t, tr.Meetings(), "nothing recorded")
	assert.Empty(t, tr.Actions())
	assert.Len(t, p.Record(), n)
}

// TestActionsAcrossMeetings (R6): open, done, cancelled and overdue
// actions, carried over by the agenda.
func TestActionsAcrossMeetings(t *testing.T) {
	_, tr := trackerIn(t, time.UTC, mep.Cadence{Days: 7})
	w1 := utc(2026, 3, 2, 10, 0)
	_, err := tr.Hold(mep.Minutes{At: w1, Attendees: []string{"Bea", "Otto"}, Actions: []mep.ActionSpec{
		{Title: "a1", Owner: "Otto"}, {Title: "a2", Owner: "Bea"}, {Title: "a3", Owner: "Otto"},
	}})
	require.NoError(t, err)
	require.NoError(t, tr.Done(1, "Otto", w1.Add(day(2)), "done early"))
	w2 := w1.Add(day(7))
	assert.Equal(t, []int{2, 3}, ids(tr.Agenda(w2).Open), "due at the meeting itself: not yet overdue")
	assert.Equal(t, []int{2, 3}, ids(tr.Agenda(w2.Add(time.Minute)).Overdue))

	_, err = tr.Hold(mep.Minutes{At: w2, Attendees: []string{"Bea"}, Actions: []mep.ActionSpec{{Title: "a4", Owner: "Bea"}}})
	require.NoError(t, err)
	fieldErr(t, tr.Cancel(3, "Bea", w2, ""))
	require.NoError(t, tr.Cancel(3, "Bea", w2, "the client dropped the feature"))
	assert.ErrorIs(t, tr.Done(3, "Bea", w2, ""), mep.ErrActionClosed)
	assert.ErrorIs(t, tr.Done(99, "Bea", w2, ""), mep.ErrNotFound)
	fieldErr(t, tr.Done(2, "", w2, ""))

	a3 := tr.Actions()[2]
	assert.Equal(t, mep.ActionCancelled, a3.Status)
	assert.Equal(t, "the client dropped the feature", a3.Note)
	assert.Equal(t, "Bea", a3.ClosedBy)
	assert.True(t, a3.ClosedAt.Equal(w2))

	ag := tr.Agenda(w2.Add(day(1)))
	assert.True(t, ag.At.Equal(w2.Add(day(7))))
	assert.Equal(t, []int{2}, ids(ag.Overdue), "a2 was due at w2 and is carried over as overdue")
	assert.Equal(t, []int{4}, ids(ag.Open))

	a, err := tr.Assign(mep.ActionSpec{Title: "call the client", Owner: "Sam"}, "Bea", w2.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, a.Due.Equal(ag.At), "between meetings, due at the next one")
	assert.Zero(t, a.Meeting)
	_, err = tr.Assign(mep.ActionSpec{Title: "x"}, "Bea", w2)
	fieldErr(t, err)
}

// TestCadenceAcrossDST: the next meeting keeps its wall clock in the
// project's zone, in both hemispheres, and no month is skipped.
func TestCadenceAcrossDST(t *testing.T) {
	tests := []struct {
		name string
		loc  *time.Location
		from time.Time
		c    mep.Cadence
		want time.Time
	}{
		// Paris springs forward on 29 March 2026 and falls back on 25 October.
		{"paris weekly spring", paris, at(paris, 2026, 3, 26, 9, 30), mep.Cadence{Days: 7}, at(paris, 2026, 4, 2, 9, 30)},
		{"paris daily over the change", paris, at(paris, 2026, 3, 28, 9, 30), mep.Cadence{Days: 1}, at(paris, 2026, 3, 29, 9, 30)},
		{"paris weekly autumn", paris, at(paris, 2026, 10, 22, 9, 30), mep.Cadence{Days: 7}, at(paris, 2026, 10, 29, 9, 30)},
		{"paris monthly", paris, at(paris, 2026, 3, 15, 14, 0), mep.Cadence{Months: 1}, at(paris, 2026, 4, 15, 14, 0)},
		// New York springs forward on 8 March 2026, three weeks before Paris.
		{"new york weekly spring", newYork, at(newYork, 2026, 3, 5, 9, 0), mep.Cadence{Days: 7}, at(newYork, 2026, 3, 12, 9, 0)},
		{"new york autumn", newYork, at(newYork, 2026, 10, 29, 16, 0), mep.Cadence{Days: 7}, at(newYork, 2026, 11, 5, 16, 0)},
		// Sydney falls back on 5 April 2026 and springs forward on 4 October.
		{"sydney weekly autumn", sydney, at(sydney, 2026, 4, 1, 9, 0), mep.Cadence{Days: 7}, at(sydney, 2026, 4, 8, 9, 0)},
		{"sydney fortnightly spring", sydney, at(sydney, 2026, 9, 28, 9, 0), mep.Cadence{Days: 14}, at(sydney, 2026, 10, 12, 9, 0)},
		// Kolkata: half an hour off UTC, no DST.
		{"kolkata weekly", kolkata, at(kolkata, 2026, 3, 26, 9, 30), mep.Cadence{Days: 7}, at(kolkata, 2026, 4, 2, 9, 30)},
		// Given in UTC, computed in the project's location.
		{"utc input", paris, time.Date(2026, 3, 26, 8, 30, 0, 0, time.UTC), mep.Cadence{Days: 7}, at(paris, 2026, 4, 2, 9, 30)},
		{"weekdays", paris, at(paris, 2026, 3, 27, 9, 0), mep.Cadence{Days: 1, Weekdays: true}, at(paris, 2026, 3, 30, 9, 0)},
		// A day the target month lacks becomes its last day.
		{"paris 31 january monthly", paris, at(paris, 2026, 1, 31, 10, 0), mep.Cadence{Months: 1}, at(paris, 2026, 2, 28, 10, 0)},
		{"paris end of month into summer time", paris, at(paris, 2026, 1, 31, 10, 0), mep.Cadence{Months: 3}, at(paris, 2026, 4, 30, 10, 0)},
		{"leap year", time.UTC, utc(2028, 1, 31, 10, 0), mep.Cadence{Months: 1}, utc(2028, 2, 29, 10, 0)},
		{"months then days", time.UTC, utc(2026, 1, 31, 10, 0), mep.Cadence{Months: 1, Days: 1}, utc(2026, 3, 1, 10, 0)},
		{"over new year", time.UTC, utc(2026, 12, 31, 10, 0), mep.Cadence{Months: 2}, utc(2027, 2, 28, 10, 0)},
		{"weekdays after clamping", time.UTC, utc(2026, 1, 31, 10, 0), mep.Cadence{Months: 1, Weekdays: true}, utc(2026, 3, 2, 10, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, tr := trackerIn(t, tt.loc, tt.c)
			m, err := tr.Hold(mep.Minutes{At: tt.from, Attendees: []string{"Bea"}, Actions: []mep.ActionSpec{{Title: "t", Owner: "Bea"}}})
			require.NoError(t, err)
			assert.True(t, m.Next.Equal(tt.want), "got %v, want %v", m.Next, tt.want)
			assert.True(t, tr.Actions()[0].Due.Equal(tt.want))
		})
	}
	_, tr := trackerIn(t, paris, mep.Cadence{})
	m, err := tr.Hold(mep.Minutes{At: at(paris, 2026, 3, 26, 9, 30), Attendees: []string{"Bea"}, NoActions: "x"})
	require.NoError(t, err)
	assert.True(t, m.Next.IsZero(), "no cadence, no next date")
}

// TestMonthlyCadenceSkipsNoMonth follows a monthly meeting from 31 January
// through the spring change in Paris: one meeting a month, at 10:00.
func TestMonthlyCadenceSkipsNoMonth(t *testing.T) {
	_, tr := trackerIn(t, paris, mep.Cadence{Months: 1})
	when := at(paris, 2026, 1, 31, 10, 0)
	var got []string
	for range 4 {
		m, err := tr.Hold(mep.Minutes{At: when, Attendees: []string{"Bea"}, NoActions: "monthly"})
		require.NoError(t, err)
		when = m.Next
		got = append(got, when.In(paris).Format("2006-01-02 15:04 MST"))
	}
	assert.Equal(t, []string{"2026-02-28 10:00 CET", "2026-03-28 10:00 CET", "2026-04-28 10:00 CEST", "2026-05-28 10:00 CEST"}, got)
}

// TestCadenceSpacedOut (R10): a stable project meets less often.
func TestCadenceSpacedOut(t *testing.T) {
	_, tr := trackerIn(t, time.UTC, mep.Cadence{Days: 7})
	when := utc(2026, 5, 4, 10, 0)
	_, err := tr.Hold(mep.Minutes{At: when, Attendees: []string{"Bea"}, NoActions: "all on track"})
	require.NoError(t, err)
	assert.True(t, tr.Agenda(when).At.Equal(when.AddDate(0, 0, 7)))
	require.NoError(t, tr.SetCadence(mep.Cadence{Days: 14}, "Sam"))
	a, err := tr.Assign(mep.ActionSpec{Title: "t", Owner: "Bea"}, "Sam", when.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, a.Due.Equal(when.AddDate(0, 0, 7)), "the latest meeting said when the next one is")
	fieldErr(t, tr.SetCadence(mep.Cadence{Months: -1}, "Sam"))
	m, err := tr.Hold(mep.Minutes{At: when.AddDate(0, 0, 7), Attendees: []string{"Bea"}, NoActions: "on track"})
	require.NoError(t, err)
	assert.True(t, m.Next.Equal(when.AddDate(0, 0, 21)), "then fortnightly")
}

// TestTrackerIsRecorded: meetings and actions are facts of the record; a
// closed record refuses them and records nothing.
func TestTrackerIsRecorded(t *testing.T) {
	p, tr := trackerIn(t, time.UTC, mep.Cadence{})
	n := len(p.Record())
	when := utc(2026, 3, 2, 10, 0)
	_, err := tr.Hold(mep.Minutes{At: when, Title: "kick-off", Attendees: []string{"Bea"}, Decisions: []string{"go weekly"},
		Actions: []mep.ActionSpec{{Title: "t", Owner: "Bea", Due: when.Add(day(1))}}})
	require.NoError(t, err)
	require.NoError(t, tr.Done(1, "Bea", when.Add(time.Hour), ""))
	assert.Len(t, p.Record(), n+2)
	require.NoError(t, timeline.Verify(p.Record(), nil))

	require.NoError(t, p.Close())
	_, err = tr.Hold(mep.Minutes{At: when, Attendees: []string{"Bea"}, NoActions: "x"})
	assert.ErrorIs(t, err, timeline.ErrClosed)
	assert.Len(t, tr.Meetings(), 1, "a meeting that could not be recorded is not kept")
}

// TestWriteICS: meetings, the next meeting and open actions as an
// iCalendar file, the same bytes for the same state.
func TestWriteICS(t *testing.T) {
	_, tr := trackerIn(t, paris, mep.Cadence{Days: 7})
	when := at(paris, 2026, 3, 24, 10, 0)
	_, err := tr.Hold(mep.Minutes{At: when, Title: "Planning; weekly, #1", Attendees: []string{"Bea", "Otto"},
		Actions: []mep.ActionSpec{{Title: "back up the router", Owner: "Otto"}, {Title: "done soon", Owner: "Bea", Due: when.Add(day(1))}}})
	require.NoError(t, err)
	require.NoError(t, tr.Done(2, "Bea", when.Add(time.Hour), ""))
	stamp := utc(2026, 3, 25, 8, 0)
	var buf bytes.Buffer
	require.NoError(t, tr.WriteICS(&buf, &mep.ICSOptions{Stamp: stamp}))
	out := buf.String()
	for _, want := range []string{
		"BEGIN:VCALENDAR\r\n", "VERSION:2.0\r\n", "X-WR-CALNAME:billing v2\r\n",
		"UID:meeting-1@billing-v2.mepkit\r\n", "DTSTART:20260324T090000Z\r\n", "DTEND:20260324T100000Z\r\n",
		"SUMMARY:Planning\\; weekly\\, #1\r\n", "DTSTAMP:20260325T080000Z\r\n",
		"DTSTART:20260331T080000Z\r\n", // the next meeting, 10:00 CEST
		"DTSTART;VALUE=DATE:20260331\r\n",
		"END:VCALENDAR\r\n",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "SUMMARY:Due: done soon", "closed actions are left out by default")
	assert.Equal(t, 3, bytes.Count(buf.Bytes(), []byte("BEGIN:VEVENT")))
	for _, line := range bytes.Split(buf.Bytes(), []byte("\r\n")) {
		assert.LessOrEqual(t, len(line), 75, "folded lines: %q", line)
	}

	var again bytes.Buffer
	require.NoError(t, tr.WriteICS(&again, &mep.ICSOptions{Stamp: stamp}))
	assert.Equal(t, buf.String(), again.String(), "the same state gives the same bytes")
	again.Reset()
	require.NoError(t, tr.WriteICS(&again, &mep.ICSOptions{Stamp: stamp, Closed: true, Name: "Billing", Domain: "example.org", MeetingLength: 30 * time.Minute}))
	assert.Contains(t, again.String(), "SUMMARY:Done: done soon (Bea)")
	assert.Contains(t, again.String(), "UID:meeting-1@example.org")
	assert.Contains(t, again.String(), "X-WR-CALNAME:Billing")
	assert.Contains(t, again.String(), "DTEND:20260324T093000Z")

	buf.Reset()
	require.NoError(t, tr.WriteICS(&buf, nil))
	assert.Contains(t, buf.String(), "DTSTAMP:20290101T080000Z", "zero stamp: the project's clock")
	fieldErr(t, tr.WriteICS(&buf, &mep.ICSOptions{Stamp: stamp, MeetingLength: -time.Minute}))
}

// TestICSDomainOfNamesWithoutASCII: a project named without ASCII letters
// still gets a stable domain.
func TestICSDomainOfNamesWithoutASCII(t *testing.T) {
	p, err := mep.New("计费", nil)
	require.NoError(t, err)
	var a, b bytes.Buffer
	stamp := utc(2026, 3, 25, 8, 0)
	require.NoError(t, p.Tracker().WriteICS(&a, &mep.ICSOptions{Stamp: stamp}))
	require.NoError(t, p.Tracker().WriteICS(&b, &mep.ICSOptions{Stamp: stamp}))
	assert.Equal(t, a.String(), b.String())
	assert.Contains(t, a.String(), "BEGIN:VCALENDAR")
}
