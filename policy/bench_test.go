package policy_test

import (
	"testing"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// The standard set (see standardSet), evaluated on an allowed change.
func BenchmarkSetEvaluateAllowed(b *testing.B) {
	set := standardSet(b)
	c := policy.Change{
		Start: at(2026, 11, 24, 20, 30), Duration: 2 * time.Hour, Now: at(2026, 11, 24, 20, 0),
		ReadyAt:   at(2026, 11, 24, 19, 0),
		Approvals: []policy.Approval{{Role: "operations", By: "bob", At: at(2026, 11, 24, 19, 55), Go: true}},
	}
	if r := set.Evaluate(ctx, c); !r.Allowed() {
		b.Fatal(r)
	}
	b.ReportAllocs()
	for b.Loop() {
		set.Evaluate(ctx, c)
	}
}

// The standard set on a denied change (a Friday): each denial explains
// itself and finds when its policy would allow the change.
func BenchmarkSetEvaluateDenied(b *testing.B) {
	set := standardSet(b)
	c := policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: 2 * time.Hour, ReadyAt: at(2026, 11, 27, 8, 0)}
	b.ReportAllocs()
	for b.Loop() {
		set.Evaluate(ctx, c)
	}
}

func benchNextSlot(b *testing.B, c policy.Change, horizon time.Duration, wantErr bool) {
	benchNextSlotSet(b, standardSet(b), c, horizon, wantErr)
}

func benchNextSlotSet(b *testing.B, set policy.Set, c policy.Change, horizon time.Duration, wantErr bool) {
	if _, err := set.NextSlot(ctx, c, horizon); (err != nil) != wantErr {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		set.NextSlot(ctx, c, horizon)
	}
}

const year = 365 * 24 * time.Hour

// A Friday: the slot is the next Monday evening.
func BenchmarkNextSlotNextWeek(b *testing.B) {
	benchNextSlot(b, policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: 2 * time.Hour, ReadyAt: at(2026, 11, 20, 0, 0)}, year, false)
}

// The standard set with its freeze range made a four-month busy season
// (1 December to 1 April): the first slot is four months away.
func BenchmarkNextSlotMonthsAway(b *testing.B) {
	set := standardSet(b)
	set[3] = policy.Freeze("busy-season", at(2026, 12, 1, 0, 0), at(2027, 4, 1, 0, 0))
	c := policy.Change{Start: at(2026, 12, 1, 10, 0), Duration: 2 * time.Hour, ReadyAt: at(2026, 11, 20, 0, 0)}
	next, err := set.NextSlot(ctx, c, year)
	if err != nil || !next.Equal(at(2027, 4, 1, 20, 0)) {
		b.Fatal(next, err)
	}
	benchNextSlotSet(b, set, c, year, false)
}

// A 4-hour operation never fits a 3.5-hour window: the whole horizon is
// searched. The cost follows the number of intervals, not minutes.
func BenchmarkNextSlotNoSlot(b *testing.B) {
	for _, h := range []struct {
		name string
		d    time.Duration
	}{{"1month", 31 * 24 * time.Hour}, {"1year", year}, {"5years", 5 * year}} {
		b.Run(h.name, func(b *testing.B) {
			benchNextSlot(b, policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: 4 * time.Hour, ReadyAt: at(2026, 11, 20, 0, 0)}, h.d, true)
		})
	}
}

func BenchmarkWindowsParse(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		if _, err := policy.Windows("w", "Mon-Thu 20:00-23:30, Fri 22:00-02:00, Sun 08:00-24:00", paris); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkSetBlockedYear(b *testing.B) {
	set := standardSet(b)
	b.ReportAllocs()
	for b.Loop() {
		set.Blocked(at(2027, 1, 1, 0, 0), at(2028, 1, 1, 0, 0))
	}
}

// A recurring freeze over a year: one year lookup per year, not per day.
func BenchmarkCronBlockedYear(b *testing.B) {
	c, err := policy.Cron("friday-night", "0 22 * * 5", 8*time.Hour, paris)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		c.Blocked(at(2027, 1, 1, 0, 0), at(2028, 1, 1, 0, 0))
	}
}
