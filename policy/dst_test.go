package policy_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policytest"
)

// transitions returns the instants at which loc changes its offset in
// [from, to).
func transitions(loc *time.Location, from, to time.Time) []time.Time {
	var out []time.Time
	for t := from; t.Before(to); {
		_, end := t.In(loc).ZoneBounds()
		if end.IsZero() || !end.Before(to) {
			break
		}
		out = append(out, end)
		t = end
	}
	return out
}

func offsetAt(t time.Time, loc *time.Location) time.Duration {
	_, off := t.In(loc).Zone()
	return time.Duration(off) * time.Second
}

func total(ivs []policy.Interval) time.Duration {
	var d time.Duration
	for _, iv := range ivs {
		d += iv.Duration()
	}
	return d
}

// TestDSTNightWindows checks every clock change of 2026-2030 in four zones:
// a nightly window of local 00:30-05:30 lasts five real hours, minus the
// hour skipped in spring, plus the hour repeated in autumn.
func TestDSTNightWindows(t *testing.T) {
	for _, loc := range []*time.Location{paris, newYork, sydney, kolkata} {
		w, err := policy.Windows("night", "00:30-05:30", loc)
		require.NoError(t, err)
		trs := transitions(loc, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2031, 1, 1, 0, 0, 0, 0, time.UTC))
		if loc == kolkata {
			assert.Empty(t, trs, "Kolkata keeps UTC+05:30")
			continue
		}
		require.Len(t, trs, 10, loc.String())
		for _, tr := range trs {
			delta := offsetAt(tr, loc) - offsetAt(tr.Add(-time.Second), loc)
			y, m, d := tr.In(loc).Date()
			name := fmt.Sprintf("%s %04d-%02d-%02d", loc, y, m, d)
			dayStart := policy.Date{Year: y, Month: m, Day: d}.In(loc)
			free := policy.Set{w}.Free(dayStart, dayStart.Add(12*time.Hour))
			assert.Equal(t, 5*time.Hour-delta, total(free), name)
			// The day itself, blocked as a one-off holiday, lasts 24h minus the change.
			h := policy.HolidayCalendar("day", policy.Dates("d", policy.Date{Year: y, Month: m, Day: d}), loc, false)
			b := h.Blocked(dayStart.Add(-48*time.Hour), dayStart.Add(48*time.Hour))
			require.Len(t, b, 1, name)
			assert.Equal(t, 24*time.Hour-delta, b[0].Duration(), name)
			assert.True(t, b[0].Start.Equal(dayStart), name)
		}
	}
}

func TestDSTRules(t *testing.T) {
	utc := func(y, m, d, h, min int) time.Time { return time.Date(y, time.Month(m), d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		loc      *time.Location
		spec     string
		from, to time.Time
		want     []policy.Interval
	}{
		{
			"Paris spring: 01:00-04:00 is two real hours", paris, "Sun 01:00-04:00",
			utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 12, 0),
			[]policy.Interval{{utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 2, 0)}},
		},
		{
			"Paris autumn: 01:00-04:00 is four real hours", paris, "Sun 01:00-04:00",
			utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 12, 0),
			[]policy.Interval{{utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 3, 0)}},
		},
		{
			"Paris spring: a bound in the gap opens after it", paris, "Sun 02:30-05:00",
			utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 12, 0),
			[]policy.Interval{{utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 3, 0)}},
		},
		{
			"Paris autumn: the repeated hour is covered twice", paris, "Sun 02:30-02:45",
			utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 12, 0),
			[]policy.Interval{{utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 0, 45)}, {utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 1, 45)}},
		},
		{
			"New York spring: 01:00-04:00 is two real hours", newYork, "Sun 01:00-04:00",
			utc(2027, 3, 13, 12, 0), utc(2027, 3, 14, 18, 0),
			[]policy.Interval{{utc(2027, 3, 14, 6, 0), utc(2027, 3, 14, 8, 0)}},
		},
		{
			"New York autumn: 01:00-04:00 is four real hours", newYork, "Sun 01:00-04:00",
			utc(2027, 11, 6, 12, 0), utc(2027, 11, 7, 18, 0),
			[]policy.Interval{{utc(2027, 11, 7, 5, 0), utc(2027, 11, 7, 9, 0)}},
		},
		{
			"Sydney April (autumn): 01:00-04:00 is four real hours", sydney, "Sun 01:00-04:00",
			utc(2028, 4, 1, 0, 0), utc(2028, 4, 2, 6, 0),
			[]policy.Interval{{utc(2028, 4, 1, 14, 0), utc(2028, 4, 1, 18, 0)}},
		},
		{
			"Sydney October (spring): 01:00-04:00 is two real hours", sydney, "Sun 01:00-04:00",
			utc(2028, 9, 30, 0, 0), utc(2028, 10, 1, 6, 0),
			[]policy.Interval{{utc(2028, 9, 30, 15, 0), utc(2028, 9, 30, 17, 0)}},
		},
		{
			"Kolkata: half-hour offset, no change", kolkata, "Sun 01:00-04:00",
			utc(2029, 3, 24, 0, 0), utc(2029, 3, 25, 6, 0),
			[]policy.Interval{{utc(2029, 3, 24, 19, 30), utc(2029, 3, 24, 22, 30)}},
		},
		{
			"across midnight on a clock change", paris, "Sat 22:00-04:00",
			utc(2030, 3, 30, 12, 0), utc(2030, 3, 31, 12, 0),
			[]policy.Interval{{utc(2030, 3, 30, 21, 0), utc(2030, 3, 31, 2, 0)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w, err := policy.Windows("w", tt.spec, tt.loc)
			require.NoError(t, err)
			assertIntervals(t, tt.want, policy.Set{w}.Free(tt.from, tt.to))
		})
	}
}

