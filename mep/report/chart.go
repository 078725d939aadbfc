package report

import (
	"strconv"
	"time"
	"unicode/utf8"

	"github.com/mepkit/mepkit/timeline"
)

// ChartSteps is the most step attempts the HTML chart draws, one row each,
// in start order. The chart of a longer cutover draws the first ChartSteps
// and says how many more are in the table below it, which lists them all;
// its outage and disruption shading and its time axis still cover the
// whole cutover.
const ChartSteps = 200

// Chart geometry, in SVG user units (pixels at 100% zoom).
const (
	chartWidth  = 1180
	chartLabelW = 250 // step names, right-aligned before the plot
	chartRight  = 90  // room after the plot for "failed" and "running" marks
	chartTop    = 28  // the time axis
	chartRowH   = 22
	chartBarH   = 12
	chartRehH   = 4 // the rehearsal bar under the actual one
	chartLegend = 34
	labelRunes  = 34 // longer step names are cut with an ellipsis
)

// chart is the SVG gantt of a report, with every coordinate formatted.
type chart struct {
	Width, Height string
	PlotX, PlotW  string // the plot area
	AxisY, Bottom string // top and bottom of the rows
	Ticks         []tick
	Bands         []box
	Rows          []chartRow
	More          int // attempts not drawn
	MoreY         string
	LegendY       string
	Legend        []legend
	Rehearsal     bool
}

type tick struct{ X, Label string }

// box is a rectangle with a CSS class.
type box struct{ X, Y, W, H, Class string }

type chartRow struct {
	Title  string // the full step name, attempt and times: the tooltip
	Label  string // the step name, cut to fit
	LabelY string
	Bar    box
	Reh    *box
	Mark   string // "failed", "running" or ""
	MarkX  string
	Stripe bool // every other row is shaded for reading across
	StripY string
}

type legend struct{ X, TextX, Class, Label string }

func px(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }

