package policy_test

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

// sample is a Distribution of its durations, as a simulation keeps them.
type sample []time.Duration

// spread returns 100 runs: n of each duration given, in order.
func spread(parts ...any) sample {
	var s sample
	for i := 0; i+1 < len(parts); i += 2 {
		for range parts[i].(int) {
			s = append(s, parts[i+1].(time.Duration))
		}
	}
	slices.Sort(s)
	return s
}

func (s sample) Quantile(q float64) time.Duration {
	i := int(q*float64(len(s))+0.999999) - 1
	return s[min(max(i, 0), len(s)-1)]
}

func (s sample) Above(limit time.Duration) float64 {
	i := sort.Search(len(s), func(i int) bool { return s[i] > limit })
	return float64(len(s)-i) / float64(len(s))
}

func evenings(t *testing.T) policy.Set {
	t.Helper()
	win, err := policy.Windows("evenings", "Mon-Thu 20:00-23:30", paris)
	require.NoError(t, err)
	return policy.Set{policy.FridayFreeze(paris), win}
}

func TestFitAt(t *testing.T) {
	set := evenings(t)
	fit := policy.FitAt(0.9, set)
	start := at(2026, 11, 12, 21, 0) // a Thursday
	for _, c := range []struct {
		name string
		runs sample
		want policy.Verdict
		text string
	}{
		{"fits", spread(86, 2*time.Hour, 10, 2*time.Hour+12*time.Minute, 4, 2*time.Hour+40*time.Minute), policy.Allow,
			"P90 end 23:12 CET, window ends 23:30 CET (evenings); 4% chance to overrun"},
		{"P90 past the close", spread(80, 2*time.Hour, 20, 2*time.Hour+42*time.Minute), policy.Deny,
			"P90 end 23:42 CET, window ends 23:30 CET (evenings); 20% chance to overrun; start earlier, shorten the runbook or ask for a longer window"},
		{"in the window", spread(100, time.Hour), policy.Allow,
			"P90 end 22:00 CET, window ends 23:30 CET (evenings); 0% chance to overrun"},
		{"a rare overrun", spread(999, time.Hour, 1, 3*time.Hour), policy.Allow,
			"P90 end 22:00 CET, window ends 23:30 CET (evenings); <1% chance to overrun"},
	} {
		ch := policy.Change{Start: start, Duration: time.Hour, Risk: policy.Risk{Durations: c.runs}}
		d := fit.Evaluate(context.Background(), ch)
		assert.Equal(t, c.want, d.Verdict, c.name)
		assert.Equal(t, c.text, d.Reason, c.name)
		assert.Equal(t, "fit-p90", d.Policy)
		assert.Equal(t, policy.R5, d.Rule)
		r := append(set, fit).Evaluate(context.Background(), ch)
		assert.Equal(t, c.want == policy.Allow, r.Allowed(), "%s: in a set, %v", c.name, r)
	}

	d := fit.Evaluate(context.Background(), policy.Change{Start: start})
	assert.Equal(t, policy.Warn, d.Verdict, "no durations: not known")
	assert.Contains(t, d.Reason, "P90 is not known")

	p95, ok := policy.As[*policy.Fit](policy.Mandatory(policy.FitAt(0.95, set)))
	require.True(t, ok, "found in a set by type")
	assert.Equal(t, 0.95, p95.Q)
	assert.Equal(t, "fit-p95", p95.Name())
	assert.Equal(t, "P99.9", policy.FitAt(0.999, nil).(*policy.Fit).Label())
	assert.Panics(t, func() { policy.FitAt(0, set) })
	assert.Panics(t, func() { policy.FitAt(1.5, set) })
}

// With a FitAt in the set, the next slot is where the P90 end fits, not
// only the duration: the denial names the next start where it does.
func TestFitAtNextSlot(t *testing.T) {
	set := evenings(t)
	set = append(set, policy.FitAt(0.9, set))
	c := policy.Change{Start: at(2026, 11, 12, 22, 0), Duration: time.Hour, // Thursday 22:00: 23:00 fits
		Risk: policy.Risk{Durations: spread(80, time.Hour, 20, 105*time.Minute)}} // the P90, 23:45, does not
	d := set.Evaluate(context.Background(), c).Decisions[2]
	require.Equal(t, policy.Deny, d.Verdict)
	assert.True(t, at(2026, 11, 16, 20, 0).Equal(d.Next), "Monday's window; got %v", d.Next)

	next, err := set.NextSlot(context.Background(), c, 30*24*time.Hour)
	require.NoError(t, err)
	assert.True(t, at(2026, 11, 16, 20, 0).Equal(next), "got %v", next)

	c.Start = at(2026, 11, 12, 21, 0) // 22:45 fits
	next, err = set.NextSlot(context.Background(), c, 30*24*time.Hour)
	require.NoError(t, err)
	assert.True(t, c.Start.Equal(next), "got %v", next)
}

// The window's close is counted in elapsed time: on the night clocks go
// back, a run of 2h30m from 01:00 CEST ends at 02:30 CET, before a freeze
// from 03:00 CET, three hours after the start.
func TestFitAtAcrossTheClockChange(t *testing.T) {
	freeze := policy.Freeze("maintenance", at(2026, 10, 25, 3, 0), at(2026, 10, 25, 6, 0))
	start := time.Date(2026, 10, 25, 1, 0, 0, 0, paris)
	fit := policy.FitAt(0.9, policy.Set{freeze})
	d := fit.Evaluate(context.Background(), policy.Change{Start: start, Risk: policy.Risk{Durations: spread(100, 150*time.Minute)}})
	assert.Equal(t, policy.Allow, d.Verdict)
	assert.Equal(t, "P90 end 02:30 CET, window ends 03:00 CET (maintenance); 0% chance to overrun", d.Reason)

	d = fit.Evaluate(context.Background(), policy.Change{Start: start, Risk: policy.Risk{Durations: spread(100, 3*time.Hour+time.Minute)}})
	assert.Equal(t, policy.Deny, d.Verdict)

	d = policy.FitAt(0.9, nil).Evaluate(context.Background(), policy.Change{Start: start, Risk: policy.Risk{Durations: spread(100, time.Hour)}})
	assert.Equal(t, "P90 end 02:00 CEST; no window closes before the longest run ends, nor within a day: 0% chance to overrun", d.Reason)
}

// Will nine cutovers in ten end before the window closes?
func ExampleFitAt() {
	paris, _ := time.LoadLocation("Europe/Paris")
	win, _ := policy.Windows("evenings", "Mon-Thu 20:00-23:30", paris)
	set := policy.Set{policy.FridayFreeze(paris), win}
	set = append(set, policy.FitAt(0.9, set))

	// 100 simulated cutovers (package risk draws 10,000 from the rehearsals).
	var runs sample
	for i := range 100 {
		runs = append(runs, 2*time.Hour+time.Duration(i*i/300)*time.Minute)
	}
	c := policy.Change{Start: time.Date(2026, 11, 12, 21, 0, 0, 0, paris), Duration: 2 * time.Hour,
		Risk: policy.Risk{Durations: runs}}
	fmt.Println(set.Evaluate(context.Background(), c).Decisions[2])
	// Output:
	// fit-p90: P90 end 23:26 CET, window ends 23:30 CET (evenings); 3% chance to overrun
}
