package report

import (
	"bufio"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/mepkit/mepkit/timeline"
)

// WriteText writes r as plain text, for a terminal or a chat where
// Markdown would not render: the same content as [Report.WriteMarkdown]
// without any markup. Headings are underlined, facts are "Label: value"
// lines, and tables are columns padded with spaces (a column is padded to
// at most 40 characters, so that one long cell does not push the others
// off the screen). Line breaks inside a value become spaces.
func (r *Report) WriteText(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	v := r.view(false)
	underline(bw, oneLine(v.Title), '=')
	textFacts(bw, append([]fact{v.Outcome}, v.Headline...))
	writeDetails(bw, v.Details, oneLine)
	for i := range v.Sections {
		s := &v.Sections[i]
		underline(bw, sectionTitle(s), '-')
		textFacts(bw, s.Facts)
		if len(s.Items) > 0 && s.ItemsHead != "" {
			bw.WriteString(s.ItemsHead)
			bw.WriteString(":\n")
		}
		for _, it := range s.Items {
			bw.WriteString("  - ")
			bw.WriteString(oneLine(it))
			bw.WriteByte('\n')
		}
		if len(s.Items) > 0 {
			bw.WriteByte('\n')
		}
		for j := range s.Tables {
			textTable(bw, &s.Tables[j])
		}
	}
	writeRules(bw, v.Rules, "Rules cited\n-----------\n\n", "", ": ")
	return bw.Flush()
}

// oneLine returns s with its line breaks, other control characters
// (ESC, which starts terminal escape sequences, among them) and direction
// overrides as spaces: printed, they would break its line, rewrite the
// terminal or reorder what follows. A record written before mep refused
// them in names may hold them.
func oneLine(s string) string {
	if strings.IndexFunc(s, timeline.BreaksLine) < 0 {
		return s
	}
	return strings.Map(func(r rune) rune {
		if timeline.BreaksLine(r) {
			return ' '
		}
		return r
	}, s)
}

func underline(bw *bufio.Writer, title string, c byte) {
	bw.WriteString(title)
	bw.WriteByte('\n')
	bw.WriteString(strings.Repeat(string(c), max(utf8.RuneCountInString(title), 3)))
	bw.WriteString("\n\n")
}

func textFacts(bw *bufio.Writer, facts []fact) {
	for _, f := range facts {
		bw.WriteString(f.Label)
		bw.WriteString(": ")
		bw.WriteString(oneLine(f.Value))
		bw.WriteByte('\n')
	}
	if len(facts) > 0 {
		bw.WriteByte('\n')
	}
}

// maxPad is the widest a plain-text column is padded to.
const maxPad = 40

func textTable(bw *bufio.Writer, t *table) {
	if t.Caption != "" {
		bw.WriteString(t.Caption)
		bw.WriteString(":\n")
	}
	width := make([]int, len(t.Head))
	for i, h := range t.Head {
		width[i] = utf8.RuneCountInString(h)
	}
	for _, rw := range t.Rows {
		for i, c := range rw.Cells {
			if i < len(width) {
				width[i] = min(max(width[i], utf8.RuneCountInString(c)), maxPad)
			}
		}
	}
	line := func(cells []string, num func(int) bool) {
		var b strings.Builder
		for i, c := range cells {
			c = oneLine(c)
			pad := 0
			if i < len(width) {
				pad = width[i] - utf8.RuneCountInString(c)
			}
			if i > 0 {
				b.WriteString("  ")
			}
			if pad > 0 && num(i) {
				b.WriteString(strings.Repeat(" ", pad))
			}
			b.WriteString(c)
			if pad > 0 && !num(i) {
				b.WriteString(strings.Repeat(" ", pad))
			}
		}
		bw.WriteString(strings.TrimRight(b.String(), " "))
		bw.WriteByte('\n')
	}
	isNum := func(i int) bool { return i < len(t.Cols) && t.Cols[i] == "num" }
	line(t.Head, isNum)
	for _, rw := range t.Rows {
		line(rw.Cells, isNum)
	}
	bw.WriteByte('\n')
}
