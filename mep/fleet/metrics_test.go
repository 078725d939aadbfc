package fleet_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// deploy runs a go-live of p at t0 by Olga: readiness the day before,
// the GO two hours before, then the steps for their minutes (stop, then
// migrate); a negative stop fails its first attempt, retried for as
// long; a negative migrate fails it and the rollback takes back
// both steps, 4 minutes each, after 3 minutes to decide.
func deploy(t *testing.T, p *mep.Project, c *clock, name string, t0 time.Time, labels map[string]string, service string, stop, migrate int) {
	t.Helper()
	c.t = t0.Add(-24 * time.Hour)
	if p.Operations().Run() == nil {
		require.NoError(t, p.Operations().Start(checklist.Operations(), c.t, "Olga"))
		for _, it := range checklist.Operations().Items {
			require.NoError(t, p.Operations().Check(it.ID, "Olga", c.t, ""))
		}
	}
	r, err := p.NewRollout(mep.RolloutOptions{Name: name, T0: t0, Runbook: runbook(30, 30), Labels: labels})
	require.NoError(t, err)
	require.NoError(t, r.Resources().Declare(mep.Service, service, "Olga", "deployed"))
	for _, it := range r.Readiness().Run().List().Items {
		require.NoError(t, r.Readiness().Check(it.ID, "Olga", c.t, ""))
	}
	c.t = t0.Add(-2 * time.Hour)
	_, err = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Olga", Verdict: mep.Go})
	require.NoError(t, err)
	c.t = t0
	d, err := r.GoNoGo().Decide(bg, c.t)
	require.NoError(t, err)
	require.Equal(t, mep.Go, d.Verdict, "%s", d)
	cut := r.Cutover()
	step := func(id string, m int) {
		require.NoError(t, cut.Start(id, "Olga"))
		out := timeline.Done
		if m < 0 {
			m, out = -m, timeline.Failed
		}
		c.t = c.t.Add(time.Duration(m) * time.Minute)
		require.NoError(t, cut.End(id, "Olga", out))
	}
	step("stop", stop)
	if stop < 0 {
		step("stop", -stop) // retried, and done
	}
	step("migrate", migrate)
	if migrate < 0 {
		c.t = c.t.Add(3 * time.Minute)
		require.NoError(t, cut.Rollback("Olga", "the migration failed"))
		step("migrate", 4)
		step("stop", 4)
	}
	_, err = cut.Finish("Olga")
	require.NoError(t, err)
}

// TestMetricsByHand: a small history of two teams, checked by hand.
//
// billing (team Ops), service billing:
//   - b1, Tue 3 March: done in 20+30 = 50 min against 60 estimated;
//   - b2, Wed 4 March: fails at migrate (30+10 min), rolled back: time to
//     restore 3 + 4 + 4 = 11 min;
//   - b3, Tue 10 March: done in 30+30 = 60 min, later fixed by b4;
//   - b4, Wed 11 March 21:00, fixes b3: done in 10+10 min, so b3's
//     recovery runs from its end (Tue 22:00) to b4's (Wed 21:20): 23h20m.
//
// crm (team CRM), service crm:
//   - c1, Tue 7 April: done in 30+60 = 90 min against 60.
func TestMetricsByHand(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(time.UTC, 2026, 3, 1, 9, 0)}
	ops := map[string]string{"team": "Ops"}
	billing := project(t, dir, "billing", c, "Olga")
	deploy(t, billing, c, "b1", at(time.UTC, 2026, 3, 3, 21, 0), ops, "billing", 20, 30)
	deploy(t, billing, c, "b2", at(time.UTC, 2026, 3, 4, 21, 0), ops, "billing", 30, -10)
	deploy(t, billing, c, "b3", at(time.UTC, 2026, 3, 10, 21, 0), ops, "billing", 30, 30)
	deploy(t, billing, c, "b4", at(time.UTC, 2026, 3, 11, 21, 0), map[string]string{"team": "Ops", "fixes": "b3"}, "billing", 10, 10)
	require.NoError(t, billing.Close())
	crm := project(t, dir, "crm", c, "Olga")
	deploy(t, crm, c, "c1", at(time.UTC, 2026, 4, 7, 21, 0), map[string]string{"team": "CRM"}, "crm", 30, 60)
	require.NoError(t, crm.Close())

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 500})
	require.NoError(t, err)
	defer s.Close()
	m := s.Snapshot().Metrics(time.UTC)

	require.Len(t, m.ByService, 2)
	b := m.ByService[0]
	assert.Equal(t, "billing", b.Name)
	assert.True(t, b.Month.Equal(at(time.UTC, 2026, 3, 1, 0, 0)))
	assert.Equal(t, 4, b.Deployments)
	assert.Equal(t, 2, b.Failed, "b2 rolled back, b3 fixed by b4")
	assert.InDelta(t, 0.5, b.ChangeFailRate, 1e-9)
	assert.Equal(t, 2, b.Recovered)
	assert.Equal(t, 11*time.Minute, b.Recovery, "the lower middle of 11m and 23h20m")
	assert.Equal(t, 1, b.Rework)
	assert.InDelta(t, 0.25, b.ReworkRate, 1e-9)
	assert.Equal(t, 3, b.Estimated, "b1, b3, b4 done")
	assert.InDelta(t, 50.0/60, b.EstimateRatio, 1e-6, "ratios 50/60, 60/60, 20/60: the median")
	assert.Equal(t, 3, b.Calibrated)

	cr := m.ByService[1]
	assert.Equal(t, "crm", cr.Name)
	assert.True(t, cr.Month.Equal(at(time.UTC, 2026, 4, 1, 0, 0)))
	assert.Equal(t, 1, cr.Deployments)
	assert.Zero(t, cr.Failed)
	assert.InDelta(t, 1.5, cr.EstimateRatio, 1e-6)
	assert.Equal(t, 1, cr.Calibrated)
	assert.Zero(t, cr.P90Calibration, "90 min is past the P90 of 60 expected minutes")

	require.Len(t, m.ByTeam, 2)
	assert.Equal(t, "CRM", m.ByTeam[0].Name)
	assert.Equal(t, "Ops", m.ByTeam[1].Name)
	require.Len(t, m.Total, 2)
	assert.Equal(t, 4, m.Total[0].Deployments)
	assert.Equal(t, 1, m.Total[1].Deployments)
}

