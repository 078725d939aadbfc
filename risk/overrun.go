package risk

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// Defaults and bounds of [Options].
const (
	// DefaultTrials is the number of simulated cutovers when
	// Options.Trials is zero.
	DefaultTrials = 10_000
	// MaxTrials bounds Options.Trials.
	MaxTrials = 1_000_000
	// DefaultSpread is the log-spread given to a step known only from its
	// Expected duration or from one rehearsal, when Options.Spread is
	// zero: such a step's P90 is about a third above its expected value.
	DefaultSpread = 0.25
	// maxSpread bounds Options.Spread: e^2 is already a factor of 7.
	maxSpread = 2
)

// Options configure [Simulate] and [SimulateRollback]. The zero value is
// valid: DefaultTrials trials from seed 0, the DefaultSpread, no T0 and no
// window. Simulate copies it and never changes it.
type Options struct {
	// Trials is the number of simulated cutovers; 0: DefaultTrials. It
	// must be between 0 and MaxTrials.
	Trials int
	// Seed seeds the pseudo-random generator: the same input with the
	// same seed gives the same figures, on every processor.
	Seed uint64
	// T0 is the planned start, from which [Overrun.End] reads instants.
	T0 time.Time
	// WindowEnd is when the window closes: [Overrun.PastWindow] is the
	// chance of ending after it. Zero: no window. It needs a T0.
	WindowEnd time.Time
	// Spread is the log-spread (the standard deviation of the logarithm
	// of a duration) of a step timed by one rehearsal only, or known
	// only from its Expected duration; 0: DefaultSpread. It must be a
	// number between 0 and 2.
	Spread float64
}

// Distribution is a sorted sample of durations, one per simulated
// cutover. The zero Distribution has no sample: every quantile is 0.
type Distribution struct {
	samples []time.Duration // sorted
}

// Len returns the number of samples.
func (d Distribution) Len() int { return len(d.samples) }

// Quantile returns the q-quantile of the samples by nearest rank: the
// smallest sample that at least a share q of the samples do not exceed.
// q is clamped to [0, 1]; a NaN q, or no sample, gives 0.
func (d Distribution) Quantile(q float64) time.Duration {
	n := len(d.samples)
	if n == 0 || math.IsNaN(q) {
		return 0
	}
	q = min(max(q, 0), 1)
	i := int(math.Ceil(q*float64(n))) - 1
	return d.samples[min(max(i, 0), n-1)]
}

// P50 returns the median: Quantile(0.5).
func (d Distribution) P50() time.Duration { return d.Quantile(0.5) }

// P90 returns Quantile(0.9): nine cutovers in ten take no longer.
func (d Distribution) P90() time.Duration { return d.Quantile(0.9) }

// Above returns the share of the samples longer than limit, between 0
// and 1; 0 without samples.
func (d Distribution) Above(limit time.Duration) float64 {
	n := len(d.samples)
	if n == 0 {
		return 0
	}
	i := sort.Search(n, func(i int) bool { return d.samples[i] > limit })
	return float64(n-i) / float64(n)
}

// Overrun is how long a cutover may take and how likely it is to overrun
// its window, from its rehearsals (R5), as [Simulate] computes it: a
// distribution, not one number. The zero Overrun is that of no trial.
type Overrun struct {
	T0        time.Time // the planned start; zero: none given
	WindowEnd time.Time // when the window closes; zero: none given
	Trials    int       // simulated cutovers
	// Duration runs from the first step's start to the last step's end,
	// hand-overs between steps included.
	Duration Distribution
	// Outage is the time users are cut off: the union of the time of the
	// steps whose Outage is set (overlaps count once).
	Outage Distribution
	// PastWindow is the share of the trials that end after WindowEnd,
	// between 0 and 1; 0 without a window.
	PastWindow float64
	// Rehearsals is the number of rehearsals whose timings were used.
	Rehearsals int
	// Unknown lists the steps with neither a rehearsal's timing nor an
	// Expected duration: they count as taking no time.
	Unknown []string
	// Warnings say, for people, where the figures stand on thin or
	// missing data.
	Warnings []string
}

// End returns the instant by which a share q of the trials ended:
// T0 + Duration.Quantile(q), in T0's location; zero without a T0.
func (o Overrun) End(q float64) time.Time {
	if o.T0.IsZero() {
		return time.Time{}
	}
	return o.T0.Add(o.Duration.Quantile(q))
}

// String says in one sentence what the trials say: the P50 and P90 end
// (or duration without a T0), the outage, the chance of overrunning the
// window and the steps not known.
func (o Overrun) String() string {
	short := func(d time.Duration) string { return timespan.Short(d.Round(time.Minute)) }
	clock := func(t time.Time) string { return t.Round(time.Minute).Format("15:04 MST") } // as the durations
	var b strings.Builder
	if o.T0.IsZero() {
		fmt.Fprintf(&b, "duration P50 %s, P90 %s", short(o.Duration.P50()), short(o.Duration.P90()))
	} else {
		fmt.Fprintf(&b, "end P50 %s, P90 %s (duration %s, %s)", clock(o.End(0.5)), clock(o.End(0.9)),
			short(o.Duration.P50()), short(o.Duration.P90()))
	}
	if o.Outage.P90() > 0 {
		fmt.Fprintf(&b, "; outage P50 %s, P90 %s", short(o.Outage.P50()), short(o.Outage.P90()))
	}
	if !o.WindowEnd.IsZero() && !o.T0.IsZero() {
		fmt.Fprintf(&b, "; %s chance to end after %s", Percent(o.PastWindow), clock(o.WindowEnd.In(o.T0.Location())))
	}
	if len(o.Unknown) > 0 {
		fmt.Fprintf(&b, "; not known: %s", names(o.Unknown))
	}
	return b.String()
}

// Percent writes a chance between 0 and 1 as a whole percentage, saying
// "<1%" and ">99%" rather than rounding a risk away: "0%", "<1%", "4%",
// ">99%", "100%".
func Percent(p float64) string {
	switch {
	case p == 0:
		return "0%"
	case p < 0.01:
		return "<1%"
	case p > 0.99 && p < 1:
		return ">99%"
	}
	return fmt.Sprintf("%.0f%%", 100*p)
}

// names lists step IDs for a sentence, the first five only.
func names(ids []string) string {
	if len(ids) <= 5 {
		return strings.Join(ids, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(ids[:5], ", "), len(ids)-5)
}

// withDefaults returns o with its zero fields set to their defaults.
func (o Options) withDefaults() Options {
	if o.Trials == 0 {
		o.Trials = DefaultTrials
	}
	if o.Spread == 0 {
		o.Spread = DefaultSpread
	}
	return o
}

// check reports a *FieldError for options out of bounds.
func (o Options) check() error {
	switch {
	case o.Trials < 0 || o.Trials > MaxTrials:
		return fieldErr("options.trials", fmt.Sprint(o.Trials), fmt.Sprintf("not between 0 and %d", MaxTrials))
	case math.IsNaN(o.Spread) || o.Spread < 0 || o.Spread > maxSpread:
		return fieldErr("options.spread", fmt.Sprint(o.Spread), fmt.Sprintf("not a number between 0 and %d", maxSpread))
	case !o.WindowEnd.IsZero() && o.T0.IsZero():
		return fieldErr("options.window_end", o.WindowEnd.String(), "a window end needs a T0")
	}
	return nil
}
