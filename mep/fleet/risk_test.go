package fleet_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/policy"
)

// riskHistory is billing's v4, planned on 10 March, and what came before
// on the billing database.
func riskHistory() (*fleet.Snapshot, time.Time) {
	now := at(time.UTC, 2026, 3, 9, 12, 0)
	db := []mep.Resource{{Kind: mep.Database, Name: "billing"}}
	ended := func(project, name, team string, daysAgo int, st report.Outcome) fleet.Entry {
		t := now.AddDate(0, 0, -daysAgo)
		return fleet.Entry{Project: project, Rollout: name, Team: team, T0: t, Started: t, Ended: t.Add(time.Hour), Status: st, Resources: db}
	}
	v4 := fleet.Entry{Project: "billing", Rollout: "v4", Team: "Ops", T0: now.Add(33 * time.Hour), Resources: db,
		Outage: time.Hour, Steps: 20, PastWindow: 0.1}
	return &fleet.Snapshot{Entries: []fleet.Entry{
		ended("billing", "v0", "Ops", 200, report.Failed), // outside the 90 days
		ended("billing", "v1", "Ops", 30, report.Done),
		ended("billing", "v2", "Ops", 20, report.RolledBack),
		ended("crm", "c1", "CRM", 10, report.Done),
		v4,
	}}, now
}

func TestRiskByHand(t *testing.T) {
	snap, now := riskHistory()
	r, err := snap.Risk("billing", "v4", now, 0)
	require.NoError(t, err)
	// 0.35×1/3 + 0.2×0.1 + 0.15×1/2 (one earlier deployment done by Ops)
	// + 0.15×1h/4h + 0.15×20/40 = 0.324
	assert.InDelta(t, 0.324, r.Score, 1e-9)
	assert.Equal(t, "medium", r.Level)
	require.Len(t, r.Inputs, 5)
	assert.Equal(t, "33% (1 of 3 changes to database:billing in 90 days)", r.Inputs[0].Text)
	assert.Equal(t, "1 earlier deployments of billing by Ops", r.Inputs[2].Text)

	_, err = snap.Risk("billing", "nope", now, 0)
	assert.Error(t, err)

	d := snap.RiskPolicy("billing", "v4", 0, 0).Evaluate(bg, policy.Change{Name: "v4", Start: now.Add(33 * time.Hour), Now: now})
	assert.Equal(t, policy.Warn, d.Verdict)
	assert.Contains(t, d.Reason, "risk 0.32 (medium): resources' change fail rate 33% (1 of 3 changes")
}

func TestRiskPolicyHighNeedsMoreGOs(t *testing.T) {
	snap, now := riskHistory()
	v4 := &snap.Entries[4]
	v4.PastWindow, v4.Outage, v4.Steps = 0.9, 4*time.Hour, 40
	r, err := snap.Risk("billing", "v4", now, 0)
	require.NoError(t, err)
	assert.Equal(t, "high", r.Level, "%s", r)

	p := snap.RiskPolicy("billing", "v4", 0, 2)
	c := policy.Change{Name: "v4", Start: v4.T0, Now: now, Approvals: []policy.Approval{{Role: "operations", By: "Olga", Go: true}}}
	d := p.Evaluate(bg, c)
	assert.Equal(t, policy.Deny, d.Verdict)
	assert.Contains(t, d.Reason, "a high risk needs 2 GOs, 1 given")
	c.Approvals = append(c.Approvals, policy.Approval{Role: "operations", By: "Max", Go: true})
	assert.Equal(t, policy.Warn, p.Evaluate(bg, c).Verdict)

	// Without history on its resources the rate counts as one half.
	r, err = (&fleet.Snapshot{Entries: []fleet.Entry{*v4}}).Risk("billing", "v4", now, 0)
	require.NoError(t, err)
	assert.Equal(t, 0.5, r.Inputs[0].Factor)
	assert.Equal(t, "unknown: no change to database:billing in 90 days", r.Inputs[0].Text)
}

// A copy of a high-risk rollout in another record, declaring nothing and
// sorting first, does not lower its risk: the rollout is ambiguous, and
// its risk policy denies, naming the records.
func TestRiskOfARolloutTwoRecordsHold(t *testing.T) {
	snap, now := riskHistory()
	v4 := &snap.Entries[4]
	v4.Record, v4.PastWindow, v4.Outage, v4.Steps = "billing", 0.9, 4*time.Hour, 40
	cp := fleet.Entry{Record: "aaa", Project: "billing", Rollout: "v4", Team: "Ops", T0: v4.T0.Add(-time.Hour)}
	snap.Entries = append([]fleet.Entry{cp}, snap.Entries...)
	_, err := snap.Risk("billing", "v4", now, 0)
	assert.ErrorContains(t, err, "billing/v4 is in 2 records of the store (aaa, billing)")
	c := policy.Change{Name: "v4", Start: v4.T0, Now: now, Approvals: []policy.Approval{{Role: "operations", By: "Olga", Go: true}}}
	d := snap.RiskPolicy("billing", "v4", 0, 2).Evaluate(bg, c)
	assert.Equal(t, policy.Deny, d.Verdict, d.Reason)
}
