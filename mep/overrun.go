package mep

import (
	"fmt"
	"math"
	"sort"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// Defaults and bounds of [SimOptions].
const (
	// DefaultTrials is the number of simulated cutovers when
	// SimOptions.Trials is zero.
	DefaultTrials = 10_000
	// MaxTrials bounds SimOptions.Trials.
	MaxTrials = 1_000_000
	// DefaultSpread is the log-spread given to a step known only from its
	// Expected duration or from one rehearsal, when SimOptions.Spread is
	// zero: such a step's P90 is about a third above its expected value.
	DefaultSpread = 0.25
	// maxSpread bounds SimOptions.Spread: e^2 is already a factor of 7.
	maxSpread = 2
)

// SimOptions configure [Simulate] and [SimulateRollback]. The zero value
// is valid: DefaultTrials trials from seed 0, the DefaultSpread, no T0
// and no window. Simulate copies it and never changes it.
type SimOptions struct {
	// Trials is the number of simulated cutovers; 0: DefaultTrials. It
	// must be between 0 and MaxTrials.
	Trials int
	// Seed seeds the pseudo-random generator (math/rand/v2's PCG): the
	// same inputs with the same seed give the same figures.
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
	// steps whose Impact is timeline.Outage (overlaps count once).
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
	short := func(d time.Duration) string { return timeline.FormatDuration(d.Round(time.Minute)) }
	clock := func(t time.Time) string { return t.Format("15:04 MST") }
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
		fmt.Fprintf(&b, "; %s chance to end after %s", percent(o.PastWindow), clock(o.WindowEnd.In(o.T0.Location())))
	}
	if len(o.Unknown) > 0 {
		fmt.Fprintf(&b, "; not known: %s", names(o.Unknown))
	}
	return b.String()
}

