package mep_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
)

// decisionPointGolive is the fixture's rollout at 22:30 on Tuesday
// 2026-11-24 in Paris, in a window that closes at 23:30, its rollback
// rehearsed twice: migrate-db undone in 15 minutes, then stop-app in 5.
func decisionPointGolive(t *testing.T) *golive {
	t.Helper()
	return decisionPointAt(t, at(paris, 2026, 11, 24, 22, 30), standardSet(t))
}

// decisionPointAt is decisionPointGolive at t0 under set.
func decisionPointAt(t *testing.T, t0 time.Time, set policy.Set) *golive {
	t.Helper()
	g := newGoliveFile(t, filepath.Join(t.TempDir(), "record.jsonl"), &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	tickAll(t, g.p.Operations(), checklist.Operations(), g.c.now(), "Mia")
	g.t0 = t0
	g.c.set(t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{T0: t0, Policies: set})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{
		Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), Environment: "preprod", ProductionLike: true,
	}))
	back := []mep.Step{goliveRunbook()[1], goliveRunbook()[0]}
	for k := range 2 {
		require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{
			Summary: rehearse(t, g.c.now().Add(-day(1)+time.Duration(k+1)*time.Hour), back, 15, 5), Environment: "preprod", Rollback: true,
		}))
	}
	return g
}

// The latest moment to roll back: the window's end less the P90 of
// rolling back what started. Once it passed with the cutover expected
// past the window, Watch records the warning, once; the record replays
// it.
func TestDecisionPoint(t *testing.T) {
	g := decisionPointGolive(t)
	before := g.r.Cutover().DecisionPoint(g.t0.Add(-time.Hour))
	assert.True(t, before.DecideBy.IsZero(), "nothing started: nothing to roll back")
	assert.Equal(t, "nothing started can be rolled back yet", before.String())

	goNow(t, g)
	g.runCutover(5)                                              // stop-app, 22:30-22:35
	require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea")) // expected to take 20 minutes

	d := g.r.Cutover().DecisionPoint(at(paris, 2026, 11, 24, 23, 0))
	assert.Equal(t, 20*time.Minute, d.Rollback, "restore the backup (15m), then start the old application (5m)")
	assert.True(t, at(paris, 2026, 11, 24, 23, 10).Equal(d.DecideBy), "got %v", d.DecideBy)
	assert.False(t, d.IsPassed())
	assert.Equal(t, "decide by 23:10 CET: after that a rollback (P90 20m) ends past the window, which closes at 23:30 CET", d.String())

	g.c.set(at(paris, 2026, 11, 24, 23, 15)) // passed, but the cutover still fits: expected end 23:30
	d, err := g.r.Cutover().Watch()
	require.NoError(t, err)
	assert.True(t, d.IsPassed())
	assert.False(t, d.IsWarning())
	assert.Empty(t, warnings(g))

	g.c.set(at(paris, 2026, 11, 24, 23, 20)) // migrate-db 45 minutes in: expected end 23:35
	d, err = g.r.Cutover().Watch()
	require.NoError(t, err)
	assert.True(t, d.IsWarning())
	assert.Equal(t, "the decision point 23:10 CET passed: a rollback (P90 20m) decided now ends past the window, which closes at 23:30 CET, and the cutover is expected to end at 23:35 CET", d.String())
	want := []string{"warning: the decision point 23:10 CET passed with the cutover expected to end at 23:35 CET, after the window closes at 23:30 CET: a rollback (P90 20m) decided now ends past it"}
	assert.Equal(t, want, warnings(g))

	g.c.add(5 * time.Minute)
	_, err = g.r.Cutover().Watch()
	require.NoError(t, err)
	assert.Equal(t, want, warnings(g), "warned once")

	// The record replays the warning.
	path := g.path + ".copy"
	copyFile(t, g.path, path)
	q, err := mep.OpenFile(path, &g.opts)
	require.NoError(t, err)
	defer q.Close()
	r, err := q.NewRollout(g.ro)
	require.NoError(t, err)
	assert.Equal(t, want, warnings(&golive{r: r, c: g.c}))

	require.NoError(t, g.r.Cutover().End("migrate-db", "Bea", 0))
	require.NoError(t, g.r.Cutover().Start("switch-dns", "Bea"))
	assert.Equal(t, "past the point of no return (switch-dns): no rollback, the only way is forward", g.r.Cutover().DecisionPoint(g.c.now()).String())
}

// warnings returns the notes of g's report that warn.
func warnings(g *golive) []string {
	var out []string
	for _, n := range g.r.Report(g.c.now()).Notes {
		if strings.HasPrefix(n.Text, "warning: ") {
			out = append(out, n.Text)
		}
	}
	return out
}

// The decision point counts elapsed time: on the night clocks go back,
// a window closing at 02:15 CET and a rollback of 20 minutes give
// 02:55 CEST, the first 02:55 of the night, not 01:55 CET an hour later.
func TestDecisionPointAcrossTheClockChange(t *testing.T) {
	windowEnd := time.Date(2026, 10, 25, 1, 15, 0, 0, time.UTC).In(paris)
	require.Equal(t, "02:15 CET", windowEnd.Format("15:04 MST"))
	d := mep.DecisionPoint{WindowEnd: windowEnd, DecideBy: windowEnd.Add(-20 * time.Minute), Rollback: 20 * time.Minute,
		At: windowEnd.Add(-30 * time.Minute)}
	assert.Equal(t, "decide by 02:55 CEST: after that a rollback (P90 20m) ends past the window, which closes at 02:15 CET", d.String())
	d.At = windowEnd.Add(-50 * time.Minute) // 02:25 CEST
	assert.False(t, d.IsPassed(), "02:25 CEST is before 02:55 CEST")
	d.At = windowEnd.Add(-10 * time.Minute) // 02:05 CET, after the change
	assert.True(t, d.IsPassed(), "02:05 CET is after 02:55 CEST")
}

// A window that crosses midnight: from 23:30 on Tuesday to 02:00 on
// Wednesday, the decision point is 01:40 on Wednesday; on the night the
// clocks go back (a window of Saturday 23:00 to Sunday 03:05 CET, which
// lasts an hour longer, for a team that opted out of the weekend
// freeze), the rollback of 20 minutes is counted in elapsed time: decide
// by 02:45 CET, the second 02:45 of the night, not the first (CEST),
// which is an hour earlier.
func TestDecisionPointAcrossMidnight(t *testing.T) {
	for _, c := range []struct {
		t0, want time.Time
		spec     string
	}{
		{at(paris, 2026, 11, 24, 23, 30), at(paris, 2026, 11, 25, 1, 40), "Tue 23:00-02:00"},
		{time.Date(2026, 10, 24, 23, 30, 0, 0, paris), time.Date(2026, 10, 25, 1, 45, 0, 0, time.UTC), "Sat 23:00-03:05"},
	} {
		win, err := policy.Windows("nights", c.spec, paris)
		require.NoError(t, err)
		g := decisionPointAt(t, c.t0, policy.Set{win})
		require.NoError(t, g.p.OptOutOfFreeze("Otto", "the client's own maintenance nights"))
		goNow(t, g)
		g.runCutover(5)
		require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea"))
		d := g.r.Cutover().DecisionPoint(g.c.now())
		assert.True(t, c.want.Equal(d.DecideBy), "%s: got %v", c.spec, d.DecideBy)
		assert.Equal(t, 20*time.Minute, d.WindowEnd.Sub(d.DecideBy), c.spec)
		assert.Equal(t, c.want.In(paris).Format("15:04 MST"), d.DecideBy.Format("15:04 MST"))
	}
}
