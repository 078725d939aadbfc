package policy_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

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

func TestSpecErrorQuotesAnExcerptOfAHugeSpec(t *testing.T) {
	// A megabyte spec, generated or pasted by mistake: the error names the
	// range and the column and quotes the text around it, not the whole.
	good := strings.Repeat("Mon 20:00-21:00, ", 60_000)
	for _, tc := range []struct {
		name, spec, want string
	}{
		{"bad time late", good + "Tue 20:00-2x:00", `bad time "2x:00"`},
		{"huge day", strings.Repeat("é", 500_000) + " 20:00-21:00", `unknown day "éééé`},
		{"not UTF-8", strings.Repeat("\x80", 1_000_000) + " 20:00-21:00", `unknown day "\x80\x80`},
		{"huge time", "Mon " + strings.Repeat("9", 1_000_000), `needs a dash`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := policy.Windows("w", tc.spec, time.UTC)
			var se *policy.SpecError
			require.ErrorAs(t, err, &se)
			assert.Equal(t, tc.spec, se.Spec, "the error keeps the whole spec")
			msg := err.Error()
			assert.Less(t, len(msg), 1000, msg)
			assert.Contains(t, msg, tc.want)
			assert.Contains(t, msg, "bytes)")
			assert.True(t, utf8.ValidString(msg) || !utf8.ValidString(tc.spec), "no rune cut in two: %q", msg)
		})
	}
	_, err := policy.Windows("w", good+"Tue 20:00-2x:00", time.UTC)
	assert.Contains(t, err.Error(), `column 1020011: bad time "2x:00"`)
	assert.Contains(t, err.Error(), `Tue 20:00-2x:00" (1020015 bytes): range 60001`)
}

func TestCronErrorQuotesTheStartOfAHugeExpression(t *testing.T) {
	expr := "0 0 * * " + strings.Repeat("1,", 500_000) + "9"
	_, err := policy.Cron("c", expr, time.Hour, time.UTC)
	var ce *policy.CronError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, expr, ce.Expr)
	assert.Less(t, len(err.Error()), 600, err.Error())
	assert.Contains(t, err.Error(), `policy: cron "0 0 * * 1,1,`)
}
