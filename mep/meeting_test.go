package mep_test

import (
	"errors"
	"fmt"
	"sync"
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

func TestHoldDefaultsDueToNextMeeting(t *testing.T) {
	paris := load(t, "Europe/Paris")
	tr, err := mep.NewTracker(&mep.TrackerOptions{Location: paris, Cadence: mep.Cadence{Days: 7}})
	require.NoError(t, err)
	at := time.Date(2026, 3, 24, 10, 0, 0, 0, paris) // Tuesday before the change to summer time
	m, err := tr.Hold(mep.Minutes{
		At: at, Title: "planning #1", Attendees: []string{"Bea", "Otto"},
		Decisions: []string{"cutover on Tuesday night"},
		Actions: []mep.ActionSpec{
			{Title: "back up the router", Owner: "Otto"},
			{Title: "write the runbook", Owner: "Bea", Due: at.Add(48 * time.Hour)},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, 1, m.ID)
	assert.Equal(t, []int{1, 2}, m.Actions)
	wantNext := time.Date(2026, 3, 31, 10, 0, 0, 0, paris) // still 10:00 after the DST change
	assert.True(t, m.Next.Equal(wantNext), "next %v, want %v", m.Next, wantNext)
	assert.Equal(t, 7*24*time.Hour-time.Hour, m.Next.Sub(at), "the week had 167 hours")

	a1, ok := tr.Action(1)
	require.True(t, ok)
	assert.True(t, a1.Due.Equal(wantNext), "an action without due date is due at the next meeting (R6)")
	assert.Equal(t, 1, a1.Meeting)
	assert.Equal(t, mep.ActionOpen, a1.Status)
	a2, _ := tr.Action(2)
	assert.True(t, a2.Due.Equal(at.Add(48*time.Hour)))
}

func TestHoldRejectsBadMinutes(t *testing.T) {
	at := utc(2026, 3, 2, 10, 0)
	tests := []struct {
		name  string
		m     mep.Minutes
		field string
	}{
		{"no time", mep.Minutes{Attendees: []string{"a"}, NoActions: true}, "meeting.at"},
		{"nobody", mep.Minutes{At: at, NoActions: true}, "meeting.attendees"},
		{"empty attendee", mep.Minutes{At: at, Attendees: []string{"a", ""}, NoActions: true}, "meeting.attendees[1]"},
		{"twice", mep.Minutes{At: at, Attendees: []string{"a", "a"}, NoActions: true}, "meeting.attendees[1]"},
		{"silent", mep.Minutes{At: at, Attendees: []string{"a"}}, "meeting.actions"},
		{"both", mep.Minutes{At: at, Attendees: []string{"a"}, NoActions: true,
			Actions: []mep.ActionSpec{{Title: "t", Owner: "o", Due: at}}}, "meeting.no_actions"},
		{"empty decision", mep.Minutes{At: at, Attendees: []string{"a"}, NoActions: true, Decisions: []string{" "}}, "meeting.decisions[0]"},
		{"next before", mep.Minutes{At: at, Attendees: []string{"a"}, NoActions: true, Next: at}, "meeting.next"},
		{"no owner", mep.Minutes{At: at, Attendees: []string{"a"}, Actions: []mep.ActionSpec{{Title: "t", Due: at}}}, "meeting.actions[0].owner"},
		{"no title", mep.Minutes{At: at, Attendees: []string{"a"}, Actions: []mep.ActionSpec{{Owner: "o", Due: at}}}, "meeting.actions[0].title"},
		{"no due", mep.Minutes{At: at, Attendees: []string{"a"}, Actions: []mep.ActionSpec{{Title: "t", Owner: "o"}}}, "meeting.actions[0].due"},
	}
	var tr mep.Tracker // the zero value is ready to use
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tr.Hold(tt.m)
			var fe *mep.FieldError
			require.True(t, errors.As(err, &fe), "%v", err)
			assert.Equal(t, tt.field, fe.Field)
			assert.ErrorIs(t, err, mep.ErrInvalid)
		})
	}
	assert.Empty(t, tr.Meetings(), "nothing recorded")
	assert.Empty(t, tr.Actions())
}

