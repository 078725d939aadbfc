package report

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// WriteJSON writes r as one indented JSON object. Field names are the
// snake_case of the model's names and are stable:
//
//	title, project, rollout, generated, location, phase,
//	history[]   {from, to, by, reason, at}
//	decision    {verdict, reasons[], at}
//	votes[]     {role, by, go, reason, at, digest}
//	overrides[]
//	checklist   {name, ready, ready_at, progress {done, waived, failed,
//	            total, required_pending}, items[] {id, title, section,
//	            owner, status, by, at, note, due, late, optional}} or null
//	actual, rehearsal: {start, end, duration_s, outage_s, disruption_s,
//	            entries, open, steps[] {step, attempt, actor, start, end,
//	            duration_s, impact, outcome, open, start_seq, end_seq}};
//	            rehearsal is null when not set
//	expected[]  {step, impact, expected_s, min_s, max_s, runs}
//	comparison  {duration, outage, disruption: {rehearsal_s, actual_s,
//	            diff_s}, steps[] {step, rehearsal_s, actual_s, diff_s},
//	            missing[], added[]} or null
//	drift       {at, elapsed_s, expected_s, behind_s, expected_end} or null
//	actions[]   {id, title, owner, status, due, overdue, meeting}
//	lessons[]   {id, text, action, applied}
//	notes[]     {at, by, text}
//
// Durations are numbers of seconds (fields ending in _s, with a fraction
// when needed). Times are RFC 3339 strings in Location (as recorded when
// it is nil), and "" when zero. Lists are [] when empty, never null. The
// verdict is "undecided", "go" or "no-go"; statuses, impacts and outcomes
// are the String forms of their types. As with WriteHTML, comparison is
// computed from rehearsal and actual when only Rehearsal is set. Strings
// are escaped so that the output is safe to embed in HTML.
func (r *Report) WriteJSON(w io.Writer) error {
	j := r.jsonReport()
	// The step lists are written one step at a time, so that memory stays
	// proportional to the report rather than to its encoded form.
	actual, rehearsal := j.Actual.Steps, []jsonSpan(nil)
	j.Actual.Steps = nil
	if j.Rehearsal != nil {
		rehearsal, j.Rehearsal.Steps = j.Rehearsal.Steps, nil
	}
	b, err := json.MarshalIndent(j, "", "  ")
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	// Each summary's "steps" is its last field, encoded as null above.
	const hole = `"steps": null`
	for i, steps := range [][]jsonSpan{actual, rehearsal} {
		if i == 1 && j.Rehearsal == nil {
			break
		}
		k := bytes.Index(b, []byte(hole))
		if k < 0 {
			return errors.New("report: internal error: no steps in JSON summary")
		}
		bw.Write(b[:k+len(hole)-len("null")])
		if err := writeSteps(bw, steps); err != nil {
			return err
		}
		b = b[k+len(hole):]
	}
	bw.Write(b)
	bw.WriteByte('\n')
	return bw.Flush()
}

// writeSteps writes steps as an indented JSON list at the depth of a
// summary's steps.
func writeSteps(bw *bufio.Writer, steps []jsonSpan) error {
	if len(steps) == 0 {
		bw.WriteString("[]")
		return nil
	}
	const indent = "      "
	bw.WriteString("[\n")
	for i := range steps {
		b, err := json.MarshalIndent(&steps[i], indent, "  ")
		if err != nil {
			return err
		}
		bw.WriteString(indent)
		bw.Write(b)
		if i < len(steps)-1 {
			bw.WriteByte(',')
		}
		bw.WriteByte('\n')
	}
	bw.WriteString("    ]")
	return nil
}

type jsonReport struct {
	Title      string          `json:"title"`
	Project    string          `json:"project"`
	Rollout    string          `json:"rollout"`
	Generated  string          `json:"generated"`
	Location   string          `json:"location"`
	Phase      string          `json:"phase"`
	History    []jsonChange    `json:"history"`
	Decision   jsonDecision    `json:"decision"`
	Votes      []jsonVote      `json:"votes"`
	Overrides  []string        `json:"overrides"`
	Checklist  *jsonChecklist  `json:"checklist"`
	Actual     jsonSummary     `json:"actual"`
	Rehearsal  *jsonSummary    `json:"rehearsal"`
	Expected   []jsonExpected  `json:"expected"`
	Comparison *jsonComparison `json:"comparison"`
	Drift      *jsonDrift      `json:"drift"`
	Actions    []jsonAction    `json:"actions"`
	Lessons    []jsonLesson    `json:"lessons"`
	Notes      []jsonNote      `json:"notes"`
}

