package report_test

import (
	"io"
	"strconv"
	"testing"
	"time"

	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// big returns a report of a cutover of n steps (2n journal entries), with
// a rehearsal of the same steps, a forecast and a few actions.
func big(tb testing.TB, n int) *report.Report {
	tb.Helper()
	t0 := at(2026, 11, 24, 20, 0)
	steps := make([]step, n)
	reh := make([]step, n)
	for i := range steps {
		impact := timeline.NoImpact
		switch i % 10 {
		case 3:
			impact = timeline.Outage
		case 6, 7:
			impact = timeline.Disruption
		}
		name := "step-" + strconv.Itoa(i) + " | <b>x</b>"
		start := time.Duration(i) * 30 * time.Second
		steps[i] = step{name, impact, start, start + 25*time.Second, timeline.Done}
		reh[i] = step{name, impact, start, start + 20*time.Second, timeline.Done}
	}
	actual := timeline.Summarize(journal(tb, t0, steps...))
	rehearsal := timeline.Summarize(journal(tb, t0.AddDate(0, 0, -7), reh...))
	return &report.Report{
		Title: "big", Project: "p", Location: cet, Generated: t0,
		Decision:  report.Decision{Verdict: report.Go, At: t0},
		Actual:    actual,
		Rehearsal: &rehearsal,
		Steps:     report.ExpectedFrom(timeline.Estimate(rehearsal)),
		Actions:   []report.Action{{ID: "1", Title: "a", Owner: "o", Due: t0}},
		Lessons:   []report.Lesson{{ID: "1", Text: "t", Action: "a"}},
	}
}

func benchmark(b *testing.B, n int, write func(*report.Report, io.Writer) error) {
	r := big(b, n)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := write(r, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMarkdown1k(b *testing.B)  { benchmark(b, 1_000, (*report.Report).WriteMarkdown) }
func BenchmarkMarkdown10k(b *testing.B) { benchmark(b, 10_000, (*report.Report).WriteMarkdown) }
func BenchmarkHTML1k(b *testing.B)      { benchmark(b, 1_000, (*report.Report).WriteHTML) }
func BenchmarkHTML10k(b *testing.B)     { benchmark(b, 10_000, (*report.Report).WriteHTML) }
func BenchmarkJSON1k(b *testing.B)      { benchmark(b, 1_000, (*report.Report).WriteJSON) }
func BenchmarkJSON10k(b *testing.B)     { benchmark(b, 10_000, (*report.Report).WriteJSON) }
