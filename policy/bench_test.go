package policy_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"runtime"
	"slices"
	"strconv"
	"strings"
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
	defer measureCPU(b)()
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
	defer measureCPU(b)()
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
	defer measureCPU(b)()
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

// No slot in a year that no calendar can tell alone: the windows are on
// Fridays, which the standard set freezes, so the search walks every
// interval of the year. The cost follows the intervals passed.
func BenchmarkNextSlotNoSlotDisjoint(b *testing.B) {
	set := standardSet(b)
	win, err := policy.Windows("friday-evenings", "Fri 20:00-23:30", paris)
	if err != nil {
		b.Fatal(err)
	}
	set[4] = win
	benchNextSlotSet(b, set, policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: 2 * time.Hour, ReadyAt: at(2026, 11, 20, 0, 0)}, year, true)
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

// BenchmarkCronNew builds cron freezes: the check that a rule fires costs
// what the rule says, up to its first due day, not a year of due days.
func BenchmarkCronNew(b *testing.B) {
	for _, bc := range []struct{ name, expr string }{
		{"daily", "0 22 * * *"},
		{"friday", "0 22 * * 5"},
		{"last-day", "0 18 L * *"},
		{"fifth-monday-february", "0 0 * 2 1#5"},
		{"never", "0 0 30 2 *"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			defer measureCPU(b)()
			for b.Loop() {
				_, err := policy.Cron("c", bc.expr, time.Hour, paris)
				if (err != nil) != (bc.name == "never") {
					b.Fatal(err)
				}
			}
		})
	}
}

// mixChanges draws n changes over 2026-2027 as a team would plan them: any
// start to the minute, 5 minutes to 6 hours long, mostly ready in time,
// mostly with a GO, with outages on both sides of the limit. Most of them
// are denied by some policy (the window is 14 hours a week), so the mix
// measures the denials' reasons and their Next as much as the allows.
func mixChanges(n int, minDur, maxDur time.Duration) []policy.Change {
	rng := rand.New(rand.NewPCG(10, 2026))
	from := at(2026, 1, 1, 0, 0)
	minutes := int(at(2028, 1, 1, 0, 0).Sub(from) / time.Minute)
	out := make([]policy.Change, n)
	for i := range out {
		start := from.Add(time.Duration(rng.IntN(minutes)) * time.Minute)
		d := minDur + time.Duration(rng.IntN(int((maxDur-minDur)/time.Minute)+1))*time.Minute
		c := policy.Change{Name: "release", Environment: "production", Start: start, Duration: d, OutageKnown: true,
			Outage: time.Duration(rng.IntN(90)) * time.Minute}
		switch r := rng.IntN(10); {
		case r < 6: // ready well in time
			c.ReadyAt = start.Add(-time.Duration(60+rng.IntN(48*60)) * time.Minute)
			c.Now = start.Add(-time.Duration(rng.IntN(60)) * time.Minute)
		case r < 8: // ready too late
			c.ReadyAt = start.Add(time.Duration(rng.IntN(90)-59) * time.Minute)
			c.Now = c.ReadyAt
		default: // not ready yet
			c.Now = start.Add(-time.Duration(rng.IntN(180)) * time.Minute)
		}
		switch r := rng.IntN(10); {
		case r < 7:
			c.Approvals = []policy.Approval{{Role: "operations", By: "bob", At: c.Now, Go: true}}
		case r < 8:
			c.Approvals = []policy.Approval{{Role: "operations", By: "bob", At: c.Now, Go: false, Reason: "backup not verified"}}
		}
		out[i] = c
	}
	return out
}

// mixSet is the standard set and a maximum outage of one hour.
func mixSet(t testing.TB) policy.Set {
	return append(standardSet(t), policy.MaxOutage(time.Hour))
}

