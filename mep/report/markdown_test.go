package report_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep/report"
)

// mdOf returns the Markdown of a report whose only reason is s and whose
// only note is s, as (list item, table cell).
func mdOf(t *testing.T, s string) (item, cell string) {
	t.Helper()
	r := &report.Report{
		Decision: report.Decision{Verdict: report.NoGo, Reasons: []string{s}},
		Notes:    []report.Note{{By: "x", Text: s}},
	}
	var b strings.Builder
	require.NoError(t, r.WriteMarkdown(&b))
	md := b.String()
	i := strings.Index(md, "### Reasons\n\n- ") + len("### Reasons\n\n- ")
	item = md[i : i+strings.IndexByte(md[i:], '\n')]
	j := strings.Index(md, "|  | x | ") + len("|  | x | ")
	cell = md[j : j+strings.Index(md[j:], " |\n")]
	return item, cell
}

func TestMarkdownEscapesOnlyWhatItNeeds(t *testing.T) {
	for _, tc := range []struct{ in, item, cell string }{
		{`windows "Mon-Thu 20:00-23:30" (Paris)`, `windows "Mon-Thu 20:00-23:30" (Paris)`, `windows "Mon-Thu 20:00-23:30" (Paris)`},
		{"R7: ready 1h before! #1 & co; 50% > 3 < 4", "R7: ready 1h before! #1 & co; 50% > 3 < 4", "R7: ready 1h before! #1 & co; 50% > 3 < 4"},
		{"a|b", "a|b", `a\|b`},
		{"lock_timeout snake_case", "lock_timeout snake_case", "lock_timeout snake_case"},
		{"_emphasis_ *strong* `code` ~strike~", `\_emphasis\_ \*strong\* \` + "`code\\`" + ` \~strike\~`, `\_emphasis\_ \*strong\* \` + "`code\\`" + ` \~strike\~`},
		{"[link](http://x)", `\[link\](http://x)`, `\[link\](http://x)`},
		{"<script>alert(1)</script>", `\<script>alert(1)\</script>`, `\<script>alert(1)\</script>`},
		{"&amp; &#38; &x", `\&amp; \&#38; &x`, `\&amp; \&#38; &x`},
		{`C:\dir\n`, `C:\dir\n`, `C:\dir\n`},
		{`ends with \`, `ends with \\`, `ends with \\`},
		{`\*`, `\\\*`, `\\\*`},
		{"two\nlines\r\nhere", "two lines  here", "two lines  here"},
		{"# heading?", `\# heading?`, "# heading?"},
		{"> quote?", `\> quote?`, "> quote?"},
	} {
		item, cell := mdOf(t, tc.in)
		assert.Equal(t, tc.item, item, "item of %q", tc.in)
		assert.Equal(t, tc.cell, cell, "cell of %q", tc.in)
	}
}

func TestMarkdownTitle(t *testing.T) {
	var b strings.Builder
	require.NoError(t, (&report.Report{Title: "Release #4 - v2 #"}).WriteMarkdown(&b))
	assert.True(t, strings.HasPrefix(b.String(), "# Release \\#4 - v2 \\#\n"), b.String())
}

func TestTextHasNoMarkup(t *testing.T) {
	r := fixture(t)
	got := text(t, r)
	for _, markup := range []string{"**", "|---", "\\|", "\\<", "&lt;", "&quot;", "## "} {
		assert.NotContains(t, got, markup)
	}
	assert.Contains(t, got, "Migrate the database <v2>")
	assert.Contains(t, got, `switch "dns" & flush 'cache'`)
	for _, line := range strings.Split(got, "\n") {
		assert.NotContains(t, line, "\r")
	}
}
