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
		Title: "big", Project: "p", Location: cet, Generated: t0, Outcome: report.Done,
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
func BenchmarkText10k(b *testing.B)     { benchmark(b, 10_000, (*report.Report).WriteText) }

// manyRollouts returns n rollouts, four a month, one in five rolled back.
func manyRollouts(n int) []report.RolloutSummary {
	out := make([]report.RolloutSummary, n)
	t0 := at(2010, 1, 4, 20, 0)
	for i := range out {
		o := report.Done
		if i%5 == 0 {
			o = report.RolledBack
		}
		out[i] = report.RolloutSummary{
			Name: "site" + strconv.Itoa(i), Start: t0.AddDate(0, 0, 7*i), Outcome: o,
			Duration: time.Duration(50+i%20) * time.Minute, EstimatedDuration: time.Hour,
			Outage: time.Duration(20+i%10) * time.Minute, EstimatedOutage: 25 * time.Minute,
			TimeToRestore: time.Duration(i%30) * time.Minute, LessonsDue: i % 3, LessonsApplied: i % 2,
		}
	}
	return out
}

func benchmarkHistory(b *testing.B, write func(*report.History, io.Writer) error) {
	rollouts := manyRollouts(1_000)
	b.ReportAllocs()
	for b.Loop() {
		h := report.NewHistory("p", rollouts, cet)
		if err := write(h, io.Discard); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkHistory1kMarkdown(b *testing.B) { benchmarkHistory(b, (*report.History).WriteMarkdown) }
func BenchmarkHistory1kHTML(b *testing.B)     { benchmarkHistory(b, (*report.History).WriteHTML) }
func BenchmarkHistory1kJSON(b *testing.B)     { benchmarkHistory(b, (*report.History).WriteJSON) }
func BenchmarkHistory1kText(b *testing.B)     { benchmarkHistory(b, (*report.History).WriteText) }
