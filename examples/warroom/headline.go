package main

import (
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// plannedStep is one step of the plan the cutover is compared with: its
// duration in the rehearsal (or the runbook) and what it does to users.
type plannedStep struct {
	Step     string
	Duration time.Duration
	Impact   timeline.Impact
}

// planFrom returns the plan a rehearsal's journal gives: its steps in the
// order they first started, each from its first start to its last end.
func planFrom(entries []timeline.Entry) []plannedStep {
	type bounds struct{ start, end time.Time }
	var order []string
	seen := map[string]*bounds{}
	impact := map[string]timeline.Impact{}
	for _, sp := range timeline.Summarize(entries).Steps {
		b, ok := seen[sp.Step]
		if !ok {
			b = &bounds{start: sp.Start}
			seen[sp.Step] = b
			order = append(order, sp.Step)
			impact[sp.Step] = sp.Impact
		}
		if !sp.Open && sp.End.After(b.end) {
			b.end = sp.End
		}
	}
	plan := make([]plannedStep, 0, len(order))
	for _, s := range order {
		b := seen[s]
		plan = append(plan, plannedStep{Step: s, Duration: max(0, b.end.Sub(b.start)), Impact: impact[s]})
	}
	return plan
}

// headline is what the top of the page says, computed from the entries
// and the clock.
type headline struct {
	Now      time.Time
	T0       time.Time // zero: not known
	Verdict  string    // "GO", "NO-GO" or "undecided"
	GoBy     string    // who gave the decision
	Running  []string  // steps running now
	Last     string    // the last step that ended, with its outcome
	Done     int       // steps ended done or skipped (last attempt)
	Planned  int       // steps in the plan; 0: no plan
	Started  bool      // a step started
	Finished bool      // steps started, none running, and the plan (if any) is done

	HasPlan     bool
	Drift       time.Duration // late (> 0) or early (< 0) against the plan
	ExpectedEnd time.Time     // zero: not known
	Outage      time.Duration // users without service so far
	Disruption  time.Duration // users with a degraded service so far
	Spans       []timeline.Span
	Summary     timeline.Summary
}

// compute builds the headline of entries at now, against plan (nil: none).
func compute(entries []timeline.Entry, plan []plannedStep, now time.Time) headline {
	h := headline{Now: now, Verdict: "undecided", Planned: len(plan), HasPlan: len(plan) > 0}
	var estimate time.Duration
	for _, e := range entries {
		if t, err := time.Parse(time.RFC3339Nano, e.Attrs["t0"]); err == nil {
			h.T0 = t
		}
		if isDecision(e.Kind) {
			v := strings.ToLower(e.Attrs["verdict"])
			if v == "" {
				v = strings.ToLower(e.Attrs["decision"])
			}
			switch strings.ReplaceAll(strings.ReplaceAll(v, "_", "-"), " ", "-") {
			case "go":
				h.Verdict, h.GoBy = "GO", e.Actor
			case "no-go", "nogo":
				h.Verdict, h.GoBy = "NO-GO", e.Actor
			case "undecided", "":
				h.Verdict, h.GoBy = "undecided", ""
			}
			if d, err := time.ParseDuration(e.Attrs["estimate"]); err == nil {
				estimate = d
			}
		}
	}

	// Steps still running count up to now: close them there for the
	// totals, as a summary at that instant would.
	closed := slices.Clone(entries)
	base := timeline.Summarize(entries)
	for _, sp := range base.Steps {
		if sp.Open {
			closed = append(closed, timeline.Entry{Kind: timeline.KindEnd, Step: sp.Step, At: later(now, sp.Start)})
			h.Running = append(h.Running, sp.Step)
		}
	}
	sum := timeline.Summarize(closed)
	h.Summary, h.Spans = sum, sum.Steps
	for i := range h.Spans {
		h.Spans[i].Open = base.Steps[i].Open
	}
	h.Outage, h.Disruption = sum.Outage, sum.Disruption
	h.Started = len(base.Steps) > 0
	if h.T0.IsZero() && h.Started {
		h.T0 = base.Steps[0].Start
	}

	// The last attempt of each step says whether it is done.
	lastEnd := map[string]time.Time{}
	for _, sp := range base.Steps {
		delete(lastEnd, sp.Step)
		if !sp.Open && sp.Outcome != timeline.Failed {
			lastEnd[sp.Step] = sp.End
		}
		if !sp.Open {
			h.Last = sp.Step + " " + sp.Outcome.String()
		}
	}
	h.Done = len(lastEnd)
	h.Finished = h.Started && len(h.Running) == 0 && (len(plan) == 0 || h.Done >= len(plan))

	if len(plan) == 0 || h.T0.IsZero() {
		if estimate > 0 && !h.T0.IsZero() {
			h.ExpectedEnd = h.T0.Add(estimate)
		}
		if h.Finished {
			h.ExpectedEnd = base.Steps[len(base.Steps)-1].End
			for _, sp := range base.Steps {
				h.ExpectedEnd = later(h.ExpectedEnd, sp.End)
			}
		}
		return h
	}

	// Drift: how late the last step done ended against its planned end,
	// and how late a running step already is against its own.
	var total time.Duration
	plannedEnd := map[string]time.Duration{}
	for _, p := range plan {
		total += p.Duration
		plannedEnd[p.Step] = total
	}
	drift, known := time.Duration(0), false
	for _, p := range plan {
		if end, ok := lastEnd[p.Step]; ok {
			drift, known = end.Sub(h.T0)-plannedEnd[p.Step], true
		}
	}
	for _, s := range h.Running {
		if pe, ok := plannedEnd[s]; ok {
			if late := now.Sub(h.T0) - pe; late > drift || !known {
				drift, known = max(late, drift), true
			}
		}
	}
	if !known && now.After(h.T0) && !h.Started {
		drift = now.Sub(h.T0) // T0 passed and nothing started
	}
	h.Drift = drift
	h.ExpectedEnd = h.T0.Add(total + drift)
	if h.Finished {
		end := h.T0
		for _, sp := range base.Steps {
			end = later(end, sp.End)
		}
		h.ExpectedEnd, h.Drift = end, end.Sub(h.T0)-total
	}
	return h
}

// isDecision reports whether kind is a go/no-go decision: "decision" or
// a kind whose last dotted part is "decision" ("x-mep.decision").
func isDecision(kind string) bool {
	return kind == "decision" || strings.HasSuffix(kind, ".decision")
}

// later returns the later of a and b.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