func TestDSTFridayAndNextSlot(t *testing.T) {
	// Spring forward in New York on Sunday 2027-03-14: the weekend is 47
	// real hours long, and the next slot after a Saturday start is Monday
	// 00:00 EDT.
	wf := policy.WeekendFreeze(newYork)
	b := wf.Blocked(atIn(newYork, 2027, 3, 12, 0, 0), atIn(newYork, 2027, 3, 16, 0, 0))
	require.Len(t, b, 1)
	assert.Equal(t, 47*time.Hour, b[0].Duration())
	next, err := policy.Set{wf}.NextSlot(context.Background(), policy.Change{Start: atIn(newYork, 2027, 3, 13, 10, 0), Duration: time.Hour}, 30*24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, "Mon 2027-03-15 00:00 EDT", next.In(newYork).Format("Mon 2006-01-02 15:04 MST"))
}

func TestDateInSkippedMidnight(t *testing.T) {
	// Santiago skips midnight when daylight saving time begins (2026-09-06).
	santiago := mustLoad(t, "America/Santiago")
	d := policy.Date{Year: 2026, Month: time.September, Day: 6}.In(santiago)
	assert.Equal(t, "2026-09-06 01:00 -03", d.Format("2006-01-02 15:04 MST"))
}

func TestDSTCronTickInSkippedHour(t *testing.T) {
	utc := func(y, m, d, h, min int) time.Time { return time.Date(y, time.Month(m), d, h, min, 0, 0, time.UTC) }
	tests := []struct {
		name     string
		loc      *time.Location
		expr     string
		d        time.Duration
		from, to time.Time
		want     []policy.Interval
	}{
		{
			"Paris spring: 02:30 for 20m blocks 03:00-03:20", paris, "30 2 * * *", 20 * time.Minute,
			utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 12, 0),
			[]policy.Interval{{utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 1, 20)}},
		},
		{
			"Paris spring: the day after is as usual", paris, "30 2 * * *", 20 * time.Minute,
			utc(2026, 3, 29, 12, 0), utc(2026, 3, 30, 12, 0),
			[]policy.Interval{{utc(2026, 3, 30, 0, 30), utc(2026, 3, 30, 0, 50)}},
		},
		{
			"Paris spring: 8h from the end of the gap", paris, "30 2 * * *", 8 * time.Hour,
			utc(2026, 3, 28, 12, 0), utc(2026, 3, 29, 12, 0),
			[]policy.Interval{{utc(2026, 3, 29, 1, 0), utc(2026, 3, 29, 9, 0)}},
		},
		{
			"Paris spring: a range that starts after the gap", paris, "30 2 * * *", 20 * time.Minute,
			utc(2026, 3, 29, 1, 5), utc(2026, 3, 29, 12, 0),
			[]policy.Interval{{utc(2026, 3, 29, 1, 5), utc(2026, 3, 29, 1, 20)}},
		},
		{
			"Paris autumn: the repeated wall times, on both passes", paris, "30 2 * * *", 20 * time.Minute,
			utc(2026, 10, 24, 12, 0), utc(2026, 10, 25, 12, 0),
			[]policy.Interval{{utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 0, 50)}, {utc(2026, 10, 25, 1, 30), utc(2026, 10, 25, 1, 50)}},
		},
		{
			"New York spring: 02:30 for 20m blocks 03:00-03:20 EDT", newYork, "30 2 * * *", 20 * time.Minute,
			utc(2027, 3, 13, 12, 0), utc(2027, 3, 14, 18, 0),
			[]policy.Interval{{utc(2027, 3, 14, 7, 0), utc(2027, 3, 14, 7, 20)}},
		},
		{
			"New York spring: every 10 minutes of the skipped hour", newYork, "*/10 2 * * *", 5 * time.Minute,
			utc(2027, 3, 13, 12, 0), utc(2027, 3, 14, 18, 0),
			[]policy.Interval{{utc(2027, 3, 14, 7, 0), utc(2027, 3, 14, 7, 5)}},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := policy.Cron("c", tt.expr, tt.d, tt.loc)
			require.NoError(t, err)
			assertIntervals(t, tt.want, c.Blocked(tt.from, tt.to))
			// Evaluate agrees.
			d := c.Evaluate(context.Background(), policy.Change{Start: tt.want[0].Start, Duration: time.Minute})
			assert.Equal(t, policy.Deny, d.Verdict, d.Reason)
			assert.NoError(t, policytest.CheckCalendar(c, tt.from, tt.to, 5*time.Minute))
		})
	}
}
