// Command golive is mepkit's main demonstration: it rehearses a small
// cutover, runs it for real, and prints what the journals say: the
// summary of each run, the rehearsal against the actual run, and the
// Markdown and Mermaid exports an operations team would paste in its
// report.
//
// Everything runs on a simulated clock, so the output is the same on every
// machine:
//
//	go run ./examples/golive
package main

import (
	"fmt"
	"io"
	"os"
	"time"
	_ "time/tzdata" // programs embed the zone database; the library does not

	"github.com/mepkit/mepkit/timeline"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "golive:", err)
		os.Exit(1)
	}
}

// step is one line of the runbook, with how long it takes in each run.
type step struct {
	id        string
	impact    timeline.Impact
	rehearsal time.Duration
	actual    time.Duration
	outcome   timeline.Outcome // of the actual run
}

var runbook = []step{
	{"backup-configs", timeline.NoImpact, 12 * time.Minute, 10 * time.Minute, timeline.Done},
	{"stop-application", timeline.Outage, 3 * time.Minute, 4 * time.Minute, timeline.Done},
	{"migrate-database", timeline.Outage, 25 * time.Minute, 31 * time.Minute, timeline.Done},
	{"switch-dns", timeline.Outage, 5 * time.Minute, 5 * time.Minute, timeline.Done},
	{"warm-caches", timeline.Disruption, 15 * time.Minute, 12 * time.Minute, timeline.Done},
	{"functional-tests", timeline.NoImpact, 20 * time.Minute, 18 * time.Minute, timeline.Done},
	{"observation", timeline.NoImpact, 30 * time.Minute, 30 * time.Minute, timeline.Done},
}

// simulated is a clock that only moves when told to.
type simulated struct{ now time.Time }

func (c *simulated) Now() time.Time          { return c.now }
func (c *simulated) Advance(d time.Duration) { c.now = c.now.Add(d) }

// perform runs the runbook against a fresh journal starting at t0.
func perform(t0 time.Time, rehearsal bool) (timeline.Summary, error) {
	clock := &simulated{now: t0}
	j := timeline.New(&timeline.Options{Now: clock.Now})
	defer j.Close()
	who := "ops-team"
	if _, err := j.Note(who, "runbook v3 starts"); err != nil {
		return timeline.Summary{}, err
	}
	for _, s := range runbook {
		if _, err := j.Start(s.id, who, s.impact); err != nil {
			return timeline.Summary{}, err
		}
		d, outcome := s.actual, s.outcome
		if rehearsal {
			d, outcome = s.rehearsal, timeline.Done
		}
		clock.Advance(d)
		if _, err := j.End(s.id, who, outcome); err != nil {
			return timeline.Summary{}, err
		}
	}
	if _, err := j.Note(who, "observation period over, handing over to operations"); err != nil {
		return timeline.Summary{}, err
	}
	entries := j.Entries()
	if err := timeline.Verify(entries, nil); err != nil {
		return timeline.Summary{}, err
	}
	return timeline.Summarize(entries), nil
}

func run(w io.Writer) error {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}
	rehearsal, err := perform(time.Date(2026, 11, 17, 20, 0, 0, 0, paris), true)
	if err != nil {
		return err
	}
	actual, err := perform(time.Date(2026, 11, 24, 20, 0, 0, 0, paris), false)
	if err != nil {
		return err
	}
	forecast := timeline.Estimate(rehearsal)

	fmt.Fprintf(w, "# Go-live of 2026-11-24\n\n")
	fmt.Fprintf(w, "Expected from the rehearsal: %s in all, %s of outage, %s of disruption.\n\n",
		timeline.FormatDuration(forecast.Duration.Median), timeline.FormatDuration(forecast.Outage.Median),
		timeline.FormatDuration(forecast.Disruption.Median))

	fmt.Fprintf(w, "## Rehearsal (2026-11-17)\n\n")
	if err := timeline.WriteMarkdown(w, rehearsal); err != nil {
		return err
	}
	fmt.Fprintf(w, "\n## Cutover (2026-11-24)\n\n")
	if err := timeline.WriteMarkdown(w, actual); err != nil {
		return err
	}

	c := timeline.Compare(rehearsal, actual)
	fmt.Fprintf(w, "\n## Rehearsal against actual\n\n")
	fmt.Fprintf(w, "| Step | Rehearsal | Actual | Delta |\n|------|----------:|-------:|------:|\n")
	for _, s := range c.Steps {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", timeline.MarkdownEscape(s.Step),
			timeline.FormatDuration(s.Baseline), timeline.FormatDuration(s.Actual), delta(s.Delta))
	}
	fmt.Fprintf(w, "| **Total** | %s | %s | %s |\n", timeline.FormatDuration(c.Duration.Baseline),
		timeline.FormatDuration(c.Duration.Actual), delta(c.Duration))
	fmt.Fprintf(w, "| **Outage** | %s | %s | %s |\n", timeline.FormatDuration(c.Outage.Baseline),
		timeline.FormatDuration(c.Outage.Actual), delta(c.Outage))
	fmt.Fprintf(w, "| **Disruption** | %s | %s | %s |\n", timeline.FormatDuration(c.Disruption.Baseline),
		timeline.FormatDuration(c.Disruption.Actual), delta(c.Disruption))

	fmt.Fprintf(w, "\n## Timeline\n\n```mermaid\n")
	if err := timeline.WriteMermaid(w, "Cutover against rehearsal", actual, &rehearsal); err != nil {
		return err
	}
	fmt.Fprintf(w, "```\n")
	return nil
}

// delta prints a difference with its sign and, when it has one, its
// percentage of the baseline.
func delta(d timeline.Delta) string {
	s := timeline.FormatDuration(d.Diff())
	if d.Diff() > 0 {
		s = "+" + s
	}
	if pct, ok := d.Percent(); ok {
		s += fmt.Sprintf(" (%+.0f%%)", pct)
	}
	return s
}
