package fleet_test

import (
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/policy"
)

// TestDecisionRecordsTheConflicts: payments/v7 shares the billing
// database with billing/v3 and the core network with network/v2 the same
// evening. Its go/no-go, with the schedule's policy attached, is a No-Go
// whose recorded policy decision names both other rollouts, and the
// record keeps it: reopened, the decision says the same. The other side,
// billing/v3, with the policy attached, names payments/v7.
func TestDecisionRecordsTheConflicts(t *testing.T) {
	dir, c := billingStore(t, "Ops-2")
	network := project(t, dir, "network", c, "Ines")
	rollout(t, network, "v2", "Net", "prod", at(paris, 2026, 3, 10, 22, 0), runbook(20, 40), "network:core")
	require.NoError(t, network.Close())
	pay := project(t, dir, "payments", c, "Max")
	r := rollout(t, pay, "v7", "Pay", "prod", at(paris, 2026, 3, 10, 21, 30), runbook(30, 60), "database:billing", "network:core")

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 500})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.NoError(t, r.GoNoGo().SetPolicies(policy.Set{snap.Policy("payments", "v7", fleet.Rules{}, policy.Deny)}, nil,
		"Max", "the schedule's conflicts across teams"))

	d, err := r.GoNoGo().Decide(bg, c.now())
	require.NoError(t, err)
	assert.Equal(t, mep.NoGo, d.Verdict)
	seen := conflictDecision(t, d)
	assert.Contains(t, seen.Reason, "conflicts with billing/v3 (team Ops-2) on database:billing")
	assert.Contains(t, seen.Reason, "conflicts with network/v2 (team Net) on network:core")
	var reason string
	for _, rs := range d.Reasons {
		if rs.Source == fleet.PolicyName {
			reason = rs.Text
		}
	}
	assert.Contains(t, reason, "billing/v3", "the decision's reasons carry the conflicts")
	assert.Contains(t, reason, "network/v2")
	require.NoError(t, pay.Close())

	// The record keeps what the decision saw, although the policy, given
	// in code, is not attached again when the record is reopened.
	again, err := mep.OpenFile(filepath.Join(dir, "payments"), &mep.Options{Now: c.now, NoSync: true})
	require.NoError(t, err)
	defer again.Close()
	r2, ok := again.Rollout("v7")
	require.True(t, ok)
	kept := r2.GoNoGo().Decided()
	assert.Equal(t, mep.NoGo, kept.Verdict)
	assert.Equal(t, seen.Reason, conflictDecision(t, kept).Reason)
	assert.True(t, seen.Next.Equal(conflictDecision(t, kept).Next))

	// Attached again, as the package's doc says, the next decision sees
	// the conflicts again.
	r2, err = again.NewRollout(mep.RolloutOptions{Name: "v7", T0: at(paris, 2026, 3, 10, 21, 30), Runbook: runbook(30, 60),
		Environment: "prod", Policies: policy.Set{snap.Policy("payments", "v7", fleet.Rules{}, policy.Deny)}})
	require.NoError(t, err)
	d, err = r2.GoNoGo().Decide(bg, c.now())
	require.NoError(t, err)
	assert.Equal(t, seen.Reason, conflictDecision(t, d).Reason)
	assert.Equal(t, mep.NoGo, d.Verdict)

	// The other side: billing/v3's decision names payments/v7.
	b, err := mep.OpenFile(filepath.Join(dir, "billing"), &mep.Options{Now: c.now, NoSync: true})
	require.NoError(t, err)
	defer b.Close()
	v3, err := b.NewRollout(mep.RolloutOptions{Name: "v3", T0: at(paris, 2026, 3, 10, 21, 0), Runbook: runbook(30, 60),
		Environment: "prod"})
	require.NoError(t, err)
	require.NoError(t, v3.GoNoGo().SetPolicies(policy.Set{snap.Policy("billing", "v3", fleet.Rules{}, policy.Deny)}, nil,
		"Olga", "the schedule's conflicts across teams"))
	d, err = v3.GoNoGo().Decide(bg, c.now())
	require.NoError(t, err)
	v7, ok := snap.Find("payments", "v7")
	require.True(t, ok)
	assert.Equal(t, "conflicts with payments/v7 (team Pay) on database:billing, Tue 10 Mar 21:30-"+
		v7.P90.In(paris).Format("15:04")+" CET", conflictDecision(t, d).Reason)
}

// conflictDecision returns the schedule policy's decision in d.
func conflictDecision(t *testing.T, d mep.Decision) policy.Decision {
	t.Helper()
	for _, pd := range d.Policy.Decisions {
		if pd.Policy == fleet.PolicyName {
			assert.Equal(t, policy.Deny, pd.Verdict)
			assert.False(t, pd.Next.IsZero(), "a later start is offered")
			return pd
		}
	}
	require.Fail(t, "no decision of the schedule's policy", "%+v", d.Policy.Decisions)
	return policy.Decision{}
}