func TestNoActionsIsExplicit(t *testing.T) {
	var tr mep.Tracker
	m, err := tr.Hold(mep.Minutes{At: utc(2026, 3, 2, 10, 0), Attendees: []string{"a"}, NoActions: true, Notes: "all on track"})
	require.NoError(t, err)
	assert.True(t, m.NoActions)
	assert.Empty(t, m.Actions)
	assert.True(t, m.Next.IsZero(), "no cadence, no next date")
}

func TestActionsAcrossMeetings(t *testing.T) {
	tr, err := mep.NewTracker(&mep.TrackerOptions{Cadence: mep.Cadence{Days: 7}})
	require.NoError(t, err)
	w1 := utc(2026, 3, 2, 10, 0)
	_, err = tr.Hold(mep.Minutes{At: w1, Attendees: []string{"Bea", "Otto"}, Actions: []mep.ActionSpec{
		{Title: "a1", Owner: "Otto"}, {Title: "a2", Owner: "Bea"}, {Title: "a3", Owner: "Otto"},
	}})
	require.NoError(t, err)
	require.NoError(t, tr.Done(1, "Otto", w1.Add(day(2)), "done early"))
	w2 := w1.Add(day(7))
	assert.Equal(t, []int{2, 3}, ids(tr.Open()))
	assert.Empty(t, tr.Overdue(w2), "due at the meeting itself: not yet overdue")
	assert.Equal(t, []int{2, 3}, ids(tr.Overdue(w2.Add(time.Minute))))

	_, err = tr.Hold(mep.Minutes{At: w2, Attendees: []string{"Bea"}, Actions: []mep.ActionSpec{{Title: "a4", Owner: "Bea"}}})
	require.NoError(t, err)
	err = tr.Cancel(3, "Bea", w2, "")
	assert.ErrorIs(t, err, mep.ErrInvalid, "a cancellation needs a reason")
	require.NoError(t, tr.Cancel(3, "Bea", w2, "the client dropped the feature"))
	assert.ErrorIs(t, tr.Done(3, "Bea", w2, ""), mep.ErrClosed)
	assert.ErrorIs(t, tr.Done(99, "Bea", w2, ""), mep.ErrNotFound)
	assert.ErrorIs(t, tr.Done(2, "", w2, ""), mep.ErrInvalid)
	assert.ErrorIs(t, tr.Done(2, "Bea", time.Time{}, ""), mep.ErrInvalid)

	a3, _ := tr.Action(3)
	assert.Equal(t, mep.ActionCancelled, a3.Status)
	assert.Equal(t, "the client dropped the feature", a3.Note)
	assert.Equal(t, "Bea", a3.ClosedBy)

	ag := tr.Agenda(w2.Add(day(1)))
	assert.True(t, ag.At.Equal(w2.Add(day(7))))
	assert.Equal(t, []int{2}, ids(ag.Overdue), "a2 was due at w2 and is carried over as overdue")
	assert.Equal(t, []int{4}, ids(ag.Open))

	assert.Equal(t, []int{1, 3}, ids(tr.ByOwner("Otto")))
	assert.Equal(t, []int{2, 4}, ids(tr.ByOwner("Bea")))
	assert.Empty(t, tr.ByOwner("nobody"))

	a, err := tr.Assign(mep.ActionSpec{Title: "call the client", Owner: "Sam"}, "Bea", w2.Add(time.Hour))
	require.NoError(t, err)
	assert.True(t, a.Due.Equal(ag.At), "between meetings, due at the next one")
	assert.Zero(t, a.Meeting)
	_, err = tr.Assign(mep.ActionSpec{Title: "x"}, "Bea", w2)
	assert.ErrorIs(t, err, mep.ErrInvalid)
}

