package report

import (
	"bufio"
	"embed"
	"html/template"
	"io"
	"strings"
)

//go:embed report.html.tmpl report.css
var templates embed.FS

// css is the style sheet of both pages: it is defined as a template so
// that each page inlines it.
var css = func() string {
	b, err := templates.ReadFile("report.css")
	if err != nil {
		panic(err)
	}
	return `{{define "css"}}` + string(b) + `{{end}}`
}()

var funcs = template.FuncMap{
	"col":    col,
	"rows":   rows,
	"chart":  chartHTML,
	"refs":   refs,
	"lower":  strings.ToLower,
	"method": func() string { return MethodDoc },
}

var page = template.Must(template.Must(template.New("report.html.tmpl").Funcs(funcs).ParseFS(templates, "report.html.tmpl")).Parse(css))

// WriteHTML writes r as one self-contained HTML page: inline CSS, no script
// and no external request. It reads well on a phone, on a desktop and
// printed (A4 or Letter): the page never scrolls sideways, a wide table
// scrolls inside its own box on a narrow screen, headings stay with what
// they introduce on paper.
//
// The timeline chart scales to the width it has: one row per step attempt
// (at most [ChartSteps]), the step's title and owner beside its bar (above
// it on a narrow screen), bars coloured by impact, the time users were cut
// off (red) or degraded (amber) shaded, failed and running attempts marked
// beside their bar, lines at T0, the planned end, the expected end and the
// window's end, and, when Rehearsal is set, the rehearsal's duration of
// each step as a thin grey bar under the attempt that succeeded.
//
// Text is escaped; rule citations ("R7") link to a footnote that states
// the rule. The page is also well-formed XML once its doctype is removed:
// every element is closed and every attribute quoted.
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

// refs escapes text and links its rule citations to the footnote.
func refs(text string) template.HTML {
	if !strings.Contains(text, "R") {
		return template.HTML(template.HTMLEscapeString(text))
	}
	parts := ruleRefs(text)
	var b strings.Builder
	for i, p := range parts {
		if i%2 == 0 {
			b.WriteString(template.HTMLEscapeString(p))
			continue
		}
		b.WriteString(`<a href="#r`)
		b.WriteString(p[1:])
		b.WriteString(`">`)
		b.WriteString(p)
		b.WriteString("</a>")
	}
	return template.HTML(b.String())
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
			b.WriteString(string(refs(c)))
			b.WriteString("</td>")
		}
		b.WriteString("</tr>")
	}
	return template.HTML(b.String())
}
