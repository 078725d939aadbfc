package timeline_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

func runOf(t *testing.T, t0 time.Time, minutes ...int) timeline.Summary {
	t.Helper()
	// steps a (no impact), b (outage), c (disruption), back to back.
	names := []string{"a", "b", "c", "d"}
	impacts := []timeline.Impact{timeline.NoImpact, timeline.Outage, timeline.Disruption, timeline.NoImpact}
	var steps []step
	at := t0
	for i, m := range minutes {
		end := at.Add(time.Duration(m) * time.Minute)
		steps = append(steps, step{names[i], impacts[i], at, end, timeline.Done})
		at = end
	}
	return timeline.Summarize(journalOf(t, steps...))
}

func TestCompare(t *testing.T) {
	rehearsal := runOf(t, at(2026, 11, 10, 20, 0), 10, 20, 30)
	actual := timeline.Summarize(journalOf(t,
		step{"a", timeline.NoImpact, at(2026, 11, 24, 20, 0), at(2026, 11, 24, 20, 15), timeline.Done},
		step{"b", timeline.Outage, at(2026, 11, 24, 20, 15), at(2026, 11, 24, 20, 25), timeline.Done},
		step{"z", timeline.NoImpact, at(2026, 11, 24, 20, 25), at(2026, 11, 24, 20, 30), timeline.Done},
	))
	c := timeline.Compare(rehearsal, actual)
	assert.Equal(t, 60*time.Minute, c.Duration.Baseline)
	assert.Equal(t, 30*time.Minute, c.Duration.Actual)
	assert.Equal(t, -30*time.Minute, c.Duration.Diff())
	pct, ok := c.Duration.Percent()
	require.True(t, ok)
	assert.InDelta(t, -50.0, pct, 1e-9)
	assert.Equal(t, -10*time.Minute, c.Outage.Diff())
	require.Len(t, c.Steps, 2)
	assert.Equal(t, "a", c.Steps[0].Step)
	assert.Equal(t, 5*time.Minute, c.Steps[0].Diff())
	pct, _ = c.Steps[0].Percent()
	assert.InDelta(t, 50.0, pct, 1e-9)
	assert.Equal(t, []string{"c"}, c.Missing)
	assert.Equal(t, []string{"z"}, c.Added)

	_, ok = timeline.Delta{Baseline: 0, Actual: time.Minute}.Percent()
	assert.False(t, ok, "no percentage of nothing")
}

func TestCompareCountsRetriesInElapsedTime(t *testing.T) {
	t0 := at(2026, 11, 24, 20, 0)
	j := timeline.New(nil)
	rec := func(e timeline.Entry) {
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	rec(timeline.Entry{Kind: "start", Step: "migrate", Impact: timeline.Outage, At: t0})
	rec(timeline.Entry{Kind: "end", Step: "migrate", Outcome: timeline.Failed, At: t0.Add(5 * time.Minute)})
	rec(timeline.Entry{Kind: "start", Step: "migrate", Impact: timeline.Outage, At: t0.Add(10 * time.Minute)})
	rec(timeline.Entry{Kind: "end", Step: "migrate", At: t0.Add(20 * time.Minute)})
	totals := timeline.Summarize(j.Entries()).StepTotals()
	require.Len(t, totals, 1)
	assert.Equal(t, 2, totals[0].Attempts)
	assert.Equal(t, 20*time.Minute, totals[0].Elapsed, "first start to last end")
	assert.Equal(t, 15*time.Minute, totals[0].Outage, "only the attempts themselves")
	assert.Equal(t, timeline.Done, totals[0].Outcome)
}
