package main

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/risk"
	"github.com/mepkit/mepkit/timeline"
)

// olgaProject is a file project that runs rollouts only, with olga its
// go-live team, operations readiness checked at now() and the method's
// freeze lifted; closed when the test ends.
func olgaProject(t testing.TB, now func() time.Time) *mep.Project {
	t.Helper()
	p, err := mep.CreateFile(filepath.Join(t.TempDir(), "record.jsonl"), "billing", &mep.Options{Now: now, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	require.NoError(t, err)
	t.Cleanup(func() { p.Close() })
	require.NoError(t, p.Team().Add(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO, mep.RoleBuild}}))
	require.NoError(t, p.Team().Choose("olga", "olga"))
	require.NoError(t, p.Team().SetMCOContact("olga"))
	ops := checklist.Operations()
	require.NoError(t, p.Operations().Start(ops, now(), "olga"))
	for _, it := range ops.Items {
		require.NoError(t, p.Operations().Check(it.ID, "olga", now(), ""))
	}
	require.NoError(t, p.OptOutOfFreeze("olga", "test"))
	return p
}

// riskProject is a project whose rollout "go-live" starts at 20:00 on
// Tuesday 2026-11-24 in Paris, in a window that closes at 21:00: backup
// (10m), migrate (20m, outage) and switch (5m, the point of no return);
// its rollback rehearsed: migrate undone in 15 minutes, backup in 5. It
// is GO at 19:30 and the clock is at 20:00.
func riskProject(t testing.TB) (*mep.Project, *mep.Rollout, *time.Time) {
	t.Helper()
	clock := at(18, 0, 0)
	now := func() time.Time { return clock }
	p := olgaProject(t, now)
	runbook := []mep.Step{
		{ID: "backup", Impact: timeline.Disruption, Expected: 10 * time.Minute, Rollback: "drop the backup"},
		{ID: "migrate", Impact: timeline.Outage, Expected: 20 * time.Minute, Rollback: "restore the backup"},
		{ID: "switch", Impact: timeline.Outage, Expected: 5 * time.Minute, PointOfNoReturn: true},
	}
	r, err := p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: at(20, 0, 0), Runbook: runbook,
		PolicyFile: []byte("zone: Europe/Paris\npolicies:\n  - kind: windows\n    name: evenings\n    spec: Tue 19:00-21:00\n"),
		Readiness: checklist.List{Name: "ready", Items: []checklist.Item{
			{ID: "b", Title: "Backups", Deadline: -time.Hour, Purpose: checklist.ConfigBackup},
			{ID: "h", Title: "Hardware", Deadline: -time.Hour, Purpose: checklist.HardwareVerified},
		}}})
	require.NoError(t, err)
	for k := range 2 { // twice the same: the figures do not widen for thin data
		rc := time.Date(2026, 11, 20+k, 21, 0, 0, 0, paris)
		back := timeline.New(&timeline.Options{Now: func() time.Time { return rc }})
		for _, st := range []struct {
			id string
			d  time.Duration
		}{{"migrate", 15 * time.Minute}, {"backup", 5 * time.Minute}} {
			_, err = back.Start(st.id, "olga", timeline.NoImpact)
			require.NoError(t, err)
			rc = rc.Add(st.d)
			_, err = back.End(st.id, "olga", timeline.Done)
			require.NoError(t, err)
		}
		require.NoError(t, r.AddRehearsal(mep.RehearsalRun{Summary: timeline.Summarize(back.Entries()), Environment: "preprod", Rollback: true}))
	}
	require.NoError(t, r.Readiness().Check("b", "olga", clock, ""))
	require.NoError(t, r.Readiness().Check("h", "olga", clock, ""))
	clock = at(19, 30, 0)
	_, err = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go})
	require.NoError(t, err)
	d, err := r.GoNoGo().Decide(context.Background(), clock)
	require.NoError(t, err)
	require.Equal(t, mep.Go, d.Verdict, "%v", d.Reasons)
	clock = at(20, 0, 0)
	return p, r, &clock
}

