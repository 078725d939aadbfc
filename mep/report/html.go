package report

import (
	"bufio"
	"embed"
	"html/template"
	"io"
)

//go:embed report.html.tmpl
var templates embed.FS

var page = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"col": func(cols []string, i int) string {
		if i < len(cols) {
			return cols[i]
		}
		return ""
	},
}).ParseFS(templates, "report.html.tmpl"))

// WriteHTML writes r as one self-contained HTML page: inline CSS, an inline
// SVG gantt chart of the steps, no script and no external request. The
// chart draws one row per step attempt (at most [ChartSteps]) coloured by
// impact, shades the time users were cut off (red) or degraded (amber),
// marks failed and running steps and, when Rehearsal is set, draws each
// step's rehearsal duration as a thinner grey bar under it, from the same
// start. Text is escaped by html/template. The page is also well-formed
// XML once its doctype is removed: every element is closed and every
// attribute quoted.
func (r *Report) WriteHTML(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	if err := page.Execute(bw, r.view(true)); err != nil {
		return err
	}
	return bw.Flush()
}
