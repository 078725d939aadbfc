package report_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/golden"
	"github.com/mepkit/mepkit/mep/report"
)

// rollouts is the record of a team deploying from September to December
// 2026, with a quiet October, two failures and one rollout still running.
func rollouts() []report.RolloutSummary {
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	return []report.RolloutSummary{
		{Name: "site-3", Start: at(2026, 11, 12, 20, 0), End: at(2026, 11, 12, 21, 30), Outcome: report.RolledBack,
			Duration: m(90), Outage: m(60), EstimatedDuration: m(60), EstimatedOutage: m(30), TimeToRestore: m(40), LessonsDue: 2, LessonsApplied: 1},
		{Name: "site-1", Start: at(2026, 9, 8, 20, 0), End: at(2026, 9, 8, 21, 10), Outcome: report.Done,
			Duration: m(70), Outage: m(45), EstimatedDuration: m(60), EstimatedOutage: m(38)},
		{Name: "site-2", Start: at(2026, 11, 3, 20, 0), End: at(2026, 11, 3, 20, 54), Outcome: report.Done,
			Duration: m(54), Outage: m(27), EstimatedDuration: m(60), EstimatedOutage: m(30), LessonsDue: 1, LessonsApplied: 1},
		{Name: "site-4", Start: at(2026, 11, 26, 20, 0), End: at(2026, 11, 26, 20, 20), Outcome: report.Failed,
			Duration: m(20), Outage: m(20), TimeToRestore: m(20), LessonsDue: 2, LessonsApplied: 2},
		{Name: "site-5", Start: at(2026, 12, 1, 20, 0), Outcome: report.Running, Duration: m(10), OutageUnknown: true},
		{Name: "site-6", Outcome: report.Planned},
		{Name: "site-7", Start: at(2026, 12, 3, 20, 0), End: at(2026, 12, 3, 20, 50), Outcome: report.Done,
			Duration: m(50), EstimatedDuration: m(50), LessonsDue: 3, LessonsApplied: 3},
	}
}

func history() *report.History {
	h := report.NewHistory("billing", rollouts(), cet)
	h.Generated = at(2026, 12, 4, 9, 0)
	return h
}

func TestNewHistory(t *testing.T) {
	in := rollouts()
	h := history()
	assert.Equal(t, rollouts(), in, "the input is not changed")
	require.Len(t, h.Rollouts, 7)
	assert.Equal(t, "site-1", h.Rollouts[0].Name, "by start")
	assert.Equal(t, "site-6", h.Rollouts[6].Name, "never started: last")

	require.Len(t, h.Months, 4, "September to December, October included")
	assert.Equal(t, at(2026, 9, 1, 0, 0), h.Months[0].Month)
	assert.Equal(t, report.Month{Month: at(2026, 10, 1, 0, 0)}, h.Months[1], "a month without deployment")

	nov := h.Months[2]
	assert.Equal(t, 3, nov.Deployments)
	assert.Equal(t, 2, nov.Failures)
	assert.InDelta(t, 2.0/3, nov.ChangeFailureRate, 1e-9)
	assert.Equal(t, 30*time.Minute, nov.TimeToRestore, "median of 40m and 20m")
	assert.Equal(t, 2, nov.Restores)
	assert.Equal(t, 2, nov.DurationEstimated, "site-4 had no estimate")
	assert.InDelta(t, (1.5+0.9)/2, nov.DurationRatio, 1e-9)
	assert.Equal(t, 2, nov.OutageEstimated)
	assert.InDelta(t, (2+0.9)/2, nov.OutageRatio, 1e-9)
	assert.Equal(t, 5, nov.LessonsDue)
	assert.Equal(t, 4, nov.LessonsApplied)

	dec := h.Months[3]
	assert.Equal(t, 1, dec.Deployments, "the running rollout does not count")
	assert.Equal(t, 0, dec.OutageEstimated, "no outage estimate")
	assert.Zero(t, dec.ChangeFailureRate)

	assert.Equal(t, 5, h.Total.Deployments)
	assert.Equal(t, 2, h.Total.Failures)
	assert.True(t, h.Total.Month.IsZero())
}

