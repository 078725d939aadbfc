package policy_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

var (
	paris, _   = time.LoadLocation("Europe/Paris")
	newYork, _ = time.LoadLocation("America/New_York")
	sydney, _  = time.LoadLocation("Australia/Sydney")
	kolkata, _ = time.LoadLocation("Asia/Kolkata")
)

// at returns a local time in Paris.
func at(y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, paris)
}

func atIn(loc *time.Location, y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, loc)
}

// assertIntervals compares intervals by instant.
func assertIntervals(t *testing.T, want, got []policy.Interval, msgAndArgs ...any) bool {
	t.Helper()
	ok := len(want) == len(got)
	for i := 0; ok && i < len(want); i++ {
		ok = want[i].Start.Equal(got[i].Start) && want[i].End.Equal(got[i].End)
	}
	if !ok {
		return assert.Fail(t, fmt.Sprintf("intervals differ:\nwant %v\ngot  %v", want, got), msgAndArgs...)
	}
	return true
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
