package mep_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
)

// TestChangeCarriesTheKnownOutage: a runbook rehearsed with no outage
// step has a known outage of zero, which MaxOutage allows instead of
// warning that it is unknown.
func TestChangeCarriesTheKnownOutage(t *testing.T) {
	runbook := []mep.Step{{ID: "deploy", Title: "Deploy"}, {ID: "smoke", Title: "Smoke test", Kind: mep.TestStep}}
	g := rolloutsOnly(t, mep.RolloutOptions{Runbook: runbook, Policies: policy.Set{policy.MaxOutage(30 * time.Minute)}})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{
		Summary: rehearse(t, g.c.now().Add(-day(1)), runbook, 10, 5), Environment: "preprod", ProductionLike: true,
	}))
	goNow(t, g)
	d := g.r.GoNoGo().Decided()
	var outage *policy.Decision
	for i, pd := range d.Policy.Decisions {
		if pd.Policy == "max-outage" {
			outage = &d.Policy.Decisions[i]
		}
	}
	require.NotNil(t, outage, "%v", d.Policy.Decisions)
	assert.Equal(t, policy.Allow, outage.Verdict, outage.Reason)
	assert.NotContains(t, outage.Reason, "unknown")
}
