package report

import (
	"encoding/json"
	"fmt"
	"math"
	"time"
)

// Risk is how long the cutover may take, as simulated from its
// rehearsals before it ran (package risk's Monte Carlo, R5): the P50 and
// P90 of its duration, the chance to end after the window, and, once it
// ended, where its actual duration falls among the simulated ones. The
// zero Risk is that of no simulation: it is not shown.
type Risk struct {
	Trials int           `json:"trials"` // simulated cutovers; 0: no simulation
	P50    time.Duration `json:"-"`      // the median duration; JSON: p50_s
	P90    time.Duration `json:"-"`      // nine cutovers in ten take no longer; JSON: p90_s
	// PastWindow is the share of the simulated cutovers, started at T0,
	// that end after WindowEnd, between 0 and 1; 0 without a window.
	PastWindow float64 `json:"past_window"`
	// Rank is the share of the simulated cutovers that took no longer
	// than the actual one, between 0 and 1 (0.72: it ended at P72). It
	// means something once the go-live ended (Result.End); zero before.
	Rank float64 `json:"rank"`
}

// MarshalJSON encodes k with its durations in seconds (p50_s, p90_s).
func (k Risk) MarshalJSON() ([]byte, error) {
	type plain Risk
	return json.Marshal(struct {
		plain
		P50 float64 `json:"p50_s"`
		P90 float64 `json:"p90_s"`
	}{plain(k), secs(k.P50), secs(k.P90)})
}

// IsWithinP90 reports whether a cutover of duration d took no longer than
// the P90: what nine cutovers in ten should do.
func (k Risk) IsWithinP90(d time.Duration) bool { return k.Trials > 0 && d <= k.P90 }

// riskFact prints the simulated risk for the headline: "P50 end 21:47,
// P90 end 22:04 (1h47m, 2h4m); 0% chance to end after the window", and
// once the go-live ended, where its end fell: "ended at P71, within the
// P90". ok is false without a simulation.
func (r *Report) riskFact(res Result) (fact, bool) {
	k := r.Risk
	if k == nil || k.Trials == 0 {
		return fact{}, false
	}
	f := fact{Label: "Overrun risk (simulated before, R5)"}
	if start := r.T0; !start.IsZero() {
		f.Value = "P50 end " + r.clock(start.Add(k.P50).Round(time.Minute)) + ", P90 end " + r.clock(start.Add(k.P90).Round(time.Minute)) +
			" (" + dur(k.P50.Round(time.Minute)) + ", " + dur(k.P90.Round(time.Minute)) + ")"
	} else {
		f.Value = "duration P50 " + dur(k.P50.Round(time.Minute)) + ", P90 " + dur(k.P90.Round(time.Minute))
	}
	if !r.WindowEnd.IsZero() {
		f.Value += "; " + chance(k.PastWindow) + " chance to end after the window"
	}
	if r.Outcome.isEnded() && !res.End.IsZero() {
		f.Value += fmt.Sprintf("; ended at P%.0f, ", math.Min(100, math.Ceil(100*k.Rank)))
		if k.IsWithinP90(res.Duration) {
			f.Value += "within the P90"
		} else {
			f.Value += "past the P90"
			f.Class = "over"
		}
	}
	return f, true
}

// chance prints a share between 0 and 1 as a whole percentage, saying
// "<1%" and ">99%" rather than rounding a risk away.
func chance(p float64) string {
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
