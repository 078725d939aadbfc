package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// script is the page's only script: it replaces the live part of the page
// with each update the server sends. It is allowed by its hash in the
// Content-Security-Policy; nothing else runs.
//
// A tab remembers what it showed, whatever server answers after a
// restart (which knows nothing of it): once it showed the record broken
// it takes no more updates, and an update whose head is below the seq the
// tab showed, a record cut while the server was away, turns it red. A
// server that has not read the record yet (its head at seq 0) is waited
// for.
const script = `(function(){var live=document.getElementById("live"),conn=document.getElementById("conn");` +
	`if(!window.EventSource){return;}var st=document.getElementById("state"),` +
	`broken=!!(st&&st.getAttribute("data-state")==="broken"),shown=st?+st.getAttribute("data-seq"):0;` +
	`function bad(seq){broken=true;document.body.classList.add("broken");conn.textContent="not live: broken at seq "+seq;conn.className="bad";}` +
	`var es=new EventSource("events");` +
	`es.addEventListener("update",function(e){if(broken){return;}var t=document.createElement("template");t.innerHTML=e.data;` +
	`var s=t.content.querySelector("#state"),seq=s?+s.getAttribute("data-seq"):0;` +
	`if(s&&s.getAttribute("data-state")==="broken"){live.innerHTML=e.data;bad(seq);return;}` +
	`if(seq===0&&shown>0){conn.textContent="reconnecting";conn.className="warn";return;}` +
	`if(seq<shown){var b=document.createElement("div"),h=document.createElement("b");b.className="broken-banner";b.setAttribute("role","alert");` +
	`h.textContent="Record broken at seq "+(seq+1)+": not live";b.appendChild(h);` +
	`b.appendChild(document.createTextNode("the record shrank: this page showed "+shown+" entries, the server now shows "+seq+` +
	`"; entries were cut from its end while the server was away. The page stopped following the record; what it shows is the record as it was verified before."));` +
	`live.insertBefore(b,live.firstChild);var c=document.getElementById("count");if(c){c.textContent="("+shown+" verified before the break)";}bad(seq+1);return;}` +
	`shown=seq;live.innerHTML=e.data;conn.textContent="live";conn.className="ok";});` +
	`es.onerror=function(){if(!broken){conn.textContent="reconnecting";conn.className="warn";}};` +
	`var r=document.getElementById("refresh");if(r){r.remove();}})();`

const style = `
:root{color-scheme:dark;--bg:#0f1419;--fg:#e6e6e6;--mute:#9aa5b1;--card:#1a2129;--go:#2ea043;--nogo:#da3633;--warn:#d29922;--out:#f85149;--dis:#d29922;--none:#58a6ff;--plan:#3d4752}
*{box-sizing:border-box}body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
header{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:baseline;padding:.8rem 1rem;border-bottom:1px solid var(--plan)}
h1{font-size:1.15rem;margin:0}header a{color:var(--none)}.sub{color:var(--mute);overflow-wrap:anywhere;min-width:0}#conn{margin-left:auto;font-size:.85rem;padding:.1rem .5rem;border-radius:1rem;border:1px solid currentColor}
.ok{color:var(--go)}.warn{color:var(--warn)}.bad{color:#fff;background:var(--nogo);border-color:var(--nogo)!important;font-weight:700}
body.broken{background:#2a0d0f}body.broken header{background:var(--nogo);border-color:var(--nogo)}body.broken header .sub{color:#ffd7d5}
.broken-banner{background:var(--nogo);color:#fff;padding:.8rem 1rem;border-radius:.5rem;margin:0 0 .8rem;overflow-wrap:anywhere}.broken-banner b{display:block;font-size:1.2rem}main{padding:1rem;max-width:1200px;margin:0 auto}
.cards{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.6rem}
.card{background:var(--card);border-radius:.5rem;padding:.6rem .8rem}.card b{display:block;font-size:1.25rem;font-variant-numeric:tabular-nums;overflow-wrap:anywhere}.card span{color:var(--mute);font-size:.8rem;text-transform:uppercase;letter-spacing:.04em}
.verdict-GO b{color:var(--go)}.verdict-NO-GO b{color:var(--nogo)}.late b{color:var(--warn)}.error{background:#3b1d1d;color:#ffb4b4;padding:.6rem .8rem;border-radius:.5rem;margin:.6rem 0;overflow-wrap:anywhere}
h2{font-size:1rem;margin:1.2rem 0 .5rem;color:var(--mute);font-weight:600}
.chart{background:var(--card);border-radius:.5rem;padding:.6rem .8rem}.row{display:grid;grid-template-columns:11rem 1fr;gap:.5rem;align-items:center;margin:.15rem 0}
.row .name{overflow:hidden;text-overflow:ellipsis;white-space:nowrap;font-size:.85rem}.row svg{width:100%;height:14px;display:block}
.axis{display:flex;justify-content:space-between;color:var(--mute);font-size:.75rem}
.legend{color:var(--mute);font-size:.8rem;margin-top:.4rem}.legend i{display:inline-block;width:.8rem;height:.6rem;margin:0 .25rem 0 .6rem;border-radius:2px}
.l-out{background:var(--out)}.l-dis{background:var(--dis)}.l-none{background:var(--none)}.l-plan{background:var(--plan)}
rect.outage{fill:var(--out)}rect.disruption{fill:var(--dis)}rect.none{fill:var(--none)}rect.plan{fill:var(--plan)}rect.failed{opacity:.45}rect.open{opacity:.8}line.now{stroke:var(--fg);stroke-width:2}
table{width:100%;border-collapse:collapse;background:var(--card);border-radius:.5rem;font-size:.85rem}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--bg);vertical-align:top}
td.text{overflow-wrap:anywhere}th{color:var(--mute);font-weight:600}.num{font-variant-numeric:tabular-nums;white-space:nowrap}
@media (max-width:600px){.hide-narrow{display:none}body{font-size:14px}.row{grid-template-columns:7rem 1fr}.row .name{font-size:.75rem}main{padding:.6rem}}
`

