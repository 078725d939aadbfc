package mep_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
)

// undecidedWith returns a project in a file whose rollout has the policy
// q besides the method's, ready but without a vote: a decision now is
// not a GO, so that only the policies' answers carry what q says.
func undecidedWith(t *testing.T, q policy.Policy) (*golive, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{q}})
	g.rehearsed()
	g.ready(g.c.now())
	g.c.set(g.r.T0().Add(-time.Hour))
	return g, path
}

// A policy's name or reason that is not valid UTF-8 would be written as
// U+FFFD in the decision's record of the policies' answers, and the
// decision read back would not be the one taken: Decide refuses it, with
// the field, and records nothing, as it does when the same text is one of
// the decision's reasons.
func TestDecisionPoliciesInvalidUTF8(t *testing.T) {
	for name, pd := range map[string]policy.Decision{
		"reason": {Verdict: policy.Allow, Reason: "caf\xe9"},
		"name":   {Policy: "caf\xe9", Verdict: policy.Allow},
	} {
		t.Run(name, func(t *testing.T) {
			g, _ := undecidedWith(t, policy.Func("custom", func(context.Context, policy.Change) policy.Decision { return pd }))
			before := len(g.p.Record())
			_, err := g.r.GoNoGo().Decide(bg, g.c.now())
			assert.Equal(t, "decision.policies", fieldErr(t, err).Field)
			assert.Len(t, g.p.Record(), before, "nothing appended")
			assert.Equal(t, mep.Undecided, g.r.GoNoGo().Decided().Verdict)
		})
	}
}

// Valid text that JSON escapes (NUL, control characters, U+2028, HTML
// characters) in a policy's answer reads back as it was decided.
func TestDecisionPoliciesEscapedTextReadsBack(t *testing.T) {
	odd := "a\x00b\u2028<&>\t\"\\é"
	g, path := undecidedWith(t, policy.Func("custom "+odd, func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Allow, Reason: odd}
	}))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	require.NotEqual(t, mep.Go, d.Verdict)
	require.NoError(t, g.p.Close())
	p, err := mep.OpenFile(path, nil)
	require.NoError(t, err)
	defer p.Close()
	r, ok := p.Rollout("go-live")
	require.True(t, ok)
	back := r.GoNoGo().Decided()
	assert.Equal(t, d.Policy.Decisions, back.Policy.Decisions)
	assert.Equal(t, d.Reasons, back.Reasons)
}

// The record keeps the names of the policies given in code, which a
// program attaches again once it reopens the record. A name that is not
// valid UTF-8 would be kept as another (U+FFFD for each invalid byte),
// and the rollout could never have its policies again: NewRollout and
// SetPolicies refuse it, naming the policy's index, and record nothing.
func TestPolicyNamesInvalidUTF8(t *testing.T) {
	odd := policy.Func("caf\xe9", func(context.Context, policy.Change) policy.Decision { return policy.Decision{} })
	g := rolloutsOnlyFile(t, filepath.Join(t.TempDir(), "p.jsonl"), false)
	before := len(g.p.Record())
	_, err := g.p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: g.t0, Runbook: goliveRunbook(), Readiness: goliveReadiness(),
		Policies: policy.Set{policy.FridayFreeze(paris), odd}})
	assert.Equal(t, "rollout.policies[1]", fieldErr(t, err).Field)
	assert.Len(t, g.p.Record(), before, "nothing appended")

	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	before = len(g.p.Record())
	err = g.r.GoNoGo().SetPolicies(policy.Set{odd}, nil, "Otto", "a check of our own")
	assert.Equal(t, "policies[0]", fieldErr(t, err).Field)
	assert.Len(t, g.p.Record(), before, "nothing appended")
}
