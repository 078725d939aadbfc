package report

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// view is a report laid out for people: a headline, then sections of
// facts, bullet lists and tables of plain (unescaped) text, then the rules
// the report cites. The Markdown, plain-text and HTML writers render the
// same view, each with its own escaping, so all say the same thing.
type view struct {
	Title    string
	Outcome  fact   // the headline's first word: done, running, ...
	Headline []fact // T0, ends, outage against estimate, ...
	Details  []fact // project, rollout, phase, when generated
	Sections []section
	Rules    []rule // the rules cited, in number order
}

// fact is a labelled value; Class tells HTML how to colour it.
type fact struct {
	Label, Value, Class string
}

// section is a part of the report with a heading.
type section struct {
	ID, Title string
	Rules     string // the rules the section comes from, e.g. "R7, R8"; "" for none
	Facts     []fact
	Items     []string // a bullet list
	ItemsHead string   // the heading of Items; "" for none
	Tables    []table
	Chart     *chart        // the timeline chart, HTML only
	SVG       template.HTML // a chart drawn in SVG, HTML only
}

// table is a table with a header row. Cols gives the kind of each
// column: "num" (right-aligned, kept on one line), "time" (kept on one
// line), "code" (a long token such as a digest, broken anywhere),
// "title" (the text a row is about, kept wide enough to read on a phone)
// or "" (text).
type table struct {
	Caption string
	Head    []string
	Cols    []string
	Rows    []row
}

// row is a table row; Class tells HTML how to colour it.
type row struct {
	Class string
	Cells []string
}

// view lays r out. Every string that came from the model is cleaned.
func (r *Report) view(chart bool) *view {
	v := &view{Title: clean(r.Title)}
	if v.Title == "" {
		v.Title = "Go-live report"
	}
	r.headline(v)
	add := func(label, value string) {
		if value != "" {
			v.Details = append(v.Details, fact{Label: label, Value: value})
		}
	}
	add("Project", clean(r.Project))
	add("Rollout", clean(r.Rollout))
	add("Phase", clean(r.Phase))
	add("Generated", r.when(r.Generated))
	if r.Location != nil {
		add("Times in", clean(r.Location.String()))
	}
	titles := r.stepTitles()
	if s, ok := r.decisionSection(); ok {
		v.Sections = append(v.Sections, s)
	}
	if r.Checklist != nil {
		v.Sections = append(v.Sections, r.checklistSection())
	}
	if r.Drift != nil {
		v.Sections = append(v.Sections, r.driftSection())
	}
	if len(r.Actual.Steps) > 0 {
		v.Sections = append(v.Sections, r.timelineSection(chart, titles))
	} else if len(r.Steps) > 0 {
		v.Sections = append(v.Sections, r.runbookSection())
	}
	if s, ok := r.comparisonSection(titles); ok {
		v.Sections = append(v.Sections, s)
	}
	if len(r.Actions) > 0 {
		v.Sections = append(v.Sections, r.actionsSection())
	}
	if len(r.Lessons) > 0 {
		v.Sections = append(v.Sections, r.lessonsSection())
	}
	if len(r.Notes) > 0 {
		v.Sections = append(v.Sections, r.notesSection())
	}
	if len(r.Phases) > 0 {
		v.Sections = append(v.Sections, r.phasesSection())
	}
	v.Rules = citedRules(v)
	return v
}

// stepTitles maps step IDs to what people call them: "Title (owner)".
func (r *Report) stepTitles() map[string]Step {
	m := make(map[string]Step, len(r.Steps))
	for _, s := range r.Steps {
		if _, ok := m[s.ID]; !ok {
			m[s.ID] = s
		}
	}
	return m
}

// name returns the step's title, or its ID when it has none.
func (s Step) name() string {
	if s.Title != "" {
		return clean(s.Title)
	}
	return clean(s.ID)
}

// stepName returns the title of the step with that ID, or the ID.
func stepName(titles map[string]Step, id string) string {
	if s, ok := titles[id]; ok && s.Title != "" {
		return clean(s.Title)
	}
	return clean(id)
}

func (r *Report) phasesSection() section {
	s := section{ID: "phases", Title: "Phase history", Rules: "R1"}
	t := table{Head: []string{"#", "From", "To", "At", "By", "Reason"}, Cols: []string{"num", "", "", "time", "", "title"}}
	for i, h := range r.Phases {
		t.Rows = append(t.Rows, row{Cells: []string{
			strconv.Itoa(i + 1), clean(h.From), clean(h.To), r.cell(h.At), clean(h.By), clean(h.Reason),
		}})
	}
	s.Tables = append(s.Tables, t)
	return s
}

