package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policytest"
)

var update = flag.Bool("update", false, "rewrite testdata/custompolicy.golden")

func TestGolden(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run(nil, &stdout, &stderr)
	require.Equal(t, 0, code, "stderr: %s", stderr.String())
	assert.Empty(t, stderr.String())
	if *update {
		require.NoError(t, os.WriteFile("testdata/custompolicy.golden", stdout.Bytes(), 0o644))
	}
	want, err := os.ReadFile("testdata/custompolicy.golden")
	require.NoError(t, err)
	assert.Equal(t, string(want), stdout.String())
}

func load(t *testing.T, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

func TestQuarterCloseConformance(t *testing.T) {
	tests := []struct {
		zone     string
		from, to int
		y0, y1   int
		step     time.Duration
	}{
		{"Europe/Paris", 20, 3, 2026, 2028, 5 * time.Hour},
		{"Europe/Paris", 20, 3, 2026, 2027, 7*time.Hour + 13*time.Minute},
		{"Europe/Paris", 1, 28, 2026, 2027, 11 * time.Hour}, // the longest freezes
		// Midnight was skipped on some days of daylight saving time here.
		{"America/Sao_Paulo", 15, 5, 2016, 2019, 9*time.Hour + 30*time.Minute},
		{"Pacific/Auckland", 25, 10, 2026, 2028, 13 * time.Hour},
		{"UTC", 28, 1, 2026, 2027, 6 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			loc := load(t, tt.zone)
			qc, err := newQuarterClose(loc, tt.from, tt.to)
			require.NoError(t, err)
			from := time.Date(tt.y0, 1, 1, 0, 0, 0, 0, loc)
			to := time.Date(tt.y1, 1, 1, 0, 0, 0, 0, loc)
			assert.NoError(t, policytest.CheckCalendar(qc, from, to, tt.step))
			// Offsets that do not fall on the hour.
			assert.NoError(t, policytest.CheckCalendar(qc, from.Add(17*time.Minute+3*time.Second), to, tt.step))
		})
	}
}

func TestQuarterCloseBlocked(t *testing.T) {
	paris := load(t, "Europe/Paris")
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, paris) }
	qc, err := newQuarterClose(paris, 20, 3)
	require.NoError(t, err)

	// The Q4 close crosses the new year; the Q1 close crosses the change
	// to summer time.
	got := qc.Blocked(at(2026, 11, 1, 0, 0), at(2027, 5, 1, 0, 0))
	require.Len(t, got, 2)
	assert.True(t, got[0].Start.Equal(at(2026, 12, 20, 0, 0)), "got %v", got[0])
	assert.True(t, got[0].End.Equal(at(2027, 1, 3, 0, 0)), "got %v", got[0])
	assert.True(t, got[1].Start.Equal(at(2027, 3, 20, 0, 0)), "got %v", got[1])
	assert.True(t, got[1].End.Equal(at(2027, 4, 3, 0, 0)), "got %v", got[1])
	assert.Equal(t, 14*24*time.Hour-time.Hour, got[1].Duration(), "14 local days, one of them 23 hours long")

	// Clipped to the range, which may start inside a freeze.
	got = qc.Blocked(at(2026, 12, 31, 12, 0), at(2027, 1, 10, 0, 0))
	require.Len(t, got, 1)
	assert.True(t, got[0].Start.Equal(at(2026, 12, 31, 12, 0)), "got %v", got[0])
	assert.True(t, got[0].End.Equal(at(2027, 1, 3, 0, 0)), "got %v", got[0])

	assert.Nil(t, qc.Blocked(at(2027, 1, 3, 0, 0), at(2027, 3, 20, 0, 0)), "between two closes")
	assert.Nil(t, qc.Blocked(at(2026, 12, 25, 0, 0), at(2026, 12, 25, 0, 0)), "empty range")
	assert.Nil(t, qc.Blocked(at(2026, 12, 26, 0, 0), at(2026, 12, 25, 0, 0)), "reversed range")
}

