package report_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// cet is a fixed zone, so that the golden files need no time zone data.
var cet = time.FixedZone("CET", 3600)

func at(y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, cet)
}

// step is one attempt of a step in a test journal; a zero end leaves it
// running.
type step struct {
	name       string
	impact     timeline.Impact
	start, end time.Duration // from t0
	outcome    timeline.Outcome
}

// journal records steps (in start order) in a journal starting at t0 and
// returns its entries.
func journal(tb testing.TB, t0 time.Time, steps ...step) []timeline.Entry {
	tb.Helper()
	type ev struct {
		at  time.Time
		e   timeline.Entry
		ord int
	}
	var evs []ev
	for i, s := range steps {
		evs = append(evs, ev{t0.Add(s.start), timeline.Entry{Kind: timeline.KindStart, Step: s.name, Actor: "alice", Impact: s.impact}, 2 * i})
		if s.end != 0 {
			evs = append(evs, ev{t0.Add(s.end), timeline.Entry{Kind: timeline.KindEnd, Step: s.name, Actor: "alice", Outcome: s.outcome}, 2*i + 1})
		}
	}
	// Entries go in time order; an end sorts before a start at the same instant.
	for i := 1; i < len(evs); i++ {
		for j := i; j > 0; j-- {
			a, b := evs[j-1], evs[j]
			if b.at.Before(a.at) || b.at.Equal(a.at) && b.e.Kind == timeline.KindEnd && a.e.Kind == timeline.KindStart && a.e.Step != b.e.Step {
				evs[j-1], evs[j] = b, a
				continue
			}
			break
		}
	}
	// Each step is recorded under a stand-in name, then given its own
	// back: a journal now refuses a step named with a line break, but one
	// recorded before that rule holds it, and its report must stay safe.
	// The hashes are the stand-ins': a report reads summaries.
	j := timeline.New(nil)
	stand := map[string]string{}
	for _, e := range evs {
		e.e.At = e.at
		if _, ok := stand[e.e.Step]; !ok {
			stand[e.e.Step] = "step-" + strconv.Itoa(len(stand))
		}
		name := e.e.Step
		e.e.Step = stand[name]
		_, err := j.Record(e.e)
		require.NoError(tb, err)
	}
	es := j.Entries()
	for i := range es {
		es[i].Step = evs[i].e.Step
	}
	return es
}

const (
	hostileStep   = "migrate | db `v2`\n<script>alert(1)</script>"
	hostileAction = "fix \"quotes\" & <b>tags</b> | now"
	hostileLesson = "rollback ``takes`` *longer* than [planned](http://evil.example/)"
	hostileVoter  = "Bob <img src=http://evil.example/x.png onerror=alert(1)>"
)