// percent writes a share as a whole percentage, saying "<1%" and ">99%"
// rather than rounding a risk away.
func percent(p float64) string {
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

// Simulate runs the cutover of runbook o.Trials times (Monte Carlo) on
// the timings of its rehearsals, and returns the distribution of its
// duration and outage, and the chance that it ends after o.WindowEnd.
//
// The trials honour the runbook's order (R10) as a cutover does: a step
// starts when the steps it waits for are done, its DependsOn, or else
// every earlier step outside its parallel Group. The duration is that of
// the critical path, not a sum.
//
// Each step is drawn by bootstrap: each trial takes the timing of one
// rehearsal that ran the step, drawn at random: its elapsed time (first
// start to last end, so its failed attempts and retries count as they
// were observed) and the hand-over before it (from when the steps it
// waits for ended to its start), both multiplied by a random factor of
// mean 1, e^(h*Z - h²/2) with Z standard normal (on a grid of 64 of its
// quantiles), which smooths the few observed values. With n timings of a
// step whose logarithms have the standard deviation s, h is s*√(2/n): the
// factor gives back the variance that resampling n values loses (a share
// 1/n) and adds the uncertainty of their centre (another 1/n), so that
// the P90 covers nine cutovers in ten. A step timed by one rehearsal has
// no observed spread: h is o.Spread, and a warning says so; with the
// DefaultSpread of 0.25 the step's P90 is a third above its timing.
//
// Production-like rehearsals (R5) are preferred: a step timed by any of
// them is drawn from them alone, the others only when none timed it (a
// warning says so). Rollback rehearsals are left out ([SimulateRollback]
// uses them). A step that no rehearsal timed is drawn from its Expected
// duration with the log-spread o.Spread, and without that either counts
// as taking no time and is listed in Unknown.
//
// Simulate is a pure function: the same inputs and o.Seed give the same
// figures. It returns a *FieldError for an invalid runbook (as
// [Project.NewRollout] checks it) or options.
func Simulate(runbook []Step, rehearsals []RehearsalRun, o SimOptions) (Overrun, error) {
	if err := o.check(); err != nil {
		return Overrun{}, err
	}
	if err := validateRunbook(runbook); err != nil {
		return Overrun{}, err
	}
	var runs []RehearsalRun
	for _, rh := range rehearsals {
		if !rh.Rollback {
			runs = append(runs, rh)
		}
	}
	return simulate(runbook, runs, o), nil
}

// SimulateRollback is [Simulate] for the rollback of a cutover whose steps
// started have started: the rollback runs, one at a time and latest
// first, the steps among them that have a Rollback procedure, as
// [Rollout.Rollback] does. Their timings come from the rollback
// rehearsals (RehearsalRun.Rollback) only; a step that no rollback
// rehearsal timed counts as taking no time and is listed in Unknown. The
// result's T0 is o.T0, the moment the rollback would start, and Outage
// counts the steps whose runbook Impact is an outage.
//
// Its P90 gives the latest moment to decide a rollback: see [DecideBy].
// It returns a *FieldError for an invalid runbook or options, or a
// started step that is not in the runbook.
func SimulateRollback(runbook []Step, rehearsals []RehearsalRun, started []string, o SimOptions) (Overrun, error) {
	if err := o.check(); err != nil {
		return Overrun{}, err
	}
	if err := validateRunbook(runbook); err != nil {
		return Overrun{}, err
	}
	ids := make(map[string]bool, len(runbook))
	for _, s := range runbook {
		ids[s.ID] = true
	}
	in := make(map[string]bool, len(started))
	for i, id := range started {
		if !ids[id] {
			return Overrun{}, fieldErr(fmt.Sprintf("rollback.started[%d]", i), id, "not a step of the runbook")
		}
		in[id] = true
	}
	var back []Step
	for i := len(runbook) - 1; i >= 0; i-- {
		if s := runbook[i]; in[s.ID] && s.Rollback != "" {
			back = append(back, Step{ID: s.ID, Impact: s.Impact, Rollback: s.Rollback})
		} else {
			delete(in, s.ID)
		}
	}
	runs := rollbacks(rehearsals, in)
	if len(back) == 0 {
		o = o.withDefaults()
		zeros := make([]time.Duration, o.Trials)
		return Overrun{T0: o.T0, WindowEnd: o.WindowEnd, Trials: o.Trials, Rehearsals: len(runs),
			Duration: Distribution{zeros}, Outage: Distribution{zeros},
			Warnings: []string{"overrun: no started step has a rollback procedure: nothing to roll back"}}, nil
	}
	return simulate(back, runs, o), nil
}

// DecideBy returns the latest moment to decide a rollback that must be
// over by windowEnd, when it takes rollbackP90 (the P90 of
// [SimulateRollback]'s duration): windowEnd - rollbackP90, in
// windowEnd's location. It counts elapsed time, not the wall clock: a
// window that crosses midnight or a daylight saving change keeps the
// rollback's whole duration. A negative rollbackP90 counts as 0; a zero
// windowEnd gives the zero time.
func DecideBy(windowEnd time.Time, rollbackP90 time.Duration) time.Time {
	if windowEnd.IsZero() {
		return time.Time{}
	}
	return windowEnd.Add(-max(rollbackP90, 0))
}

// rollbacks returns the rollback rehearsals, each with the attempts of
// the steps rolled back only: the others are not part of this rollback.
func rollbacks(rehearsals []RehearsalRun, back map[string]bool) []RehearsalRun {
	var runs []RehearsalRun
	for _, rh := range rehearsals {
		if !rh.Rollback {
			continue
		}
		steps := make([]timeline.Span, 0, len(rh.Summary.Steps))
		for _, sp := range rh.Summary.Steps {
			if back[sp.Step] {
				steps = append(steps, sp)
			}
		}
		rh.Summary.Steps = steps
		runs = append(runs, rh)
	}
	return runs
}

// withDefaults returns o with its zero fields set to their defaults.
func (o SimOptions) withDefaults() SimOptions {
	if o.Trials == 0 {
		o.Trials = DefaultTrials
	}
	if o.Spread == 0 {
		o.Spread = DefaultSpread
	}
	return o
}

// check reports a *FieldError for options out of bounds.
func (o SimOptions) check() error {
	switch {
	case o.Trials < 0 || o.Trials > MaxTrials:
		return fieldErr("sim.trials", fmt.Sprint(o.Trials), fmt.Sprintf("not between 0 and %d", MaxTrials))
	case math.IsNaN(o.Spread) || o.Spread < 0 || o.Spread > maxSpread:
		return fieldErr("sim.spread", fmt.Sprint(o.Spread), fmt.Sprintf("not a number between 0 and %d", maxSpread))
	case !o.WindowEnd.IsZero() && o.T0.IsZero():
		return fieldErr("sim.window_end", o.WindowEnd.String(), "a window end needs a T0")
	}
	return nil
}
