package report

import (
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// outcomeWords are how the headline says an outcome.
var outcomeWords = [...]string{"planned", "running", "done", "rolled back", "failed"}

func (o Outcome) words() string {
	if int(o) < len(outcomeWords) {
		return outcomeWords[o]
	}
	return o.String()
}

// headline fills the first facts of the report: where the rollout stands,
// when it started or starts, when it was planned to end, when its window
// closes, when it ended or is expected to, its duration and outage against
// the estimate (the figures of [Report.Result], one for every outcome) and,
// for a rollback, the time to restore.
func (r *Report) headline(v *view) {
	class := map[Outcome]string{Planned: "undecided", Running: "running", Done: "go", RolledBack: "nogo", Failed: "nogo"}[r.Outcome]
	if class == "" {
		class = "undecided"
	}
	res := r.result()
	a := &r.Actual
	started := len(a.Steps) > 0
	// A rollback that still runs has no end yet: its figures are so far.
	rollingBack := r.Outcome == RolledBack && started && res.End.IsZero()
	words := strings.ToUpper(r.Outcome.words())
	if rollingBack {
		words = "ROLLING BACK"
	}
	v.Outcome = fact{Label: "Outcome", Value: words, Class: "verdict-" + class}
	h := &v.Headline
	verdict := r.Decision.verdict()
	*h = append(*h, fact{Label: "Go/no-go", Value: strings.ToUpper(clean(verdict)), Class: "verdict-" + verdictClass(verdict)})
	if !r.T0.IsZero() {
		f := fact{Label: "T0", Value: r.when(r.T0)}
		if !a.Start.IsZero() {
			if d := a.Start.Sub(r.T0); d >= time.Second || d <= -time.Second {
				f.Value += " (started " + r.when(a.Start) + ", " + late(d) + ")"
			}
		}
		*h = append(*h, f)
	} else if !a.Start.IsZero() {
		*h = append(*h, fact{Label: "Started", Value: r.when(a.Start)})
	}
	if !r.PlannedEnd.IsZero() {
		*h = append(*h, fact{Label: "Planned end", Value: r.when(r.PlannedEnd)})
	}
	if !r.WindowEnd.IsZero() {
		*h = append(*h, fact{Label: "Window ends", Value: r.when(r.WindowEnd)})
	}
	if f, ok := r.endFact(res); ok {
		*h = append(*h, f)
	}
	if f, ok := r.riskFact(res); ok {
		*h = append(*h, f)
	}
	est := r.estimate()
	if (r.Outcome == Running || rollingBack) && started {
		r.soFarFacts(h, res, est, rollingBack)
		return
	}
	if started || est.Duration > 0 {
		*h = append(*h, against("Duration", res.Duration, est.Duration, started, ""))
	}
	if started || est.Outage > 0 {
		*h = append(*h, against("Outage (users cut off)", res.Outage, est.Outage, started, "outage"))
	}
	if res.Disruption > 0 || est.Disruption > 0 {
		*h = append(*h, against("Disruption (users degraded)", res.Disruption, est.Disruption, started, "disruption"))
	}
	if r.Outcome == RolledBack && started && r.Result != nil {
		f := fact{Label: "Time to restore", Value: "not known", Class: "outage"}
		if res.TimeToRestore > 0 {
			f.Value = dur(res.TimeToRestore) + " (from the failure to the end of the rollback)"
		}
		*h = append(*h, f)
	}
}

// soFarFacts adds the running measures of res to the headline: elapsed
// time, outage and disruption so far, against the whole estimate.
func (r *Report) soFarFacts(h *[]fact, res Result, est Estimate, rollingBack bool) {
	a := &r.Actual
	// While the cutover runs, its totals count only the ended steps.
	elapsed := res.Duration
	if r.Drift != nil {
		elapsed = r.Drift.Elapsed
	}
	// The result counts the steps still open up to the report's time:
	// what users went through so far, ongoing.
	fo := soFar("Outage so far (users cut off)", res.Outage, est.Outage, "outage")
	if ongoing(a, timeline.Outage) || rollingBack && res.Ongoing && res.Outage > 0 {
		fo.Value += ", ongoing"
	}
	*h = append(*h, soFar("Elapsed", elapsed, est.Duration, ""), fo)
	if res.Disruption > 0 || est.Disruption > 0 {
		fd := soFar("Disruption so far (users degraded)", res.Disruption, est.Disruption, "disruption")
		if ongoing(a, timeline.Disruption) {
			fd.Value += ", ongoing"
		}
		*h = append(*h, fd)
	}
}

// endFact prints when the go-live ended, against the planned end and the
// window, and which end that is for a rollback or a failure; while it
// runs, when it is expected to end. ok is false when there is nothing to
// say.
func (r *Report) endFact(res Result) (fact, bool) {
	end, label := r.end(res)
	if end.IsZero() {
		return fact{}, false
	}
	f := fact{Label: label, Value: r.when(end)}
	if !r.PlannedEnd.IsZero() {
		if d := end.Sub(r.PlannedEnd); d >= time.Second || d <= -time.Second {
			f.Value += " (" + late(d) + ")"
		}
	}
	if label == "Ended" && r.Result != nil {
		// Without a Result, the end is Actual's, which knows no rollback.
		switch r.Outcome {
		case RolledBack:
			f.Value += ", at the end of the rollback"
		case Failed:
			f.Value += ", at the last recorded step's end"
		}
	}
	if !r.WindowEnd.IsZero() && end.After(r.WindowEnd) {
		f.Value += ", after the window"
		f.Class = "over"
	}
	return f, true
}

// ongoing reports whether s, made by timeline.SummarizeAt, has a step
// with that impact still open at its instant.
func ongoing(s *timeline.Summary, impact timeline.Impact) bool {
	if !s.Ongoing {
		return false
	}
	for _, sp := range s.Steps {
		if sp.Open && sp.Impact == impact {
			return true
		}
	}
	return false
}

// soFar prints a running measure against the whole estimate: "30m of
// an estimated 1h26m"; over the estimate, it is marked.
func soFar(label string, d, est time.Duration, class string) fact {
	if est == 0 {
		return fact{Label: label, Value: dur(d) + " (no estimate)", Class: class}
	}
	f := fact{Label: label, Value: dur(d) + " of an estimated " + dur(est), Class: class}
	if d > est {
		f.Value += ", " + signed(d-est) + " over"
		f.Class = "over"
	}
	return f
}

// end returns when the go-live ended (res.End), or, while it runs or
// before it starts, when it is expected to end, with the label to print.
func (r *Report) end(res Result) (time.Time, string) {
	switch r.Outcome {
	case Done, RolledBack, Failed:
		if !res.End.IsZero() {
			return res.End, "Ended"
		}
	case Running:
		if r.Drift != nil && !r.Drift.ExpectedEnd.IsZero() {
			return r.Drift.ExpectedEnd, "Expected end"
		}
		return r.PlannedEnd, "Expected end"
	}
	return time.Time{}, ""
}

// against prints a measure against its estimate: "45m (estimate
// 24m, +21m)". known is false before the cutover: only the estimate
// is printed.
func against(label string, actual, est time.Duration, known bool, class string) fact {
	switch {
	case !known:
		return fact{Label: label, Value: "estimate " + dur(est)}
	case est == 0:
		return fact{Label: label, Value: dur(actual) + " (no estimate)", Class: class}
	}
	f := fact{Label: label, Value: dur(actual) + " (estimate " + dur(est) + ", " + signed(actual-est) + ")", Class: class}
	if actual-est > est/10 {
		f.Class = "over"
	}
	return f
}

// late prints d as "5m late", "2m early" or "on time".
func late(d time.Duration) string {
	switch {
	case d.Round(time.Second) > 0:
		return dur(d) + " late"
	case d.Round(time.Second) < 0:
		return dur(-d) + " early"
	}
	return "on time"
}