// decisionSection is left out while nothing about the go/no-go is known.
func (r *Report) decisionSection() (section, bool) {
	d := r.Decision
	if d.verdict() == Undecided && len(d.Reasons) == 0 && d.At.IsZero() && len(r.Votes) == 0 && len(r.Overrides) == 0 {
		return section{}, false
	}
	s := section{ID: "decision", Title: "Go/no-go", Rules: "R9"}
	verdict := clean(d.verdict())
	s.Facts = append(s.Facts, fact{Label: "Verdict", Value: strings.ToUpper(verdict), Class: "verdict-" + verdictClass(verdict)})
	if at := r.when(d.At); at != "" {
		s.Facts = append(s.Facts, fact{Label: "Decided", Value: at})
	}
	if len(d.Reasons) > 0 {
		s.ItemsHead = "Reasons"
	}
	for _, reason := range d.Reasons {
		s.Items = append(s.Items, clean(reason))
	}
	if len(r.Votes) > 0 {
		t := table{Caption: "Votes", Head: []string{"Role", "By", "Vote", "At", "Reason", "Checklist digest"}, Cols: []string{"", "", "", "time", "", "code"}}
		for _, vo := range r.Votes {
			vote, class := "no-go", "nogo"
			if vo.Go {
				vote, class = "go", "go"
			}
			t.Rows = append(t.Rows, row{Class: class, Cells: []string{
				clean(vo.Role), clean(vo.By), vote, r.cell(vo.At), clean(vo.Reason), clean(vo.Digest),
			}})
		}
		s.Tables = append(s.Tables, t)
	}
	if len(r.Overrides) > 0 {
		t := table{Caption: "Overrides", Head: []string{"#", "Override"}, Cols: []string{"num"}}
		for i, o := range r.Overrides {
			t.Rows = append(t.Rows, row{Class: "override", Cells: []string{strconv.Itoa(i + 1), clean(o)}})
		}
		s.Tables = append(s.Tables, t)
	}
	return s, true
}

// verdictClass returns the CSS class suffix of a verdict.
func verdictClass(v string) string {
	switch v {
	case Go:
		return "go"
	case NoGo:
		return "nogo"
	}
	return "undecided"
}

func (r *Report) checklistSection() section {
	c := r.Checklist
	s := section{ID: "checklist", Title: "Checklist", Rules: "R7, R8"}
	if c.Name != "" {
		s.Facts = append(s.Facts, fact{Label: "List", Value: clean(c.Name)})
	}
	ready := fact{Label: "Ready", Value: "no", Class: "verdict-nogo"}
	if c.Ready {
		ready = fact{Label: "Ready", Value: "yes", Class: "verdict-go"}
		if at := r.when(c.ReadyAt); at != "" {
			ready.Value += ", at " + at
		}
	}
	p := c.Progress
	s.Facts = append(s.Facts, ready, fact{Label: "Progress", Value: strconv.Itoa(p.Done) + " done, " +
		strconv.Itoa(p.Waived) + " waived, " + strconv.Itoa(p.Failed) + " failed, " +
		strconv.Itoa(p.RequiredPending) + " required pending, of " + strconv.Itoa(p.Total)})
	if len(c.Items) == 0 {
		return s
	}
	t := table{Head: []string{"#", "Item", "ID", "Section", "Owner", "Status", "By", "At", "Due", "Note"},
		Cols: []string{"num", "title", "", "", "", "", "", "time", "time"}}
	for i, it := range c.Items {
		status := it.Status.String()
		class := status
		if it.Late {
			status += ", late"
			class = "late"
		}
		if it.Optional {
			status += ", optional"
		}
		t.Rows = append(t.Rows, row{Class: class, Cells: []string{
			strconv.Itoa(i + 1), clean(it.Title), clean(it.ID), clean(it.Section), clean(it.Owner),
			status, clean(it.By), r.cell(it.At), r.cell(it.Due), clean(it.Note),
		}})
	}
	s.Tables = append(s.Tables, t)
	return s
}

// runbookSection lists the steps before the cutover starts.
func (r *Report) runbookSection() section {
	s := section{ID: "runbook", Title: "Runbook", Rules: "R5, R10"}
	t := table{Head: []string{"#", "Step", "ID", "Owner", "Impact", "Expected", "Seen in rehearsal"}, Cols: []string{"num", "title", "", "", "", "num", "num"}}
	for i, st := range r.Steps {
		seen := ""
		if st.Runs > 0 {
			seen = dur(st.Min) + " to " + dur(st.Max) + " (" + strconv.Itoa(st.Runs) + " runs)"
		}
		t.Rows = append(t.Rows, row{Class: st.Impact.String(), Cells: []string{
			strconv.Itoa(i + 1), st.name(), idIfTitled(st), clean(st.Owner), st.Impact.String(), durOrEmpty(st.Expected), seen,
		}})
	}
	s.Tables = append(s.Tables, t)
	return s
}

