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

const eveningsFile = `
zone: Europe/Paris
policies:
  - kind: windows
    spec: Mon-Thu 20:00-23:30
`

// TestPolicyFileIsRecorded: a rollout's policy file is in the record;
// OpenFile(path) alone checks its policies, and the report's window end
// is the same before and after.
func TestPolicyFileIsRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}, PolicyFile: []byte(eveningsFile)})
	before := g.r.Report(g.c.now()).WindowEnd
	require.False(t, before.IsZero())
	assert.True(t, g.t0.Truncate(time.Hour).Add(3*time.Hour+30*time.Minute).Equal(before), "window end %v", before)
	require.NoError(t, g.p.Close())

	p, err := mep.OpenFile(path, nil)
	require.NoError(t, err)
	defer p.Close()
	r, ok := p.Rollout("go-live")
	require.True(t, ok)
	assert.True(t, before.Equal(r.Report(g.c.now()).WindowEnd), "the same window end after reopening")
	require.NoError(t, r.Reschedule(g.t0.Add(-2*time.Hour), "Otto", "earlier"))
	d := r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Contains(t, reasons(d), "windows", "the file's policies are checked with nothing re-supplied")

	_, err = p.NewRollout(mep.RolloutOptions{Name: "bad", T0: g.t0, Runbook: goliveRunbook(), PolicyFile: []byte("policies:\n  - kind: nope\n")})
	fe := fieldErr(t, err)
	assert.Equal(t, "rollout.policy_file", fe.Field)
	assert.Contains(t, fe.Reason, "line 2")
}

// TestCodePoliciesFailClosedUntilAttached: policies given in code are
// named in the record; a reopened rollout decides No-Go until the program
// attaches them again, and attaching others is refused.
func TestCodePoliciesFailClosedUntilAttached(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	opsReady(t, g.p, g.c.now())
	g.c.set(g.t0.Add(-day(1)))
	nag := policy.Func("cab", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Allow, Reason: "the change advisory board agreed"}
	})
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{nag}})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	goNow(t, g)
	require.NoError(t, g.p.Close())

	p, err := mep.OpenFile(path, &mep.Options{Now: g.c.now})
	require.NoError(t, err)
	defer p.Close()
	r, ok := p.Rollout("go-live")
	require.True(t, ok)
	d := r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict)
	assert.Contains(t, reasons(d), "cab, given in code, are not attached")

	o := g.ro
	o.Policies = policy.Set{policy.FridayFreeze(paris)}
	_, err = p.NewRollout(o)
	assert.Equal(t, "rollout.policies", fieldErr(t, err).Field)
	o.Policies = policy.Set{nag}
	r, err = p.NewRollout(o)
	require.NoError(t, err)
	assert.Equal(t, mep.Go, r.GoNoGo().Evaluate(bg, g.c.now()).Verdict)
}

// TestSetPoliciesIsRecordedWithWhoAndWhy: a change of a rollout's
// policies is a fact with who and why, replayed as it was.
func TestSetPoliciesIsRecordedWithWhoAndWhy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	gn := g.r.GoNoGo()
	n := len(g.p.Record())
	assert.Equal(t, "policies.reason", fieldErr(t, gn.SetPolicies(nil, []byte(eveningsFile), "Otto", "")).Field)
	fieldErr(t, gn.SetPolicies(nil, []byte(eveningsFile), "Bea", "not operations"))
	assert.Equal(t, "rollout.policy_file", fieldErr(t, gn.SetPolicies(nil, []byte("zone: Mars/Base\n"), "Otto", "x")).Field)
	assert.Len(t, g.p.Record(), n, "refused changes append nothing")

	require.NoError(t, gn.SetPolicies(nil, []byte(eveningsFile), "Otto", "evenings only, by the client's request"))
	last := g.p.Record()[len(g.p.Record())-1]
	assert.Equal(t, "Otto", last.Actor)
	assert.Equal(t, "evenings only, by the client's request", last.Text)
	require.NoError(t, g.r.Reschedule(g.t0.Add(-2*time.Hour), "Otto", "earlier"))
	assert.Contains(t, reasons(gn.Evaluate(bg, g.c.now())), "windows")
	require.NoError(t, g.p.Close())

	p, err := mep.OpenFile(path, nil)
	require.NoError(t, err)
	defer p.Close()
	r, _ := p.Rollout("go-live")
	assert.Contains(t, reasons(r.GoNoGo().Evaluate(bg, g.c.now())), "windows", "replayed")
}