// fixture is a realistic report of a cutover with its rehearsal, with
// hostile names in steps, actions, lessons and votes.
func fixture(tb testing.TB) *report.Report {
	tb.Helper()
	t0 := at(2026, 11, 24, 20, 0)
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	rehearsal := timeline.Summarize(journal(tb, at(2026, 11, 17, 20, 0),
		step{"backup-config", timeline.NoImpact, m(0), m(9), timeline.Done},
		step{"stop-frontend", timeline.Outage, m(9), m(13), timeline.Done},
		step{hostileStep, timeline.Outage, m(13), m(33), timeline.Done},
		step{"switch \"dns\" & flush 'cache'", timeline.Disruption, m(33), m(43), timeline.Done},
		step{"smoke-tests", timeline.NoImpact, m(43), m(55), timeline.Done},
		step{"rollback-drill", timeline.NoImpact, m(55), m(60), timeline.Done},
	))
	actual := timeline.Summarize(journal(tb, t0,
		step{"backup-config", timeline.NoImpact, m(0), m(10), timeline.Done},
		step{"stop-frontend", timeline.Outage, m(10), m(15), timeline.Done},
		step{hostileStep, timeline.Outage, m(15), m(40), timeline.Failed},
		step{hostileStep, timeline.Outage, m(41), m(56), timeline.Done},
		step{"switch \"dns\" & flush 'cache'", timeline.Disruption, m(56), m(64), timeline.Done},
		step{"hotfix `cfg`|prod", timeline.NoImpact, m(64), m(67), timeline.Done},
		step{"smoke-tests", timeline.NoImpact, m(67), m(79), timeline.Done},
		step{"observe", timeline.NoImpact, m(79), 0, 0},
	))

	list := checklist.List{Name: "preparation", Items: []checklist.Item{
		{ID: "backup", Title: "Back up the impacted configurations", Section: "safety", Owner: "alice", Deadline: -time.Hour},
		{ID: "hardware", Title: "Verify old and new hardware", Section: "hardware", Owner: "bob", Deadline: -time.Hour},
		{ID: "config", Title: "Retrieve the client's configuration", Section: "config", Owner: "carol", Optional: true},
		{ID: "<script>x</script>", Title: "Print | the `runbook`", Section: "misc", Owner: "dave", Optional: true},
	}}
	run, err := checklist.NewRun(list, t0)
	require.NoError(tb, err)
	require.NoError(tb, run.Check("backup", "alice", t0.Add(-2*time.Hour), "saved to the vault"))
	require.NoError(tb, run.Check("hardware", "bob", t0.Add(-30*time.Minute), "rack 4 & rack 5"))
	require.NoError(tb, run.Waive("config", "carol", t0.Add(-3*time.Hour), "no change to the\nclient's configuration"))

	forecast := timeline.Estimate(rehearsal)
	steps := report.ExpectedFrom(forecast)
	titles := map[string][2]string{
		"backup-config":  {"Back up the configuration", "alice"},
		"stop-frontend":  {"Stop the front end", "bob"},
		hostileStep:      {"Migrate the database <v2>", "carol & dave"},
		"rollback-drill": {"Rehearse the rollback", "bob"},
	}
	for i := range steps {
		if tt, ok := titles[steps[i].ID]; ok {
			steps[i].Title, steps[i].Owner = tt[0], tt[1]
		}
	}
	return &report.Report{
		Title:     "Billing go-live <v2> & \"friends\"",
		Project:   "billing | core",
		Rollout:   "2026-11-24 cutover",
		Generated: t0.Add(2 * time.Hour),
		Location:  cet,
		Phase:     "cutover",
		Phases: []report.PhaseChange{
			{From: "", To: "scoping", By: "sales", Reason: "contract signed", At: at(2026, 3, 2, 9, 0)},
			{From: "planning", To: "preparation", By: "pm", Reason: "steps final; actions handed out", At: at(2026, 11, 3, 10, 0)},
			{From: "preparation", To: "cutover", By: "ops", Reason: "GO given", At: t0},
		},
		Decision: report.Decision{Verdict: report.Go, At: t0.Add(-10 * time.Minute), Reasons: []string{
			"every required checklist item is done (R7)",
			"operations said GO: \"ready\" (R9)",
		}},
		Votes: []report.Vote{
			{Role: "validation", By: "Carol | QA", Go: true, Reason: "tests `green`", At: t0.Add(-20 * time.Minute), Digest: "3f2a9c"},
			{Role: "operations", By: hostileVoter, Go: true, Reason: "ready & rested", At: t0.Add(-10 * time.Minute), Digest: "3f2a9c"},
			{Role: "security", By: "eve", Go: false, Reason: "pen test <pending>", At: t0.Add(-15 * time.Minute)},
		},
		Overrides:  []string{"hardware was checked 30m before T0, not 1h: accepted by \"ops\""},
		Checklist:  report.ChecklistFrom(run, t0),
		Actual:     actual,
		Rehearsal:  &rehearsal,
		Steps:      steps,
		Outcome:    report.Running,
		T0:         t0,
		PlannedEnd: t0.Add(time.Hour),
		WindowEnd:  t0.Add(3*time.Hour + 30*time.Minute),
		Estimate:   report.Estimate{Duration: time.Hour, Outage: 24 * time.Minute, Disruption: 10 * time.Minute},
		Drift: &report.Drift{
			At: t0.Add(80 * time.Minute), Elapsed: 80 * time.Minute, Expected: 60 * time.Minute,
			ExpectedEnd: t0.Add(85 * time.Minute),
		},
		Actions: []report.Action{
			{ID: "1", Title: "Order the spare disk", Owner: "bob", Status: "done", Due: at(2026, 11, 10, 12, 0), Meeting: "planning #3"},
			{ID: "2", Title: hostileAction, Owner: "alice", Due: at(2026, 11, 20, 12, 0), Overdue: true, Meeting: "planning #4"},
			{ID: "3", Title: "Write the review's minutes", Owner: "carol", Status: "open", Due: at(2026, 12, 1, 12, 0)},
			{ID: "4", Title: "Book the room", Owner: "dave", Status: "cancelled", Due: at(2026, 11, 18, 12, 0), Meeting: "planning #4"},
		},
		Lessons: []report.Lesson{
			{ID: "1", Text: hostileLesson, Action: "rehearse the rollback | twice", From: "2026-06 site 1", Applied: true, AppliedBy: "Bruno", AppliedAt: at(2026, 11, 20, 9, 0)},
			{ID: "2", Text: "DNS TTL too long", Action: "lower the TTL to 60s\none day before", From: "2026-06 site 1"},
			{ID: "3", Text: "the migration needs a lock timeout", Action: "set lock_timeout before migrating", From: "2026-11-24 cutover"},
		},
		Notes: []report.Note{
			{At: t0.Add(40 * time.Minute), By: "alice", Text: "migration failed: lock timeout; retrying"},
			{At: t0.Add(70 * time.Minute), By: "ops", Text: "hotfix </td></tr></table> applied"},
		},
	}
}
