package main

import "html/template"

// scheduleStyle is the schedule page's only style, allowed by its hash
// in the Content-Security-Policy; the page runs no script.
const scheduleStyle = `
:root{color-scheme:dark;--bg:#0f1419;--fg:#e6e6e6;--mute:#9aa5b1;--card:#1a2129;--line:#3d4752;--bar:#58a6ff;--tail:#1f4e85;--done:#56606b;--bad:#f85149;--badbg:#3b1d1d;--now:#d29922}
*{box-sizing:border-box}body{margin:0;font:15px/1.4 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;background:var(--bg);color:var(--fg)}
a{color:var(--bar)}
header{display:flex;flex-wrap:wrap;gap:.3rem 1rem;align-items:baseline;padding:.8rem 1rem;border-bottom:1px solid var(--line)}
h1{font-size:1.15rem;margin:0}.sub{color:var(--mute);font-size:.85rem;overflow-wrap:anywhere;min-width:0}
nav{display:flex;flex-wrap:wrap;gap:.2rem .9rem;font-size:.9rem;margin-left:auto}
main{padding:1rem;max-width:1200px;margin:0 auto}
h2{font-size:1rem;margin:1.2rem 0 .5rem;color:var(--mute);font-weight:600;break-after:avoid}
.errors p{background:var(--badbg);color:#ffb4b4;padding:.5rem .8rem;border-radius:.5rem;margin:.4rem 0;overflow-wrap:anywhere}
.conflicts{list-style:none;padding:0;margin:0}.conflicts li{background:var(--badbg);border-left:4px solid var(--bad);padding:.45rem .7rem;margin:0 0 .4rem;border-radius:0 .4rem .4rem 0;overflow-wrap:anywhere}
.none{color:#3fb950}
.chart{background:var(--card);border-radius:.5rem;padding:.6rem .8rem .6rem .3rem}
.axis,.row{display:grid;grid-template-columns:15rem minmax(0,1fr);column-gap:.8rem}
.ticks{display:flex;border-bottom:1px solid var(--line);padding-bottom:.15rem}
.cell{flex:1 1 0;min-width:0;overflow:hidden;display:flex;justify-content:space-between}
.tick{font-size:.75rem;color:var(--mute);font-variant-numeric:tabular-nums;white-space:nowrap;padding:0 2px}.tick.day{color:var(--fg);font-weight:600}
.row{padding:.5rem 0;border-bottom:1px solid var(--bg);break-inside:avoid}
.row:last-child{border-bottom:0}
.who{grid-row:1/span 2;min-width:0;overflow-wrap:anywhere}
.label{font-weight:600;font-size:.9rem}.team{display:block;color:var(--mute);font-size:.8rem}
.track{grid-column:2;width:100%;height:24px;display:block}
.info{grid-column:2;font-size:.8rem;color:var(--mute);overflow-wrap:anywhere;margin-top:.2rem}
.info b{color:var(--fg);font-weight:600}
.mark{display:block;color:var(--bad);font-weight:600}
.axis,.row{padding-left:.6rem}.row.conflict{box-shadow:inset 4px 0 var(--bad)}
.row.conflict .label{color:#ffb4b4}
rect.bar{fill:var(--bar)}rect.tail{fill:var(--tail)}rect.done{fill:var(--done)}
.conflict rect.bar{fill:#ff7b72}.conflict rect.tail{fill:#8e2a25}
rect.overlap{fill:none;stroke:var(--bad);stroke-width:3;vector-effect:non-scaling-stroke}
line.grid{stroke:var(--line);stroke-width:1;vector-effect:non-scaling-stroke}line.now{stroke:var(--now);stroke-width:2;stroke-dasharray:4 3;vector-effect:non-scaling-stroke}
.legend{color:var(--mute);font-size:.8rem;margin-top:.5rem;display:flex;flex-wrap:wrap;gap:.2rem .9rem}.legend i{display:inline-block;width:.9rem;height:.6rem;margin-right:.3rem;border-radius:2px;vertical-align:baseline}
.l-bar{background:var(--bar)}.l-tail{background:var(--tail)}.l-conflict{border:2px solid var(--bad)}.l-done{background:var(--done)}.l-now{border-left:2px dashed var(--now);width:.5rem!important;border-radius:0!important}
.empty{color:var(--mute)}
@media (max-width:600px){body{font-size:14px}main{padding:.6rem}header{padding:.6rem}nav{margin-left:0}
.axis,.row{display:block}.axis .gutter{display:none}.who{margin-bottom:.25rem}.team{display:inline;margin-left:.4rem}}
@media print {
:root{color-scheme:light;--bg:#fff;--fg:#111;--mute:#444;--card:#fff;--line:#bbb;--bar:#1f6feb;--tail:#9cc3f5;--done:#999;--bad:#c00;--badbg:#fff0ef}
body{background:#fff;color:#111;font-size:11pt}nav{display:none}header{border-color:#999}main{padding:0;max-width:none}
.chart{padding:0}.row.conflict .label{color:#c00}.conflict rect.bar{fill:#e5534b}.conflict rect.tail{fill:#f4b4b0}.errors p{color:#900}
}
`

