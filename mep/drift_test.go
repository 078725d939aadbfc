package mep_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

// The drift says when to decide a rollback, keeps the decision point as
// data, says when it passed, and says so instead once the point of no
// return is passed.
func TestDriftSaysTheDecisionPoint(t *testing.T) {
	g := decisionPointGolive(t)
	before := g.r.Cutover().Drift(g.t0.Add(-time.Hour))
	assert.True(t, before.DecisionPoint.DecideBy.IsZero())
	assert.NotContains(t, before.String(), "decide by", "nothing started: nothing to roll back")

	goNow(t, g)
	g.runCutover(5)                                              // stop-app, 22:30-22:35
	require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea")) // expected to take 20 minutes

	d := g.r.Cutover().Drift(at(paris, 2026, 11, 24, 23, 0))
	assert.True(t, at(paris, 2026, 11, 24, 23, 10).Equal(d.DecisionPoint.DecideBy), "got %v", d.DecisionPoint.DecideBy)
	assert.Equal(t, 20*time.Minute, d.DecisionPoint.Rollback)
	assert.True(t, d.WindowEnd.Equal(d.DecisionPoint.WindowEnd))
	assert.Contains(t, d.String(), "; decide by 23:10 CET: after that a rollback (P90 20m) ends past the window, which closes at 23:30 CET")
	assert.Equal(t, g.r.Cutover().DecisionPoint(d.At), d.DecisionPoint, "the same as the rollout's decision point")

	d = g.r.Cutover().Drift(at(paris, 2026, 11, 24, 23, 20))
	assert.True(t, d.DecisionPoint.IsWarning())
	assert.Contains(t, d.String(), "; the decision point 23:10 CET passed: a rollback (P90 20m) decided now ends past the window, which closes at 23:30 CET, and the cutover is expected to end at 23:35 CET")

	g.c.set(at(paris, 2026, 11, 24, 23, 20))
	require.NoError(t, g.r.Cutover().End("migrate-db", "Bea", 0))
	require.NoError(t, g.r.Cutover().Start("switch-dns", "Bea"))
	d = g.r.Cutover().Drift(g.c.now())
	assert.Equal(t, "switch-dns", d.DecisionPoint.NoReturn)
	assert.True(t, d.DecisionPoint.DecideBy.IsZero())
	assert.Contains(t, d.String(), "; past the point of no return (switch-dns): no rollback, the only way is forward")
	assert.NotContains(t, d.String(), "decide by")
}

// In Paris, a window across midnight (Tuesday 23:00 to Wednesday 02:00)
// and one across midnight on the night the clocks go back (Saturday
// 23:00 to Sunday 03:05 CET): the drift's decision point counts the
// rollback's 20 minutes in elapsed time and says it in the zone in force
// then, the second 02:45 of the night (CET), not the first (CEST).
func TestDriftDecisionPointAcrossMidnightAndTheClockChange(t *testing.T) {
	for _, c := range []struct {
		t0, want time.Time
		spec     string
		say      string
	}{
		{at(paris, 2026, 11, 24, 23, 30), at(paris, 2026, 11, 25, 1, 40), "Tue 23:00-02:00",
			"decide by 01:40 CET: after that a rollback (P90 20m) ends past the window, which closes at 02:00 CET"},
		{time.Date(2026, 10, 24, 23, 30, 0, 0, paris), time.Date(2026, 10, 25, 1, 45, 0, 0, time.UTC), "Sat 23:00-03:05",
			"decide by 02:45 CET: after that a rollback (P90 20m) ends past the window, which closes at 03:05 CET"},
	} {
		win, err := policy.Windows("nights", c.spec, paris)
		require.NoError(t, err)
		g := decisionPointAt(t, c.t0, policy.Set{win})
		require.NoError(t, g.p.OptOutOfFreeze("Otto", "the client's own maintenance nights"))
		goNow(t, g)
		g.runCutover(5)
		require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea"))
		d := g.r.Cutover().Drift(g.c.now())
		assert.True(t, c.want.Equal(d.DecisionPoint.DecideBy), "%s: got %v", c.spec, d.DecisionPoint.DecideBy)
		assert.Equal(t, 20*time.Minute, d.WindowEnd.Sub(d.DecisionPoint.DecideBy), c.spec)
		assert.Contains(t, d.String(), "; "+c.say, c.spec)
		assert.False(t, d.DecisionPoint.IsPassed(), c.spec)
	}
}
