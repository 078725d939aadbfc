package main

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

func TestHeadlineOfAMepRecord(t *testing.T) {
	clock := at(18, 0, 0)
	now := func() time.Time { return clock }
	p := olgaProject(t, now)
	r, err := p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: at(20, 0, 0),
		Runbook: []mep.Step{
			{ID: "backup", Impact: timeline.Disruption, Expected: 10 * time.Minute},
			{ID: "migrate", Impact: timeline.Outage, Expected: 20 * time.Minute},
		},
		Readiness: checklist.List{Name: "ready", Items: []checklist.Item{
			{ID: "b", Title: "Backups", Deadline: -time.Hour, Purpose: checklist.ConfigBackup},
			{ID: "h", Title: "Hardware", Deadline: -time.Hour, Purpose: checklist.HardwareVerified},
		}}})
	require.NoError(t, err)
	require.NoError(t, r.Readiness().Check("b", "olga", clock, ""))
	require.NoError(t, r.Readiness().Check("h", "olga", clock, ""))
	clock = at(19, 30, 0)
	_, err = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go})
	require.NoError(t, err)
	d, err := r.GoNoGo().Decide(context.Background(), clock)
	require.NoError(t, err)
	require.Equal(t, mep.Go, d.Verdict, "%v", d.Reasons)
	clock = at(20, 0, 0)
	require.NoError(t, r.Cutover().Start("backup", "olga"))
	clock = at(20, 15, 0) // 5 min late
	require.NoError(t, r.Cutover().End("backup", "olga", timeline.Done))
	require.NoError(t, r.Cutover().Start("migrate", "olga"))

	at2025 := func() time.Time { return at(20, 25, 0) }
	rm := newRoom(nil, at2025)
	rm.add(p.Record())
	s := &server{room: rm, now: at2025}
	v, _ := s.view(at2025())
	assert.Empty(t, v.Err)
	assert.Equal(t, "GO", v.H.Verdict)
	assert.Equal(t, "olga", v.H.GoBy)
	assert.True(t, v.H.T0.Equal(at(20, 0, 0)))
	assert.Equal(t, []string{"migrate"}, v.H.Running)
	assert.Equal(t, 1, v.H.Done)
	assert.Equal(t, 2, v.H.Planned)
	assert.Equal(t, 5*time.Minute, v.H.Drift, "mep's delay: backup took 15 min of 10")
	assert.True(t, v.H.ExpectedEnd.Equal(at(20, 35, 0)), "got %v", v.H.ExpectedEnd)
	assert.Equal(t, 10*time.Minute, v.H.Outage, "migrate has run 10 min")
	assert.Equal(t, 15*time.Minute, v.H.Disruption)
	require.Len(t, v.Rows, 2)
	assert.Equal(t, "backup", v.Rows[0].Name)

	s.rollout = "nope"
	v, _ = s.view(at2025())
	assert.Contains(t, v.Err, "no rollout nope")
}