var scheduleTmpl = template.Must(template.New("schedule").Funcs(template.FuncMap{"inc": func(i int) int { return i + 1 }}).Parse(`<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>War room · schedule · {{.Title}}</title>
<style>{{.Style}}</style>
</head><body>
<header><h1>Schedule · {{.Title}}</h1>
<nav aria-label="days"><a href="./">War room</a><a href="?day={{.Prev}}" rel="prev">← {{.PrevText}}</a><a href="?day={{.Next}}" rel="next">{{.NextText}} →</a></nav>
<span class="sub">{{.Source}} · times in {{.Zone}} · as of {{.At}}</span></header>
<main>
{{- if .Errors}}<section class="errors" id="errors" aria-label="errors">{{range .Errors}}<p>{{.}}</p>{{end}}</section>{{end}}
<section id="conflicts" aria-label="conflicts"><h2>Conflicts ({{len .Conflicts}})</h2>
{{- if .Conflicts}}<ul class="conflicts">{{range .Conflicts}}<li>⚠ {{.}}</li>{{end}}</ul>{{else}}<p class="none">No conflict.</p>{{end}}
</section>
<section id="cutovers" aria-label="cutovers"><h2>Cutovers ({{len .Rows}})</h2>
{{- if .Rows}}
<div class="chart">
<div class="axis" aria-hidden="true"><span class="gutter"></span><div class="ticks">{{range $i, $t := .Ticks}}<span class="cell"><span class="tick{{if .Day}} day{{end}}">{{.Text}}</span>{{if and $.End (eq (len $.Ticks) (inc $i))}}<span class="tick{{if $.End.Day}} day{{end}}">{{$.End.Text}}</span>{{end}}</span>{{end}}</div></div>
{{- range .Rows}}
<div class="{{.Class}}" id="{{.Anchor}}">
<div class="who"><span class="label">{{.ID}}</span><span class="team">team {{.Team}}{{with .Environment}} · {{.}}{{end}} · {{.Status}}</span></div>
<svg class="track" viewBox="0 0 1000 24" preserveAspectRatio="none" role="img" aria-label="{{.ID}}: {{.When}}">
{{- range .Lines}}<line class="grid" x1="{{.}}" x2="{{.}}" y1="0" y2="24"></line>{{end}}
{{- range .Bars}}<rect class="{{.Class}}" x="{{.X}}" y="{{.Y}}" width="{{.W}}" height="{{.H}}"><title>{{.Title}}</title></rect>{{end}}
{{- with .NowX}}<line class="now" x1="{{.}}" x2="{{.}}" y1="0" y2="24"></line>{{end}}</svg>
<div class="info"><b>{{.When}}</b>{{with .Resources}} · {{.}}{{end}}{{with .People}} · go-live team {{.}}{{end}}
{{- range .Marks}}<span class="mark">⚠ {{.}}</span>{{end}}</div>
</div>
{{- end}}
<div class="legend"><span><i class="l-bar"></i>T0 to P50 end</span><span><i class="l-tail"></i>P50 to P90 end</span><span><i class="l-conflict"></i>conflict</span><span><i class="l-done"></i>ended</span>{{if .NowShown}}<span><i class="l-now"></i>now</span>{{end}}</div>
</div>
{{- else}}<p class="empty">No cutover starts this day.{{with .Earlier}} <a href="?day={{.}}">Earlier: {{.}}</a>{{end}}{{with .Later}} <a href="?day={{.}}">Next: {{.}}</a>{{end}}</p>{{end}}
</section>
</main>
</body></html>
`))
