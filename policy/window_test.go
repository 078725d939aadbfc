package policy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

func TestWindows(t *testing.T) {
	w, err := policy.Windows("maintenance", "Mon-Thu 20:00-23:30, Fri 22:00-02:00, sun 08:00-24:00", paris)
	require.NoError(t, err)
	tests := []struct {
		name  string
		start time.Time
		d     time.Duration
		want  policy.Verdict
		next  time.Time
	}{
		{"inside", at(2026, 11, 23, 20, 0), 3 * time.Hour, policy.Allow, time.Time{}},
		{"ends exactly at the close", at(2026, 11, 23, 22, 30), time.Hour, policy.Allow, time.Time{}},
		{"overruns the close", at(2026, 11, 23, 23, 0), time.Hour, policy.Deny, at(2026, 11, 24, 20, 0)},
		{"too long for any window on the day", at(2026, 11, 23, 19, 0), time.Hour, policy.Deny, at(2026, 11, 23, 20, 0)},
		{"across midnight", at(2026, 11, 27, 23, 0), 3 * time.Hour, policy.Allow, time.Time{}},
		{"after the overnight window", at(2026, 11, 28, 2, 0), time.Hour, policy.Deny, at(2026, 11, 29, 8, 0)},
		{"24:00 end", at(2026, 11, 29, 23, 0), time.Hour, policy.Allow, time.Time{}},
		{"sunday into monday", at(2026, 11, 29, 23, 30), time.Hour, policy.Deny, at(2026, 11, 30, 20, 0)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := w.Evaluate(context.Background(), policy.Change{Start: tt.start, Duration: tt.d})
			assert.Equal(t, tt.want, d.Verdict, d.Reason)
			assert.True(t, tt.next.Equal(d.Next), "next: got %v, want %v", d.Next, tt.next)
		})
	}
}

func TestWindowsReason(t *testing.T) {
	w, err := policy.Windows("maintenance", "Mon-Thu 20:00-23:30", paris)
	require.NoError(t, err)
	d := w.Evaluate(context.Background(), policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: time.Hour})
	assert.Equal(t, `Fri 2026-11-27 10:00 is outside the windows "Mon-Thu 20:00-23:30" in Europe/Paris; allowed again from Mon 2026-11-30 20:00 CET`, d.Reason)
	// An operation longer than every window never fits, and the reason
	// says so.
	d = w.Evaluate(context.Background(), policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: 4 * time.Hour})
	assert.Equal(t, `Fri 2026-11-27 10:00 is outside the windows "Mon-Thu 20:00-23:30" in Europe/Paris; an operation this long never fits: the longest window lasts 3h30m`, d.Reason)
	assert.True(t, d.Next.IsZero())
}

func TestWindowsSpecErrors(t *testing.T) {
	tests := []struct {
		spec   string
		rng    int
		column int
		msg    string
	}{
		{"", 1, 1, "empty spec"},
		{"Mun 20:00-23:00", 1, 1, `unknown day "Mun"`},
		{"Mon-Thu 20:00-23:30, Fri 22:00", 2, 26, "needs a dash"},
		{"Mon 25:00-26:00", 1, 5, "bad hour"},
		{"Mon 20:00-24:30", 1, 11, "bad hour"},
		{"Mon 20:00-23:60", 1, 11, "bad minutes"},
		{"Mon 24:00-02:00", 1, 5, "24:00 may only end"},
		{"Mon 20:00-20:00", 1, 5, "empty time range"},
		{"Mon 20:00-23:00,,Tue 20:00-21:00", 2, 17, "empty range"},
		{"Mon Tue 20:00-21:00", 1, 9, "unexpected"},
		{"Mon 8h-9h", 1, 5, "want HH:MM"},
		{"Mon-Xyz 20:00-21:00", 1, 1, `unknown day "Xyz"`},
	}
	for _, tt := range tests {
		t.Run(tt.spec, func(t *testing.T) {
			_, err := policy.Windows("w", tt.spec, paris)
			require.Error(t, err)
			var se *policy.SpecError
			require.True(t, errors.As(err, &se))
			assert.Equal(t, tt.rng, se.Range, "range")
			assert.Equal(t, tt.column, se.Column, "column")
			assert.Contains(t, se.Msg, tt.msg)
		})
	}
}

func TestWindowsEveryDayAndWrappingDays(t *testing.T) {
	w, err := policy.Windows("w", "06:00-07:00, Sat-Mon 12:00-13:00", kolkata)
	require.NoError(t, err)
	free := policy.Set{w}.Free(atIn(kolkata, 2026, 11, 27, 0, 0), atIn(kolkata, 2026, 12, 1, 0, 0))
	assertIntervals(t, []policy.Interval{
		{atIn(kolkata, 2026, 11, 27, 6, 0), atIn(kolkata, 2026, 11, 27, 7, 0)}, // Fri
		{atIn(kolkata, 2026, 11, 28, 6, 0), atIn(kolkata, 2026, 11, 28, 7, 0)}, // Sat
		{atIn(kolkata, 2026, 11, 28, 12, 0), atIn(kolkata, 2026, 11, 28, 13, 0)},
		{atIn(kolkata, 2026, 11, 29, 6, 0), atIn(kolkata, 2026, 11, 29, 7, 0)}, // Sun
		{atIn(kolkata, 2026, 11, 29, 12, 0), atIn(kolkata, 2026, 11, 29, 13, 0)},
		{atIn(kolkata, 2026, 11, 30, 6, 0), atIn(kolkata, 2026, 11, 30, 7, 0)}, // Mon
		{atIn(kolkata, 2026, 11, 30, 12, 0), atIn(kolkata, 2026, 11, 30, 13, 0)},
	}, free)
	// Kolkata is UTC+05:30 all year: 06:00 local is 00:30 UTC.
	assert.Equal(t, "00:30", free[0].Start.UTC().Format("15:04"))
}