func TestQuarterCloseEvaluate(t *testing.T) {
	paris := load(t, "Europe/Paris")
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, paris) }
	qc, err := newQuarterClose(paris, 20, 3)
	require.NoError(t, err)
	ctx := context.Background()
	tests := []struct {
		name  string
		c     policy.Change
		want  policy.Verdict
		next  time.Time
		cause string
	}{
		{"before, ends at the freeze", policy.Change{Start: at(2027, 3, 19, 22, 0), Duration: 2 * time.Hour}, policy.Allow, time.Time{}, ""},
		{"runs into the freeze", policy.Change{Start: at(2027, 3, 19, 23, 0), Duration: 2 * time.Hour}, policy.Deny, at(2027, 4, 3, 0, 0),
			"Sat 2027-03-20 00:00 CET is in the close of 2027-Q1 (Sat 2027-03-20 00:00 CET to Sat 2027-04-03 00:00 CEST) in Europe/Paris; allowed again from Sat 2027-04-03 00:00 CEST"},
		{"last minute, an instant", policy.Change{Start: at(2027, 4, 2, 23, 59)}, policy.Deny, at(2027, 4, 3, 0, 0), ""},
		{"first instant after", policy.Change{Start: at(2027, 4, 3, 0, 0)}, policy.Allow, time.Time{}, ""},
		{"across the new year", policy.Change{Start: at(2026, 12, 31, 22, 0), Duration: 4 * time.Hour}, policy.Deny, at(2027, 1, 3, 0, 0),
			"Thu 2026-12-31 22:00 CET is in the close of 2026-Q4"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := qc.Evaluate(ctx, tt.c)
			assert.Equal(t, "quarter-close", d.Policy)
			assert.Equal(t, tt.want, d.Verdict, d.Reason)
			assert.True(t, d.Next.Equal(tt.next), "next: got %v, want %v", d.Next, tt.next)
			assert.Contains(t, d.Reason, tt.cause)
		})
	}
}

func TestNewQuarterCloseRejects(t *testing.T) {
	paris := load(t, "Europe/Paris")
	for _, days := range [][2]int{{0, 3}, {20, 29}, {31, 3}, {20, -1}} {
		_, err := newQuarterClose(paris, days[0], days[1])
		assert.Error(t, err, "days %v", days)
	}
	_, err := newQuarterClose(nil, 20, 3)
	assert.Error(t, err)
}

func TestNoChangeDuringIncident(t *testing.T) {
	paris := load(t, "Europe/Paris")
	at := func(d, h, min int) time.Time { return time.Date(2026, 11, d, h, min, 0, 0, paris) }
	p := noChangeDuringIncident(incidents(paris))
	require.Equal(t, "no-change-during-incident", p.Name())
	ctx := context.Background()
	tests := []struct {
		name string
		c    policy.Change
		want policy.Verdict
	}{
		{"before the incident", policy.Change{Environment: "production", Start: at(25, 20, 0), Now: at(25, 14, 9)}, policy.Allow},
		{"while it is open", policy.Change{Environment: "production", Start: at(25, 20, 0), Now: at(25, 14, 10)}, policy.Deny},
		{"zero Now is the start", policy.Change{Environment: "production", Start: at(25, 20, 0)}, policy.Deny},
		{"its fix", policy.Change{Environment: "production", Start: at(25, 20, 0), Now: at(25, 15, 0),
			Labels: map[string]string{"fixes": "INC-4711"}}, policy.Warn},
		{"the fix of another", policy.Change{Environment: "production", Start: at(25, 20, 0), Now: at(25, 15, 0),
			Labels: map[string]string{"fixes": "INC-4690"}}, policy.Deny},
		{"staging", policy.Change{Environment: "staging", Start: at(25, 20, 0), Now: at(25, 15, 0)}, policy.Allow},
		{"once resolved", policy.Change{Environment: "production", Start: at(26, 20, 0), Now: at(26, 9, 30)}, policy.Allow},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := p.Evaluate(ctx, tt.c)
			assert.Equal(t, tt.want, d.Verdict, d.Reason)
			assert.Equal(t, "no-change-during-incident", d.Policy)
			assert.NotEmpty(t, d.Reason)
		})
	}
}

func TestHelp(t *testing.T) {
	for _, arg := range []string{"-h", "-help", "--help"} {
		var stdout, stderr bytes.Buffer
		code := run([]string{arg}, &stdout, &stderr)
		assert.Equal(t, 0, code, arg)
		assert.Equal(t, usage, stdout.String(), "%s: the usage, not the demonstration", arg)
		assert.Empty(t, stderr.String(), arg)
	}
}

func TestBadUsage(t *testing.T) {
	for _, args := range [][]string{{"now"}, {"-x"}} {
		var stdout, stderr bytes.Buffer
		assert.Equal(t, 2, run(args, &stdout, &stderr), args)
		assert.Empty(t, stdout.String(), "%v: nothing shown", args)
		assert.Contains(t, stderr.String(), "usage: custompolicy", args)
	}
}
