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

// conflictsRollout returns a rollout at T0 with every GO and readiness
// given, its policies those of file and code.
func conflictsRollout(t *testing.T, env string, code policy.Set, file string) *golive {
	t.Helper()
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	opsReady(t, g.p, g.c.now())
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{Environment: env, Policies: code, PolicyFile: []byte(file)})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	g.c.set(g.r.T0())
	return g
}

func busySchedule() policy.Policy {
	return policy.Func("schedule", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Deny, Reason: "conflicts with payments/v7 on database:billing"}
	})
}

// TestConflictsFileEntryScopedElsewhere: a file's conflicts entry scoped
// to another environment does not take away the check the program
// gives in code for this one.
func TestConflictsFileEntryScopedElsewhere(t *testing.T) {
	const file = eveningsFile + "  - kind: conflicts\n    scope: {environments: [staging]}\n"
	g := conflictsRollout(t, "production", policy.Set{&policy.Conflicts{Against: busySchedule()}}, file)
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict, "the code's check applies in production: %s", reasons(d))
	assert.Contains(t, reasons(d), "payments/v7")
}

// TestConflictsMandatoryInCodeStaysMandatory: a check given in code as
// mandatory is not lifted by a break-glass override because the file
// asks for the check without mandatory.
func TestConflictsMandatoryInCodeStaysMandatory(t *testing.T) {
	const file = eveningsFile + "  - kind: conflicts\n"
	g := conflictsRollout(t, "", policy.Set{policy.Mandatory(&policy.Conflicts{Against: busySchedule()})}, file)
	require.NoError(t, g.r.GoNoGo().Override("Otto", "a legal deadline"))
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict, "a mandatory conflict is not overridden: %s", reasons(d))
}

// TestConflictsMandatoryDenialNotTurnedIntoWarning: a file entry that
// only warns, even marked mandatory, does not take the place of a
// mandatory check given in code that denies: the program's denial
// stands. A check in code that is not mandatory takes the file's warn
// (TestPolicyFileAsksForConflicts).
func TestConflictsMandatoryDenialNotTurnedIntoWarning(t *testing.T) {
	for _, entry := range []string{
		"  - kind: conflicts\n    warn: true\n",
		"  - kind: conflicts\n    warn: true\n    mandatory: true\n",
	} {
		g := conflictsRollout(t, "", policy.Set{policy.Mandatory(&policy.Conflicts{Against: busySchedule()})}, eveningsFile+entry)
		d := g.r.GoNoGo().Evaluate(bg, g.c.now())
		assert.Equal(t, mep.NoGo, d.Verdict, "%q: the program's denial stands: %s", entry, reasons(d))
		assert.Contains(t, reasons(d), "payments/v7")
	}
}

// TestConflictsCodePlaceholderNotFilled: a policy.Conflicts given in
// code without a check keeps none: only the file's entries take the
// check of another, and the caller's policy is not changed, so that it
// still denies once given alone.
func TestConflictsCodePlaceholderNotFilled(t *testing.T) {
	const file = eveningsFile + "  - kind: conflicts\n"
	allow := &policy.Conflicts{Against: policy.Func("schedule", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{}
	})}
	placeholder := &policy.Conflicts{}
	g := conflictsRollout(t, "", policy.Set{allow, placeholder}, file)
	gn := g.r.GoNoGo()
	d := gn.Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict, "the code's own placeholder still asks for a check: %s", reasons(d))
	assert.Nil(t, placeholder.Against, "the caller's policy is not changed")

	require.NoError(t, gn.SetPolicies(policy.Set{placeholder}, []byte(file), "Otto", "no schedule at hand"))
	d = gn.Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict, "no earlier check lingers: %s", reasons(d))
	assert.Contains(t, reasons(d), "no schedule of the other changes was given")
}

// TestConflictsFileExclusiveFailsClosed: a file's conflicts entry that
// makes environments exclusive, filled by a check given in code that
// cannot take them (no WithExclusive), denies, naming them; mep/fleet's
// check takes them (TestPolicyFileExclusiveReachesTheCheck there).
func TestConflictsFileExclusiveFailsClosed(t *testing.T) {
	allow := policy.Func("schedule", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Allow, Reason: "no other change"}
	})
	const file = eveningsFile + "  - kind: conflicts\n    exclusive: [prod]\n"
	g := conflictsRollout(t, "prod", policy.Set{&policy.Conflicts{Against: allow}}, file)
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict)
	assert.Contains(t, reasons(d), "the policy file makes prod exclusive, which the check given in code (schedule) cannot take")

	require.NoError(t, g.r.GoNoGo().SetPolicies(policy.Set{&policy.Conflicts{Against: allow}}, []byte(eveningsFile+"  - kind: conflicts\n"), "Otto", "no exclusive environment"))
	assert.Equal(t, mep.Go, g.r.GoNoGo().Evaluate(bg, g.c.now()).Verdict, "without exclusive environments the check given stands")
}
