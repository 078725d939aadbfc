package timeline

import (
	"fmt"
	"strings"
)

// escapeMarkdown escapes s for a Markdown table cell or inline text:
// Markdown punctuation gets a backslash, HTML-significant characters become
// entities, and line breaks, other control characters and direction
// overrides (see BreaksLine) become spaces: a record written before
// Record refused them in names may still hold them.
func escapeMarkdown(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '|', '#', '~', '!', '{', '}', '(', ')':
			b.WriteByte('\\')
			b.WriteRune(r)
		case '<':
			b.WriteString("&lt;")
		case '>':
			b.WriteString("&gt;")
		case '&':
			b.WriteString("&amp;")
		case '"':
			b.WriteString("&quot;")
		default:
			if BreaksLine(r) {
				r = ' '
			}
			b.WriteRune(r)
		}
	}
	return b.String()
}

// escapeMermaid makes s safe as a Mermaid gantt task name or title: the
// characters that end a name or open a comment or HTML (colon, semicolon,
// hash, angle brackets, ampersand, quotes, backtick, percent) become
// Mermaid entity codes, and line breaks, other control characters and
// direction overrides become spaces.
func escapeMermaid(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ':', ';', '#', '<', '>', '&', '"', '\'', '`', '%', '|', '{', '}':
			fmt.Fprintf(&b, "#%d;", r)
		default:
			if BreaksLine(r) {
				r = ' '
			}
			b.WriteRune(r)
		}
	}
	if out := strings.TrimSpace(b.String()); out != "" {
		return out
	}
	return "(unnamed)"
}