// TestDecidedIsWhatDecideReturned: the decision read back from the
// record, reopened, is the one Decide returned: its reasons and the
// late and failed items, votes and stale votes behind them.
func TestDecidedIsWhatDecideReturned(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	opsReady(t, g.p, g.c.now())
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	g.vote("Otto", mep.Go) // before readiness: stale
	g.c.set(g.t0.Add(-30 * time.Minute))
	require.NoError(t, g.r.Readiness().Check("config-backup", "Otto", time.Time{}, "")) // late
	require.NoError(t, g.r.Readiness().Fail("new-hardware-verified", "Otto", time.Time{}, "a disk is missing"))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	require.Equal(t, mep.NoGo, d.Verdict)
	require.NotEmpty(t, d.Late)
	require.NotEmpty(t, d.Failed)
	require.NotEmpty(t, d.Stale)
	require.NoError(t, g.p.Close())

	p, err := mep.OpenFile(path, nil)
	require.NoError(t, err)
	defer p.Close()
	r, _ := p.Rollout("go-live")
	got := r.GoNoGo().Decided()
	assert.Equal(t, d.Reasons, got.Reasons)
	assert.Equal(t, d.Warnings, got.Warnings)
	assert.Equal(t, d.Late, got.Late)
	assert.Equal(t, d.Failed, got.Failed)
	require.Len(t, got.Stale, len(d.Stale))
	for i := range d.Stale {
		assert.Equal(t, d.Stale[i].Stale, got.Stale[i].Stale)
		assert.True(t, d.Stale[i].At.Equal(got.Stale[i].At))
		assert.Equal(t, d.Stale[i].By, got.Stale[i].By)
	}
	assert.Equal(t, len(d.Votes), len(got.Votes))
	assert.Equal(t, d.Pending, got.Pending)
	assert.Equal(t, d.Estimate, got.Estimate)
}

// TestSetOptionsIsRecordedWithWhoAndWhy: a change of the project's
// options is a fact with who and why; the decisions that follow, and a
// reopened record, use the new options.
func TestSetOptionsIsRecordedWithWhoAndWhy(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, &mep.Options{Country: "DE", RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	assert.Contains(t, policyNames(g.r.GoNoGo().Evaluate(bg, g.c.now())), "holidays-DE")
	n := len(g.p.Record())
	for _, tt := range []struct {
		o          mep.Options
		by, reason string
		field      string
	}{
		{mep.Options{Country: "FR"}, "Sam", "", "options.reason"},
		{mep.Options{Country: "FR"}, "Nobody", "x", "options.by"},
		{mep.Options{Country: "XX"}, "Sam", "x", "options.country"},
		{mep.Options{ReadinessLead: time.Minute}, "Sam", "x", "options.readiness_lead"},
		{mep.Options{Location: newYork}, "Sam", "x", "options.location"},
	} {
		assert.Equal(t, tt.field, fieldErr(t, g.p.SetOptions(tt.o, tt.by, tt.reason)).Field)
	}
	assert.Len(t, g.p.Record(), n, "refused changes append nothing")

	require.NoError(t, g.p.SetOptions(mep.Options{Country: "FR", ReadinessLead: 2 * time.Hour}, "Sam", "the cutover moved to the Paris site"))
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Contains(t, policyNames(d), "holidays-FR")
	assert.NotContains(t, policyNames(d), "holidays-DE")
	assert.Contains(t, reasons(d), "2h before the start")
	require.NoError(t, g.p.Close())

	p, err := mep.OpenFile(path, &mep.Options{Country: "FR"})
	require.NoError(t, err, "the options the record states now")
	defer p.Close()
	r, _ := p.Rollout("go-live")
	assert.Contains(t, policyNames(r.GoNoGo().Evaluate(bg, g.c.now())), "holidays-FR")

	// Country "-" removes the holiday calendar, and the decision says so.
	require.NoError(t, p.SetOptions(mep.Options{Country: "-"}, "Sam", "a holiday-free service"))
	d = r.GoNoGo().Evaluate(bg, g.c.now())
	assert.NotContains(t, policyNames(d), "holidays-FR")
	assert.Contains(t, reasons(d), "no country set")
}

// policyNames returns the names of the policies behind d.
func policyNames(d mep.Decision) []string {
	var names []string
	for _, pd := range d.Policy.Decisions {
		names = append(names, pd.Policy)
	}
	return names
}

// TestRolloutOptionsAsRecorded: the options a rollout was created with
// come back from its record, reopened.
func TestRolloutOptionsAsRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{Environment: "prod", Labels: map[string]string{"team": "Ops-2"}, Margin: 0.25,
		Quorum: map[mep.Role]int{mep.RoleOperations: 2}, Policies: policy.Set{}, PolicyFile: []byte(eveningsFile)})
	require.NoError(t, g.p.Close())
	p, err := mep.OpenFile(path, nil)
	require.NoError(t, err)
	defer p.Close()
	o, ok := p.RolloutOptions("go-live")
	require.True(t, ok)
	assert.Equal(t, "prod", o.Environment)
	assert.Equal(t, map[string]string{"team": "Ops-2"}, o.Labels)
	assert.Equal(t, 0.25, o.Margin)
	assert.Equal(t, 2, o.Quorum[mep.RoleOperations])
	assert.Equal(t, eveningsFile, string(o.PolicyFile))
	assert.Len(t, o.Runbook, len(goliveRunbook()))
	assert.True(t, g.t0.Equal(o.T0))
	assert.Equal(t, g.ro.Readiness.Name, o.Readiness.Name)
	_, ok = p.RolloutOptions("nope")
	assert.False(t, ok)
}

