package report

import (
	"bytes"
	"encoding/json"
	"io"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// WriteJSON writes r as one indented JSON object, as [Report.MarshalJSON]
// gives it, followed by a newline. Strings are escaped so that the output
// is safe to embed in HTML.
func (r *Report) WriteJSON(w io.Writer) error {
	// The value MarshalJSON encodes, encoded here directly: the encoder
	// then neither copies nor re-validates the whole document.
	return writeJSON(w, r.jsonValue())
}

// writeJSON writes v as indented JSON and a newline. It marshals v
// compactly, then indents into a buffer grown once: the encoder's own
// indentation grows its buffer step by step, which costs more on large
// reports.
func writeJSON(w io.Writer, v any) error {
	b, err := json.Marshal(v)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, b, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	_, err = w.Write(buf.Bytes())
	return err
}

// MarshalJSON encodes r with the names of its fields' json tags, in this
// shape (fields in parentheses are left out when zero or empty):
//
//	(title), (project), (rollout), (generated), (phase), outcome, (t0),
//	(planned_end), (window_end), estimate {duration_s, outage_s, disruption_s},
//	(result) {(end), duration_s, outage_s, disruption_s, time_to_restore_s
//	    or null, ongoing}, (risk) {trials, p50_s, p90_s, past_window, rank},
//	decision {verdict, (reasons[]), (at)}, votes[], overrides[],
//	checklist {(name), ready, (ready_at), items[], progress {done, waived,
//	    failed, total, required_pending}} or null,
//	steps[] {id, (title), (owner), impact, runs, expected_s, min_s, max_s},
//	drift {(at), (expected_end), elapsed_s, expected_s, behind_s} or null,
//	actions[], lessons[], notes[], phases[],
//	(location), actual {(start), (end), duration_s, outage_s, disruption_s,
//	    entries, open, steps[] {step, attempt, (actor), (start), (end),
//	    duration_s, impact, (outcome), open, start_seq, end_seq}},
//	(rehearsal) like actual, (comparison) {duration, outage, disruption:
//	    {rehearsal_s, actual_s, diff_s}, steps[] {step, rehearsal_s,
//	    actual_s, diff_s}, missing[], added[]}
//
// Durations are numbers of seconds (fields ending in _s). Times are RFC 3339
// in the location they carry; location names the Location the other
// formats print them in. The report's own lists are [] when empty, never
// null. The verdict is "undecided", "go" or "no-go"; the outcome, statuses,
// impacts and outcomes of steps are text. Comparison is computed from
// rehearsal and actual when only Rehearsal is set.
func (r Report) MarshalJSON() ([]byte, error) {
	return json.Marshal(r.jsonValue())
}

// reportJSON is the shape of a Report in JSON: the Report itself, with
// the timeline's summaries and comparison in the report's units.
type reportJSON struct {
	*plainReport
	Location   string          `json:"location,omitempty"`
	Actual     summaryJSON     `json:"actual"`
	Rehearsal  *summaryJSON    `json:"rehearsal,omitempty"`
	Comparison *comparisonJSON `json:"comparison,omitempty"`
}

// plainReport is Report without its methods, for encoding/json.
type plainReport Report

func (r *Report) jsonValue() *reportJSON {
	p := plainReport(*r)
	p.Votes, p.Overrides, p.Steps = list(p.Votes), list(p.Overrides), list(p.Steps)
	p.Actions, p.Lessons, p.Notes, p.Phases = list(p.Actions), list(p.Lessons), list(p.Notes), list(p.Phases)
	out := &reportJSON{plainReport: &p, Actual: newSummaryJSON(&r.Actual)}
	if r.Location != nil {
		out.Location = r.Location.String()
	}
	if r.Rehearsal != nil {
		s := newSummaryJSON(r.Rehearsal)
		out.Rehearsal = &s
	}
	if c := r.comparison(); c != nil {
		out.Comparison = newComparisonJSON(c)
	}
	return out
}

// MarshalJSON encodes e as {duration_s, outage_s, disruption_s}.
func (e Estimate) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Duration   float64 `json:"duration_s"`
		Outage     float64 `json:"outage_s"`
		Disruption float64 `json:"disruption_s"`
	}{secs(e.Duration), secs(e.Outage), secs(e.Disruption)})
}

// MarshalJSON encodes r as {(end), duration_s, outage_s, disruption_s,
// time_to_restore_s, ongoing}; time_to_restore_s is null when not known.
func (r Result) MarshalJSON() ([]byte, error) {
	var ttr *float64
	if r.TimeToRestore > 0 {
		s := secs(r.TimeToRestore)
		ttr = &s
	}
	type plain Result
	return json.Marshal(struct {
		plain
		Duration      float64  `json:"duration_s"`
		Outage        float64  `json:"outage_s"`
		Disruption    float64  `json:"disruption_s"`
		TimeToRestore *float64 `json:"time_to_restore_s"`
	}{plain(r), secs(r.Duration), secs(r.Outage), secs(r.Disruption), ttr})
}

// MarshalJSON encodes d with an empty verdict written "undecided".
func (d Decision) MarshalJSON() ([]byte, error) {
	type plain Decision
	p := plain(d)
	p.Verdict = d.verdict()
	return json.Marshal(p)
}