// chart lays out the chart of r.Actual, with r.Rehearsal's bars beside
// the actual ones: each rehearsal attempt of the same step and attempt
// number is drawn from the start of the actual attempt, so that the two
// lengths compare directly. Running steps end at the chart's end: the
// drift's measure (Drift.At) when it is later than the last entry.
func (r *Report) chart() *chart {
	a := &r.Actual
	steps := a.Steps
	more := 0
	if len(steps) > ChartSteps {
		steps, more = steps[:ChartSteps], len(steps)-ChartSteps
	}
	type key struct {
		step    string
		attempt int
	}
	var reh map[key]*timeline.Span
	if r.Rehearsal != nil {
		reh = make(map[key]*timeline.Span, len(r.Rehearsal.Steps))
		for i := range r.Rehearsal.Steps {
			sp := &r.Rehearsal.Steps[i]
			if !sp.Open {
				reh[key{sp.Step, sp.Attempt}] = sp
			}
		}
	}
	t0, t1 := a.Start, a.End
	// Running steps are drawn up to the drift's measure, when there is one.
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
		if b := reh[key{sp.Step, sp.Attempt}]; b != nil {
			if e := sp.Start.Add(b.Duration); e.After(t1) {
				t1 = e
			}
		}
	}
	span := t1.Sub(t0)
	if span <= 0 {
		span = time.Minute
		t1 = t0.Add(span)
	}
	plotW := float64(chartWidth - chartLabelW - chartRight)
	x := func(t time.Time) float64 {
		return chartLabelW + float64(t.Sub(t0))/float64(span)*plotW
	}
	w := func(from, to time.Time) float64 { return max(x(to)-x(from), 1) }

	rowsH := len(steps) * chartRowH
	if more > 0 {
		rowsH += chartRowH
	}
	bottom := chartTop + 6 + rowsH
	c := &chart{
		Width: strconv.Itoa(chartWidth), Height: strconv.Itoa(bottom + chartLegend),
		PlotX: px(chartLabelW), PlotW: px(plotW),
		AxisY: strconv.Itoa(chartTop), Bottom: strconv.Itoa(bottom),
		More: more, Rehearsal: r.Rehearsal != nil,
		Rows: make([]chartRow, 0, len(steps)),
	}
	c.Ticks = r.ticks(t0, t1, x)

	// Shading: the periods users were degraded, then cut off, over the
	// whole cutover.
	bandH := strconv.Itoa(bottom - chartTop)
	for _, b := range a.Periods(timeline.Disruption) {
		c.Bands = append(c.Bands, box{X: px(x(b.Start)), Y: c.AxisY, W: px(w(b.Start, b.End)), H: bandH, Class: "band-disruption"})
	}
	for _, b := range a.Periods(timeline.Outage) {
		c.Bands = append(c.Bands, box{X: px(x(b.Start)), Y: c.AxisY, W: px(w(b.Start, b.End)), H: bandH, Class: "band-outage"})
	}

	for i := range steps {
		sp := &steps[i]
		y := chartTop + 6 + i*chartRowH
		barY := y + (chartRowH-chartBarH-chartRehH-2)/2
		end, mark := sp.End, ""
		if sp.Open {
			end, mark = t1, "running"
		} else if sp.Outcome == timeline.Failed {
			mark = "failed"
		}
		name, label := clean(sp.Step), cut(clean(sp.Step), labelRunes)
		if sp.Attempt > 1 {
			suffix := " #" + strconv.Itoa(sp.Attempt)
			name, label = name+suffix, cut(clean(sp.Step), labelRunes-len(suffix))+suffix
		}
		title := name + ": " + r.when(sp.Start)
		if sp.Open {
			title += ", running"
		} else {
			title += ", " + dur(sp.Duration) + ", " + sp.Impact.String() + ", " + sp.Outcome.String()
		}
		cls := "bar-" + sp.Impact.String()
		if sp.Open {
			cls += " bar-running"
		}
		cr := chartRow{
			Title: title, Label: label, LabelY: strconv.Itoa(barY + chartBarH - 2),
			Bar:  box{X: px(x(sp.Start)), Y: strconv.Itoa(barY), W: px(w(sp.Start, end)), H: strconv.Itoa(chartBarH), Class: cls},
			Mark: mark, MarkX: px(x(end) + 4),
			Stripe: i%2 == 1, StripY: strconv.Itoa(y),
		}
		if b := reh[key{sp.Step, sp.Attempt}]; b != nil {
			e := sp.Start.Add(b.Duration)
			cr.Reh = &box{X: px(x(sp.Start)), Y: strconv.Itoa(barY + chartBarH + 2), W: px(w(sp.Start, e)), H: strconv.Itoa(chartRehH), Class: "bar-rehearsal"}
			cr.Title += "; rehearsal " + dur(b.Duration)
			if e.After(end) {
				cr.MarkX = px(x(e) + 4)
			}
		}
		c.Rows = append(c.Rows, cr)
	}
	c.MoreY = strconv.Itoa(bottom - chartRowH/2 + 4)

	ly := bottom + 20
	c.LegendY = strconv.Itoa(ly)
	lx := chartLabelW
	for _, l := range []struct{ class, label string }{
		{"bar-outage", "outage step"}, {"bar-disruption", "disruption step"}, {"bar-none", "no impact"},
		{"band-outage", "users cut off"}, {"band-disruption", "users degraded"}, {"bar-rehearsal", "rehearsal"},
	} {
		if l.class == "bar-rehearsal" && r.Rehearsal == nil {
			continue
		}
		c.Legend = append(c.Legend, legend{X: strconv.Itoa(lx), TextX: strconv.Itoa(lx + 16), Class: l.class, Label: l.label})
		lx += 30 + 7*len(l.label)
	}
	return c
}

// tickSteps are the intervals the time axis may use.
var tickSteps = []time.Duration{
	time.Second, 5 * time.Second, 15 * time.Second, 30 * time.Second,
	time.Minute, 2 * time.Minute, 5 * time.Minute, 10 * time.Minute, 15 * time.Minute, 30 * time.Minute,
	time.Hour, 2 * time.Hour, 3 * time.Hour, 6 * time.Hour, 12 * time.Hour, 24 * time.Hour,
}

// ticks returns at most about ten ticks at round times between t0 and t1,
// printed in the report's location.
func (r *Report) ticks(t0, t1 time.Time, x func(time.Time) float64) []tick {
	span := t1.Sub(t0)
	step := tickSteps[len(tickSteps)-1]
	for _, s := range tickSteps {
		if span/s <= 10 {
			step = s
			break
		}
	}
	for span/step > 10 {
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
		out = append(out, tick{X: px(x(t)), Label: t.In(loc).Format(layout)})
	}
	return out
}

// cut shortens s to n runes, ending it with an ellipsis when it was cut.
func cut(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	i, k := 0, 0
	for j := range s {
		if k == n-1 {
			i = j
			break
		}
		k++
	}
	return s[:i] + "…"
}