// The headline of a mep cutover shows its P90 end from the rehearsals,
// the window and the chance to overrun it, and when to decide a rollback
// that still ends in the window; once the point of no return is passed,
// it says so instead.
func TestHeadlineShowsTheRiskAndTheDecisionPoint(t *testing.T) {
	p, r, clock := riskProject(t)
	ov, err := r.Overrun(risk.Options{})
	require.NoError(t, err)
	require.NoError(t, r.Cutover().Start("backup", "olga"))
	*clock = at(20, 12, 0)
	require.NoError(t, r.Cutover().End("backup", "olga", timeline.Done))
	require.NoError(t, r.Cutover().Start("migrate", "olga"))

	now := func() time.Time { return at(20, 20, 0) }
	rm := newRoom(nil, now)
	rm.add(p.Record())
	s := &server{room: rm, now: now, loc: paris}
	v, _ := s.view(now())
	require.Empty(t, v.Err)
	assert.True(t, ov.End(0.9).Equal(v.H.P90End), "the rollout's P90 end: %v, got %v", ov.End(0.9), v.H.P90End)
	assert.True(t, v.H.P90End.After(at(20, 35, 0)), "the estimates add up to 35m; P90 is later: %v", v.H.P90End)
	assert.True(t, at(21, 0, 0).Equal(v.H.WindowEnd), "got %v", v.H.WindowEnd)
	assert.Equal(t, "<1%", v.H.Overrun, "deterministic: the simulation is seeded")
	assert.True(t, at(20, 40, 0).Equal(v.H.DecideBy), "the window's end less the rollback of migrate and backup (20m): got %v", v.H.DecideBy)
	assert.False(t, v.H.DecisionPassed)
	assert.Equal(t, "after that a rollback (P90 20m) ends past the window", v.H.Decision)
	page := live(t, v)
	assert.Contains(t, page, "P90 end "+v.H.P90End.In(paris).Format("15:04:05")+", window ends 21:00:00 (&lt;1% chance to overrun)")
	assert.Contains(t, page, "<span>Decide by</span><b>20:40:00</b><small>after that a rollback (P90 20m) ends past the window</small>")

	v, _ = s.view(at(20, 45, 0))
	assert.True(t, v.H.DecisionPassed)
	assert.Equal(t, "passed: a rollback (P90 20m) decided now ends past the window", v.H.Decision)
	assert.Contains(t, live(t, v), `<div class="card late"><span>Decide by</span><b>20:40:00</b>`)

	*clock = at(20, 45, 0)
	require.NoError(t, r.Cutover().End("migrate", "olga", timeline.Done))
	require.NoError(t, r.Cutover().Start("switch", "olga"))
	rm.add(p.Record()[rm.count:])
	v, _ = s.view(at(20, 46, 0))
	require.Empty(t, v.Err)
	assert.Equal(t, "switch", v.H.NoReturn)
	assert.True(t, v.H.DecideBy.IsZero())
	page = live(t, v)
	assert.Contains(t, page, "<span>Point of no return</span><b>passed</b><small>past switch: no rollback, the only way is forward</small>")
	assert.NotContains(t, page, "Decide by")
}

// live renders the live part of the page of v.
func live(t *testing.T, v view) string {
	t.Helper()
	var b strings.Builder
	require.NoError(t, renderLive(&b, v))
	return b.String()
}

// BenchmarkHeadlineOfAMepCutover measures the view of a running mep
// cutover with its risk: the drift, the decision point's rollback
// simulation (each view) and the cached overrun simulation.
func BenchmarkHeadlineOfAMepCutover(b *testing.B) {
	p, r, clock := riskProject(b)
	require.NoError(b, r.Cutover().Start("backup", "olga"))
	*clock = at(20, 12, 0)
	require.NoError(b, r.Cutover().End("backup", "olga", timeline.Done))
	require.NoError(b, r.Cutover().Start("migrate", "olga"))
	now := func() time.Time { return at(20, 20, 0) }
	rm := newRoom(nil, now)
	rm.add(p.Record())
	s := &server{room: rm, now: now, loc: paris}
	b.ReportAllocs()
	for b.Loop() {
		if v, _ := s.view(now()); v.H.DecideBy.IsZero() {
			b.Fatal("no decision point")
		}
	}
}