// MarshalJSON encodes c with its progress as {done, waived, failed, total,
// required_pending} and its items as [] when empty.
func (c Checklist) MarshalJSON() ([]byte, error) {
	type plain Checklist
	p := plain(c)
	p.Items = list(p.Items)
	type progress struct {
		Done            int `json:"done"`
		Waived          int `json:"waived"`
		Failed          int `json:"failed"`
		Total           int `json:"total"`
		RequiredPending int `json:"required_pending"`
	}
	return json.Marshal(struct {
		plain
		Progress progress `json:"progress"`
	}{p, progress(c.Progress)})
}

// MarshalJSON encodes s with its durations in seconds: expected_s, min_s,
// max_s.
func (s Step) MarshalJSON() ([]byte, error) {
	type plain Step
	return json.Marshal(struct {
		plain
		Expected float64 `json:"expected_s"`
		Min      float64 `json:"min_s"`
		Max      float64 `json:"max_s"`
	}{plain(s), secs(s.Expected), secs(s.Min), secs(s.Max)})
}

// MarshalJSON encodes d with its durations in seconds: elapsed_s,
// expected_s and behind_s (Behind).
func (d Drift) MarshalJSON() ([]byte, error) {
	type plain Drift
	return json.Marshal(struct {
		plain
		Elapsed  float64 `json:"elapsed_s"`
		Expected float64 `json:"expected_s"`
		Behind   float64 `json:"behind_s"`
	}{plain(d), secs(d.Elapsed), secs(d.Expected), secs(d.Behind())})
}

// MarshalJSON encodes a with an empty status written "open".
func (a Action) MarshalJSON() ([]byte, error) {
	type plain Action
	p := plain(a)
	p.Status = a.status()
	return json.Marshal(p)
}

// summaryJSON is how a [timeline.Summary] reads in a report's JSON.
type summaryJSON struct {
	Start      time.Time  `json:"start,omitzero"`
	End        time.Time  `json:"end,omitzero"`
	Duration   float64    `json:"duration_s"`
	Outage     float64    `json:"outage_s"`
	Disruption float64    `json:"disruption_s"`
	Entries    int        `json:"entries"`
	Open       int        `json:"open"`
	Steps      []spanJSON `json:"steps"`
}

// spanJSON is how a [timeline.Span] reads in a report's JSON.
type spanJSON struct {
	Step     string  `json:"step"`
	Attempt  int     `json:"attempt"`
	Actor    string  `json:"actor,omitempty"`
	Start    string  `json:"start,omitempty"`
	End      string  `json:"end,omitempty"`
	Duration float64 `json:"duration_s"`
	Impact   string  `json:"impact"`
	Outcome  string  `json:"outcome,omitempty"`
	Open     bool    `json:"open"`
	StartSeq uint64  `json:"start_seq"`
	EndSeq   uint64  `json:"end_seq"`
}

func newSummaryJSON(s *timeline.Summary) summaryJSON {
	j := summaryJSON{
		Start: s.Start, End: s.End,
		Duration: secs(s.Duration), Outage: secs(s.Outage), Disruption: secs(s.Disruption),
		Entries: s.Entries, Open: s.Open, Steps: make([]spanJSON, len(s.Steps)),
	}
	for i := range s.Steps {
		sp := &s.Steps[i]
		js := &j.Steps[i]
		*js = spanJSON{
			Step: sp.Step, Attempt: sp.Attempt, Actor: sp.Actor, Start: rfc3339(sp.Start),
			Impact: sp.Impact.String(), Open: sp.Open, StartSeq: sp.StartSeq, EndSeq: sp.EndSeq,
		}
		if !sp.Open {
			js.End, js.Duration, js.Outcome = rfc3339(sp.End), secs(sp.Duration), sp.Outcome.String()
		}
	}
	return j
}

type deltaJSON struct {
	Rehearsal float64 `json:"rehearsal_s"`
	Actual    float64 `json:"actual_s"`
	Diff      float64 `json:"diff_s"`
}

type stepDeltaJSON struct {
	Step string `json:"step"`
	deltaJSON
}

// comparisonJSON is how a [timeline.Comparison] reads in a report's JSON.
type comparisonJSON struct {
	Duration   deltaJSON       `json:"duration"`
	Outage     deltaJSON       `json:"outage"`
	Disruption deltaJSON       `json:"disruption"`
	Steps      []stepDeltaJSON `json:"steps"`
	Missing    []string        `json:"missing"`
	Added      []string        `json:"added"`
}

func newComparisonJSON(c *timeline.Comparison) *comparisonJSON {
	delta := func(d timeline.Delta) deltaJSON {
		return deltaJSON{Rehearsal: secs(d.Baseline), Actual: secs(d.Actual), Diff: secs(d.Diff())}
	}
	j := &comparisonJSON{
		Duration: delta(c.Duration), Outage: delta(c.Outage), Disruption: delta(c.Disruption),
		Steps: make([]stepDeltaJSON, 0, len(c.Steps)), Missing: list(c.Missing), Added: list(c.Added),
	}
	for _, s := range c.Steps {
		j.Steps = append(j.Steps, stepDeltaJSON{Step: s.Step, deltaJSON: delta(s.Delta)})
	}
	return j
}

// rfc3339 formats t as time.Time's MarshalJSON does; zero gives "".
func rfc3339(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.RFC3339Nano)
}

// secs returns d in seconds.
func secs(d time.Duration) float64 { return d.Seconds() }

// list returns s, or an empty list for nil, so that JSON says [].
func list[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}
