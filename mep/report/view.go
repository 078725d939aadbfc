package report

import (
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// view is a report laid out for people: sections of facts, bullet lists and
// tables of plain (unescaped) text. The Markdown and HTML writers render
// the same view, each with its own escaping, so both say the same thing.
type view struct {
	Title    string
	Facts    []fact
	Sections []section
}

// fact is a labelled value; Class tells HTML how to colour it.
type fact struct {
	Label, Value, Class string
}

// section is a part of the report with a heading.
type section struct {
	ID, Title string
	Facts     []fact
	Items     []string // a bullet list
	ItemsHead string   // the heading of Items; "" for none
	Tables    []table
	Empty     string // said when the section has nothing else
	Chart     *chart // the timeline chart, HTML only
}

// table is a table with a header row. Cols gives the kind of each
// column: "num" (right-aligned, kept on one line), "time" (kept on one
// line) or "" (text).
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
	add := func(label, value string) {
		if value != "" {
			v.Facts = append(v.Facts, fact{Label: label, Value: value})
		}
	}
	add("Project", clean(r.Project))
	add("Rollout", clean(r.Rollout))
	add("Phase", clean(r.Phase))
	add("Generated", r.when(r.Generated))
	if r.Location != nil {
		add("Times in", clean(r.Location.String()))
	}
	v.Sections = append(v.Sections, r.historySection(), r.decisionSection())
	if r.Checklist != nil {
		v.Sections = append(v.Sections, r.checklistSection())
	}
	v.Sections = append(v.Sections, r.timelineSection(chart))
	if s, ok := r.comparisonSection(); ok {
		v.Sections = append(v.Sections, s)
	}
	if r.Drift != nil {
		v.Sections = append(v.Sections, r.driftSection())
	}
	v.Sections = append(v.Sections, r.actionsSection(), r.lessonsSection())
	if len(r.Notes) > 0 {
		v.Sections = append(v.Sections, r.notesSection())
	}
	return v
}

func (r *Report) historySection() section {
	s := section{ID: "history", Title: "Phase history", Empty: "No phase change recorded."}
	if len(r.Phases) == 0 {
		return s
	}
	t := table{Head: []string{"#", "From", "To", "At", "By", "Reason"}, Cols: []string{"num", "", "", "time"}}
	for i, h := range r.Phases {
		t.Rows = append(t.Rows, row{Cells: []string{
			strconv.Itoa(i + 1), clean(h.From), clean(h.To), r.when(h.At), clean(h.By), clean(h.Reason),
		}})
	}
	s.Tables = append(s.Tables, t)
	return s
}

