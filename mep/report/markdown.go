package report

import (
	"bufio"
	"io"
	"strings"

	"github.com/mepkit/mepkit/internal/escape"
)

// WriteMarkdown writes r as a Markdown document: a heading, the project's
// facts, then one section per part of the report, with tables. Every text
// that came from the model is escaped with [escape.Markdown]: no
// pipe, newline, backtick or HTML in a name changes the document's
// structure, and every table row has as many cells as its header.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriter(w)
	v := r.view(false)
	bw.WriteString("# ")
	bw.WriteString(md(v.Title))
	bw.WriteString("\n\n")
	writeFacts(bw, v.Facts)
	for i := range v.Sections {
		s := &v.Sections[i]
		bw.WriteString("## ")
		bw.WriteString(s.Title)
		bw.WriteString("\n\n")
		writeFacts(bw, s.Facts)
		if len(s.Items) > 0 && s.ItemsHead != "" {
			bw.WriteString("### ")
			bw.WriteString(s.ItemsHead)
			bw.WriteString("\n\n")
		}
		for _, it := range s.Items {
			bw.WriteString("- ")
			bw.WriteString(listItem(md(it)))
			bw.WriteByte('\n')
		}
		if len(s.Items) > 0 {
			bw.WriteByte('\n')
		}
		for j := range s.Tables {
			writeTable(bw, &s.Tables[j])
		}
		if len(s.Items) == 0 && len(s.Tables) == 0 && s.Empty != "" {
			bw.WriteString(s.Empty)
			bw.WriteString("\n\n")
		}
	}
	return bw.Flush()
}

// listItem neutralises what would open a nested list or a code block at
// the start of an escaped list item: leading blanks are dropped, and a list
// marker ("-", "+", "1.", "1)") gets a backslash. Table cells need none of
// this.
func listItem(s string) string {
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return s
	}
	if s[0] == '-' || s[0] == '+' {
		return "\\" + s
	}
	i := 0
	for i < len(s) && i < 9 && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i > 0 && i < len(s) && (s[i] == '.' || s[i] == ')') {
		return s[:i] + "\\" + s[i:]
	}
	return s
}

// md escapes s for Markdown. Headings, labels and captions are the
// package's own text and are written as they are.
func md(s string) string {
	if s == "" {
		return ""
	}
	return escape.Markdown(s)
}

func writeFacts(bw *bufio.Writer, facts []fact) {
	for _, f := range facts {
		bw.WriteString("- ")
		bw.WriteString(f.Label)
		bw.WriteString(": ")
		if strings.HasPrefix(f.Class, "verdict-") {
			bw.WriteString("**")
			bw.WriteString(md(f.Value))
			bw.WriteString("**")
		} else {
			bw.WriteString(md(f.Value))
		}
		bw.WriteByte('\n')
	}
	if len(facts) > 0 {
		bw.WriteByte('\n')
	}
}

func writeTable(bw *bufio.Writer, t *table) {
	if t.Caption != "" {
		bw.WriteString("### ")
		bw.WriteString(t.Caption)
		bw.WriteString("\n\n")
	}
	bw.WriteByte('|')
	for _, h := range t.Head {
		bw.WriteByte(' ')
		bw.WriteString(h)
		bw.WriteString(" |")
	}
	bw.WriteString("\n|")
	for i := range t.Head {
		if i < len(t.Cols) && t.Cols[i] == "num" {
			bw.WriteString("--:|")
		} else {
			bw.WriteString("---|")
		}
	}
	bw.WriteByte('\n')
	for _, rw := range t.Rows {
		bw.WriteByte('|')
		for _, c := range rw.Cells {
			bw.WriteByte(' ')
			bw.WriteString(md(c))
			bw.WriteString(" |")
		}
		bw.WriteByte('\n')
	}
	bw.WriteByte('\n')
}