func TestCadenceAcrossDST(t *testing.T) {
	paris := load(t, "Europe/Paris")
	sydney := load(t, "Australia/Sydney")
	tests := []struct {
		name string
		loc  *time.Location
		from time.Time
		c    mep.Cadence
		want time.Time
	}{
		// Paris springs forward on 29 March 2026 and falls back on 25 October.
		{"paris weekly spring", paris, time.Date(2026, 3, 26, 9, 30, 0, 0, paris), mep.Cadence{Days: 7}, time.Date(2026, 4, 2, 9, 30, 0, 0, paris)},
		{"paris daily over the change", paris, time.Date(2026, 3, 28, 9, 30, 0, 0, paris), mep.Cadence{Days: 1}, time.Date(2026, 3, 29, 9, 30, 0, 0, paris)},
		{"paris weekly autumn", paris, time.Date(2026, 10, 22, 9, 30, 0, 0, paris), mep.Cadence{Days: 7}, time.Date(2026, 10, 29, 9, 30, 0, 0, paris)},
		{"paris monthly", paris, time.Date(2026, 3, 15, 14, 0, 0, 0, paris), mep.Cadence{Months: 1}, time.Date(2026, 4, 15, 14, 0, 0, 0, paris)},
		// Sydney falls back on 5 April 2026 and springs forward on 4 October.
		{"sydney weekly autumn", sydney, time.Date(2026, 4, 1, 9, 0, 0, 0, sydney), mep.Cadence{Days: 7}, time.Date(2026, 4, 8, 9, 0, 0, 0, sydney)},
		{"sydney fortnightly spring", sydney, time.Date(2026, 9, 28, 9, 0, 0, 0, sydney), mep.Cadence{Days: 14}, time.Date(2026, 10, 12, 9, 0, 0, 0, sydney)},
		// Given in UTC, computed in the tracker's location.
		{"utc input", paris, time.Date(2026, 3, 26, 8, 30, 0, 0, time.UTC), mep.Cadence{Days: 7}, time.Date(2026, 4, 2, 9, 30, 0, 0, paris)},
		{"weekdays", paris, time.Date(2026, 3, 27, 9, 0, 0, 0, paris), mep.Cadence{Days: 1, Weekdays: true}, time.Date(2026, 3, 30, 9, 0, 0, 0, paris)},
		// A day the target month lacks becomes its last day.
		{"paris 31 january monthly", paris, time.Date(2026, 1, 31, 10, 0, 0, 0, paris), mep.Cadence{Months: 1}, time.Date(2026, 2, 28, 10, 0, 0, 0, paris)},
		{"paris end of month into summer time", paris, time.Date(2026, 1, 31, 10, 0, 0, 0, paris), mep.Cadence{Months: 3}, time.Date(2026, 4, 30, 10, 0, 0, 0, paris)},
		{"paris end of month out of summer time", paris, time.Date(2026, 8, 31, 9, 30, 0, 0, paris), mep.Cadence{Months: 3}, time.Date(2026, 11, 30, 9, 30, 0, 0, paris)},
		{"leap year", time.UTC, utc(2028, 1, 31, 10, 0), mep.Cadence{Months: 1}, utc(2028, 2, 29, 10, 0)},
		{"months then days", time.UTC, utc(2026, 1, 31, 10, 0), mep.Cadence{Months: 1, Days: 1}, utc(2026, 3, 1, 10, 0)},
		{"over a year", time.UTC, utc(2026, 1, 31, 10, 0), mep.Cadence{Months: 13}, utc(2027, 2, 28, 10, 0)},
		{"over new year", time.UTC, utc(2026, 12, 31, 10, 0), mep.Cadence{Months: 2}, utc(2027, 2, 28, 10, 0)},
		{"weekdays after clamping", time.UTC, utc(2026, 1, 31, 10, 0), mep.Cadence{Months: 1, Weekdays: true}, utc(2026, 3, 2, 10, 0)}, // 28 February 2026 is a Saturday
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.c.Next(tt.from, tt.loc)
			assert.True(t, got.Equal(tt.want), "got %v, want %v", got, tt.want)

			tr, err := mep.NewTracker(&mep.TrackerOptions{Location: tt.loc, Cadence: tt.c})
			require.NoError(t, err)
			_, err = tr.Hold(mep.Minutes{At: tt.from, Attendees: []string{"a"}, Actions: []mep.ActionSpec{{Title: "t", Owner: "o"}}})
			require.NoError(t, err)
			assert.True(t, tr.Suggest().Equal(tt.want))
			a, _ := tr.Action(1)
			assert.True(t, a.Due.Equal(tt.want))
		})
	}
	assert.True(t, mep.Cadence{}.Next(time.Now(), paris).IsZero())
}

