package mep_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// TestHistoryFromTheRecord: the history across rollouts comes from the
// record alone: a rollout done on its estimate, and one rolled back whose
// time to restore runs from the failed step to the last rollback step.
func TestHistoryFromTheRecord(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	goNow(t, g)
	g.runCutover(5, 20, 10, 5)
	_, err := g.r.Cutover().Finish("Otto")
	require.NoError(t, err)

	// A second rollout a month later, rolled back after its migration failed.
	g.t0 = g.t0.AddDate(0, 1, 0)
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{Name: "site-2", Policies: g.ro.Policies})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{
		Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), Environment: "preprod", ProductionLike: true,
	}))
	goNow(t, g)
	g.runCutover(5, -12)
	g.c.add(3 * time.Minute)
	require.NoError(t, g.r.Cutover().Rollback("Otto", "the migration broke the schema"))
	assert.Zero(t, g.p.History(g.c.now()).Rollouts[1].TimeToRestore, "unknown while the rollback runs")
	for _, id := range []string{"migrate-db", "stop-app"} {
		require.NoError(t, g.r.Cutover().Start(id, "Bea"))
		g.c.add(4 * time.Minute)
		require.NoError(t, g.r.Cutover().End(id, "Bea", timeline.Done))
	}
	_, err = g.r.Cutover().Finish("Otto")
	require.NoError(t, err)

	h := g.p.History(g.c.now())
	require.Len(t, h.Rollouts, 2)
	first, second := h.Rollouts[0], h.Rollouts[1]
	assert.Equal(t, "go-live", first.Name)
	assert.Equal(t, report.Done, first.Outcome)
	assert.Equal(t, 40*time.Minute, first.Duration)
	assert.Equal(t, 40*time.Minute, first.EstimatedDuration, "the production-like rehearsal")
	assert.Zero(t, first.TimeToRestore)
	assert.Equal(t, "site-2", second.Name)
	assert.Equal(t, report.RolledBack, second.Outcome)
	assert.Equal(t, 11*time.Minute, second.TimeToRestore, "3m to decide, then two rollback steps of 4m")
	assert.Len(t, h.Months, 2, "one month a rollout")
	assert.Equal(t, g.c.now(), h.Generated)
}