type jsonChange struct {
	From   string `json:"from"`
	To     string `json:"to"`
	By     string `json:"by"`
	Reason string `json:"reason"`
	At     string `json:"at"`
}

type jsonDecision struct {
	Verdict string   `json:"verdict"`
	Reasons []string `json:"reasons"`
	At      string   `json:"at"`
}

type jsonVote struct {
	Role   string `json:"role"`
	By     string `json:"by"`
	Go     bool   `json:"go"`
	Reason string `json:"reason"`
	At     string `json:"at"`
	Digest string `json:"digest"`
}

type jsonChecklist struct {
	Name     string         `json:"name"`
	Ready    bool           `json:"ready"`
	ReadyAt  string         `json:"ready_at"`
	Progress jsonProgress   `json:"progress"`
	Items    []jsonCheckRow `json:"items"`
}

type jsonProgress struct {
	Done            int `json:"done"`
	Waived          int `json:"waived"`
	Failed          int `json:"failed"`
	Total           int `json:"total"`
	RequiredPending int `json:"required_pending"`
}

type jsonCheckRow struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Section  string `json:"section"`
	Owner    string `json:"owner"`
	Status   string `json:"status"`
	By       string `json:"by"`
	At       string `json:"at"`
	Note     string `json:"note"`
	Due      string `json:"due"`
	Late     bool   `json:"late"`
	Optional bool   `json:"optional"`
}

type jsonSummary struct {
	Start      string     `json:"start"`
	End        string     `json:"end"`
	Duration   float64    `json:"duration_s"`
	Outage     float64    `json:"outage_s"`
	Disruption float64    `json:"disruption_s"`
	Entries    int        `json:"entries"`
	Open       int        `json:"open"`
	Steps      []jsonSpan `json:"steps"` // last: WriteJSON streams it
}

type jsonSpan struct {
	Step     string  `json:"step"`
	Attempt  int     `json:"attempt"`
	Actor    string  `json:"actor"`
	Start    string  `json:"start"`
	End      string  `json:"end"`
	Duration float64 `json:"duration_s"`
	Impact   string  `json:"impact"`
	Outcome  string  `json:"outcome"`
	Open     bool    `json:"open"`
	StartSeq uint64  `json:"start_seq"`
	EndSeq   uint64  `json:"end_seq"`
}

type jsonExpected struct {
	Step     string  `json:"step"`
	Impact   string  `json:"impact"`
	Expected float64 `json:"expected_s"`
	Min      float64 `json:"min_s"`
	Max      float64 `json:"max_s"`
	Runs     int     `json:"runs"`
}

type jsonDelta struct {
	Rehearsal float64 `json:"rehearsal_s"`
	Actual    float64 `json:"actual_s"`
	Diff      float64 `json:"diff_s"`
}

type jsonStepDelta struct {
	Step string `json:"step"`
	jsonDelta
}

type jsonComparison struct {
	Duration   jsonDelta       `json:"duration"`
	Outage     jsonDelta       `json:"outage"`
	Disruption jsonDelta       `json:"disruption"`
	Steps      []jsonStepDelta `json:"steps"`
	Missing    []string        `json:"missing"`
	Added      []string        `json:"added"`
}

type jsonDrift struct {
	At          string  `json:"at"`
	Elapsed     float64 `json:"elapsed_s"`
	Expected    float64 `json:"expected_s"`
	Behind      float64 `json:"behind_s"`
	ExpectedEnd string  `json:"expected_end"`
}

type jsonAction struct {
	ID      string `json:"id"`
	Title   string `json:"title"`
	Owner   string `json:"owner"`
	Status  string `json:"status"`
	Due     string `json:"due"`
	Overdue bool   `json:"overdue"`
	Meeting string `json:"meeting"`
}

type jsonLesson struct {
	ID      string `json:"id"`
	Text    string `json:"text"`
	Action  string `json:"action"`
	Applied bool   `json:"applied"`
}

