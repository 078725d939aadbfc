package timeline

import (
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// StepTotal is what one summary says of one step, over all its attempts.
// The zero StepTotal is that of a step never started.
type StepTotal struct {
	Step       string
	Attempts   int
	Elapsed    time.Duration // first start to last end of the ended attempts
	Outage     time.Duration // time of its ended Outage attempts
	Disruption time.Duration // time of its ended Disruption attempts
	Impact     Impact        // the worst impact of its attempts
	Outcome    Outcome       // outcome of its last ended attempt
	Open       bool          // its last attempt has not ended
}

// StepTotals groups the spans of s by step, in the order steps first
// started. Open attempts count in no duration.
func (s Summary) StepTotals() []StepTotal {
	var out []StepTotal
	index := make(map[string]int)
	first := make(map[string]time.Time)
	for _, sp := range s.Steps {
		i, ok := index[sp.Step]
		if !ok {
			i = len(out)
			index[sp.Step] = i
			out = append(out, StepTotal{Step: sp.Step})
		}
		t := &out[i]
		t.Attempts++
		t.Impact = max(t.Impact, sp.Impact)
		t.Open = sp.Open
		if sp.Open {
			continue
		}
		if _, ok := first[sp.Step]; !ok {
			first[sp.Step] = sp.Start
		}
		t.Elapsed = sp.End.Sub(first[sp.Step])
		t.Outcome = sp.Outcome
		switch sp.Impact {
		case Outage:
			t.Outage = timespan.Add(t.Outage, sp.Duration)
		case Disruption:
			t.Disruption = timespan.Add(t.Disruption, sp.Duration)
		}
	}
	return out
}

// Delta compares a baseline duration with an actual one. The zero Delta
// compares nothing with nothing: Diff is 0 and Percent is not ok.
type Delta struct {
	Baseline, Actual time.Duration
}

// Diff returns Actual - Baseline: positive when the actual run took longer.
func (d Delta) Diff() time.Duration { return d.Actual - d.Baseline }

// Percent returns Diff as a percentage of Baseline; ok is false when
// Baseline is zero and no percentage makes sense.
func (d Delta) Percent() (pct float64, ok bool) {
	if d.Baseline == 0 {
		return 0, false
	}
	return float64(d.Diff()) / float64(d.Baseline) * 100, true
}

// StepDelta compares one step's elapsed time in two runs.
type StepDelta struct {
	Step string
	Delta
}

// Comparison is the difference between a baseline run (a rehearsal) and an
// actual one (the cutover). The zero Comparison is that of two empty runs.
type Comparison struct {
	Duration   Delta
	Outage     Delta
	Disruption Delta
	Steps      []StepDelta // steps in both runs, in the actual run's order
	Missing    []string    // steps of the baseline that the actual run lacks
	Added      []string    // steps of the actual run that the baseline lacks
}

// Compare compares an actual run with a baseline, step by step (elapsed
// time over all attempts) and in total.
func Compare(baseline, actual Summary) Comparison {
	c := Comparison{
		Duration:   Delta{baseline.Duration, actual.Duration},
		Outage:     Delta{baseline.Outage, actual.Outage},
		Disruption: Delta{baseline.Disruption, actual.Disruption},
	}
	base := baseline.StepTotals()
	baseIndex := make(map[string]int, len(base))
	for i, t := range base {
		baseIndex[t.Step] = i
	}
	seen := make(map[string]bool)
	for _, t := range actual.StepTotals() {
		seen[t.Step] = true
		i, ok := baseIndex[t.Step]
		if !ok {
			c.Added = append(c.Added, t.Step)
			continue
		}
		c.Steps = append(c.Steps, StepDelta{Step: t.Step, Delta: Delta{base[i].Elapsed, t.Elapsed}})
	}
	for _, t := range base {
		if !seen[t.Step] {
			c.Missing = append(c.Missing, t.Step)
		}
	}
	return c
}