// BenchmarkSetEvaluateMix evaluates 4,000 random changes over 2026-2027
// (see mixChanges) against the standard set with a maximum outage, Next
// included, by band of duration: the cost must not grow with the length of
// the operation.
func BenchmarkSetEvaluateMix(b *testing.B) {
	set := mixSet(b)
	for _, band := range []struct {
		name     string
		min, max time.Duration
	}{
		{"all", 5 * time.Minute, 6 * time.Hour},
		{"5m-1h", 5 * time.Minute, time.Hour},
		{"1h-4h", time.Hour, 4 * time.Hour},
		{"4h-6h", 4 * time.Hour, 6 * time.Hour},
	} {
		b.Run(band.name, func(b *testing.B) {
			cs := mixChanges(4000, band.min, band.max)
			b.ReportAllocs()
			stop := measureCPU(b)
			i := 0
			for b.Loop() {
				set.Evaluate(ctx, cs[i])
				if i++; i == len(cs) {
					i = 0
				}
			}
			stop()
			reportMedian(b, cs, func(c policy.Change) { set.Evaluate(ctx, c) })
		})
	}
}

// reportMedian reports the median time of one call of fn over cs, each
// call timed on its own (the clock's reading included), as p50-ns: the
// goal of the mix is on the median.
func reportMedian(b *testing.B, cs []policy.Change, fn func(policy.Change)) {
	ds := make([]time.Duration, len(cs))
	for i, c := range cs {
		t0 := time.Now()
		fn(c)
		ds[i] = time.Since(t0)
	}
	slices.Sort(ds)
	b.ReportMetric(float64(ds[len(ds)/2]), "p50-ns")
}

// measureCPU reports the CPU time per operation of the calling goroutine's
// thread as cpu-ns/op, when the system tells it: call it before b.Loop and
// defer what it returns.
func measureCPU(b *testing.B) func() {
	runtime.LockOSThread()
	c0 := threadCPU()
	return func() {
		if c1 := threadCPU(); c0 >= 0 && c1 >= 0 && b.N > 0 {
			b.ReportMetric(float64(c1-c0)/float64(b.N), "cpu-ns/op")
		}
		runtime.UnlockOSThread()
	}
}

// An 80,000-range spec, written latest first (the worst order for an
// insertion sort): parsing stays linear-ish.
func BenchmarkWindowsParseLarge(b *testing.B) {
	for _, n := range []int{8_000, 80_000} {
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var sb strings.Builder
			days := []string{"Sun", "Sat", "Fri", "Thu", "Wed", "Tue", "Mon"}
			for i := range n {
				if i > 0 {
					sb.WriteString(", ")
				}
				m := 1438 - i%1439
				fmt.Fprintf(&sb, "%s %02d:%02d-%02d:%02d", days[i/1439%7], m/60, m%60, (m+1)/60, (m+1)%60)
			}
			spec := sb.String()
			b.ReportAllocs()
			for b.Loop() {
				if _, err := policy.Windows("w", spec, paris); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkDecisionsJSON writes the decisions of a denied change of the
// standard set, as a go/no-go records them: through json.Marshal of the
// slice, with AppendDecisions, and as the reflective encoding did.
func BenchmarkDecisionsJSON(b *testing.B) {
	r := standardSet(b).Evaluate(ctx, policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: 2 * time.Hour, ReadyAt: at(2026, 11, 27, 8, 0)})
	ds := r.Decisions
	for _, bc := range []struct {
		name string
		fn   func([]byte) ([]byte, error)
	}{
		{"json.Marshal", func([]byte) ([]byte, error) { return json.Marshal(ds) }},
		{"AppendDecisions", func(buf []byte) ([]byte, error) { return policy.AppendDecisions(buf[:0], ds) }},
		{"reflection", func([]byte) ([]byte, error) { return policy.MarshalDecisionsReflect(ds) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			buf, err := bc.fn(nil)
			if err != nil {
				b.Fatal(err)
			}
			b.SetBytes(int64(len(buf)))
			b.ReportAllocs()
			defer measureCPU(b)()
			for b.Loop() {
				if _, err := bc.fn(buf); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
