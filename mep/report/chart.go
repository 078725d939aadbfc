package report

import (
	"html/template"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// ChartSteps is the most step attempts the HTML chart draws, one row each,
// in start order. The chart of a longer cutover draws the first ChartSteps
// and says how many more are in the table below it, which lists them all;
// its outage and disruption shading and its time axis still cover the
// whole cutover.
const ChartSteps = 200

// chart is the timeline chart of a report, laid out in percentages of the
// plot's width so that it scales to any width: one row per step attempt,
// the step's name in a label column (above the bar on a narrow screen),
// and, under the rows, the shading of outage and disruption and the lines
// of T0, planned end, expected end and window end.
type chart struct {
	Ticks  []tick
	Rows   []chartRow
	Grid   template.HTML // shading and lines, drawn once over the rows
	More   int           // attempts not drawn
	Legend []legend
	Notes  []string // marks that fall outside the chart, said in words
}

type tick struct{ X, Label, Class string }

type chartRow struct {
	Label   string // the step's name
	Attempt int    // > 1 for a retry
	Owner   string
	Title   string // the tooltip: name, times and outcome
	Class   string // "failed", "running" or ""
	Bar     span
	Reh     *span
	Mark    string // "✗ failed", "running" or ""
	MarkPos string // the mark's CSS position, e.g. "left:41.2%"
	MarkIn  bool   // the mark is drawn inside the bar
}

// span is a horizontal extent in percent of the plot, with a CSS class.
type span struct{ X, W, Class string }

type legend struct{ Class, Label string }

// pct formats a fraction of the plot's width as a CSS percentage.
func pct(f float64) string {
	return strconv.FormatFloat(max(0, min(f, 1))*100, 'f', 2, 64) + "%"
}

// chart lays out the chart of r.Actual. Rehearsal bars are drawn under
// the attempt of each step that ended (the retry that succeeded, not the
// failed try), from its start, with the length of the rehearsal's own
// successful attempt, so that the two compare directly. Running steps end
// at the chart's end: the drift's measure (Drift.At) when it is later than
// the last entry.
func (r *Report) chart(titles map[string]Step) *chart {
	steps := r.Actual.Steps
	more := 0
	if len(steps) > ChartSteps {
		steps, more = steps[:ChartSteps], len(steps)-ChartSteps
	}
	reh := r.rehearsalBars()
	t0, t1 := r.stepsExtent(steps, reh)
	runEnd := t1 // where running steps end
	c := &chart{More: more, Rows: make([]chartRow, 0, len(steps))}
	var lines []chartLine
	t0, t1, lines, c.Notes = r.chartLines(t0, t1)
	sc := scale{t0: t0, span: float64(t1.Sub(t0))}
	c.Ticks = r.ticks(t0, t1, sc.x)
	c.Grid = r.gridHTML(lines, sc)
	for i := range steps {
		c.Rows = append(c.Rows, r.stepRow(titles, &steps[i], i, runEnd, reh, sc))
	}
	c.Legend = r.chartLegend(lines)
	return c
}

// rehearsalBars holds the rehearsal's successful attempt of each step, and
// the attempt of each actual step to draw it under: its last one.
type rehearsalBars struct {
	dur  map[string]time.Duration // by step; nil without a rehearsal
	last map[string]int           // index in r.Actual.Steps, by step; nil without a rehearsal
}

// rehearsalBars returns the rehearsal bars of r; none without a rehearsal.
func (r *Report) rehearsalBars() rehearsalBars {
	if r.Rehearsal == nil {
		return rehearsalBars{}
	}
	a := &r.Actual
	rb := rehearsalBars{dur: make(map[string]time.Duration, len(r.Rehearsal.Steps)), last: make(map[string]int, len(a.Steps))}
	for i := range r.Rehearsal.Steps {
		sp := &r.Rehearsal.Steps[i]
		if !sp.Open && sp.Outcome == timeline.Done {
			rb.dur[sp.Step] = sp.Duration
		}
	}
	for i := range a.Steps {
		rb.last[a.Steps[i].Step] = i
	}
	return rb
}

// under returns the length of the rehearsal bar drawn under sp, the i-th
// attempt of r.Actual, and whether one is.
func (rb rehearsalBars) under(sp *timeline.Span, i int) (time.Duration, bool) {
	d, ok := rb.dur[sp.Step]
	return d, ok && rb.last[sp.Step] == i
}

// stepsExtent returns the instants the steps drawn and their rehearsal
// bars span, at least a minute; it ends at the drift's measure when steps
// are running and it is later.
func (r *Report) stepsExtent(steps []timeline.Span, reh rehearsalBars) (t0, t1 time.Time) {
	a := &r.Actual
	t0, t1 = a.Start, a.End
	if r.Drift != nil && a.Open > 0 && r.Drift.At.After(t1) {
		t1 = r.Drift.At
	}
	for i := range steps {
		sp := &steps[i]
		if t0.IsZero() || sp.Start.Before(t0) {
			t0 = sp.Start
		}
		if sp.End.After(t1) {
			t1 = sp.End
		}
		if d, ok := reh.under(sp, i); ok {
			if e := sp.Start.Add(d); e.After(t1) {
				t1 = e
			}
		}
	}
	if !t1.After(t0) {
		t1 = t0.Add(time.Minute)
	}
	return t0, t1
}

// chartLine is a vertical line across the chart at an instant, with its
// CSS class and its label in the legend.
type chartLine struct {
	at           time.Time
	class, label string
}

// chartLines returns the lines of T0, the planned end, the expected end and
// the window's end, and the chart's span t0 to t1 widened to show them. The
// window's end does not widen it when that would more than double its span:
// it is then said in the notes.
func (r *Report) chartLines(t0, t1 time.Time) (time.Time, time.Time, []chartLine, []string) {
	var lines []chartLine
	var notes []string
	expectedEnd := time.Time{}
	if r.Outcome == Running && r.Drift != nil {
		expectedEnd = r.Drift.ExpectedEnd
	}
	widen := func(m chartLine) {
		t0, t1 = minTime(t0, m.at), maxTime(t1, m.at)
		lines = append(lines, m)
	}
	for _, m := range []chartLine{{r.T0, "m-t0", "T0"}, {r.PlannedEnd, "m-planned", "planned end"}, {expectedEnd, "m-expected", "expected end"}} {
		if !m.at.IsZero() {
			widen(m)
		}
	}
	if w := r.WindowEnd; !w.IsZero() {
		m := chartLine{w, "m-window", "window end"}
		if lo, hi := minTime(t0, w), maxTime(t1, w); hi.Sub(lo) > 2*t1.Sub(t0) {
			notes = append(notes, m.label+" "+r.clock(w)+" is outside the chart")
		} else {
			widen(m)
		}
	}
	return t0, t1, lines, notes
}

// scale places instants on the plot, in fractions of its width.
type scale struct {
	t0   time.Time // the plot's left edge
	span float64   // the plot's width, in nanoseconds
}

// x returns the position of t.
func (s scale) x(t time.Time) float64 { return float64(t.Sub(s.t0)) / s.span }

// w returns the width from one instant to another, never so thin that it
// disappears.
func (s scale) w(from, to time.Time) float64 { return max(s.x(to)-s.x(from), 0.003) }

// gridHTML draws what lies under the rows: the bands of disruption and of
// outage, then the lines.
func (r *Report) gridHTML(lines []chartLine, sc scale) template.HTML {
	var g strings.Builder
	for _, band := range []struct {
		impact timeline.Impact
		class  string
	}{{timeline.Disruption, "band band-disruption"}, {timeline.Outage, "band band-outage"}} {
		for _, b := range r.Actual.Periods(band.impact) {
			g.WriteString(`<i class="` + band.class + `" style="left:` + pct(sc.x(b.Start)) + `;width:` + pct(sc.w(b.Start, b.End)) + `"></i>`)
		}
	}
	for _, m := range lines {
		// A line is 2 px wide, centred on its instant; at the chart's end
		// it is drawn inside the plot.
		switch f := sc.x(m.at); {
		case f > 0.999:
			g.WriteString(`<i class="m m-end ` + m.class + `"></i>`)
		case f < 0.001:
			g.WriteString(`<i class="m m-start ` + m.class + `" style="left:0"></i>`)
		default:
			g.WriteString(`<i class="m ` + m.class + `" style="left:` + pct(f) + `"></i>`)
		}
	}
	return template.HTML(g.String())
}

// stepRow lays out the row of sp, the i-th attempt of r.Actual: its bar,
// the rehearsal's bar under it, and its mark when it failed or is running,
// in which case it ends at runEnd.
func (r *Report) stepRow(titles map[string]Step, sp *timeline.Span, i int, runEnd time.Time, reh rehearsalBars, sc scale) chartRow {
	end := sp.End
	cr := chartRow{Label: stepName(titles, sp.Step), Attempt: sp.Attempt, Owner: clean(titles[sp.Step].Owner)}
	if sp.Open {
		end, cr.Mark, cr.Class = runEnd, "running", "running"
	} else if sp.Outcome == timeline.Failed {
		cr.Mark, cr.Class = "✗ failed", "failed"
	}
	cr.Title = r.stepTitle(cr.Label, sp)
	cls := "bar bar-" + sp.Impact.String()
	if sp.Open {
		cls += " bar-running"
	}
	x0, x1 := sc.x(sp.Start), sc.x(sp.Start)+sc.w(sp.Start, end)
	cr.Bar = span{X: pct(x0), W: pct(x1 - x0), Class: cls}
	if d, ok := reh.under(sp, i); ok && !(sp.Outcome == timeline.Failed && !sp.Open) {
		cr.Reh = &span{X: pct(x0), W: pct(sc.w(sp.Start, sp.Start.Add(d))), Class: "bar-rehearsal"}
		cr.Title += "; rehearsal " + dur(d)
	}
	if cr.Mark != "" {
		cr.MarkPos, cr.MarkIn = markPos(x0, x1)
	}
	return cr
}

// stepTitle returns the tooltip of a step's row: its label, attempt, times
// and outcome.
func (r *Report) stepTitle(label string, sp *timeline.Span) string {
	t := label
	if sp.Attempt > 1 {
		t += " (attempt " + strconv.Itoa(sp.Attempt) + ")"
	}
	t += ": " + r.when(sp.Start)
	if sp.Open {
		return t + ", running"
	}
	return t + ", " + dur(sp.Duration) + ", " + sp.Impact.String() + ", " + sp.Outcome.String()
}

// markPos places the mark of a bar from x0 to x1: beside its end when there
// is room after it, else before its start, else inside it (in is then true).
func markPos(x0, x1 float64) (pos string, in bool) {
	switch {
	case x1 <= 0.8:
		return "left:" + pct(x1+0.005), false
	case x0 >= 0.2:
		return "right:" + pct(1-x0+0.005), false
	default:
		return "left:" + pct(x0+0.005), true
	}
}

// chartLegend returns the legend: the bars and bands (the rehearsal's bar
// only with a rehearsal), then the lines with their instants.
func (r *Report) chartLegend(lines []chartLine) []legend {
	var out []legend
	for _, l := range []legend{
		{"bar-outage", "outage step"}, {"bar-disruption", "disruption step"}, {"bar-none", "no impact"},
		{"band-outage", "users cut off"}, {"band-disruption", "users degraded"}, {"bar-rehearsal", "rehearsal (successful attempt)"},
	} {
		if l.Class == "bar-rehearsal" && r.Rehearsal == nil {
			continue
		}
		out = append(out, l)
	}
	for _, m := range lines {
		out = append(out, legend{m.class, m.label + " " + r.clock(m.at)})
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// clock prints t's time of day in the report's location ("20:30"), with
// the date when it is not the day of the cutover's start.
func (r *Report) clock(t time.Time) string {
	loc := t.Location()
	if r.Location != nil {
		loc = r.Location
	}
	t = t.In(loc)
	s := r.Actual.Start.In(loc)
	if r.Actual.Start.IsZero() || t.YearDay() == s.YearDay() && t.Year() == s.Year() {
		return t.Format("15:04")
	}
	return t.Format("Jan 2 15:04")
}

// tickSteps are the intervals the time axis may use.
var tickSteps = []time.Duration{
	time.Second, 5 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// maxTicks is the most ticks on the time axis: few enough that their
// labels never touch on a phone, where every other one is hidden.
const maxTicks = 8

// ticks returns at most maxTicks ticks at round times between t0 and t1,
// printed in the report's location.
func (r *Report) ticks(t0, t1 time.Time, x func(time.Time) float64) []tick {
	span := t1.Sub(t0)
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if span/s <= maxTicks {
			step = s
			break
		}
	}
	for span/step > maxTicks {
		step *= 2
	}
	loc := t0.Location()
	if r.Location != nil {
		loc = r.Location
	}
	layout := "15:04"
	if step < time.Minute {
		layout = "15:04:05"
	}
	if span >= 24*time.Hour {
		layout = "Jan 2 15:04"
	}
	// Round in the location's wall clock, so that ticks fall on round
	// local times even in zones with odd offsets.
	local := t0.In(loc)
	_, off := local.Zone()
	first := t0.Add(time.Duration(off) * time.Second).Truncate(step).Add(-time.Duration(off) * time.Second)
	if first.Before(t0) {
		first = first.Add(step)
	}
	var out []tick
	for t := first; !t.After(t1); t = t.Add(step) {
		f := x(t)
		class := "tick"
		switch {
		case f < 0.06:
			class += " tick-start"
		case f > 0.94:
			class += " tick-end"
		}
		out = append(out, tick{X: pct(f), Label: t.In(loc).Format(layout), Class: class})
	}
	return out
}

// shortChart is the most rows of a chart kept whole on a printed page.
const shortChart = 30

// chartHTML renders c. It is written by hand rather than by the template,
// so that a 200-row chart costs little: every text goes through
// [template.HTMLEscapeString], every number is formatted here.
func chartHTML(c *chart) template.HTML {
	var b strings.Builder
	b.Grow(1024 + len(c.Grid) + len(c.Rows)*400)
	esc := template.HTMLEscapeString
	// A chart that fits on a page is kept on one page when printed.
	if len(c.Rows) <= shortChart {
		b.WriteString(`<div class="chart short">`)
	} else {
		b.WriteString(`<div class="chart">`)
	}
	b.WriteString("\n" + `<div class="axis" aria-hidden="true">`)
	for _, t := range c.Ticks {
		b.WriteString(`<span class="` + t.Class + `" style="left:` + t.X + `">` + esc(t.Label) + `</span>`)
	}
	b.WriteString("</div>\n<div class=\"plot\">\n<div class=\"grid\" aria-hidden=\"true\">")
	b.WriteString(string(c.Grid))
	b.WriteString("</div>\n")
	for i := range c.Rows {
		cr := &c.Rows[i]
		b.WriteString(`<div class="row`)
		if cr.Class != "" {
			b.WriteString(" row-" + cr.Class)
		}
		b.WriteString(`" title="` + esc(cr.Title) + `"><div class="label">` + esc(cr.Label))
		if cr.Attempt > 1 {
			b.WriteString(` <span class="attempt">attempt ` + strconv.Itoa(cr.Attempt) + `</span>`)
		}
		if cr.Owner != "" {
			b.WriteString(` <span class="owner">` + esc(cr.Owner) + `</span>`)
		}
		b.WriteString(`</div><div class="track">`)
		b.WriteString(`<i class="` + cr.Bar.Class + `" style="left:` + cr.Bar.X + `;width:` + cr.Bar.W + `"></i>`)
		if cr.Reh != nil {
			b.WriteString(`<i class="` + cr.Reh.Class + `" style="left:` + cr.Reh.X + `;width:` + cr.Reh.W + `"></i>`)
		}
		if cr.Mark != "" {
			cls := "mark mark-" + cr.Class
			if cr.MarkIn {
				cls += " mark-in"
			}
			b.WriteString(`<span class="` + cls + `" style="` + cr.MarkPos + `">` + esc(cr.Mark) + `</span>`)
		}
		b.WriteString("</div></div>\n")
	}
	b.WriteString("</div>\n")
	if c.More > 0 {
		b.WriteString(`<p class="more">… ` + strconv.Itoa(c.More) + " more steps in the table below</p>\n")
	}
	b.WriteString(`<ul class="legend">`)
	for _, l := range c.Legend {
		b.WriteString(`<li><i class="key ` + l.Class + `"></i>` + esc(l.Label) + `</li>`)
	}
	b.WriteString("</ul>\n")
	for _, n := range c.Notes {
		b.WriteString(`<p class="more">` + esc(n) + "</p>\n")
	}
	b.WriteString("</div>")
	return template.HTML(b.String())
}
