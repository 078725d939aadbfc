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
		Outcome:  report.Done,
		T0:       t0,
		Estimate: report.Estimate{Duration: 4 * time.Minute, Outage: 4 * time.Minute},
		Steps:    []report.Step{{ID: "switch-dns", Title: "Point the DNS to the new site", Owner: "alice"}},
		Decision: report.Decision{Verdict: report.Go, Reasons: []string{"operations said GO (R9)"}},
		Actual:   timeline.Summarize(j.Entries()),
	}
	r.WriteMarkdown(os.Stdout)
	// Output:
	// # Go-live report
	//
	// - Outcome: **DONE**
	// - Go/no-go: **GO**
	// - T0: 2026-11-24 20:00:00 UTC (started 2026-11-24 20:05:00 UTC, 5m late)
	// - Ended: 2026-11-24 20:10:00 UTC
	// - Duration: **5m (estimate 4m, +1m)**
	// - Outage (users cut off): **5m (estimate 4m, +1m)**
	//
	// Project: billing
	//
	// ## Go/no-go (R9)
	//
	// - Verdict: **GO**
	//
	// ### Reasons
	//
	// - operations said GO (R9)
	//
	// ## Timeline (R10)
	//
	// - Start: 2026-11-24 20:05:00 UTC
	// - End: 2026-11-24 20:10:00 UTC
	// - Duration: 5m
	// - Outage (users cut off): 5m
	// - Disruption (users degraded): 0s
	// - Journal entries: 2
	//
	// | # | Step | ID | Owner | By | Start | End | Duration | Expected | Impact | Outcome |
	// |--:|---|---|---|---|---|---|--:|--:|---|---|
	// | 1 | Point the DNS to the new site | switch-dns | alice | alice | 2026-11-24 20:05:00 UTC | 2026-11-24 20:10:00 UTC | 5m |  | outage | done |
	//
	// ## Rules cited
	//
	// - **R9**: The cutover starts only on the operations team's final GO, given after every other check.
	// - **R10**: Every step is timestamped as it happens, procedures are followed to the letter, and reports come from the journal.
	//
	// The method, its rules and its glossary: docs/method.md in the mepkit repository (github.com/mepkit/mepkit).
}

func ExampleReport_WriteText() {
	r := report.Report{Project: "billing", Outcome: report.RolledBack, Decision: report.Decision{Verdict: report.Go}}
	r.WriteText(os.Stdout)
	// Output:
	// Go-live report
	// ==============
	//
	// Outcome: ROLLED BACK
	// Go/no-go: GO
	//
	// Project: billing
	//
	// Go/no-go (R9)
	// -------------
	//
	// Verdict: GO
	//
	// Rules cited
	// -----------
	//
	// R9: The cutover starts only on the operations team's final GO, given after every other check.
	//
	// The method, its rules and its glossary: docs/method.md in the mepkit repository (github.com/mepkit/mepkit).
}

func ExampleNewHistory() {
	at := func(m, d int) time.Time { return time.Date(2026, time.Month(m), d, 20, 0, 0, 0, time.UTC) }
	h := report.NewHistory("billing", []report.RolloutSummary{
		{Name: "site-1", Start: at(10, 6), Outcome: report.Done, Duration: 70 * time.Minute, EstimatedDuration: time.Hour},
		{Name: "site-2", Start: at(11, 3), Outcome: report.RolledBack, TimeToRestore: 25 * time.Minute, Duration: 40 * time.Minute, EstimatedDuration: time.Hour},
		{Name: "site-3", Start: at(11, 17), Outcome: report.Done, Duration: 50 * time.Minute, EstimatedDuration: time.Hour, LessonsDue: 1, LessonsApplied: 1},
	}, time.UTC)
	h.WriteText(os.Stdout)
	// Output:
	// Rollout history: billing
	// ========================
	//
	// Deployments: 3 (1.5 a month over 2)
	// Change failure rate: 33% (1 of 3)
	// Time to restore (median): 25m
	// Duration against estimate: -11% on average over 3 rollouts
	// Outage against estimate: no estimate
	// Lessons applied: 1 of 1
	//
	// Project: billing · Months: 2026-10 to 2026-11 · Times in: UTC
	//
	// By month (R5, R12)
	// ------------------
	//
	// Month    Deployments  Failed or rolled back  Change failure rate  Time to restore  Duration against estimate  Outage against estimate  Lessons applied
	// 2026-10            1                      0          0% (0 of 1)                                    +17% (1)
	// 2026-11            2                      1         50% (1 of 2)              25m                   -25% (2)                                    1 of 1
	//
	// Rollouts
	// --------
	//
	// Rollout  Start                 Outcome      Duration  Estimate  Outage  Estimate  Time to restore  Lessons applied
	// site-1   2026-10-06 20:00 UTC  done            1h10m        1h      0s
	// site-2   2026-11-03 20:00 UTC  rolled back       40m        1h      0s                        25m
	// site-3   2026-11-17 20:00 UTC  done              50m        1h      0s                                      1 of 1
	//
	// Rules cited
	// -----------
	//
	// R5: Rehearsals are timed; the last one, closest to production, estimates the go-live's duration and outage.
	// R12: Each deployment's lessons are recorded with the action that applies them, and checked in later deployments.
	//
	// The method, its rules and its glossary: docs/method.md in the mepkit repository (github.com/mepkit/mepkit).
}
