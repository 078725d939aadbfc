package mep_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// goRollout returns a rollout of a rollouts-only project with a GO at T0,
// its clock at T0.
func goRollout(t *testing.T, runbook []mep.Step) (*mep.Rollout, *clock) {
	t.Helper()
	c := newClock(utc(2026, 11, 10, 9, 0)) // a Tuesday
	p, err := mep.New("billing v2", &mep.Options{Now: c.now, RolloutsOnly: true})
	require.NoError(t, err)
	staff(t, p)
	r, err := p.NewRollout(mep.RolloutOptions{Name: "r1", T0: utc(2026, 11, 10, 20, 0), Runbook: runbook,
		Readiness: checklist.List{Name: "ready", Items: []checklist.Item{{ID: "ok", Title: "ok"}}}})
	require.NoError(t, err)
	require.NoError(t, r.Check("ok", "Otto", time.Time{}, ""))
	c.add(time.Minute)
	_, err = r.Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go})
	require.NoError(t, err)
	c.set(r.T0())
	d, err := r.Decide(context.Background(), c.now())
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
	require.NoError(t, r.StartStep("stop", "Bea"))
	c.add(15 * time.Minute)
	require.NoError(t, r.EndStep("stop", "Bea", timeline.Done))
	require.NoError(t, r.StartStep("migrate", "Bea"))
	c.add(50 * time.Minute)

	d := r.Drift(c.now())
	assert.Equal(t, 65*time.Minute, d.Outage)
	assert.True(t, d.Ongoing)
	assert.Contains(t, d.String(), "users cut off for 1h5m so far (ongoing)")

	rep := r.Report(c.now())
	assert.Equal(t, 65*time.Minute, rep.Actual.Outage)
	assert.True(t, rep.Actual.Ongoing)

	require.NoError(t, r.EndStep("migrate", "Bea", timeline.Done))
	d = r.Drift(c.now())
	assert.Equal(t, 65*time.Minute, d.Outage)
	assert.False(t, d.Ongoing)
	assert.NotContains(t, d.String(), "so far")
}
