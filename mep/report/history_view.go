package report

import (
	"bufio"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteMarkdown writes h as a Markdown document: the figures over every
// rollout, then a table per month and a table of the rollouts.
func (h *History) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	v := h.view(false)
	bw.WriteString("# ")
	bw.WriteString(mdHeading(v.Title))
	bw.WriteString("\n\n")
	writeFacts(bw, v.Headline)
	writeDetails(bw, v.Details, md)
	for i := range v.Sections {
		s := &v.Sections[i]
		bw.WriteString("## ")
		bw.WriteString(sectionTitle(s))
		bw.WriteString("\n\n")
		for j := range s.Tables {
			writeTable(bw, &s.Tables[j])
		}
	}
	writeRules(bw, v.Rules, "## Rules cited\n\n", "- **", "**: ")
	return bw.Flush()
}

// WriteText writes h as plain text, for a terminal or a chat.
func (h *History) WriteText(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	v := h.view(false)
	underline(bw, oneLine(v.Title), '=')
	textFacts(bw, v.Headline)
	writeDetails(bw, v.Details, oneLine)
	for i := range v.Sections {
		s := &v.Sections[i]
		underline(bw, sectionTitle(s), '-')
		for j := range s.Tables {
			textTable(bw, &s.Tables[j])
		}
	}
	writeRules(bw, v.Rules, "Rules cited\n-----------\n\n", "", ": ")
	return bw.Flush()
}

// WriteHTML writes h as one self-contained HTML page, styled as the
// go-live report, with a small SVG chart of the deployments and failures
// per month.
func (h *History) WriteHTML(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := page.Execute(bw, h.view(true)); err != nil {
		return err
	}
	return bw.Flush()
}

// WriteJSON writes h as one indented JSON object (see [History.MarshalJSON]
// and [Month.MarshalJSON]), followed by a newline.
func (h *History) WriteJSON(w io.Writer) error { return writeJSON(w, h) }

// when prints t in the history's location; zero prints "".
func (h *History) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if h.Location != nil {
		t = t.In(h.Location)
	}
	return t.Format("2006-01-02 15:04 MST")
}

func (h *History) view(svg bool) *view {
	v := &view{Title: "Rollout history"}
	if h.Project != "" {
		v.Title += ": " + clean(h.Project)
	}
	t := &h.Total
	orElse := func(s, none string) string {
		if s == "" {
			return none
		}
		return s
	}
	v.Headline = []fact{
		{Label: "Deployments", Value: strconv.Itoa(t.Deployments) + perMonth(t.Deployments, len(h.Months))},
		{Label: "Change failure rate", Value: orElse(rate(t), "none deployed"), Class: failClass(t)},
		{Label: "Time to restore (median)", Value: orElse(restore(t), "no failure")},
		{Label: "Duration against estimate", Value: orElse(average(t.DurationRatio, t.DurationEstimated), "no estimate")},
		{Label: "Outage against estimate", Value: orElse(average(t.OutageRatio, t.OutageEstimated), "no estimate")},
		{Label: "Lessons applied", Value: orElse(lessons(t), "none due")},
	}
	if t.Simulated > 0 {
		v.Headline = append(v.Headline, fact{Label: "Actual ends within the P90 (R5)", Value: withinP90(t)})
	}
	if h.Project != "" {
		v.Details = append(v.Details, fact{Label: "Project", Value: clean(h.Project)})
	}
	if len(h.Months) > 0 {
		v.Details = append(v.Details, fact{Label: "Months", Value: h.Months[0].Month.Format("2006-01") + " to " + h.Months[len(h.Months)-1].Month.Format("2006-01")})
	}
	if h.Location != nil {
		v.Details = append(v.Details, fact{Label: "Times in", Value: clean(h.Location.String())})
	}
	if g := h.when(h.Generated); g != "" {
		v.Details = append(v.Details, fact{Label: "Generated", Value: g})
	}
	if len(h.Months) > 0 {
		s := section{ID: "months", Title: "By month", Rules: "R5, R12"}
		if svg {
			s.SVG = h.svg()
		}
		tb := h.monthsTable()
		s.Tables = append(s.Tables, tb)
		v.Sections = append(v.Sections, s)
	}
	if len(h.Rollouts) > 0 {
		s := section{ID: "rollouts", Title: "Rollouts"}
		tb := table{
			Head: []string{"Rollout", "Start", "Outcome", "Duration", "Estimate", "Outage", "Estimate", "Time to restore", "Lessons applied"},
			Cols: []string{"", "time", "", "num", "num", "num", "num", "num", "num"},
			Rows: make([]row, 0, len(h.Rollouts)),
		}
		for i := range h.Rollouts {
			ro := &h.Rollouts[i]
			class := ""
			if ro.Outcome.IsFailure() {
				class = "over"
			}
			l := ""
			if ro.LessonsDue > 0 {
				l = strconv.Itoa(ro.LessonsApplied) + " of " + strconv.Itoa(ro.LessonsDue)
			}
			tb.Rows = append(tb.Rows, row{Class: class, Cells: []string{
				clean(ro.Name), h.when(ro.Start), ro.Outcome.words(), durIf(ro.Duration, !ro.Start.IsZero()),
				durOrEmpty(ro.EstimatedDuration), outage(ro), durOrEmpty(ro.EstimatedOutage),
				durOrEmpty(ro.TimeToRestore), l,
			}})
		}
		s.Tables = append(s.Tables, tb)
		v.Sections = append(v.Sections, s)
	}
	v.Rules = citedRules(v)
	return v
}

