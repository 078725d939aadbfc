package report_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/golden"
	"github.com/mepkit/mepkit/mep/report"
)

// render writes r in every format.
func render(t testing.TB, r *report.Report) (md, html, js []byte) {
	t.Helper()
	var a, b, c bytes.Buffer
	require.NoError(t, r.WriteMarkdown(&a))
	require.NoError(t, r.WriteHTML(&b))
	require.NoError(t, r.WriteJSON(&c))
	return a.Bytes(), b.Bytes(), c.Bytes()
}

func TestGolden(t *testing.T) {
	md, html, js := render(t, fixture(t))
	golden.Check(t, "report.md", md)
	golden.Check(t, "report.html", html)
	golden.Check(t, "report.json", js)
}

func TestDeterministic(t *testing.T) {
	md1, html1, js1 := render(t, fixture(t))
	md2, html2, js2 := render(t, fixture(t))
	assert.Equal(t, md1, md2)
	assert.Equal(t, html1, html2)
	assert.Equal(t, js1, js2)
}

func TestZeroReport(t *testing.T) {
	md, html, js := render(t, &report.Report{})
	assert.Contains(t, string(md), "# Go-live report")
	assert.Contains(t, string(md), "- Verdict: **UNDECIDED**")
	assert.Contains(t, string(md), "No step recorded.")
	wellFormed(t, html)
	assert.Contains(t, string(js), `"verdict": "undecided"`)
}

func TestChecklistFromNil(t *testing.T) {
	assert.Nil(t, report.ChecklistFrom(nil, at(2026, 11, 24, 20, 0)))
}

func TestChecklistFrom(t *testing.T) {
	c := fixture(t).Checklist
	require.NotNil(t, c)
	require.Len(t, c.Items, 4)
	assert.True(t, c.Ready)
	assert.Equal(t, at(2026, 11, 24, 19, 30), c.ReadyAt)
	assert.True(t, c.Items[1].Late, "done after its T-1h deadline")
	assert.False(t, c.Items[0].Late)
	assert.True(t, c.Items[3].Optional)
}

func TestMarkdownListItemsStayItems(t *testing.T) {
	r := &report.Report{Decision: report.Decision{Verdict: report.NoGo, Reasons: []string{
		"- nested?", "1. numbered?", "    code block?", "+ plus", "2026) year", "plain",
	}}}
	var b strings.Builder
	require.NoError(t, r.WriteMarkdown(&b))
	md := b.String()
	for _, want := range []string{"- \\- nested?\n", "- 1\\. numbered?\n", "- code block?\n", "- \\+ plus\n", "- 2026\\) year\n", "- plain\n"} {
		assert.Contains(t, md, want)
	}
}