// idIfTitled returns the step's ID when its title is shown instead.
func idIfTitled(s Step) string {
	if s.Title == "" || s.Title == s.ID {
		return ""
	}
	return clean(s.ID)
}

func durOrEmpty(d time.Duration) string {
	if d == 0 {
		return ""
	}
	return dur(d)
}

func (r *Report) timelineSection(withChart bool, titles map[string]Step) section {
	a := &r.Actual
	s := section{ID: "timeline", Title: "Timeline", Rules: "R10"}
	s.Facts = append(s.Facts,
		fact{Label: "Start", Value: r.when(a.Start)}, fact{Label: "End", Value: r.when(a.End)},
		fact{Label: "Duration", Value: dur(a.Duration)},
		fact{Label: "Outage (users cut off)", Value: dur(a.Outage), Class: "outage"},
		fact{Label: "Disruption (users degraded)", Value: dur(a.Disruption), Class: "disruption"},
		fact{Label: "Journal entries", Value: strconv.Itoa(a.Entries)},
	)
	if a.Open > 0 {
		s.Facts = append(s.Facts, fact{Label: "Still running", Value: strconv.Itoa(a.Open) + " step(s), not counted in the totals"})
	}
	if withChart {
		s.Chart = r.chart(titles)
	}
	t := table{
		Head: []string{"#", "Step", "ID", "Owner", "By", "Start", "End", "Duration", "Expected", "Impact", "Outcome"},
		Cols: []string{"num", "title", "", "", "", "time", "time", "num", "num"},
		Rows: make([]row, 0, len(a.Steps)),
	}
	for i := range a.Steps {
		sp := &a.Steps[i]
		st := titles[sp.Step]
		end, d, outcome, class := "", "", "running", "running"
		if !sp.Open {
			end, d, outcome = r.cell(sp.End), dur(sp.Duration), sp.Outcome.String()
			class = ""
			if sp.Outcome == timeline.Failed {
				class = "failed"
			}
		}
		exp := ""
		if sp.Attempt == 1 {
			exp = durOrEmpty(st.Expected)
		}
		if class == "" && sp.Impact != timeline.NoImpact {
			class = sp.Impact.String()
		}
		name, id := stepName(titles, sp.Step), ""
		if name != clean(sp.Step) {
			id = clean(sp.Step)
		}
		if sp.Attempt > 1 {
			name += " (attempt " + strconv.Itoa(sp.Attempt) + ")"
		}
		t.Rows = append(t.Rows, row{Class: class, Cells: []string{
			strconv.Itoa(i + 1), name, id, clean(st.Owner), clean(sp.Actor),
			r.cell(sp.Start), end, d, exp, sp.Impact.String(), outcome,
		}})
	}
	s.Tables = append(s.Tables, t)
	return s
}

// comparison returns r.Comparison, or computes it when only Rehearsal is
// set.
func (r *Report) comparison() *timeline.Comparison {
	if r.Comparison != nil {
		return r.Comparison
	}
	if r.Rehearsal != nil {
		c := timeline.Compare(*r.Rehearsal, r.Actual)
		return &c
	}
	return nil
}

func (r *Report) comparisonSection(titles map[string]Step) (section, bool) {
	c := r.comparison()
	if c == nil || len(r.Actual.Steps) == 0 {
		return section{}, false
	}
	s := section{ID: "comparison", Title: "Rehearsal against actual", Rules: "R5"}
	delta := func(name string, d timeline.Delta) row {
		return row{Class: deltaClass(d), Cells: []string{name, dur(d.Baseline), dur(d.Actual), signed(d.Diff()), percent(d)}}
	}
	right := []string{"", "num", "num", "num", "num"}
	s.Tables = append(s.Tables, table{
		Caption: "Totals",
		Head:    []string{"Measure", "Rehearsal", "Actual", "Difference", "%"},
		Cols:    right,
		Rows: []row{
			delta("Duration", c.Duration),
			delta("Outage", c.Outage),
			delta("Disruption", c.Disruption),
		},
	})
	if len(c.Steps) > 0 {
		t := table{Caption: "Steps", Head: []string{"Step", "Rehearsal", "Actual", "Difference", "%"}, Cols: append([]string{"title"}, right[1:]...), Rows: make([]row, 0, len(c.Steps))}
		for _, sd := range c.Steps {
			t.Rows = append(t.Rows, delta(stepName(titles, sd.Step), sd.Delta))
		}
		s.Tables = append(s.Tables, t)
	}
	if len(c.Missing)+len(c.Added) > 0 {
		t := table{Caption: "Steps in one run only", Head: []string{"Step", "Only in"}}
		for _, m := range c.Missing {
			t.Rows = append(t.Rows, row{Class: "missing", Cells: []string{stepName(titles, m), "rehearsal"}})
		}
		for _, a := range c.Added {
			t.Rows = append(t.Rows, row{Class: "added", Cells: []string{stepName(titles, a), "actual run"}})
		}
		s.Tables = append(s.Tables, t)
	}
	return s, true
}

