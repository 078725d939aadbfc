package policytest_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policytest"
)

var (
	paris, _   = time.LoadLocation("Europe/Paris")
	newYork, _ = time.LoadLocation("America/New_York")
	sydney, _  = time.LoadLocation("Australia/Sydney")
	kolkata, _ = time.LoadLocation("Asia/Kolkata")
)

func at(y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, paris)
}

func standardCalendars(t testing.TB, loc *time.Location) []policy.Calendar {
	t.Helper()
	hol, err := policy.Holidays("FR", loc, true)
	require.NoError(t, err)
	win, err := policy.Windows("maintenance", "Mon-Thu 20:00-23:30, Fri 22:00-02:00, Sun 01:00-04:00", loc)
	require.NoError(t, err)
	cr, err := policy.Cron("month-end", "30 17 L * *", 30*time.Hour, loc)
	require.NoError(t, err)
	return []policy.Calendar{
		policy.FridayFreeze(loc),
		policy.WeekendFreeze(loc),
		hol,
		policy.Freeze("year-end", time.Date(2026, 12, 21, 0, 0, 0, 0, loc), time.Date(2027, 1, 4, 0, 0, 0, 0, loc)),
		win,
		cr,
		policy.Mandatory(policy.FridayFreeze(loc)).(policy.Calendar),
	}
}

func TestCheckCalendarOnOwnCalendars(t *testing.T) {
	for _, loc := range []*time.Location{paris, newYork, sydney, kolkata} {
		for _, c := range standardCalendars(t, loc) {
			// Around the autumn and spring changes of both hemispheres.
			for _, from := range []time.Time{
				time.Date(2026, 10, 22, 0, 0, 0, 0, time.UTC),
				time.Date(2027, 3, 25, 0, 0, 0, 0, time.UTC),
				time.Date(2026, 12, 18, 0, 0, 0, 0, time.UTC),
			} {
				err := policytest.CheckCalendar(c, from, from.Add(12*24*time.Hour), 17*time.Minute)
				assert.NoError(t, err, "%s in %s", c.Name(), loc)
			}
		}
	}
}

// badCalendar's Evaluate ignores its Blocked.
type badCalendar struct{}

func (badCalendar) Name() string { return "bad" }
func (badCalendar) Evaluate(context.Context, policy.Change) policy.Decision {
	return policy.Decision{Policy: "bad"}
}
func (badCalendar) Blocked(from, to time.Time) []policy.Interval {
	return []policy.Interval{{Start: to, End: from}}
}

func TestCheckCalendarFindsProblems(t *testing.T) {
	err := policytest.CheckCalendar(badCalendar{}, at(2026, 1, 1, 0, 0), at(2026, 1, 2, 0, 0), time.Hour)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "is empty")
	err = policytest.CheckCalendar(badCalendar{}, at(2026, 1, 1, 0, 0), at(2026, 1, 1, 0, 0), time.Hour)
	assert.ErrorIs(t, err, policy.ErrInvalid)
}

func TestTestCalendar(t *testing.T) {
	policytest.TestCalendar(t, policy.WeekendFreeze(paris), at(2026, 10, 20, 0, 0), at(2026, 11, 3, 0, 0), 13*time.Minute)
}