func (r *Report) decisionSection() section {
	s := section{ID: "decision", Title: "Go/no-go"}
	verdict := clean(r.Decision.verdict())
	s.Facts = append(s.Facts, fact{Label: "Verdict", Value: strings.ToUpper(verdict), Class: "verdict-" + verdictClass(verdict)})
	if at := r.when(r.Decision.At); at != "" {
		s.Facts = append(s.Facts, fact{Label: "Decided", Value: at})
	}
	if len(r.Decision.Reasons) > 0 {
		s.ItemsHead = "Reasons"
	}
	for _, reason := range r.Decision.Reasons {
		s.Items = append(s.Items, clean(reason))
	}
	if len(r.Votes) > 0 {
		t := table{Caption: "Votes", Head: []string{"Role", "By", "Vote", "At", "Reason", "Checklist digest"}, Cols: []string{"", "", "", "time"}}
		for _, vo := range r.Votes {
			vote, class := "no-go", "nogo"
			if vo.Go {
				vote, class = "go", "go"
			}
			t.Rows = append(t.Rows, row{Class: class, Cells: []string{
				clean(vo.Role), clean(vo.By), vote, r.when(vo.At), clean(vo.Reason), clean(vo.Digest),
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
	return s
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
	s := section{ID: "checklist", Title: "Checklist", Empty: "The checklist has no item."}
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
	t := table{Head: []string{"#", "Section", "ID", "Title", "Owner", "Status", "By", "At", "Due", "Note"},
		Cols: []string{"num", "", "", "", "", "", "", "time", "time"}}
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
			strconv.Itoa(i + 1), clean(it.Section), clean(it.ID), clean(it.Title), clean(it.Owner),
			status, clean(it.By), r.when(it.At), r.when(it.Due), clean(it.Note),
		}})
	}
	s.Tables = append(s.Tables, t)
	return s
}

func (r *Report) timelineSection(withChart bool) section {
	a := &r.Actual
	s := section{ID: "timeline", Title: "Timeline", Empty: "No step recorded."}
	if !a.Start.IsZero() {
		s.Facts = append(s.Facts, fact{Label: "Start", Value: r.when(a.Start)}, fact{Label: "End", Value: r.when(a.End)})
	}
	s.Facts = append(s.Facts,
		fact{Label: "Duration", Value: dur(a.Duration)},
		fact{Label: "Outage (users cut off)", Value: dur(a.Outage), Class: "outage"},
		fact{Label: "Disruption (users degraded)", Value: dur(a.Disruption), Class: "disruption"},
		fact{Label: "Entries", Value: strconv.Itoa(a.Entries)},
	)
	if a.Open > 0 {
		s.Facts = append(s.Facts, fact{Label: "Still running", Value: strconv.Itoa(a.Open) + ", not counted in the totals"})
	}
	if len(a.Steps) == 0 {
		return s
	}
	if withChart {
		s.Chart = r.chart()
	}
	expected := make(map[string]time.Duration, len(r.Steps))
	for _, e := range r.Steps {
		if _, ok := expected[e.ID]; !ok {
			expected[e.ID] = e.Expected
		}
	}
	t := table{
		Head: []string{"#", "Step", "Attempt", "Actor", "Start", "End", "Duration", "Expected", "Impact", "Outcome"},
		Cols: []string{"num", "", "num", "", "time", "time", "num", "num"},
		Rows: make([]row, 0, len(a.Steps)),
	}
	for i := range a.Steps {
		sp := &a.Steps[i]
		end, d, outcome, class := "", "", "running", "running"
		if !sp.Open {
			end, d, outcome = r.when(sp.End), dur(sp.Duration), sp.Outcome.String()
			class = ""
			if sp.Outcome == timeline.Failed {
				class = "failed"
			}
		}
		exp := ""
		if e, ok := expected[sp.Step]; ok && sp.Attempt == 1 {
			exp = dur(e)
		}
		if class == "" && sp.Impact != timeline.NoImpact {
			class = sp.Impact.String()
		}
		t.Rows = append(t.Rows, row{Class: class, Cells: []string{
			strconv.Itoa(i + 1), clean(sp.Step), strconv.Itoa(sp.Attempt), clean(sp.Actor),
			r.when(sp.Start), end, d, exp, sp.Impact.String(), outcome,
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

func (r *Report) comparisonSection() (section, bool) {
	c := r.comparison()
	if c == nil {
		return section{}, false
	}
	s := section{ID: "comparison", Title: "Rehearsal against actual"}
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
		t := table{Caption: "Steps", Head: []string{"Step", "Rehearsal", "Actual", "Difference", "%"}, Cols: right, Rows: make([]row, 0, len(c.Steps))}
		for _, sd := range c.Steps {
			t.Rows = append(t.Rows, delta(clean(sd.Step), sd.Delta))
		}
		s.Tables = append(s.Tables, t)
	}
	if len(c.Missing)+len(c.Added) > 0 {
		t := table{Caption: "Steps in one run only", Head: []string{"Step", "Only in"}}
		for _, m := range c.Missing {
			t.Rows = append(t.Rows, row{Class: "missing", Cells: []string{clean(m), "rehearsal"}})
		}
		for _, a := range c.Added {
			t.Rows = append(t.Rows, row{Class: "added", Cells: []string{clean(a), "actual run"}})
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
	s := section{ID: "drift", Title: "Drift"}
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
	s := section{ID: "actions", Title: "Actions", Empty: "No action."}
	if len(r.Actions) == 0 {
		return s
	}
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
	t := table{Head: []string{"ID", "Title", "Owner", "Due", "Status", "Meeting"}, Cols: []string{"", "", "", "time"}, Rows: make([]row, 0, len(r.Actions))}
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
				clean(a.ID), clean(a.Title), clean(a.Owner), r.when(a.Due), status, clean(a.Meeting),
			}})
		}
	}
	s.Tables = append(s.Tables, t)
	return s
}

func (r *Report) lessonsSection() section {
	s := section{ID: "lessons", Title: "Lessons", Empty: "No lesson recorded."}
	if len(r.Lessons) == 0 {
		return s
	}
	t := table{Head: []string{"ID", "Lesson", "Applied by", "Applied"}}
	for _, l := range r.Lessons {
		class := "pending"
		if l.Applied {
			class = "applied"
		}
		t.Rows = append(t.Rows, row{Class: class, Cells: []string{clean(l.ID), clean(l.Text), clean(l.Action), yesNo(l.Applied)}})
	}
	s.Tables = append(s.Tables, t)
	return s
}

func (r *Report) notesSection() section {
	s := section{ID: "notes", Title: "Notes"}
	t := table{Head: []string{"At", "By", "Note"}, Cols: []string{"time"}}
	for _, n := range r.Notes {
		t.Rows = append(t.Rows, row{Cells: []string{r.when(n.At), clean(n.By), clean(n.Text)}})
	}
	s.Tables = append(s.Tables, t)
	return s
}