// TestMonthlyCadenceSkipsNoMonth follows a monthly meeting from 31 January
// through the spring change in Paris: one meeting a month, at 10:00.
func TestMonthlyCadenceSkipsNoMonth(t *testing.T) {
	paris := load(t, "Europe/Paris")
	at := time.Date(2026, 1, 31, 10, 0, 0, 0, paris)
	var got []string
	for range 4 {
		at = mep.Cadence{Months: 1}.Next(at, paris)
		got = append(got, at.In(paris).Format("2006-01-02 15:04 MST"))
	}
	assert.Equal(t, []string{"2026-02-28 10:00 CET", "2026-03-28 10:00 CET", "2026-04-28 10:00 CEST", "2026-05-28 10:00 CEST"}, got)
}

func TestCadenceSpacedOut(t *testing.T) {
	var tr mep.Tracker
	require.NoError(t, tr.SetCadence(mep.Cadence{Days: 7}))
	at := utc(2026, 5, 4, 10, 0)
	_, err := tr.Hold(mep.Minutes{At: at, Attendees: []string{"a"}, NoActions: true})
	require.NoError(t, err)
	assert.True(t, tr.Suggest().Equal(at.AddDate(0, 0, 7)))
	require.NoError(t, tr.SetCadence(mep.Cadence{Days: 14})) // R10: stable, meet less often
	assert.True(t, tr.Suggest().Equal(at.AddDate(0, 0, 14)))
	assert.ErrorIs(t, tr.SetCadence(mep.Cadence{Months: -1}), mep.ErrInvalid)
	assert.Equal(t, mep.Cadence{Days: 14}, tr.Cadence())
}

func TestTrackerJournal(t *testing.T) {
	j := timeline.New(nil)
	tr, err := mep.NewTracker(&mep.TrackerOptions{Journal: j})
	require.NoError(t, err)
	at := utc(2026, 3, 2, 10, 0)
	_, err = tr.Hold(mep.Minutes{At: at, Title: "kick-off", Attendees: []string{"a"}, Decisions: []string{"go weekly"},
		Actions: []mep.ActionSpec{{Title: "t", Owner: "o", Due: at.Add(day(1))}}})
	require.NoError(t, err)
	require.NoError(t, tr.Done(1, "o", at.Add(time.Hour), ""))
	var kinds []string
	for _, e := range j.Entries() {
		kinds = append(kinds, e.Kind+":"+e.Attrs["event"])
	}
	assert.Equal(t, []string{"note:", "mep.decision:", "mep.action:assigned", "mep.action:done"}, kinds)

	require.NoError(t, j.Close())
	_, err = tr.Hold(mep.Minutes{At: at, Attendees: []string{"a"}, NoActions: true})
	assert.ErrorIs(t, err, timeline.ErrClosed)
	assert.Len(t, tr.Meetings(), 1, "a meeting that could not be journaled is not recorded")
}

func TestTrackerConcurrentUse(t *testing.T) {
	tr, err := mep.NewTracker(&mep.TrackerOptions{Cadence: mep.Cadence{Days: 7}})
	require.NoError(t, err)
	at := utc(2026, 3, 2, 10, 0)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				m, err := tr.Hold(mep.Minutes{At: at.Add(time.Duration(i) * time.Hour), Attendees: []string{"a"},
					Actions: []mep.ActionSpec{{Title: fmt.Sprint(g, i), Owner: fmt.Sprint("o", g)}}})
				if !assert.NoError(t, err) {
					return
				}
				if i%2 == 0 {
					assert.NoError(t, tr.Done(m.Actions[0], "a", at, ""))
				}
				_ = tr.Overdue(at.Add(day(30)))
				_ = tr.Agenda(at)
				_ = tr.ByOwner("o1")
			}
		}()
	}
	wg.Wait()
	assert.Len(t, tr.Meetings(), 400)
	assert.Len(t, tr.Open(), 200)
	for i, a := range tr.Actions() {
		assert.Equal(t, i+1, a.ID)
	}
}
