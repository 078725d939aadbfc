package main

import (
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
	// The risk, for a mep rollout: the P90 end simulated from its
	// rehearsals (zero: not known), the window's end (zero: none) and the
	// chance to end after it ("4%"; "": no window).
	P90End    time.Time
	WindowEnd time.Time
	Overrun   string
	// The decision point, for a mep cutover: DecideBy the latest moment
	// to decide a rollback that still ends in the window (zero: none),
	// NoReturn the step past which there is no rollback ("": not
	// passed), Decision what it means in words.
	DecideBy       time.Time
	DecisionPassed bool
	NoReturn       string
	Decision       string
	Outage         time.Duration // users without service so far
	Disruption     time.Duration // users with a degraded service so far
	Spans          []timeline.Span
	Summary        timeline.Summary
}

// tally is the headline's fold of a record, updated by each new entry
// only: the T0, the decision and the step attempts, so that a headline
// costs the steps, never the entries. The zero tally is that of an empty
// record. A tally is not safe for concurrent use.
type tally struct {
	t0            time.Time
	verdict, goBy string
	estimate      time.Duration
	spans         []timeline.Span
	running       map[string]int // step -> index in spans of its open attempt
	attempts      map[string]int // step -> attempts so far
}

// add folds e, the entry after those already folded. An end without a
// running start is ignored, as timeline.Summarize ignores it.
func (t *tally) add(e *timeline.Entry) {
	if at, err := time.Parse(time.RFC3339Nano, e.Attrs["t0"]); err == nil {
		t.t0 = at
	}
	if isDecision(e.Kind) {
		t.decision(e)
	}
	switch e.Kind {
	case timeline.KindStart:
		if _, ok := t.running[e.Step]; ok {
			return
		}
		if t.running == nil {
			t.running, t.attempts = map[string]int{}, map[string]int{}
		}
		t.attempts[e.Step]++
		t.running[e.Step] = len(t.spans)
		t.spans = append(t.spans, timeline.Span{Step: e.Step, Attempt: t.attempts[e.Step], Actor: e.Actor,
			Start: e.At, Impact: e.Impact, Open: true, StartSeq: e.Seq})
	case timeline.KindEnd:
		i, ok := t.running[e.Step]
		if !ok {
			return
		}
		sp := &t.spans[i]
		sp.End, sp.EndSeq, sp.Outcome, sp.Open = e.At, e.Seq, e.Outcome, false
		sp.Duration = sp.End.Sub(sp.Start)
		delete(t.running, e.Step)
	}
}

// decision folds a go/no-go decision entry.
func (t *tally) decision(e *timeline.Entry) {
	v := strings.ToLower(e.Attrs["verdict"])
	if v == "" {
		v = strings.ToLower(e.Attrs["decision"])
	}
	switch strings.ReplaceAll(strings.ReplaceAll(v, "_", "-"), " ", "-") {
	case "go":
		t.verdict, t.goBy = "GO", e.Actor
	case "no-go", "nogo":
		t.verdict, t.goBy = "NO-GO", e.Actor
	case "undecided", "":
		t.verdict, t.goBy = "undecided", ""
	}
	if d, err := time.ParseDuration(e.Attrs["estimate"]); err == nil {
		t.estimate = d
	}
}

// compute builds the headline of entries at now, against plan (nil: none).
func compute(entries []timeline.Entry, plan []plannedStep, now time.Time) headline {
	var t tally
	for i := range entries {
		t.add(&entries[i])
	}
	return t.headline(plan, now)
}

// closedAt returns spans with those still open ended at now (or at their
// start, if now is before it), for the totals a summary at now would give.
func closedAt(spans []timeline.Span, now time.Time) timeline.Summary {
	synthetic := make([]timeline.Entry, 0, 2*len(spans))
	for _, sp := range spans {
		end := sp.End
		if sp.Open {
			end = later(now, sp.Start)
		}
		synthetic = append(synthetic,
			timeline.Entry{At: sp.Start, Kind: timeline.KindStart, Step: sp.Step, Impact: sp.Impact, Actor: sp.Actor},
			timeline.Entry{At: end, Kind: timeline.KindEnd, Step: sp.Step, Outcome: sp.Outcome})
	}
	sum := timeline.Summarize(synthetic)
	for i := range sum.Steps {
		sum.Steps[i].Attempt, sum.Steps[i].Open = spans[i].Attempt, spans[i].Open
		sum.Steps[i].StartSeq, sum.Steps[i].EndSeq = spans[i].StartSeq, spans[i].EndSeq
	}
	return sum
}

// headline builds the headline of what t folded at now, against plan
// (nil: none), in time proportional to the step attempts.
func (t *tally) headline(plan []plannedStep, now time.Time) headline {
	h := headline{Now: now, Verdict: "undecided", Planned: len(plan), HasPlan: len(plan) > 0, T0: t.t0}
	if t.verdict != "" {
		h.Verdict, h.GoBy = t.verdict, t.goBy
	}
	// Steps still running count up to now: close them there for the
	// totals, as a summary at that instant would.
	sum := closedAt(t.spans, now)
	h.Summary, h.Spans = sum, sum.Steps
	h.Outage, h.Disruption = sum.Outage, sum.Disruption
	h.Started = len(t.spans) > 0
	if h.T0.IsZero() && h.Started {
		h.T0 = t.spans[0].Start
	}
	// The last attempt of each step says whether it is done.
	lastEnd := map[string]time.Time{}
	for _, sp := range t.spans {
		if sp.Open {
			h.Running = append(h.Running, sp.Step)
		}
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
		if t.estimate > 0 && !h.T0.IsZero() {
			h.ExpectedEnd = h.T0.Add(t.estimate)
		}
		if h.Finished {
			h.ExpectedEnd = t.lastEnd()
		}
		return h
	}
	h.Drift, h.ExpectedEnd = drift(plan, lastEnd, h, now)
	if h.Finished {
		end := later(h.T0, t.lastEnd())
		var total time.Duration
		for _, p := range plan {
			total += p.Duration
		}
		h.ExpectedEnd, h.Drift = end, end.Sub(h.T0)-total
	}
	return h
}

// lastEnd returns the latest end of the attempts that ended.
func (t *tally) lastEnd() time.Time {
	var end time.Time
	for _, sp := range t.spans {
		end = later(end, sp.End)
	}
	return end
}

// drift returns how late the last step done ended against its planned
// end, and how late a running step already is against its own, and the
// expected end that follows.
func drift(plan []plannedStep, lastEnd map[string]time.Time, h headline, now time.Time) (time.Duration, time.Time) {
	var total time.Duration
	plannedEnd := map[string]time.Duration{}
	for _, p := range plan {
		total += p.Duration
		plannedEnd[p.Step] = total
	}
	d, known := time.Duration(0), false
	for _, p := range plan {
		if end, ok := lastEnd[p.Step]; ok {
			d, known = end.Sub(h.T0)-plannedEnd[p.Step], true
		}
	}
	for _, s := range h.Running {
		if pe, ok := plannedEnd[s]; ok {
			if late := now.Sub(h.T0) - pe; late > d || !known {
				d, known = max(late, d), true
			}
		}
	}
	if !known && now.After(h.T0) && !h.Started {
		d = now.Sub(h.T0) // T0 passed and nothing started
	}
	return d, h.T0.Add(total + d)
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
