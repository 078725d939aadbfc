package timeline

import (
	"slices"
	"time"
)

// Stats are the minimum, median and maximum of a set of durations. The
// median of an even count is the mean of the two middle values. The zero
// Stats is that of no durations (N is 0).
type Stats struct {
	N                int
	Min, Median, Max time.Duration
}

func statsOf(ds []time.Duration) Stats {
	if len(ds) == 0 {
		return Stats{}
	}
	slices.Sort(ds)
	n := len(ds)
	med := ds[n/2]
	if n%2 == 0 {
		med = ds[n/2-1] + (ds[n/2]-ds[n/2-1])/2
	}
	return Stats{N: n, Min: ds[0], Median: med, Max: ds[n-1]}
}

// StepForecast is what the rehearsals say of one step. The zero value is
// that of a step in no rehearsal.
type StepForecast struct {
	Step       string
	Impact     Impact // the worst impact seen
	Runs       int    // rehearsals in which the step ended at least once
	Elapsed    Stats
	Outage     Stats
	Disruption Stats
}

// Forecast is the expected duration and user impact of a go-live, from its
// rehearsals (rule R5 of the method). The zero Forecast is that of no
// rehearsals.
type Forecast struct {
	Runs       int // rehearsals used
	Duration   Stats
	Outage     Stats
	Disruption Stats
	Steps      []StepForecast // in order of first appearance
}

// Step returns the forecast of the named step.
func (f Forecast) Step(name string) (StepForecast, bool) {
	for _, s := range f.Steps {
		if s.Step == name {
			return s, true
		}
	}
	return StepForecast{}, false
}

// Estimate computes, per step and in total, the minimum, median and
// maximum of duration, outage and disruption over rehearsals: the input to
// planning a go-live. Attempts still open count nowhere: a step whose only
// attempt is open does not count for that rehearsal, and one with an ended
// attempt counts up to its last end.
func Estimate(rehearsals ...Summary) Forecast {
	f := Forecast{Runs: len(rehearsals)}
	var dur, out, dis []time.Duration
	type acc struct {
		impact                      Impact
		elapsed, outage, disruption []time.Duration
	}
	var order []string
	steps := make(map[string]*acc)
	for _, r := range rehearsals {
		dur = append(dur, r.Duration)
		out = append(out, r.Outage)
		dis = append(dis, r.Disruption)
		for _, t := range r.StepTotals() {
			a := steps[t.Step]
			if a == nil {
				a = &acc{}
				steps[t.Step] = a
				order = append(order, t.Step)
			}
			a.impact = max(a.impact, t.Impact)
			if t.Elapsed == 0 && t.Open {
				continue
			}
			a.elapsed = append(a.elapsed, t.Elapsed)
			a.outage = append(a.outage, t.Outage)
			a.disruption = append(a.disruption, t.Disruption)
		}
	}
	f.Duration, f.Outage, f.Disruption = statsOf(dur), statsOf(out), statsOf(dis)
	for _, name := range order {
		a := steps[name]
		f.Steps = append(f.Steps, StepForecast{
			Step: name, Impact: a.impact, Runs: len(a.elapsed),
			Elapsed: statsOf(a.elapsed), Outage: statsOf(a.outage), Disruption: statsOf(a.disruption),
		})
	}
	return f
}