func TestMetricsJSON(t *testing.T) {
	t0 := at(time.UTC, 2026, 3, 3, 21, 0)
	e := fleet.Entry{Project: "p", Rollout: "r", Team: "Ops", T0: t0, Status: report.RolledBack, Started: t0, Ended: t0.Add(time.Hour),
		Duration: time.Hour, Estimate: 30 * time.Minute, TimeToRestore: 90 * time.Second}
	snap := &fleet.Snapshot{Entries: []fleet.Entry{e}}
	var b bytes.Buffer
	require.NoError(t, snap.Metrics(paris).WriteJSON(&b))
	var got struct {
		Location string `json:"location"`
		Total    []struct {
			Month          string  `json:"month"`
			Deployments    int     `json:"deployments"`
			ChangeFailRate float64 `json:"change_fail_rate"`
			Recovery       float64 `json:"recovery_s"`
		} `json:"total"`
		ByService []struct {
			Name string `json:"name"`
		} `json:"by_service"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &got), b.String())
	assert.Equal(t, "Europe/Paris", got.Location)
	require.Len(t, got.Total, 1)
	assert.Equal(t, "2026-03", got.Total[0].Month)
	assert.Equal(t, 1, got.Total[0].Deployments)
	assert.InDelta(t, 1.0, got.Total[0].ChangeFailRate, 1e-9)
	assert.InDelta(t, 90.0, got.Total[0].Recovery, 1e-9)
	assert.Equal(t, "p", got.ByService[0].Name, "no service declared: the project")

	raw, err := json.Marshal(e)
	require.NoError(t, err)
	assert.Contains(t, string(raw), `"estimate_s":1800`)
	assert.Contains(t, string(raw), `"time_to_restore_s":90`)
	assert.Contains(t, string(raw), `"status":"rolled-back"`)
}

// An estimate of a few nanoseconds (a runbook's Expected: 5, read as
// 5ns) against a cutover of hours gives a huge ratio, never a negative
// one from an overflow.
func TestMetricsEstimateRatioOfATinyEstimate(t *testing.T) {
	t0 := at(paris, 2026, 3, 10, 21, 0)
	e := fleet.Entry{Project: "a", Rollout: "r", Team: "a", Status: report.Done, T0: t0, Started: t0,
		Ended: t0.Add(3 * time.Hour), Duration: 3 * time.Hour, Estimate: 1}
	f := (&fleet.Snapshot{Entries: []fleet.Entry{e}}).Metrics(paris).Total[0].Figures
	assert.Equal(t, 1, f.Estimated)
	assert.Equal(t, float64(3*time.Hour), f.EstimateRatio)
}