func TestNewHistoryEmpty(t *testing.T) {
	h := report.NewHistory("p", nil, nil)
	assert.Empty(t, h.Months)
	assert.Equal(t, time.UTC, h.Location)
	h = report.NewHistory("p", []report.RolloutSummary{{Name: "x", Outcome: report.Running, Start: at(2026, 1, 1, 0, 0)}}, nil)
	assert.Empty(t, h.Months, "nothing counted")
	assert.Len(t, h.Rollouts, 1)
}

func TestHistoryMonthsInLocation(t *testing.T) {
	// 23:30 UTC on 31 August is September in Paris.
	s := report.RolloutSummary{Name: "x", Outcome: report.Done, Start: time.Date(2026, 8, 31, 23, 30, 0, 0, time.UTC)}
	h := report.NewHistory("p", []report.RolloutSummary{s}, cet)
	require.Len(t, h.Months, 1)
	assert.Equal(t, time.September, h.Months[0].Month.Month())
}

func TestSummaryOf(t *testing.T) {
	r := fixture(t)
	r.Outcome = report.Done
	s := report.SummaryOf(r)
	assert.Equal(t, r.Rollout, s.Name)
	assert.Equal(t, report.Done, s.Outcome)
	assert.Equal(t, r.Actual.Start, s.Start)
	assert.Equal(t, r.Actual.End, s.End)
	assert.Equal(t, r.Actual.Outage, s.Outage)
	assert.Equal(t, time.Hour, s.EstimatedDuration)
	assert.Equal(t, 2, s.LessonsDue, "the lesson learned in this rollout is not due")
	assert.Equal(t, 1, s.LessonsApplied)

	r.Estimate = report.Estimate{}
	assert.Equal(t, r.Rehearsal.Outage, report.SummaryOf(r).EstimatedOutage, "the rehearsal is the estimate")
	r.Outcome = report.Running
	assert.True(t, report.SummaryOf(r).End.IsZero())
}

func TestHistoryJSON(t *testing.T) {
	b, err := json.Marshal(history())
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, "billing", got["project"])
	assert.Equal(t, "CET", got["location"])
	months := got["months"].([]any)
	require.Len(t, months, 4)
	nov := months[2].(map[string]any)
	assert.Equal(t, "2026-11", nov["month"])
	assert.InDelta(t, 1800, nov["time_to_restore_s"], 0)
	assert.Equal(t, "rolled-back", got["rollouts"].([]any)[2].(map[string]any)["outcome"])
	assert.NotContains(t, got["total"], "month")

	b, err = json.Marshal(report.NewHistory("", nil, nil))
	require.NoError(t, err)
	assert.Contains(t, string(b), `"rollouts":[]`)
	assert.Contains(t, string(b), `"months":[]`)
}

func TestOutcomeText(t *testing.T) {
	for o := report.Planned; o <= report.Failed; o++ {
		b, err := o.MarshalText()
		require.NoError(t, err)
		var back report.Outcome
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, o, back)
	}
	_, err := report.Outcome(9).MarshalText()
	assert.Error(t, err)
	var o report.Outcome
	assert.ErrorContains(t, o.UnmarshalText([]byte("gone")), `"gone"`)
	assert.True(t, report.RolledBack.IsFailure())
	assert.False(t, report.Done.IsFailure())
}

func TestHistoryGolden(t *testing.T) {
	h := history()
	var md, page, js, txt bytes.Buffer
	require.NoError(t, h.WriteMarkdown(&md))
	require.NoError(t, h.WriteHTML(&page))
	require.NoError(t, h.WriteJSON(&js))
	require.NoError(t, h.WriteText(&txt))
	golden.Check(t, "history.md", md.Bytes())
	golden.Check(t, "history.html", page.Bytes())
	golden.Check(t, "history.json", js.Bytes())
	golden.Check(t, "history.txt", txt.Bytes())

	count := wellFormed(t, page.Bytes())
	assert.Equal(t, 1, count["svg"], "one chart")
	// Blue bars in September, November and December, a red one in November.
	assert.Equal(t, 4, count["rect"])
	checkTables(t, md.String())
	assert.Contains(t, md.String(), "| 2026-11 | 3 | 2 | 67% (2 of 3) | 30m | +20% (2) | +45% (2) | 4 of 5 |")
	assert.Contains(t, txt.String(), "Change failure rate: 40% (2 of 5)")
}