func durIf(d time.Duration, ok bool) string {
	if !ok {
		return ""
	}
	return dur(d)
}

// outage prints the rollout's outage: "" before it started, "unknown"
// when not known.
func outage(ro *RolloutSummary) string {
	if ro.OutageUnknown && !ro.Start.IsZero() {
		return "unknown"
	}
	return durIf(ro.Outage, !ro.Start.IsZero())
}

func perMonth(n, months int) string {
	if months == 0 {
		return ""
	}
	return fmt.Sprintf(" (%.1f a month over %d)", float64(n)/float64(months), months)
}

func rate(m *Month) string {
	if m.Deployments == 0 {
		return ""
	}
	return fmt.Sprintf("%.0f%% (%d of %d)", m.ChangeFailureRate*100, m.Failures, m.Deployments)
}

func failClass(m *Month) string {
	if m.Failures > 0 {
		return "over"
	}
	return ""
}

func restore(m *Month) string {
	switch {
	case m.Failures == 0:
		return ""
	case m.Restores == 0:
		return "not known"
	}
	return dur(m.TimeToRestore)
}

// monthsTable is the table of the months' figures, with a column for
// the actual ends within the P90 when some rollout was simulated.
func (h *History) monthsTable() table {
	tb := table{
		Head: []string{"Month", "Deployments", "Failed or rolled back", "Change failure rate", "Time to restore", "Duration against estimate", "Outage against estimate", "Lessons applied"},
		Cols: []string{"time", "num", "num", "num", "num", "num", "num", "num"},
	}
	simulated := h.Total.Simulated > 0
	if simulated {
		tb.Head, tb.Cols = append(tb.Head, "Within the P90"), append(tb.Cols, "num")
	}
	for i := range h.Months {
		m := &h.Months[i]
		r := row{Class: failClass(m), Cells: []string{
			m.Month.Format("2006-01"), strconv.Itoa(m.Deployments), strconv.Itoa(m.Failures), rate(m), restore(m),
			ratio(m.DurationRatio, m.DurationEstimated), ratio(m.OutageRatio, m.OutageEstimated), lessons(m),
		}}
		if simulated {
			r.Cells = append(r.Cells, withinP90(m))
		}
		tb.Rows = append(tb.Rows, r)
	}
	return tb
}

// withinP90 prints how many of the month's simulated rollouts ended
// within their P90: "88% (7 of 8)"; "" when none was simulated.
func withinP90(m *Month) string {
	if m.Simulated == 0 {
		return ""
	}
	return fmt.Sprintf("%.0f%% (%d of %d)", 100*float64(m.WithinP90)/float64(m.Simulated), m.WithinP90, m.Simulated)
}

