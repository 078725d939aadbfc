package risk

import (
	"fmt"
	"time"
)

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
// as taking no time and is listed in Unknown. Timings that end before
// they start or last over a year are ignored and counted in a warning;
// attempts of steps not in the runbook are ignored and named in one.
//
// A runbook has at most 10,000 steps. Simulate is a pure function: the
// same input and o.Seed give the same figures. A large simulation is
// drawn on up to GOMAXPROCS goroutines (at most 8), each block of 128
// trials from a random stream of its own, so that the figures do not
// depend on their number; Simulate returns when they are done. It
// returns a *FieldError for an invalid runbook or options.
func Simulate(runbook []Step, rehearsals []Run, o Options) (Overrun, error) {
	if err := o.check(); err != nil {
		return Overrun{}, err
	}
	if err := validate(runbook); err != nil {
		return Overrun{}, err
	}
	var runs []Run
	for _, rh := range rehearsals {
		if !rh.Rollback {
			runs = append(runs, rh)
		}
	}
	return simulate(runbook, runs, o), nil
}

// SimulateRollback is [Simulate] for the rollback of a cutover whose steps
// started have started: the rollback runs, one at a time and latest
// first, the steps among them that are Reversible. Their timings come
// from the rollback rehearsals (Run.Rollback) only; a step that no
// rollback rehearsal timed counts as taking no time and is listed in
// Unknown. The result's T0 is o.T0, the moment the rollback would start,
// and Outage counts the steps whose Outage is set.
//
// Its P90 gives the latest moment to decide a rollback: see [DecideBy].
// It returns a *FieldError for an invalid runbook or options, or a
// started step that is not in the runbook.
func SimulateRollback(runbook []Step, rehearsals []Run, started []string, o Options) (Overrun, error) {
	if err := o.check(); err != nil {
		return Overrun{}, err
	}
	if err := validate(runbook); err != nil {
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
		if s := runbook[i]; in[s.ID] && s.Reversible {
			back = append(back, Step{ID: s.ID, Outage: s.Outage, Reversible: true})
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
func rollbacks(rehearsals []Run, back map[string]bool) []Run {
	var runs []Run
	for _, rh := range rehearsals {
		if !rh.Rollback {
			continue
		}
		atts := make([]Attempt, 0, len(rh.Attempts))
		for _, a := range rh.Attempts {
			if back[a.Step] {
				atts = append(atts, a)
			}
		}
		rh.Attempts = atts
		runs = append(runs, rh)
	}
	return runs
}

// simulate builds the model of runbook from runs and runs o's trials;
// runbook and o are valid.
func simulate(runbook []Step, runs []Run, o Options) Overrun {
	o = o.withDefaults()
	m, n := build(runbook, runs, o.Spread)
	dur, out := m.run(o.Trials, o.Seed)
	ov := Overrun{
		T0: o.T0, WindowEnd: o.WindowEnd, Trials: o.Trials, Rehearsals: len(runs),
		Duration: Distribution{dur}, Outage: Distribution{out},
		Unknown: n.unknown, Warnings: n.warnings(),
	}
	if !o.WindowEnd.IsZero() {
		ov.PastWindow = ov.Duration.Above(o.WindowEnd.Sub(o.T0))
	}
	return ov
}