type jsonNote struct {
	At   string `json:"at"`
	By   string `json:"by"`
	Text string `json:"text"`
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

func (r *Report) jsonReport() *jsonReport {
	j := &jsonReport{
		Title: r.Title, Project: r.Project, Rollout: r.Rollout,
		Generated: r.rfc3339(r.Generated), Phase: r.Phase,
		History: make([]jsonChange, 0, len(r.History)),
		Decision: jsonDecision{
			Verdict: r.Decision.verdict(), Reasons: list(r.Decision.Reasons), At: r.rfc3339(r.Decision.At),
		},
		Votes:     make([]jsonVote, 0, len(r.Votes)),
		Overrides: list(r.Overrides),
		Actual:    r.jsonSummary(&r.Actual),
		Expected:  make([]jsonExpected, 0, len(r.Expected)),
		Actions:   make([]jsonAction, 0, len(r.Actions)),
		Lessons:   make([]jsonLesson, 0, len(r.Lessons)),
		Notes:     make([]jsonNote, 0, len(r.Notes)),
	}
	if r.Location != nil {
		j.Location = r.Location.String()
	}
	for _, h := range r.History {
		j.History = append(j.History, jsonChange{From: h.From, To: h.To, By: h.By, Reason: h.Reason, At: r.rfc3339(h.At)})
	}
	for _, v := range r.Votes {
		j.Votes = append(j.Votes, jsonVote{Role: v.Role, By: v.By, Go: v.Go, Reason: v.Reason, At: r.rfc3339(v.At), Digest: v.Digest})
	}
	if c := r.Checklist; c != nil {
		p := c.Progress
		jc := &jsonChecklist{
			Name: c.Name, Ready: c.Ready, ReadyAt: r.rfc3339(c.ReadyAt),
			Progress: jsonProgress{Done: p.Done, Waived: p.Waived, Failed: p.Failed, Total: p.Total, RequiredPending: p.RequiredPending},
			Items:    make([]jsonCheckRow, 0, len(c.Items)),
		}
		for _, it := range c.Items {
			jc.Items = append(jc.Items, jsonCheckRow{
				ID: it.ID, Title: it.Title, Section: it.Section, Owner: it.Owner, Status: it.Status.String(),
				By: it.By, At: r.rfc3339(it.At), Note: it.Note, Due: r.rfc3339(it.Due), Late: it.Late, Optional: it.Optional,
			})
		}
		j.Checklist = jc
	}
	if r.Rehearsal != nil {
		s := r.jsonSummary(r.Rehearsal)
		j.Rehearsal = &s
	}
	for _, e := range r.Expected {
		j.Expected = append(j.Expected, jsonExpected{
			Step: e.Step, Impact: e.Impact.String(), Expected: secs(e.Expected), Min: secs(e.Min), Max: secs(e.Max), Runs: e.Runs,
		})
	}
	if c := r.comparison(); c != nil {
		delta := func(d timeline.Delta) jsonDelta {
			return jsonDelta{Rehearsal: secs(d.Baseline), Actual: secs(d.Actual), Diff: secs(d.Diff())}
		}
		jc := &jsonComparison{
			Duration: delta(c.Duration), Outage: delta(c.Outage), Disruption: delta(c.Disruption),
			Steps: make([]jsonStepDelta, 0, len(c.Steps)), Missing: list(c.Missing), Added: list(c.Added),
		}
		for _, s := range c.Steps {
			jc.Steps = append(jc.Steps, jsonStepDelta{Step: s.Step, jsonDelta: delta(s.Delta)})
		}
		j.Comparison = jc
	}
	if d := r.Drift; d != nil {
		j.Drift = &jsonDrift{
			At: r.rfc3339(d.At), Elapsed: secs(d.Elapsed), Expected: secs(d.Expected),
			Behind: secs(d.Behind()), ExpectedEnd: r.rfc3339(d.ExpectedEnd),
		}
	}
	for _, a := range r.Actions {
		j.Actions = append(j.Actions, jsonAction{
			ID: a.ID, Title: a.Title, Owner: a.Owner, Status: a.status(), Due: r.rfc3339(a.Due), Overdue: a.Overdue, Meeting: a.Meeting,
		})
	}
	for _, l := range r.Lessons {
		j.Lessons = append(j.Lessons, jsonLesson(l))
	}
	for _, n := range r.Notes {
		j.Notes = append(j.Notes, jsonNote{At: r.rfc3339(n.At), By: n.By, Text: n.Text})
	}
	return j
}

func (r *Report) jsonSummary(s *timeline.Summary) jsonSummary {
	j := jsonSummary{
		Start: r.rfc3339(s.Start), End: r.rfc3339(s.End),
		Duration: secs(s.Duration), Outage: secs(s.Outage), Disruption: secs(s.Disruption),
		Entries: s.Entries, Open: s.Open, Steps: make([]jsonSpan, 0, len(s.Steps)),
	}
	for i := range s.Steps {
		sp := &s.Steps[i]
		js := jsonSpan{
			Step: sp.Step, Attempt: sp.Attempt, Actor: sp.Actor, Start: r.rfc3339(sp.Start),
			Impact: sp.Impact.String(), Open: sp.Open, StartSeq: sp.StartSeq, EndSeq: sp.EndSeq,
		}
		if !sp.Open {
			js.End, js.Duration, js.Outcome = r.rfc3339(sp.End), secs(sp.Duration), sp.Outcome.String()
		}
		j.Steps = append(j.Steps, js)
	}
	return j
}
