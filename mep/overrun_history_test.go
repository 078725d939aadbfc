package mep_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/risk"
)

// TestOverrunLearnsFromPastGoLives (R5): a go-live that took twice its
// rehearsals weighs on the next go-live of the same runbook, not on one
// of another runbook, nor on one planned before it ended.
func TestOverrunLearnsFromPastGoLives(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{}) // rehearsed in 40 minutes
	first := g.r
	before, err := first.Overrun(risk.Options{})
	require.NoError(t, err)

	// A rollout of the same runbook planned now, for a T0 before the
	// first go-live ends, does not learn from it.
	early, err := g.p.NewRollout(mep.RolloutOptions{Name: "early", T0: g.t0.Add(30 * time.Minute), Runbook: goliveRunbook(), Readiness: goliveReadiness()})
	require.NoError(t, err)
	require.NoError(t, early.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))

	goNow(t, g)
	g.runCutover(10, 40, 20, 10) // 80 minutes: twice the rehearsal
	_, err = first.Cutover().Finish("Otto")
	require.NoError(t, err)

	g.c.add(day(1))
	next, err := g.p.NewRollout(mep.RolloutOptions{Name: "next", T0: g.t0.Add(day(7)), Runbook: goliveRunbook(), Readiness: goliveReadiness()})
	require.NoError(t, err)
	require.NoError(t, next.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	other := goliveRunbook()[:3]
	apart, err := g.p.NewRollout(mep.RolloutOptions{Name: "apart", T0: g.t0.Add(day(7)), Runbook: other, Readiness: goliveReadiness()})
	require.NoError(t, err)
	require.NoError(t, apart.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), other, 5, 20, 10), ProductionLike: true}))

	learned, err := next.Overrun(risk.Options{})
	require.NoError(t, err)
	assert.Greater(t, learned.Duration.P50(), before.Duration.P50()+10*time.Minute,
		"the 80-minute go-live weighs on the next: P50 %v against %v", learned.Duration.P50(), before.Duration.P50())
	unlearned, err := early.Overrun(risk.Options{})
	require.NoError(t, err)
	assert.Equal(t, before.Duration.P50(), unlearned.Duration.P50(), "planned before the go-live ended")
	separate, err := apart.Overrun(risk.Options{})
	require.NoError(t, err)
	assert.Less(t, separate.Duration.P50(), before.Duration.P50(), "another runbook (three steps) learns nothing from it")

	again, err := next.Overrun(risk.Options{})
	require.NoError(t, err)
	assert.Equal(t, learned.Duration.P50(), again.Duration.P50(), "deterministic")
}
