package policy_test

import (
	"context"
	"testing"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// One Upcoming over 14 days for the standard set, from a Wednesday before
// Christmas: Friday and weekend freezes, holidays and eves, the year-end
// freeze and the evening windows.
func BenchmarkUpcoming14Days(b *testing.B) {
	set := standardSet(b)
	from := at(2026, 12, 9, 12, 0)
	n := len(set.Upcoming(from, 14*24*time.Hour))
	b.ReportAllocs()
	defer measureCPU(b)()
	for b.Loop() {
		set.Upcoming(from, 14*24*time.Hour)
	}
	b.ReportMetric(float64(n), "transitions")
}

// A Wait held from Friday 10:00 before Easter Monday 2027 (a weekend, a
// holiday and the change of clocks in Paris) until the first evening
// window, Tuesday 20:00, on a fake clock: the wake-ups are reported.
func BenchmarkWaitWeekendAndHoliday(b *testing.B) {
	set := standardSet(b)[:5] // the calendars
	ready := at(2027, 3, 20, 12, 0)
	refresh := func(context.Context) (policy.Change, error) {
		return policy.Change{Duration: time.Hour, ReadyAt: ready}, nil
	}
	var wakes int
	b.ReportAllocs()
	for b.Loop() {
		clk := &fakeClock{now: at(2027, 3, 26, 10, 0)}
		res, err := set.Wait(context.Background(), refresh, clk.options())
		if err != nil || !res.Allowed() || !clk.now.Equal(at(2027, 3, 30, 20, 0)) {
			b.Fatal(err, res, clk.now)
		}
		wakes = len(clk.wakes)
	}
	b.ReportMetric(float64(wakes), "wake-ups")
}
