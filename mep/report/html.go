package report

import (
	"bufio"
	"embed"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl
var templates embed.FS

var page = template.Must(template.New("report.html.tmpl").Funcs(template.FuncMap{
	"col":  col,
	"rows": rows,
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

// col returns the kind of column i of a table: its CSS class.
func col(cols []string, i int) string {
	if i < len(cols) {
		return cols[i]
	}
	return ""
}

// rows renders the body rows of t. Large reports have tables of tens of
// thousands of cells, which the template engine escapes one reflective call
// at a time; rows does the same work directly: every class and cell goes
// through [template.HTMLEscapeString], which escapes the characters that
// matter in HTML text and quoted attributes (< > & ' " and NUL).
func rows(t table) template.HTML {
	var b strings.Builder
	for i := range t.Rows {
		rw := &t.Rows[i]
		b.WriteString("\n<tr")
		if rw.Class != "" {
			b.WriteString(` class="`)
			b.WriteString(template.HTMLEscapeString(rw.Class))
			b.WriteByte('"')
		}
		b.WriteByte('>')
		for j, c := range rw.Cells {
			b.WriteString("<td")
			if k := col(t.Cols, j); k != "" {
				b.WriteString(` class="`)
				b.WriteString(template.HTMLEscapeString(k))
				b.WriteByte('"')
			}
			b.WriteByte('>')
			b.WriteString(template.HTMLEscapeString(c))
			b.WriteString("</td>")
		}
		b.WriteString("</tr>")
	}
	return template.HTML(b.String())
}