// TestPolicyFileAsksForConflicts: a recorded policy file that asks for
// the conflict check (kind: conflicts) decides No-Go until the program
// gives the schedule's check in code (a policy.Conflicts with Against),
// which then stands in the file's place, once; changing the policies
// without it fails closed again, and so does the reopened record.
func TestPolicyFileAsksForConflicts(t *testing.T) {
	const file = eveningsFile + "  - kind: conflicts\n    warn: true\n"
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	opsReady(t, g.p, g.c.now())
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}, PolicyFile: []byte(file)})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	g.c.set(g.r.T0())
	gn := g.r.GoNoGo()
	d := gn.Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict)
	assert.Contains(t, reasons(d), "conflicts: no schedule of the other changes was given")

	busy := &policy.Conflicts{Against: policy.Func("schedule", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Deny, Reason: "conflicts with payments/v7 (team Pay) on database:billing"}
	})}
	require.NoError(t, gn.SetPolicies(policy.Set{busy}, []byte(file), "Otto", "the store's schedule"))
	d = gn.Evaluate(bg, g.c.now())
	assert.Equal(t, mep.Go, d.Verdict, "the file says warn: %s", reasons(d))
	n := 0
	for _, pd := range d.Policy.Decisions {
		if pd.Policy == policy.ConflictsName {
			n++
			assert.Equal(t, policy.Warn, pd.Verdict, "the file's warn stands")
		}
	}
	assert.Equal(t, 1, n, "weighed once: %s", reasons(d))

	require.NoError(t, gn.SetPolicies(nil, []byte(file), "Otto", "no schedule at hand"))
	d = gn.Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict, "the earlier check does not linger")
	assert.Contains(t, reasons(d), "no schedule of the other changes was given")

	require.NoError(t, gn.SetPolicies(policy.Set{busy}, []byte(file), "Otto", "the store's schedule again"))
	require.NoError(t, g.p.Close())
	p, err := mep.OpenFile(path, &mep.Options{Now: g.c.now})
	require.NoError(t, err)
	defer p.Close()
	r, _ := p.Rollout("go-live")
	assert.Equal(t, mep.NoGo, r.GoNoGo().Evaluate(bg, g.c.now()).Verdict, "reopened: the check given in code is not attached")
}
