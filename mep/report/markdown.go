package report

import (
	"bufio"
	"io"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mepkit/mepkit/timeline"
)

// WriteMarkdown writes r as a Markdown document (CommonMark with GitHub's
// tables): the title, the headline, one section per part of the report
// that applies, with tables, then the rules the report cites. Text from
// the model is escaped only where Markdown would read it as markup: a
// backtick, an asterisk, a bracket, a tilde, an underscore at the edge of
// a word, a "<" that would open a tag, an "&" that would spell an entity, a
// pipe in a table cell, a list or heading marker at the start of a line.
// Quotes, parentheses and most punctuation stay as they are, so the
// document also reads well as plain text; [Report.WriteText] has no
// markup at all.
func (r *Report) WriteMarkdown(w io.Writer) error {
	bw := bufio.NewWriterSize(w, 64<<10)
	v := r.view(false)
	bw.WriteString("# ")
	bw.WriteString(mdHeading(v.Title))
	bw.WriteString("\n\n")
	writeFacts(bw, append([]fact{v.Outcome}, v.Headline...))
	writeDetails(bw, v.Details, md)
	for i := range v.Sections {
		s := &v.Sections[i]
		bw.WriteString("## ")
		bw.WriteString(sectionTitle(s))
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
	}
	writeRules(bw, v.Rules, "## Rules cited\n\n", "- **", "**: ")
	return bw.Flush()
}

// writeRules writes the footnote of the rules cited: a heading, one line
// per rule between pre and sep, and where the method is written down.
func writeRules(bw *bufio.Writer, rules []rule, heading, pre, sep string) {
	if len(rules) == 0 {
		return
	}
	bw.WriteString(heading)
	for _, ru := range rules {
		bw.WriteString(pre)
		bw.WriteString(ru.ID)
		bw.WriteString(sep)
		bw.WriteString(ru.Text)
		bw.WriteByte('\n')
	}
	bw.WriteString("\nThe method, its rules and its glossary: ")
	bw.WriteString(MethodDoc)
	bw.WriteString(".\n")
}

// writeDetails writes the report's details on one line: "Project: x ·
// Rollout: y".
func writeDetails(bw *bufio.Writer, facts []fact, esc func(string) string) {
	if len(facts) == 0 {
		return
	}
	for i, f := range facts {
		if i > 0 {
			bw.WriteString(" · ")
		}
		bw.WriteString(f.Label)
		bw.WriteString(": ")
		bw.WriteString(esc(f.Value))
	}
	bw.WriteString("\n\n")
}

// listItem neutralises what would open a block at the start of an escaped
// list item: leading blanks are dropped, and a list marker ("-", "+",
// "1.", "1)"), a heading ("#") or a quote (">") gets a backslash. Table
// cells need none of this.
func listItem(s string) string {
	s = strings.TrimLeft(s, " ")
	if s == "" {
		return s
	}
	switch s[0] {
	case '-', '+', '#', '>', '=':
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

// md escapes s for a Markdown list item or paragraph.
func md(s string) string { return mdEscape(s, false) }

// mdCell escapes s for a Markdown table cell.
func mdCell(s string) string { return mdEscape(s, true) }

// mdHeading escapes s for a heading: a "#" would close it.
func mdHeading(s string) string {
	return strings.ReplaceAll(listItem(md(s)), "#", "\\#")
}

// mdEscape returns s with a backslash before what Markdown would read as
// markup, and line breaks as spaces. It allocates only when s needs a
// change.
func mdEscape(s string, cell bool) string {
	if !mdNeeds(s, cell) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, n := utf8.DecodeRuneInString(s[i:])
			if timeline.BreaksLine(r) {
				b.WriteByte(' ')
			} else {
				b.WriteString(s[i : i+n])
			}
			i += n
			continue
		}
		if timeline.BreaksLine(rune(c)) {
			b.WriteByte(' ')
			i++
			continue
		}
		switch c {
		case '`', '*', '[', ']', '~':
			b.WriteByte('\\')
		case '|':
			if cell {
				b.WriteByte('\\')
			}
		case '\\':
			if i+1 == len(s) || isASCIIPunct(s[i+1]) {
				b.WriteByte('\\')
			}
		case '_':
			if !(i > 0 && isWordRune(lastRune(s[:i])) && i+1 < len(s) && isWordRune(firstRune(s[i+1:]))) {
				b.WriteByte('\\')
			}
		case '<':
			if i+1 < len(s) && (isLetter(s[i+1]) || s[i+1] == '/' || s[i+1] == '!' || s[i+1] == '?') {
				b.WriteByte('\\')
			}
		case '&':
			if isEntity(s[i+1:]) {
				b.WriteByte('\\')
			}
		}
		b.WriteByte(c)
		i++
	}
	return b.String()
}

// mdNeeds reports whether mdEscape would change s.
func mdNeeds(s string, cell bool) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= utf8.RuneSelf:
			r, n := utf8.DecodeRuneInString(s[i:])
			if timeline.BreaksLine(r) {
				return true
			}
			i += n - 1
		case c < 0x20 || c == 0x7f:
			return true
		}
		switch c {
		case '`', '*', '[', ']', '~', '\\', '_', '<', '&':
			return true
		case '|':
			if cell {
				return true
			}
		}
	}
	return false
}

func isASCIIPunct(c byte) bool {
	return c >= '!' && c <= '/' || c >= ':' && c <= '@' || c >= '[' && c <= '`' || c >= '{' && c <= '~'
}

func isLetter(c byte) bool { return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' }

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func lastRune(s string) rune  { r, _ := utf8.DecodeLastRuneInString(s); return r }
func firstRune(s string) rune { r, _ := utf8.DecodeRuneInString(s); return r }

// isEntity reports whether s (what follows an "&") spells an entity or a
// character reference: a name or "#" digits, then ";".
func isEntity(s string) bool {
	for i := 0; i < len(s) && i < 32; i++ {
		c := s[i]
		switch {
		case c == ';':
			return i > 0
		case isLetter(c), c >= '0' && c <= '9', c == '#' && i == 0, (c == 'x' || c == 'X') && i == 1:
		default:
			return false
		}
	}
	return false
}

func writeFacts(bw *bufio.Writer, facts []fact) {
	for _, f := range facts {
		bw.WriteString("- ")
		bw.WriteString(f.Label)
		bw.WriteString(": ")
		if strings.HasPrefix(f.Class, "verdict-") || f.Class == "over" {
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
			bw.WriteString(mdCell(c))
			bw.WriteString(" |")
		}
		bw.WriteByte('\n')
	}
	bw.WriteByte('\n')
}
