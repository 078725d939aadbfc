package report_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep/report"
)

func TestJSONFields(t *testing.T) {
	r := fixture(t)
	_, _, js := render(t, r)
	var got map[string]any
	require.NoError(t, json.Unmarshal(js, &got))
	for _, k := range []string{
		"title", "project", "rollout", "generated", "location", "phase", "outcome", "t0", "planned_end", "window_end",
		"estimate", "phases", "decision", "votes", "overrides", "checklist", "actual", "rehearsal", "steps", "comparison",
		"drift", "actions", "lessons", "notes",
	} {
		assert.Contains(t, got, k)
	}
	assert.Equal(t, r.Title, got["title"], "strings are kept as they are")
	assert.Equal(t, "go", got["decision"].(map[string]any)["verdict"])
	assert.Equal(t, "2026-11-24T20:00:00+01:00", got["actual"].(map[string]any)["start"])
	assert.InDelta(t, 45*60, got["actual"].(map[string]any)["outage_s"], 0)
	steps := got["actual"].(map[string]any)["steps"].([]any)
	require.Len(t, steps, len(r.Actual.Steps))
	assert.Equal(t, r.Actual.Steps[2].Step, steps[2].(map[string]any)["step"])
	assert.Equal(t, "failed", steps[2].(map[string]any)["outcome"])
	votes := got["votes"].([]any)
	assert.Equal(t, r.Votes[1].By, votes[1].(map[string]any)["by"])
	assert.Equal(t, r.Lessons[0].Text, got["lessons"].([]any)[0].(map[string]any)["text"])
	assert.Equal(t, true, got["actions"].([]any)[1].(map[string]any)["overdue"])
	assert.NotContains(t, string(js), "<script>", "HTML is escaped in JSON strings")
}

func TestJSONZero(t *testing.T) {
	_, _, js := render(t, &report.Report{})
	var got map[string]any
	require.NoError(t, json.Unmarshal(js, &got))
	for _, k := range []string{"phases", "votes", "overrides", "steps", "actions", "lessons", "notes"} {
		assert.Equal(t, []any{}, got[k], k)
	}
	for _, k := range []string{"checklist", "drift"} {
		assert.Contains(t, got, k)
		assert.Nil(t, got[k], k)
	}
	for _, k := range []string{"rehearsal", "comparison", "generated", "t0", "location"} {
		assert.NotContains(t, got, k, "zero: left out")
	}
	assert.Equal(t, "undecided", got["decision"].(map[string]any)["verdict"])
	assert.Equal(t, "planned", got["outcome"])
}

// TestResultJSON: the result carries its durations in seconds, and a time
// to restore not known is null; a report without a result leaves it out.
func TestResultJSON(t *testing.T) {
	b, err := json.Marshal(report.Result{Duration: 45 * time.Minute, Outage: 45 * time.Minute})
	require.NoError(t, err)
	assert.JSONEq(t, `{"duration_s": 2700, "outage_s": 2700, "disruption_s": 0, "time_to_restore_s": null, "ongoing": false}`, string(b))
	b, err = json.Marshal(report.Result{TimeToRestore: 30 * time.Minute})
	require.NoError(t, err)
	assert.Contains(t, string(b), `"time_to_restore_s":1800`)

	b, err = json.Marshal(report.Report{})
	require.NoError(t, err)
	assert.NotContains(t, string(b), `"result"`)
}