var (
	scriptHash        = hashSource(script)
	styleHash         = hashSource(style)
	scheduleStyleHash = hashSource(scheduleStyle)
	// csp allows the page's own script and the pages' styles by their
	// hashes, the event stream from the same origin, and nothing else: no
	// other script, style, image, font, frame or form, and no framing.
	csp = "default-src 'none'; script-src '" + scriptHash + "'; style-src '" + styleHash + "' '" + scheduleStyleHash + "'; " +
		"connect-src 'self'; img-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
)

func hashSource(s string) string {
	sum := sha256.Sum256([]byte(s))
	return "sha256-" + base64.StdEncoding.EncodeToString(sum[:])
}

// protect sets the protective headers of every response.
func protect(h http.Header) {
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	h.Set("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
	h.Set("Cache-Control", "no-store")
}

var pageTmpl = template.Must(template.New("page").Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>War room · {{.Title}}</title>
<noscript><meta http-equiv="refresh" content="5"></noscript>
<style>{{.Style}}</style>
</head><body{{if .Broken}} class="broken"{{end}}>
<header><h1>War room · {{.Title}}</h1><span class="sub">{{.Source}}</span>{{if .Schedule}}<a href="schedule">Tonight's schedule</a>{{end}}{{if .Broken}}<span id="conn" class="bad">not live: broken at seq {{.Seq}}</span>{{else}}<span id="conn" class="warn">connecting</span>{{end}}</header>
<main id="live">{{.Live}}</main>
<script>{{.Script}}</script>
</body></html>
`))

var liveTmpl = template.Must(template.New("live").Funcs(template.FuncMap{
	"dur":   timeline.FormatDuration,
	"abs":   func(d time.Duration) time.Duration { return d.Abs() },
	"clock": func(t time.Time, loc *time.Location) string { return t.In(loc).Format("15:04:05") },
	"date":  func(t time.Time, loc *time.Location) string { return t.In(loc).Format("Mon 2 Jan 15:04:05 MST") },
}).Parse(`<div id="state" hidden data-state="{{if .Broken}}broken{{else}}live{{end}}" data-seq="{{with .Broken}}{{.Seq}}{{else}}{{$.Seq}}{{end}}"></div>
{{- with .Broken}}<div class="broken-banner" role="alert"><b>Record broken at seq {{.Seq}}: not live</b>{{.Reason}}. The page stopped following the record; what it shows is the record as it was verified before.</div>{{end}}
{{- with .Err}}<p class="error">{{.}}</p>{{end}}
{{- $loc := .Loc}}{{with .H}}
<section class="cards" aria-label="headline">
<div class="card"><span>T0</span><b>{{if .T0.IsZero}}not set{{else}}{{date .T0 $loc}}{{end}}</b></div>
<div class="card verdict-{{.Verdict}}"><span>Go/no-go</span><b>{{.Verdict}}</b>{{with .GoBy}}<small>by {{.}}</small>{{end}}</div>
<div class="card"><span>Current step</span><b>{{if .Running}}{{range $i, $s := .Running}}{{if $i}}, {{end}}{{$s}}{{end}}{{else if .Finished}}finished{{else if .Started}}between steps{{else}}not started{{end}}</b>{{with .Last}}<small>last: {{.}}</small>{{end}}</div>
<div class="card{{if gt .Drift 0}} late{{end}}"><span>Drift</span><b>{{if .HasPlan}}{{if gt .Drift 0}}+{{dur .Drift}} late{{else if lt .Drift 0}}{{dur (abs .Drift)}} early{{else}}on time{{end}}{{else}}no plan{{end}}</b>{{if .HasPlan}}<small>{{.Done}} of {{.Planned}} steps done</small>{{end}}</div>
<div class="card"><span>{{if .Finished}}Ended{{else}}Expected end{{end}}</span><b>{{if .ExpectedEnd.IsZero}}unknown{{else}}{{clock .ExpectedEnd $loc}}{{end}}</b>{{if not .P90End.IsZero}}<small>P90 end {{clock .P90End $loc}}{{if not .WindowEnd.IsZero}}, window ends {{clock .WindowEnd $loc}} ({{.Overrun}} chance to overrun){{end}}</small>{{end}}</div>
{{- if or .NoReturn (not .DecideBy.IsZero)}}
<div class="card{{if .DecisionPassed}} late{{end}}"><span>{{if .NoReturn}}Point of no return{{else}}Decide by{{end}}</span><b>{{if .NoReturn}}passed{{else}}{{clock .DecideBy $loc}}{{end}}</b><small>{{.Decision}}</small></div>{{end}}
<div class="card{{if gt .Outage 0}} late{{end}}"><span>Outage so far</span><b>{{dur .Outage}}</b><small>disruption {{dur .Disruption}}</small></div>
</section>{{end}}
<h2>Steps</h2>
<div class="chart" role="img" aria-label="steps over time">
{{- range .Rows}}
<div class="row"><span class="name" title="{{.Title}}">{{.Name}}</span><svg viewBox="0 0 1000 14" preserveAspectRatio="none" aria-hidden="true">
{{- range .Bars}}<rect class="{{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Title}}</title></rect>{{end}}
{{- with $.NowX}}<line class="now" x1="{{.}}" x2="{{.}}" y1="0" y2="14"></line>{{end}}</svg></div>
{{- else}}<p class="sub">No step yet.</p>{{end}}
{{- if .Rows}}<div class="row"><span></span><div class="axis"><span>{{clock .From $loc}}</span><span>{{clock .To $loc}}</span></div></div>{{end}}
<div class="legend"><i class="l-out"></i>outage<i class="l-dis"></i>disruption<i class="l-none"></i>no impact{{if .H.HasPlan}}<i class="l-plan"></i>plan{{end}}</div>
</div>
<h2>Latest entries <span class="sub" id="count">({{if .Broken}}{{.Count}} verified before the break{{else}}{{.Count}} in the record, as of {{clock .H.Now $loc}}{{end}})</span></h2>
<table><thead><tr><th class="num">#</th><th class="num">time</th><th>kind</th><th class="hide-narrow">actor</th><th>what</th></tr></thead><tbody>
{{- range .Latest}}
<tr><td class="num">{{.Seq}}</td><td class="num">{{clock .At $loc}}</td><td>{{.Kind}}</td><td class="hide-narrow">{{.Actor}}</td><td class="text">{{.What}}</td></tr>
{{- end}}
</tbody></table>
`))

// view is what the live part of the page shows.
type view struct {
	H        headline
	Loc      *time.Location
	Err      string
	Rows     []chartRow
	From, To time.Time
	NowX     string // the x of the "now" line; "" when out of range
	Latest   []entryRow
	Count    int
	Seq      uint64    // the head's seq
	Broken   *breakage // nil: the record verifies
}

// ticking reports whether the view changes with the clock: a step
// running (its outage, drift and bar grow), the "now" line on the chart,
// or a T0 set that nothing started at yet (the drift grows once it
// passed). Otherwise it changes only with the record.
func (v *view) ticking() bool {
	h := &v.H
	return len(h.Running) > 0 || v.NowX != "" || !h.T0.IsZero() && !h.Started
}

// entryRow is one line of the table of latest entries.
type entryRow struct {
	Seq               uint64
	At                time.Time
	Kind, Actor, What string
}

type chartRow struct {
	Name, Title string
	Bars        []bar
}

type bar struct {
	Class, Title, X, Y, W, H string
}

// latestCount is the number of entries the table shows.
const latestCount = 15

// newView returns the view of headline h, with the latest entries of a
// record of count entries.
func newView(h headline, entries []timeline.Entry, count int, plan []plannedStep, loc *time.Location, srcErr error) view {
	v := view{H: h, Loc: loc, Count: count}
	if loc == nil {
		v.Loc = time.Local
		if !h.T0.IsZero() {
			v.Loc = h.T0.Location()
		} else if len(entries) > 0 {
			v.Loc = entries[len(entries)-1].At.Location()
		}
	}
	if srcErr != nil {
		v.Err = srcErr.Error()
	}
	for i := len(entries) - 1; i >= 0 && len(v.Latest) < latestCount; i-- {
		e := entries[i]
		kind := strings.TrimPrefix(e.Kind, "x-") // "x-mep.vote", the legacy spelling, reads "mep.vote"
		switch e.Kind {
		case timeline.KindStart:
			kind += " (" + e.Impact.String() + ")"
		case timeline.KindEnd:
			kind += " (" + e.Outcome.String() + ")"
		}
		v.Latest = append(v.Latest, entryRow{Seq: e.Seq, At: e.At, Kind: kind, Actor: e.Actor, What: describe(e)})
	}
	v.chart(plan)
	return v
}

// chart lays out one row per step: the planned slot (from T0, steps one
// after the other) under the actual attempts.
func (v *view) chart(plan []plannedStep) {
	h := v.H
	if len(h.Spans) == 0 && (len(plan) == 0 || h.T0.IsZero()) {
		return
	}
	from, to := h.T0, h.Now
	if h.Finished {
		to = time.Time{}
	}
	for _, sp := range h.Spans {
		if from.IsZero() || sp.Start.Before(from) {
			from = sp.Start
		}
		to = later(to, later(from, sp.End))
	}
	if !h.ExpectedEnd.IsZero() {
		to = later(to, h.ExpectedEnd)
	}
	var plannedTotal time.Duration
	for _, p := range plan {
		plannedTotal += p.Duration
	}
	if !h.T0.IsZero() {
		to = later(to, h.T0.Add(plannedTotal))
	}
	if !to.After(from) {
		to = from.Add(time.Minute)
	}
	v.From, v.To = from, to
	span := float64(to.Sub(from))
	x := func(t time.Time) float64 { return 1000 * float64(t.Sub(from)) / span }
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
	if !h.Finished && !h.Now.Before(from) && !h.Now.After(to) {
		v.NowX = num(x(h.Now))
	}

	rows := map[string]*chartRow{}
	var order []string
	row := func(step string) *chartRow {
		r, ok := rows[step]
		if !ok {
			r = &chartRow{Name: step, Title: step}
			rows[step] = r
			order = append(order, step)
		}
		return r
	}
	if !h.T0.IsZero() {
		at := h.T0
		for _, p := range plan {
			r := row(p.Step)
			w := max(2, x(at.Add(p.Duration))-x(at))
			r.Bars = append(r.Bars, bar{Class: "plan", X: num(x(at)), Y: "9", W: num(w), H: "5",
				Title: fmt.Sprintf("planned: %s from %s", timeline.FormatDuration(p.Duration), at.In(v.Loc).Format("15:04:05"))})
			at = at.Add(p.Duration)
		}
	}
	for _, sp := range h.Spans {
		r := row(sp.Step)
		class := impactClass(sp.Impact)
		state := sp.Outcome.String()
		switch {
		case sp.Open:
			class += " open"
			state = "running"
		case sp.Outcome == timeline.Failed:
			class += " failed"
		}
		end := sp.End
		w := max(3, x(end)-x(sp.Start))
		r.Bars = append(r.Bars, bar{Class: class, X: num(x(sp.Start)), Y: "0", W: num(w), H: "8",
			Title: fmt.Sprintf("attempt %d, %s, %s: %s", sp.Attempt, sp.Impact, state, timeline.FormatDuration(end.Sub(sp.Start)))})
	}
	for _, s := range order {
		v.Rows = append(v.Rows, *rows[s])
	}
}

func impactClass(i timeline.Impact) string {
	switch i {
	case timeline.Outage:
		return "outage"
	case timeline.Disruption:
		return "disruption"
	}
	return "none"
}

// renderLive writes the live part of the page.
func renderLive(w io.Writer, v view) error {
	return liveTmpl.Execute(w, v)
}

// renderPage writes the whole page, with the live part of frame f, so
// that it reads without script too (refreshed by a meta tag then).
// With schedule set, it links to the schedule page.
func renderPage(w io.Writer, title, source string, schedule bool, f *frame) error {
	return pageTmpl.Execute(w, struct {
		Title, Source string
		Schedule      bool
		Live          template.HTML
		Style         template.CSS
		Script        template.JS
		Broken        bool
		Seq           uint64
	}{title, source, schedule, template.HTML(f.live), template.CSS(style), template.JS(script), f.broken, f.brokenSeq})
}

// writeEvent writes one Server-Sent Event: each line of data is a data
// field, so the browser joins them back with newlines.
func writeEvent(w io.Writer, name string, data []byte) error {
	var b bytes.Buffer
	b.WriteString("event: ")
	b.WriteString(name)
	b.WriteByte('\n')
	for _, line := range strings.Split(string(bytes.TrimRight(data, "\n")), "\n") {
		b.WriteString("data: ")
		b.WriteString(strings.TrimSuffix(line, "\r"))
		b.WriteByte('\n')
	}
	b.WriteByte('\n')
	_, err := w.Write(b.Bytes())
	return err
}
