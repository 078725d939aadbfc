package policy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

func TestCronFreeze(t *testing.T) {
	// Every Friday from 22:00 for 8 hours: until Saturday 06:00.
	c, err := policy.Cron("friday-night", "0 22 * * 5", 8*time.Hour, paris)
	require.NoError(t, err)
	tests := []struct {
		start time.Time
		want  policy.Verdict
		next  time.Time
	}{
		{at(2026, 11, 27, 21, 0), policy.Allow, time.Time{}},
		{at(2026, 11, 27, 21, 30), policy.Deny, at(2026, 11, 28, 6, 0)},
		{at(2026, 11, 28, 5, 59), policy.Deny, at(2026, 11, 28, 6, 0)},
		{at(2026, 11, 28, 6, 0), policy.Allow, time.Time{}},
	}
	for _, tt := range tests {
		d := c.Evaluate(context.Background(), policy.Change{Start: tt.start, Duration: time.Hour})
		assert.Equal(t, tt.want, d.Verdict, "%v: %s", tt.start, d.Reason)
		assert.True(t, tt.next.Equal(d.Next), "%v: next %v, want %v", tt.start, d.Next, tt.next)
	}
	d := c.Evaluate(context.Background(), policy.Change{Start: at(2026, 11, 27, 23, 0), Duration: time.Hour})
	assert.Equal(t, `Fri 2026-11-27 23:00 is in the recurring freeze "0 22 * * 5" for 8h in Europe/Paris; allowed again from Sat 2026-11-28 06:00 CET`, d.Reason)
}

func TestCronLastDayOfMonth(t *testing.T) {
	// Month-end closing: from 18:00 on the last day of each month, 30 hours.
	c, err := policy.Cron("month-end", "0 18 L * *", 30*time.Hour, paris)
	require.NoError(t, err)
	b := c.Blocked(at(2027, 2, 1, 0, 0), at(2027, 3, 10, 0, 0))
	assertIntervals(t, []policy.Interval{
		{at(2027, 2, 1, 0, 0), at(2027, 2, 2, 0, 0)}, // from 31 January 18:00
		{at(2027, 2, 28, 18, 0), at(2027, 3, 2, 0, 0)},
	}, b)
}

func TestCronErrors(t *testing.T) {
	for _, tt := range []struct{ expr, msg string }{
		{"0 0 30 2 *", "never fires"},
		{"0 0 31 4 *", "never fires"},
		{"0 24 * * *", "not a valid"},
		{"60 0 * * *", "not a valid"},
		{"0 0 * *", "five fields"},
		{"0 0 0 * * *", "five fields"},
		{"@everysecond", "seconds"},
		{"", "five fields"},
		{"x y z w v", "not a valid"},
	} {
		_, err := policy.Cron("c", tt.expr, time.Hour, paris)
		require.Error(t, err, tt.expr)
		assert.ErrorContains(t, err, tt.msg, tt.expr)
		var ce *policy.CronError
		assert.ErrorAs(t, err, &ce)
	}
	_, err := policy.Cron("c", "0 0 * * *", 0, paris)
	var ce *policy.CronError
	assert.ErrorAs(t, err, &ce)
	_, err = policy.Cron("c", "0 0 29 2 *", time.Hour, paris)
	assert.NoError(t, err, "29 February fires in leap years")
	_, err = policy.Cron("c", "@daily", time.Hour, nil)
	assert.ErrorIs(t, err, policy.ErrInvalid)
}

// A rule that fires only in some years is a rule: a fifth Monday in
// February happens when 29 February is a Monday, in 2016, 2044 and every
// 28 years until 2100. Day fields that no year has stay refused.
func TestCronRareDays(t *testing.T) {
	c, err := policy.Cron("fifth-monday", "0 0 * 2 1#5", time.Hour, paris)
	require.NoError(t, err)
	assert.Empty(t, c.Blocked(at(2026, 1, 1, 0, 0), at(2044, 1, 1, 0, 0)))
	assertIntervals(t, []policy.Interval{{at(2044, 2, 29, 0, 0), at(2044, 2, 29, 1, 0)}},
		c.Blocked(at(2044, 1, 1, 0, 0), at(2045, 1, 1, 0, 0)))
	assertIntervals(t, []policy.Interval{{at(2016, 2, 29, 0, 0), at(2016, 2, 29, 1, 0)}},
		c.Blocked(at(2016, 1, 1, 0, 0), at(2017, 1, 1, 0, 0)))
	d := c.Evaluate(context.Background(), policy.Change{Start: at(2044, 2, 29, 0, 30), Duration: time.Hour})
	assert.Equal(t, policy.Deny, d.Verdict, d.Reason)
	assert.True(t, at(2044, 2, 29, 1, 0).Equal(d.Next), "next %v", d.Next)

	for _, expr := range []string{"0 0 30 2 *", "0 0 30W 2 *", "0 0 31 2,4,6,9,11 *", "0 0 * * 1#6", "0 0 31 FEB *"} {
		_, err := policy.Cron("c", expr, time.Hour, paris)
		assert.ErrorContains(t, err, "never fires: no day matches", expr)
	}
}