func TestHistoryZero(t *testing.T) {
	h := report.NewHistory("", nil, nil)
	var md, page bytes.Buffer
	require.NoError(t, h.WriteMarkdown(&md))
	require.NoError(t, h.WriteHTML(&page))
	assert.Contains(t, md.String(), "- Deployments: 0\n")
	assert.Contains(t, md.String(), "- Change failure rate: none deployed\n")
	assert.NotContains(t, md.String(), "## By month")
	wellFormed(t, page.Bytes())
}

func TestHistoryChartLastMonths(t *testing.T) {
	h := report.NewHistory("p", manyRollouts(1_000), cet)
	require.Greater(t, len(h.Months), report.ChartMonths)
	var page bytes.Buffer
	require.NoError(t, h.WriteHTML(&page))
	count := wellFormed(t, page.Bytes())
	assert.Equal(t, report.ChartMonths, count["g"], "one group per month drawn")
	assert.Contains(t, page.String(), fmt.Sprintf("the last %d months; the table below has all %d", report.ChartMonths, len(h.Months)))
	assert.Contains(t, page.String(), "<td class=\"time\">"+h.Months[0].Month.Format("2006-01")+"</td>", "every month in the table")
}

// TestHistoryUnknownOutage: an outage that is not known reads "unknown" in
// every format, null in JSON, and counts in no outage ratio; a known zero
// outage still reads 0s.
func TestHistoryUnknownOutage(t *testing.T) {
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	h := report.NewHistory("billing", []report.RolloutSummary{
		{Name: "quiet", Start: at(2026, 11, 3, 20, 0), End: at(2026, 11, 3, 20, 30), Outcome: report.Done,
			Duration: m(30), EstimatedOutage: m(10)},
		{Name: "rolling-back", Start: at(2026, 11, 10, 20, 0), Outcome: report.RolledBack,
			Duration: m(25), Outage: m(25), OutageUnknown: true, EstimatedOutage: m(10)},
	}, cet)
	assert.Equal(t, 1, h.Total.OutageEstimated, "the unknown outage is left out")
	assert.InDelta(t, 0, h.Total.OutageRatio, 1e-9, "the known zero outage: 0 of an estimated 10m")

	var md, text, html bytes.Buffer
	require.NoError(t, h.WriteMarkdown(&md))
	require.NoError(t, h.WriteText(&text))
	require.NoError(t, h.WriteHTML(&html))
	assert.Regexp(t, `\| rolling-back \| 2026-11-10 20:00 CET \| rolled back \| 25m \|  \| unknown \|`, md.String())
	assert.Regexp(t, `\| quiet \| 2026-11-03 20:00 CET \| done \| 30m \|  \| 0s \|`, md.String())
	assert.Regexp(t, `rolling-back +2026-11-10 20:00 CET +rolled back +25m +unknown`, text.String())
	assert.Contains(t, html.String(), ">unknown<")

	b, err := json.Marshal(h)
	require.NoError(t, err)
	var got struct {
		Rollouts []map[string]any `json:"rollouts"`
	}
	require.NoError(t, json.Unmarshal(b, &got))
	require.Len(t, got.Rollouts, 2)
	assert.InDelta(t, 0, got.Rollouts[0]["outage_s"], 0, "a known zero")
	v, ok := got.Rollouts[1]["outage_s"]
	assert.True(t, ok, "outage_s is written")
	assert.Nil(t, v, "null when unknown")
}

// TestSummaryOfResult: SummaryOf takes the end, duration, outage and time
// to restore from the report's Result; the outage of a rollout that has
// not ended is unknown.
func TestSummaryOfResult(t *testing.T) {
	r := fixture(t)
	r.Outcome = report.RolledBack
	end := r.Actual.Start.Add(45 * time.Minute)
	r.Result = &report.Result{End: end, Duration: 45 * time.Minute, Outage: 45 * time.Minute, TimeToRestore: 30 * time.Minute}
	s := report.SummaryOf(r)
	assert.True(t, end.Equal(s.End))
	assert.Equal(t, 45*time.Minute, s.Duration)
	assert.Equal(t, 45*time.Minute, s.Outage)
	assert.Equal(t, 30*time.Minute, s.TimeToRestore)
	assert.False(t, s.OutageUnknown)

	r.Result.End = time.Time{}
	assert.True(t, report.SummaryOf(r).OutageUnknown, "the rollback still runs")
}
