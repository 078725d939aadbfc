package policy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mepkit/mepkit/policy"
)

func TestFridayFreeze(t *testing.T) {
	ff := policy.FridayFreeze(paris)
	tests := []struct {
		name  string
		start time.Time
		d     time.Duration
		want  policy.Verdict
		next  time.Time
	}{
		{"thursday evening", at(2026, 11, 26, 20, 0), time.Hour, policy.Allow, time.Time{}},
		{"thursday into friday", at(2026, 11, 26, 23, 0), 2 * time.Hour, policy.Deny, at(2026, 11, 28, 0, 0)},
		{"ends at midnight", at(2026, 11, 26, 22, 0), 2 * time.Hour, policy.Allow, time.Time{}},
		{"friday morning", at(2026, 11, 27, 10, 0), time.Hour, policy.Deny, at(2026, 11, 28, 0, 0)},
		{"friday last minute", at(2026, 11, 27, 23, 59), 0, policy.Deny, at(2026, 11, 28, 0, 0)},
		{"saturday", at(2026, 11, 28, 0, 0), time.Hour, policy.Allow, time.Time{}},
		{"instant at thursday end", at(2026, 11, 26, 23, 59), 0, policy.Allow, time.Time{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := ff.Evaluate(context.Background(), policy.Change{Start: tt.start, Duration: tt.d})
			assert.Equal(t, tt.want, d.Verdict, d.Reason)
			assert.Equal(t, "friday-freeze", d.Policy)
			assert.True(t, tt.next.Equal(d.Next), "next: got %v, want %v", d.Next, tt.next)
		})
	}
}

func TestFridayFreezeReason(t *testing.T) {
	d := policy.FridayFreeze(paris).Evaluate(context.Background(), policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: time.Hour})
	assert.Equal(t, "Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET", d.Reason)
	assert.Equal(t, "friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET", d.String())
}

func TestWeekendFreeze(t *testing.T) {
	wf := policy.WeekendFreeze(paris)
	d := wf.Evaluate(context.Background(), policy.Change{Start: at(2026, 11, 27, 23, 0), Duration: 2 * time.Hour})
	assert.Equal(t, policy.Deny, d.Verdict)
	assert.True(t, at(2026, 11, 30, 0, 0).Equal(d.Next), d.Reason)
	assert.Contains(t, d.Reason, "Sat 2026-11-28 is a Saturday")
	b := wf.Blocked(at(2026, 11, 23, 0, 0), at(2026, 12, 7, 0, 0))
	assertIntervals(t, []policy.Interval{
		{at(2026, 11, 28, 0, 0), at(2026, 11, 30, 0, 0)},
		{at(2026, 12, 5, 0, 0), at(2026, 12, 7, 0, 0)},
	}, b)
}
