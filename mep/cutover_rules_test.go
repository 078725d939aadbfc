package mep_test

// Tests of the cutover's rules (METHOD.md R10, R12): the runbook's
// order, skips and the finish, failed steps, the rollback.

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// TestRunbookOrder (R10): steps run in the runbook's order, unless the
// runbook declares dependencies or parallel groups.
func TestRunbookOrder(t *testing.T) {
	runbook := []mep.Step{
		{ID: "a", Expected: time.Minute},
		{ID: "b", Expected: time.Minute, Group: "apps"},
		{ID: "c", Expected: time.Minute, Group: "apps"},
		{ID: "d", Expected: time.Minute, DependsOn: []string{"a"}},
		{ID: "e", Expected: time.Minute},
	}
	g := rolloutsOnly(t, mep.RolloutOptions{Name: "order", Runbook: runbook})
	goNow(t, g)
	assert.ErrorIs(t, g.r.Cutover().Start("b", "Bea"), mep.ErrRunbook, "b follows a")
	assert.ErrorIs(t, g.r.Cutover().End("a", "Bea", timeline.Done), mep.ErrRunbook, "a is not running")
	require.NoError(t, g.r.Cutover().Start("a", "Bea"))
	assert.ErrorIs(t, g.r.Cutover().Start("a", "Bea"), mep.ErrRunbook, "already running")
	g.c.add(time.Minute)
	require.NoError(t, g.r.Cutover().End("a", "Bea", timeline.Done))
	require.NoError(t, g.r.Cutover().Start("b", "Bea"))
	require.NoError(t, g.r.Cutover().Start("c", "Bea"), "b and c run in parallel")
	require.NoError(t, g.r.Cutover().Start("d", "Bea"), "d depends on a only")
	err := g.r.Cutover().Start("e", "Bea")
	assert.ErrorIs(t, err, mep.ErrRunbook)
	assert.Contains(t, err.Error(), "b, c, d")
	for _, id := range []string{"b", "c", "d"} {
		require.NoError(t, g.r.Cutover().End(id, "Bea", timeline.Done))
	}
	assert.ErrorIs(t, g.r.Cutover().Start("a", "Bea"), mep.ErrRunbook, "a is done")
	_, err = g.r.Cutover().Finish("Otto")
	assert.ErrorIs(t, err, mep.ErrRunbook, "e never ran")
	assert.Contains(t, err.Error(), "e (not run)")
}

// TestSkipAndFinish (R10): a step is skipped only explicitly, by a
// member, with a reason; a cutover finishes only when every step is done
// or skipped, never with a failed one.
func TestSkipAndFinish(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	goNow(t, g)
	fieldErr(t, g.r.Cutover().Skip("stop-app", "Bea", " "))
	require.NoError(t, g.r.Cutover().Skip("stop-app", "Bea", "the application is already stopped"))
	assert.ErrorIs(t, g.r.Cutover().Skip("stop-app", "Bea", "again"), mep.ErrRunbook)
	assert.ErrorIs(t, g.r.Cutover().Start("stop-app", "Bea"), mep.ErrRunbook, "skipped")
	require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea"))
	assert.ErrorIs(t, g.r.Cutover().Skip("migrate-db", "Bea", "late"), mep.ErrRunbook, "a started step cannot be skipped")
	g.c.add(20 * time.Minute)
	require.NoError(t, g.r.Cutover().End("migrate-db", "Bea", timeline.Failed))
	_, err := g.r.Cutover().Finish("Otto")
	assert.ErrorIs(t, err, mep.ErrRunbook)
	assert.Contains(t, err.Error(), "migrate-db (failed)")
	assert.Contains(t, err.Error(), "switch-dns (not run)")

	require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea"), "a failed step is started again")
	g.c.add(20 * time.Minute)
	require.NoError(t, g.r.Cutover().End("migrate-db", "Bea", timeline.Done))
	g.runCutoverFrom(2, 10, 5)
	s, err := g.r.Cutover().Finish("Otto")
	require.NoError(t, err)
	assert.Len(t, s.Steps, 4, "two attempts of migrate-db, switch-dns, smoke-test")
	db := g.r.Debrief()
	assert.Equal(t, map[string]string{"stop-app": "the application is already stopped"}, db.Skipped)
	require.Len(t, db.Failed, 1)
	assert.Equal(t, "migrate-db", db.Failed[0].Step)
	assert.ErrorIs(t, g.r.Cutover().Start("smoke-test", "Bea"), mep.ErrRunbook, "finished")
}

// runCutoverFrom runs the runbook from step i on, as runCutover.
func (g *golive) runCutoverFrom(i int, minutes ...int) {
	g.t.Helper()
	rb := g.rb
	for k, m := range minutes {
		id := rb[i+k].ID
		require.NoError(g.t, g.r.Cutover().Start(id, "Bea"), "start %s", id)
		out := timeline.Done
		if m < 0 {
			m, out = -m, timeline.Failed
		}
		g.c.add(time.Duration(m) * time.Minute)
		require.NoError(g.t, g.r.Cutover().End(id, "Bea", out), "end %s", id)
	}
}

