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
	a := &r.Actual
	steps := a.Steps
	more := 0
	if len(steps) > ChartSteps {
		steps, more = steps[:ChartSteps], len(steps)-ChartSteps
	}
	// The rehearsal's successful attempt of each step, and the attempt of
	// each actual step to draw it under: its last one.
	var reh map[string]time.Duration
	last := make(map[string]int, len(steps))
	if r.Rehearsal != nil {
		reh = make(map[string]time.Duration, len(r.Rehearsal.Steps))
		for i := range r.Rehearsal.Steps {
			sp := &r.Rehearsal.Steps[i]
			if !sp.Open && sp.Outcome == timeline.Done {
				reh[sp.Step] = sp.Duration
			}
		}
		for i := range a.Steps {
			last[a.Steps[i].Step] = i
		}
	}

	t0, t1 := a.Start, a.End
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
		if d, ok := reh[sp.Step]; ok && last[sp.Step] == i {
			if e := sp.Start.Add(d); e.After(t1) {
				t1 = e
			}
		}
	}
	if !t1.After(t0) {
		t1 = t0.Add(time.Minute)
	}
	runEnd := t1 // where running steps end
	// T0, the planned end and the expected end widen the chart; the
	// window's end too, unless that would more than double its span: it is
	// then said in words under it.
	c := &chart{More: more, Rows: make([]chartRow, 0, len(steps))}
	type line struct {
		at           time.Time
		class, label string
	}
	var lines []line
	expectedEnd := time.Time{}
	if r.Outcome == Running && r.Drift != nil {
		expectedEnd = r.Drift.ExpectedEnd
	}
	widen := func(m line) {
		if m.at.Before(t0) {
			t0 = m.at
		}
		if m.at.After(t1) {
			t1 = m.at
		}
		lines = append(lines, m)
	}
	for _, m := range []line{{r.T0, "m-t0", "T0"}, {r.PlannedEnd, "m-planned", "planned end"}, {expectedEnd, "m-expected", "expected end"}} {
		if !m.at.IsZero() {
			widen(m)
		}
	}
	if w := r.WindowEnd; !w.IsZero() {
		m := line{w, "m-window", "window end"}
		if lo, hi := minTime(t0, w), maxTime(t1, w); hi.Sub(lo) > 2*t1.Sub(t0) {
			c.Notes = append(c.Notes, m.label+" "+r.clock(w)+" is outside the chart")
		} else {
			widen(m)
		}
	}
	spanD := float64(t1.Sub(t0))
	x := func(t time.Time) float64 { return float64(t.Sub(t0)) / spanD }
	w := func(from, to time.Time) float64 { return max(x(to)-x(from), 0.003) }

	c.Ticks = r.ticks(t0, t1, x)

	var g strings.Builder
	for _, b := range a.Periods(timeline.Disruption) {
		g.WriteString(`<i class="band band-disruption" style="left:` + pct(x(b.Start)) + `;width:` + pct(w(b.Start, b.End)) + `"></i>`)
	}
	for _, b := range a.Periods(timeline.Outage) {
		g.WriteString(`<i class="band band-outage" style="left:` + pct(x(b.Start)) + `;width:` + pct(w(b.Start, b.End)) + `"></i>`)
	}
	for _, m := range lines {
		// A line is 2 px wide, centred on its instant; at the chart's end
		// it is drawn inside the plot.
		switch f := x(m.at); {
		case f > 0.999:
			g.WriteString(`<i class="m m-end ` + m.class + `"></i>`)
		case f < 0.001:
			g.WriteString(`<i class="m m-start ` + m.class + `" style="left:0"></i>`)
		default:
			g.WriteString(`<i class="m ` + m.class + `" style="left:` + pct(f) + `"></i>`)
		}
	}
	c.Grid = template.HTML(g.String())

	for i := range steps {
		sp := &steps[i]
		end := sp.End
		cr := chartRow{Label: stepName(titles, sp.Step), Attempt: sp.Attempt, Owner: clean(titles[sp.Step].Owner)}
		if sp.Open {
			end, cr.Mark, cr.Class = runEnd, "running", "running"
		} else if sp.Outcome == timeline.Failed {
			cr.Mark, cr.Class = "✗ failed", "failed"
		}
		cr.Title = cr.Label
		if sp.Attempt > 1 {
			cr.Title += " (attempt " + strconv.Itoa(sp.Attempt) + ")"
		}
		cr.Title += ": " + r.when(sp.Start)
		if sp.Open {
			cr.Title += ", running"
		} else {
			cr.Title += ", " + dur(sp.Duration) + ", " + sp.Impact.String() + ", " + sp.Outcome.String()
		}
		cls := "bar bar-" + sp.Impact.String()
		if sp.Open {
			cls += " bar-running"
		}
		x0, x1 := x(sp.Start), x(sp.Start)+w(sp.Start, end)
		cr.Bar = span{X: pct(x0), W: pct(x1 - x0), Class: cls}
		if d, ok := reh[sp.Step]; ok && last[sp.Step] == i && !(sp.Outcome == timeline.Failed && !sp.Open) {
			cr.Reh = &span{X: pct(x0), W: pct(w(sp.Start, sp.Start.Add(d))), Class: "bar-rehearsal"}
			cr.Title += "; rehearsal " + dur(d)
		}
		if cr.Mark != "" {
			// Beside the bar's end when there is room after it, else
			// before its start, else inside it.
			switch {
			case x1 <= 0.8:
				cr.MarkPos = "left:" + pct(x1+0.005)
			case x0 >= 0.2:
				cr.MarkPos = "right:" + pct(1-x0+0.005)
			default:
				cr.MarkPos, cr.MarkIn = "left:"+pct(x0+0.005), true
			}
		}
		c.Rows = append(c.Rows, cr)
	}

	for _, l := range []legend{
		{"bar-outage", "outage step"}, {"bar-disruption", "disruption step"}, {"bar-none", "no impact"},
		{"band-outage", "users cut off"}, {"band-disruption", "users degraded"}, {"bar-rehearsal", "rehearsal (successful attempt)"},
	} {
		if l.Class == "bar-rehearsal" && r.Rehearsal == nil {
			continue
		}
		c.Legend = append(c.Legend, l)
	}
	for _, m := range lines {
		c.Legend = append(c.Legend, legend{m.class, m.label + " " + r.clock(m.at)})
	}
	return c
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