// deltaClass marks a difference of more than 10% over the baseline.
func deltaClass(d timeline.Delta) string {
	if p, ok := d.Percent(); ok && p > 10 || !ok && d.Actual > 0 && d.Baseline == 0 {
		return "over"
	}
	return ""
}

func (r *Report) driftSection() section {
	d := r.Drift
	s := section{ID: "drift", Title: "Progress against the forecast", Rules: "R5"}
	behind, class := signed(d.Behind()), ""
	if d.Behind() > 0 {
		behind += ", late"
		class = "verdict-nogo"
	}
	s.Facts = append(s.Facts,
		fact{Label: "Measured at", Value: r.when(d.At)},
		fact{Label: "Elapsed", Value: dur(d.Elapsed)},
		fact{Label: "Expected by now", Value: dur(d.Expected)},
		fact{Label: "Behind the forecast", Value: behind, Class: class},
	)
	if end := r.when(d.ExpectedEnd); end != "" {
		s.Facts = append(s.Facts, fact{Label: "Expected end", Value: end})
	}
	return s
}

func (r *Report) actionsSection() section {
	s := section{ID: "actions", Title: "Actions", Rules: "R6"}
	var open, overdue int
	overdueClass := ""
	for _, a := range r.Actions {
		if a.status() == "open" {
			open++
			if a.Overdue {
				overdue++
				overdueClass = "verdict-nogo"
			}
		}
	}
	s.Facts = append(s.Facts,
		fact{Label: "Open", Value: strconv.Itoa(open)},
		fact{Label: "Overdue", Value: strconv.Itoa(overdue), Class: overdueClass},
		fact{Label: "Closed", Value: strconv.Itoa(len(r.Actions) - open)},
	)
	t := table{Head: []string{"ID", "Action", "Owner", "Due", "Status", "Meeting"}, Cols: []string{"", "title", "", "time"}, Rows: make([]row, 0, len(r.Actions))}
	// Overdue first, then open, then closed; the given order within each.
	for pass := range 3 {
		for _, a := range r.Actions {
			st := a.status()
			group := 2
			if st == "open" {
				group = 1
				if a.Overdue {
					group = 0
				}
			}
			if group != pass {
				continue
			}
			status, class := clean(st), ""
			switch group {
			case 0:
				status, class = "open, overdue", "overdue"
			case 2:
				class = "closed"
			}
			t.Rows = append(t.Rows, row{Class: class, Cells: []string{
				clean(a.ID), clean(a.Title), clean(a.Owner), r.cell(a.Due), status, clean(a.Meeting),
			}})
		}
	}
	s.Tables = append(s.Tables, t)
	return s
}

func (r *Report) lessonsSection() section {
	s := section{ID: "lessons", Title: "Lessons", Rules: "R12"}
	t := table{Head: []string{"ID", "Lesson", "Learned in", "Action that applies it", "In this rollout"}, Cols: []string{"", "title", "", "title"}}
	for _, l := range r.Lessons {
		class, state := "pending", "not applied yet"
		switch {
		case l.Applied:
			class, state = "applied", "applied"
			if l.AppliedBy != "" {
				state += " by " + clean(l.AppliedBy)
			}
			if at := r.cell(l.AppliedAt); at != "" {
				state += ", " + at
			}
		case l.From != "" && l.From == r.Rollout:
			class, state = "learned", "learned here"
		}
		t.Rows = append(t.Rows, row{Class: class, Cells: []string{clean(l.ID), clean(l.Text), clean(l.From), clean(l.Action), state}})
	}
	s.Tables = append(s.Tables, t)
	return s
}

func (r *Report) notesSection() section {
	s := section{ID: "notes", Title: "Notes", Rules: "R10"}
	t := table{Head: []string{"At", "By", "Note"}, Cols: []string{"time", "", "title"}}
	for _, n := range r.Notes {
		t.Rows = append(t.Rows, row{Cells: []string{r.cell(n.At), clean(n.By), clean(n.Text)}})
	}
	s.Tables = append(s.Tables, t)
	return s
}