// TestFailedTestBlocksTheReview (R10, R12): a functional test that
// failed lets the cutover finish (the change is in place) but blocks the
// Review gate until a decision is recorded: accepted with a reason.
func TestFailedTestBlocksTheReview(t *testing.T) {
	g := walk(t, mep.Cutover)
	g.c.set(g.t0)
	g.runCutover(5, 20, 10, -5)
	_, err := g.r.Cutover().Finish("Otto")
	require.NoError(t, err, "a failed test ends the cutover; the review decides")
	g.advance(mep.Review)
	g.c.add(day(1))
	_, err = g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Otto"}, NoActions: "review"})
	require.NoError(t, err)
	_, err = g.r.Learn("smoke tests flake", "stabilise them", "Bea")
	require.NoError(t, err)
	err = g.p.CheckGate(g.c.now())
	assert.Equal(t, []string{"lessons recorded"}, unmet(t, err))
	assert.Contains(t, err.Error(), "functional test smoke-test failed")

	fieldErr(t, g.r.Cutover().Accept("smoke-test", "Otto", ""))
	fieldErr(t, g.r.Cutover().Accept("switch-dns", "Otto", "not a test"))
	fieldErr(t, g.r.Cutover().Accept("smoke-test", "Bea", "not operations"))
	require.NoError(t, g.r.Cutover().Accept("smoke-test", "Otto", "a known flaky check; verified by hand"))
	assert.NoError(t, g.p.CheckGate(g.c.now()))
}

// TestFailedChangeStepBlocksFinish (R10): a change step whose last attempt
// failed, or steps never run, keep the cutover open.
func TestFailedChangeStepBlocksFinish(t *testing.T) {
	g := walk(t, mep.Cutover)
	g.c.set(g.t0)
	g.runCutover(5, -20)
	_, err := g.r.Cutover().Finish("Otto")
	require.ErrorIs(t, err, mep.ErrRunbook)
	assert.Contains(t, err.Error(), "migrate-db (failed)")
	assert.Contains(t, err.Error(), "smoke-test (not run)")
	assert.Equal(t, []string{"cutover journaled"}, unmet(t, g.p.CheckGate(g.c.now())))
}

// TestRollback: a rollback is decided (who, why), refused before the
// cutover and after the point of no return, runs the rollback procedures
// latest first, journaled, and shows in the drift, the debrief and the
// report.
func TestRollback(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	rbRun := rehearse(t, g.c.now().Add(-day(1)), []mep.Step{goliveRunbook()[1], goliveRunbook()[0]}, 15, 3)
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rbRun, Environment: "preprod", Rollback: true}))
	goNow(t, g)
	assert.ErrorIs(t, g.r.Cutover().Rollback("Otto", "cold feet"), mep.ErrRunbook, "nothing started")
	g.runCutover(5)
	require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea"))
	g.c.add(30 * time.Minute)
	dr := g.r.Cutover().Drift(g.c.now())
	assert.Equal(t, 18*time.Minute, dr.Rollback, "from the rehearsed rollback")
	assert.Contains(t, dr.String(), "a rollback would take 18m")
	require.NoError(t, g.r.Cutover().End("migrate-db", "Bea", timeline.Failed))

	fieldErr(t, g.r.Cutover().Rollback("Otto", ""))
	fieldErr(t, g.r.Cutover().Rollback("Bea", "not operations"))
	require.NoError(t, g.r.Cutover().Rollback("Otto", "the migration broke the schema"))
	assert.ErrorIs(t, g.r.Cutover().Rollback("Otto", "twice"), mep.ErrRunbook)
	assert.ErrorIs(t, g.r.Cutover().Start("stop-app", "Bea"), mep.ErrRunbook, "migrate-db is rolled back first")
	_, err := g.r.Cutover().Finish("Otto")
	assert.ErrorIs(t, err, mep.ErrRunbook, "rollback not finished")
	for _, id := range []string{"migrate-db", "stop-app"} {
		require.NoError(t, g.r.Cutover().Start(id, "Bea"))
		g.c.add(4 * time.Minute)
		require.NoError(t, g.r.Cutover().End(id, "Bea", timeline.Done))
	}
	dr = g.r.Cutover().Drift(g.c.now())
	assert.True(t, dr.RollingBack)
	assert.Contains(t, dr.String(), "rolling back")
	_, err = g.r.Cutover().Finish("Otto")
	require.NoError(t, err)

	db := g.r.Debrief()
	require.NotNil(t, db.RolledBack)
	assert.Equal(t, "Otto", db.RolledBack.By)
	assert.Equal(t, "the migration broke the schema", db.RolledBack.Text)
	require.Len(t, db.RollbackSteps.Steps, 2)
	assert.Equal(t, "migrate-db", db.RollbackSteps.Steps[0].Step)
	assert.Equal(t, 8*time.Minute, db.RollbackSteps.Duration)
	rep := g.r.Report(g.c.now())
	assert.Equal(t, "rolled-back", rep.Outcome.String())
	var buf bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&buf))
	assert.Contains(t, buf.String(), "the migration broke the schema")
}

// TestNoRollbackPastThePointOfNoReturn: once the step marked point of no
// return has started, the only way is forward.
func TestNoRollbackPastThePointOfNoReturn(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	goNow(t, g)
	g.runCutover(5, 20)
	require.NoError(t, g.r.Cutover().Start("switch-dns", "Bea"))
	err := g.r.Cutover().Rollback("Otto", "too late")
	assert.ErrorIs(t, err, mep.ErrRunbook)
	assert.Contains(t, err.Error(), "point of no return")
	assert.Zero(t, g.r.Cutover().Drift(g.c.now()).Rollback)
}