// ratio prints a mean of actual / estimate as a signed percentage: "+18%".
func ratio(r float64, n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("%+.0f%% (%d)", (r-1)*100, n)
}

// average prints a mean of actual / estimate for the headline: "+18% on
// average over 3 rollouts".
func average(r float64, n int) string {
	switch n {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf("%+.0f%% (1 rollout)", (r-1)*100)
	}
	return fmt.Sprintf("%+.0f%% on average over %d rollouts", (r-1)*100, n)
}

func lessons(m *Month) string {
	if m.LessonsDue == 0 {
		return ""
	}
	return strconv.Itoa(m.LessonsApplied) + " of " + strconv.Itoa(m.LessonsDue)
}

// ChartMonths is the most months the history's HTML chart draws: the
// last ones, as many as stay legible on a phone. The table below the
// chart lists every month.
const ChartMonths = 12

// History chart geometry, in SVG user units.
const (
	histSlot   = 28 // one month
	histBar    = 18
	histTop    = 16
	histPlot   = 100 // the bars' height
	histLeft   = 28  // the count axis
	histBottom = 34  // month and year labels
)

// svg draws the deployments of each of the last ChartMonths months as a
// bar, its failures in red at the bar's foot. It scales to the width it
// has, up to one and a half times its own.
func (h *History) svg() template.HTML {
	months := h.Months
	if len(months) > ChartMonths {
		months = months[len(months)-ChartMonths:]
	}
	n := len(months)
	most := 1
	for i := range months {
		most = max(most, months[i].Deployments)
	}
	w := histLeft + n*histSlot + 8
	hgt := histTop + histPlot + histBottom
	var b strings.Builder
	esc := template.HTMLEscapeString
	fmt.Fprintf(&b, `<svg viewBox="0 0 %d %d" style="max-width:%dpx" role="img" aria-label="Deployments and failures per month">`, w, hgt, w*3/2)
	base := histTop + histPlot
	fmt.Fprintf(&b, `<line class="axis" x1="%d" y1="%d" x2="%d" y2="%d" />`, histLeft, base, w-4, base)
	fmt.Fprintf(&b, `<text x="%d" y="%d" text-anchor="end">%d</text><text x="%d" y="%d" text-anchor="end">0</text>`, histLeft-4, histTop+4, most, histLeft-4, base)
	scale := float64(histPlot) / float64(most)
	for i := range months {
		m := &months[i]
		x := histLeft + i*histSlot + (histSlot-histBar)/2
		cx := histLeft + i*histSlot + histSlot/2
		dh := float64(m.Deployments) * scale
		fh := float64(m.Failures) * scale
		label := m.Month.Format("2006-01") + ": " + strconv.Itoa(m.Deployments) + " deployments, " + strconv.Itoa(m.Failures) + " failed or rolled back"
		fmt.Fprintf(&b, `<g><title>%s</title>`, esc(label))
		if m.Deployments > m.Failures {
			fmt.Fprintf(&b, `<rect class="deploy" x="%d" y="%.1f" width="%d" height="%.1f" />`, x, float64(base)-dh, histBar, dh-fh)
		}
		if m.Failures > 0 {
			fmt.Fprintf(&b, `<rect class="fail" x="%d" y="%.1f" width="%d" height="%.1f" />`, x, float64(base)-fh, histBar, fh)
		}
		fmt.Fprintf(&b, `<text class="month" x="%d" y="%d">%s</text>`, cx, base+14, m.Month.Format("Jan"))
		if i == 0 || m.Month.Month() == time.January {
			fmt.Fprintf(&b, `<text class="month" x="%d" y="%d">%d</text>`, cx, base+28, m.Month.Year())
		}
		b.WriteString(`</g>`)
	}
	b.WriteString(`</svg><ul class="legend"><li><i class="key bar-none"></i>deployments</li><li><i class="key bar-outage"></i>failed or rolled back</li>`)
	if len(h.Months) > n {
		fmt.Fprintf(&b, `<li>the last %d months; the table below has all %d</li>`, n, len(h.Months))
	}
	b.WriteString(`</ul>`)
	return template.HTML(b.String())
}
