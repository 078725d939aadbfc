package report_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/golden"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
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

func text(t testing.TB, r *report.Report) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, r.WriteText(&b))
	return b.String()
}

func TestGolden(t *testing.T) {
	md, html, js := render(t, fixture(t))
	golden.Check(t, "report.md", md)
	checkInert(t, string(md))
	checkTables(t, string(md))
	golden.Check(t, "report.html", html)
	golden.Check(t, "report.json", js)
	golden.Check(t, "report.txt", []byte(text(t, fixture(t))))
}

func TestHeadlineFirst(t *testing.T) {
	for name, doc := range map[string]string{"markdown": func() string { md, _, _ := render(t, fixture(t)); return string(md) }(), "text": text(t, fixture(t))} {
		head := doc[:strings.Index(doc, "Go/no-go (R9)")]
		for _, want := range []string{
			"Outcome: ", "RUNNING", "T0: 2026-11-24 20:00:00 CET", "Planned end: 2026-11-24 21:00:00 CET",
			"Window ends: 2026-11-24 23:30:00 CET", "Expected end: 2026-11-24 21:25:00 CET (25m late)",
			"Elapsed: ", "1h20m of an estimated 1h, +20m over",
			"Outage so far (users cut off): ", "45m of an estimated 24m, +21m over",
		} {
			assert.Contains(t, head, want, name)
		}
		assert.Less(t, strings.Index(head, "Outcome"), strings.Index(head, "Project: "), "%s: the headline before the details", name)
	}
}

func TestHeadlineEnded(t *testing.T) {
	r := fixture(t)
	r.Outcome, r.Drift = report.RolledBack, nil
	r.WindowEnd = r.T0.Add(time.Hour)
	got := text(t, r)
	assert.Contains(t, got, "Outcome: ROLLED BACK")
	assert.Contains(t, got, "Ended: 2026-11-24 21:19:00 CET (19m late), after the window")
	assert.Contains(t, got, "Duration: 1h19m (estimate 1h, +19m)")
	assert.Contains(t, got, "Outage (users cut off): 45m (estimate 24m, +21m)")
	assert.NotContains(t, got, "Progress against the forecast")
}

func TestSectionsLeftOut(t *testing.T) {
	// A team that only records its cutover: no phase, meeting or lesson.
	r := fixture(t)
	r.Phases, r.Actions, r.Lessons, r.Notes, r.Checklist = nil, nil, nil, nil, nil
	r.Votes, r.Overrides, r.Decision = nil, nil, report.Decision{}
	md, _, _ := render(t, r)
	for _, gone := range []string{"Phase history", "## Actions", "## Lessons", "## Notes", "## Checklist", "## Go/no-go", "No action", "No lesson"} {
		assert.NotContains(t, string(md), gone)
	}
	assert.Contains(t, string(md), "## Timeline (R10)")
}

func TestLessonsAsTheyStand(t *testing.T) {
	got := text(t, fixture(t))
	assert.Contains(t, got, "Action that applies it")
	assert.Contains(t, got, "applied by Bruno, 2026-11-20 09:00:00")
	assert.Contains(t, got, "not applied yet")
	assert.Contains(t, got, "learned here")
	assert.NotContains(t, got, "Applied by ")
}

func TestRunbookBeforeCutover(t *testing.T) {
	r := &report.Report{Outcome: report.Planned, T0: at(2026, 11, 24, 20, 0), Steps: []report.Step{
		{ID: "stop", Title: "Stop the front end", Owner: "bob", Impact: timeline.Outage, Expected: 5 * time.Minute, Min: 4 * time.Minute, Max: 6 * time.Minute, Runs: 2},
	}, Estimate: report.Estimate{Duration: time.Hour, Outage: 5 * time.Minute}}
	got := text(t, r)
	assert.Contains(t, got, "Duration: estimate 1h")
	assert.Contains(t, got, "Runbook (R5, R10)")
	assert.Contains(t, got, "Stop the front end  stop  bob    outage")
	assert.Contains(t, got, "4m to 6m (2 runs)")
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
	assert.Equal(t, "# Go-live report\n\n- Outcome: **PLANNED**\n- Go/no-go: **UNDECIDED**\n\n", string(md),
		"a zero report says where it stands and leaves out every section")
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

// One report rendered from several goroutines at once gives the same bytes
// in each (run with -race).
func TestConcurrentRendering(t *testing.T) {
	r := fixture(t)
	want, _, _ := render(t, r)
	done := make(chan []byte, 4)
	for range 4 {
		go func() {
			var md, page, js, txt bytes.Buffer
			_ = r.WriteHTML(&page)
			_ = r.WriteJSON(&js)
			_ = r.WriteText(&txt)
			_ = r.WriteMarkdown(&md)
			done <- md.Bytes()
		}()
	}
	for range 4 {
		assert.Equal(t, string(want), string(<-done))
	}
}
