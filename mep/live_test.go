package mep_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// goRollout returns a rollout of a rollouts-only project with a GO at T0,
// its clock at T0.
func goRollout(t *testing.T, runbook []mep.Step, rehearsals ...timeline.Summary) (*mep.Rollout, *clock) {
	t.Helper()
	c := newClock(utc(2026, 11, 10, 9, 0)) // a Tuesday
	p, err := mep.New("billing v2", &mep.Options{Now: c.now, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	require.NoError(t, err)
	staff(t, p)
	opsReady(t, p, c.now())
	r, err := p.NewRollout(mep.RolloutOptions{Name: "r1", T0: utc(2026, 11, 10, 20, 0), Runbook: runbook, Readiness: okReadiness()})
	require.NoError(t, err)
	for _, rh := range rehearsals {
		require.NoError(t, r.AddRehearsal(mep.RehearsalRun{Summary: rh, Environment: "staging"}))
	}
	checkReady(t, r, "Otto", time.Time{})
	c.add(time.Minute)
	_, err = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go})
	require.NoError(t, err)
	c.set(r.T0())
	d, err := r.GoNoGo().Decide(context.Background(), c.now())
	require.NoError(t, err)
	require.True(t, d.IsGo(), d.String())
	return r, c
}

// During an outage step, the drift and the live report count the outage
// so far, up to their instant, and mark it ongoing (issue: "Outage
// 15m00s" while users had been cut off for 65 minutes).
func TestLiveOutageCountsOpenSteps(t *testing.T) {
	r, c := goRollout(t, []mep.Step{
		{ID: "stop", Impact: timeline.Outage, Expected: 15 * time.Minute},
		{ID: "migrate", Impact: timeline.Outage, Expected: 20 * time.Minute},
		{ID: "check", Expected: 5 * time.Minute},
	})
	require.NoError(t, r.Cutover().Start("stop", "Bea"))
	c.add(15 * time.Minute)
	require.NoError(t, r.Cutover().End("stop", "Bea", timeline.Done))
	require.NoError(t, r.Cutover().Start("migrate", "Bea"))
	c.add(50 * time.Minute)

	d := r.Cutover().Drift(c.now())
	assert.Equal(t, 65*time.Minute, d.Outage)
	assert.True(t, d.Ongoing)
	assert.Contains(t, d.String(), "users cut off for 1h5m so far (ongoing)")

	rep := r.Report(c.now())
	assert.Equal(t, 65*time.Minute, rep.Actual.Outage)
	assert.True(t, rep.Actual.Ongoing)

	require.NoError(t, r.Cutover().End("migrate", "Bea", timeline.Done))
	d = r.Cutover().Drift(c.now())
	assert.Equal(t, 65*time.Minute, d.Outage)
	assert.False(t, d.Ongoing)
	assert.NotContains(t, d.String(), "so far")
}

// run returns the summary of a rehearsal of the runbook stop (an outage),
// then check.
func run(t *testing.T, start time.Time, stop, check time.Duration) timeline.Summary {
	t.Helper()
	c := newClock(start)
	j := timeline.New(&timeline.Options{Now: c.now})
	for _, s := range []struct {
		id     string
		d      time.Duration
		impact timeline.Impact
	}{{"stop", stop, timeline.Outage}, {"check", check, timeline.NoImpact}} {
		_, err := j.Start(s.id, "Bea", s.impact)
		require.NoError(t, err)
		c.add(s.d)
		_, err = j.End(s.id, "Bea", timeline.Done)
		require.NoError(t, err)
	}
	return timeline.Summarize(j.Entries())
}

// Without a production-like rehearsal, the expected outage is the median
// rehearsal's, the run every view compares the cutover with: one number in
// the estimate, the debrief, the comparison and the report.
func TestOneExpectedOutage(t *testing.T) {
	first := utc(2026, 10, 1, 20, 0)
	r, c := goRollout(t, []mep.Step{{ID: "stop", Impact: timeline.Outage}, {ID: "check"}},
		run(t, first, 18*time.Minute, 2*time.Minute),              // 20m, outage 18m
		run(t, first.Add(day(1)), 5*time.Minute, 17*time.Minute),  // 22m, outage 5m: the median run
		run(t, first.Add(day(2)), 10*time.Minute, 50*time.Minute)) // 60m, outage 10m
	est := r.Estimate()
	assert.Equal(t, 5*time.Minute, est.Outage)
	assert.NotEmpty(t, est.Warning, "no production-like rehearsal: the estimate says so")

	require.NoError(t, r.Cutover().Start("stop", "Bea"))
	c.add(7 * time.Minute)
	require.NoError(t, r.Cutover().End("stop", "Bea", timeline.Done))
	deb := r.Debrief()
	require.NotNil(t, deb.Baseline)
	assert.Equal(t, est.Outage, deb.Baseline.Outage)
	assert.Equal(t, est.Outage, deb.Outage.Baseline)
	require.NotNil(t, deb.Comparison)
	assert.Equal(t, est.Outage, deb.Comparison.Outage.Baseline)
	rep := r.Report(c.now())
	assert.Equal(t, est.Outage, rep.Estimate.Outage)
}

// A project that runs rollouts only has no phase in its report.
func TestRolloutsOnlyReportHasNoPhases(t *testing.T) {
	r, c := goRollout(t, []mep.Step{{ID: "a", Expected: time.Minute}})
	rep := r.Report(c.now())
	assert.Empty(t, rep.Phase)
	assert.Empty(t, rep.Phases)
	var md strings.Builder
	require.NoError(t, rep.WriteMarkdown(&md))
	assert.NotContains(t, strings.ToLower(md.String()), "phase")
}

// A rehearsal runs the rollout's runbook: one of another runbook is
// refused, and the estimate does not change.
func TestRehearsalOfAnotherRunbookRefused(t *testing.T) {
	r, _ := goRollout(t, []mep.Step{{ID: "switch-dns", Expected: time.Minute}})
	before := r.Estimate()
	err := r.AddRehearsal(mep.RehearsalRun{Summary: run(t, utc(2026, 10, 1, 20, 0), time.Minute, time.Minute)})
	require.ErrorIs(t, err, mep.ErrInvalid)
	assert.ErrorContains(t, err, "stop, check")
	assert.Equal(t, before, r.Estimate())
	assert.Empty(t, r.Rehearsals())
}
