package report_test

import (
	"os"
	"time"

	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

func ExampleReport_WriteMarkdown() {
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	clock := t0
	j := timeline.New(&timeline.Options{Now: func() time.Time { clock = clock.Add(5 * time.Minute); return clock }})
	j.Start("switch-dns", "alice", timeline.Outage)
	j.End("switch-dns", "alice", timeline.Done)

	r := report.Report{
		Project:  "billing",
		Decision: report.Decision{Verdict: report.Go, Reasons: []string{"operations said GO"}},
		Actual:   timeline.Summarize(j.Entries()),
		Actions:  []report.Action{{ID: "1", Title: "Write the minutes", Owner: "bob", Due: t0.Add(24 * time.Hour)}},
	}
	r.WriteMarkdown(os.Stdout)
	// Output:
	// # Go-live report
	//
	// - Project: billing
	//
	// ## Phase history
	//
	// No phase change recorded.
	//
	// ## Go/no-go
	//
	// - Verdict: **GO**
	//
	// ### Reasons
	//
	// - operations said GO
	//
	// ## Timeline
	//
	// - Start: 2026-11-24 20:05:00 UTC
	// - End: 2026-11-24 20:10:00 UTC
	// - Duration: 5m
	// - Outage (users cut off): 5m
	// - Disruption (users degraded): 0s
	// - Entries: 2
	//
	// | # | Step | Attempt | Actor | Start | End | Duration | Expected | Impact | Outcome |
	// |--:|---|--:|---|---|---|--:|--:|---|---|
	// | 1 | switch-dns | 1 | alice | 2026-11-24 20:05:00 UTC | 2026-11-24 20:10:00 UTC | 5m |  | outage | done |
	//
	// ## Actions
	//
	// - Open: 1
	// - Overdue: 0
	// - Closed: 0
	//
	// | ID | Title | Owner | Due | Status | Meeting |
	// |---|---|---|---|---|---|
	// | 1 | Write the minutes | bob | 2026-11-25 20:00:00 UTC | open |  |
	//
	// ## Lessons
	//
	// No lesson recorded.
}
