package fleet_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policytest"
)

// TestPolicyMovesTheSlot: two teams plan cutovers on the billing
// database the same evening; the second team's rollout, with the
// schedule's policy attached, is refused with the first named, and its
// proposed slot moves past the first's P90 end.
func TestPolicyMovesTheSlot(t *testing.T) {
	dir, c := billingStore(t, "Ops-2")
	pay := project(t, dir, "payments", c, "Max")
	opts := mep.RolloutOptions{Name: "v7", T0: at(paris, 2026, 3, 10, 21, 30), Runbook: runbook(10, 20),
		Environment: "prod", Labels: map[string]string{"team": "Pay"}}
	r, err := pay.NewRollout(opts)
	require.NoError(t, err)
	require.NoError(t, r.Resources().Declare(mep.Database, "billing", "Max", "new columns"))
	defer pay.Close()

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 500})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	other, ok := snap.Find("billing", "v3")
	require.True(t, ok)
	require.False(t, other.P90.IsZero())

	require.NoError(t, r.GoNoGo().SetPolicies(policy.Set{snap.Policy("payments", "v7", fleet.Rules{}, policy.Deny)}, nil,
		"Max", "the schedule's conflicts across teams"))
	prop, err := r.Propose(bg, opts.T0, 1, 7*24*time.Hour)
	require.NoError(t, err)
	// The conflict refuses the planned start (and so does the fit at P90,
	// which Propose adds: the run cannot end before the conflict begins).
	var refused []policy.Decision
	for _, d := range prop.Refused {
		if d.Policy == fleet.PolicyName {
			refused = append(refused, d)
		}
	}
	require.Len(t, refused, 1, "%v", prop.Refused)
	want := "conflicts with billing/v3 (team Ops-2) on database:billing, Tue 10 Mar 21:00-" + other.P90.In(paris).Format("15:04") + " CET"
	assert.Equal(t, want, refused[0].Reason)
	assert.True(t, refused[0].Next.Equal(other.P90), "next %v, want %v", refused[0].Next, other.P90)
	require.Len(t, prop.Slots, 1)
	assert.False(t, prop.Slots[0].Before(other.P90), "the slot %v moves past the other's P90 end %v", prop.Slots[0], other.P90)

	cal, ok := snap.Policy("payments", "v7", fleet.Rules{}, policy.Deny).(policy.Calendar)
	require.True(t, ok)
	require.NoError(t, policytest.CheckCalendar(cal, at(paris, 2026, 3, 10, 18, 0), at(paris, 2026, 3, 11, 2, 0), 7*time.Minute))
}

func TestPolicyWarnsAndAllows(t *testing.T) {
	nightly, err := policy.Cron("nightly-batch", "0 1 * * *", 2*time.Hour, paris)
	require.NoError(t, err)
	a := entry("billing", "v3", at(paris, 2026, 3, 10, 21, 0), 100, []string{"Olga"}, "database:billing")
	a.Team = "Ops-2"
	b := entry("payments", "v7", at(paris, 2026, 3, 10, 23, 0), 60, []string{"Olga"}, "database:billing")
	snap := &fleet.Snapshot{Entries: []fleet.Entry{a, b}}
	rules := fleet.Rules{Blackouts: []fleet.ResourceBlackout{{Resource: "database:billing", Calendar: nightly}}}

	warn := snap.Policy("payments", "v7", rules, policy.Warn)
	_, isCal := warn.(policy.Calendar)
	assert.False(t, isCal, "a warning does not block slots")
	d := warn.Evaluate(bg, policy.Change{Name: "v7", Start: at(paris, 2026, 3, 10, 22, 0), Duration: 3 * time.Hour})
	assert.Equal(t, policy.Warn, d.Verdict)
	assert.Equal(t, "conflicts with billing/v3 (team Ops-2) on database:billing, Tue 10 Mar 21:00-22:40 CET; "+
		"conflicts with billing/v3 (team Ops-2) on person Olga, Tue 10 Mar 21:00-22:40 CET", d.Reason)
	d = warn.Evaluate(bg, policy.Change{Name: "v7", Start: at(paris, 2026, 3, 11, 0, 30), Duration: time.Hour})
	assert.Equal(t, "in the blackout nightly-batch of database:billing, Wed 11 Mar 01:00-01:30 CET", d.Reason)

	deny := snap.Policy("payments", "v7", rules, policy.Deny)
	d = deny.Evaluate(bg, policy.Change{Name: "v7", Start: at(paris, 2026, 3, 10, 22, 40), Duration: time.Hour})
	assert.Equal(t, policy.Allow, d.Verdict, "%s", d.Reason)
	d = deny.Evaluate(bg, policy.Change{Name: "v7", Start: at(paris, 2026, 3, 10, 23, 30), Duration: 2 * time.Hour})
	assert.Equal(t, policy.Deny, d.Verdict)
	assert.True(t, d.Next.Equal(at(paris, 2026, 3, 11, 3, 0)), "after the blackout: %v", d.Next)

	none := snap.Policy("payments", "v7", rules, policy.Allow)
	assert.Equal(t, policy.Allow, none.Evaluate(bg, policy.Change{Name: "v7", Start: a.T0, Duration: time.Hour}).Verdict)
}

// TestPolicyFileExclusiveReachesTheCheck: a rollout's recorded policy
// file that asks for the conflict check with exclusive environments
// (kind: conflicts, exclusive: [prod]) has them honoured when the
// program gives the schedule's check in code: two prod cutovers that
// share nothing still conflict.
func TestPolicyFileExclusiveReachesTheCheck(t *testing.T) {
	dir, c := billingStore(t, "Ops-2")
	pay := project(t, dir, "payments", c, "Max")
	const file = "policies:\n  - kind: conflicts\n    exclusive: [prod]\n"
	r, err := pay.NewRollout(mep.RolloutOptions{Name: "v7", T0: at(paris, 2026, 3, 10, 21, 30), Runbook: runbook(10, 20),
		Environment: "prod", Labels: map[string]string{"team": "Pay"}, PolicyFile: []byte(file)})
	require.NoError(t, err)
	require.NoError(t, r.Resources().Declare(mep.Service, "payments", "Max", "new release"))
	defer pay.Close()

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 200})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.NoError(t, r.GoNoGo().SetPolicies(policy.Set{&policy.Conflicts{Against: snap.Policy("payments", "v7", fleet.Rules{}, policy.Deny)}},
		[]byte(file), "Max", "the schedule's conflicts across teams"))
	d := r.GoNoGo().Evaluate(bg, c.now())
	var got []policy.Decision
	for _, pd := range d.Policy.Decisions {
		if pd.Policy == policy.ConflictsName {
			got = append(got, pd)
		}
	}
	require.NotEmpty(t, got)
	assert.Equal(t, policy.Deny, got[0].Verdict, "billing/v3 runs in prod at the same time: %s", got[0].Reason)
}

// Two records holding projects of the same name, each with a rollout of
// the same name, are two rollouts: the one the policy is about conflicts
// with the other, which is not taken for itself.
func TestPolicySameNamesInTwoRecords(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	for _, rec := range []string{"a", "b"} {
		require.NoError(t, os.Mkdir(filepath.Join(dir, rec), 0o700))
		p, err := mep.CreateFile(filepath.Join(dir, rec), "billing", &mep.Options{Now: c.now, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
		require.NoError(t, err)
		lead := "lead-" + rec
		require.NoError(t, p.Team().Add(mep.Member{Name: lead, Roles: []mep.Role{mep.RoleOperations}}))
		require.NoError(t, p.Team().Choose(lead, lead))
		rollout(t, p, "v1", "team-"+rec, "prod", at(paris, 2026, 3, 10, 21, 0), runbook(30, 60), "database:billing")
		require.NoError(t, p.Close())
	}
	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.Len(t, snap.Active(), 2)
	d := snap.Policy("billing", "v1", fleet.Rules{}, policy.Deny).Evaluate(bg, policy.Change{Start: at(paris, 2026, 3, 10, 21, 0), Duration: time.Hour})
	assert.Equal(t, policy.Deny, d.Verdict, "the other record's billing/v1 shares database:billing: %s", d.Reason)
	assert.Contains(t, d.Reason, "conflicts with billing/v1")
	assert.Len(t, snap.Conflicts(fleet.Rules{}), 1)
}

// A record that copies another's project and rollout names but declares
// nothing does not hide what the first touches: the policy of that
// rollout cannot tell which the change is, and refuses it at every time,
// naming both records.
func TestPolicyForgedCopyOfARollout(t *testing.T) {
	dir, c := billingStore(t, "Ops")
	payments := project(t, dir, "payments", c, "Max")
	rollout(t, payments, "v7", "Pay", "prod", at(paris, 2026, 3, 10, 21, 0), runbook(30, 60), "database:billing")
	require.NoError(t, payments.Close())
	require.NoError(t, os.Mkdir(filepath.Join(dir, "aaa"), 0o700))
	forged, err := mep.CreateFile(filepath.Join(dir, "aaa"), "payments", &mep.Options{Now: c.now, NoSync: true, RolloutsOnly: true, CreatedBy: "Eve", RolloutsOnlyReason: "in production"})
	require.NoError(t, err)
	require.NoError(t, forged.Team().Add(mep.Member{Name: "Eve", Roles: []mep.Role{mep.RoleOperations}}))
	require.NoError(t, forged.Team().Choose("Eve", "Eve"))
	rollout(t, forged, "v7", "Pay", "", at(paris, 2026, 3, 10, 20, 0), runbook(1, 1))
	require.NoError(t, forged.Close())

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.Len(t, snap.Active(), 3)
	p := snap.Policy("payments", "v7", fleet.Rules{}, policy.Deny)
	for _, start := range []time.Time{at(paris, 2026, 3, 10, 21, 0), at(paris, 2026, 6, 1, 21, 0)} {
		d := p.Evaluate(bg, policy.Change{Start: start, Duration: time.Hour})
		assert.Equal(t, policy.Deny, d.Verdict, "%s: %s", start, d.Reason)
		assert.Contains(t, d.Reason, "payments/v7 is in 2 records of the store (aaa, payments)")
		assert.True(t, d.Next.IsZero(), "no slot is free of the doubt")
	}
	from := at(paris, 2026, 3, 1, 0, 0)
	assert.Equal(t, []policy.Interval{{Start: from, End: from.Add(time.Hour)}}, p.(policy.Calendar).Blocked(from, from.Add(time.Hour)))
	d := snap.Policy("billing", "v3", fleet.Rules{}, policy.Deny).Evaluate(bg, policy.Change{Start: at(paris, 2026, 3, 10, 21, 0), Duration: time.Hour})
	assert.Contains(t, d.Reason, "conflicts with payments/v7 (team Pay) on database:billing", "the other rollouts still see each copy")
}

// A change whose duration overflows the search's horizon (the largest
// time.Duration) is still given, as its next slot, a start without the
// conflict, never its own refused start.
func TestPolicyNextOfAHugeDuration(t *testing.T) {
	a := entry("a", "r", at(paris, 2026, 3, 10, 21, 0), 60, nil, "database:billing")
	b := entry("b", "r", at(paris, 2026, 3, 10, 21, 30), 60, nil, "database:billing")
	p := (&fleet.Snapshot{Entries: []fleet.Entry{a, b}}).Policy("a", "r", fleet.Rules{}, policy.Deny)
	ch := policy.Change{Start: a.T0, Duration: math.MaxInt64}
	d := p.Evaluate(bg, ch)
	require.Equal(t, policy.Deny, d.Verdict, d.Reason)
	assert.True(t, b.End().Equal(d.Next), "after b/r: %s", d.Next)
	ch.Start = d.Next
	assert.Equal(t, policy.Allow, p.Evaluate(bg, ch).Verdict)
}

// A cutover still running past its P90 still holds what it touches: a
// change that starts then on the same database is refused, saying so,
// and the overlap is a conflict of the snapshot.
func TestPolicyCutoverRunningPastItsEnd(t *testing.T) {
	t0 := at(paris, 2026, 3, 10, 21, 0)
	late := entry("billing", "v3", t0, 90, nil, "database:billing")
	late.Status, late.Started = report.Running, t0
	next := entry("payments", "v7", t0.Add(3*time.Hour), 60, nil, "database:billing")
	snap := &fleet.Snapshot{At: t0.Add(3 * time.Hour), Entries: []fleet.Entry{late, next}}
	d := snap.Policy("payments", "v7", fleet.Rules{}, policy.Deny).Evaluate(bg, policy.Change{Start: next.T0, Duration: time.Hour})
	assert.Equal(t, policy.Deny, d.Verdict, d.Reason)
	assert.Contains(t, d.Reason, "conflicts with billing/v3 (team billing) on database:billing, still running past its planned span Tue 10 Mar 21:00-22:30 CET")
	assert.True(t, d.Next.Equal(snap.At.Add(fleet.DefaultSpan)), "after the hour it is taken to run on: %s", d.Next)
	assert.Len(t, snap.Conflicts(fleet.Rules{}), 1)

	late.Status, late.Ended = report.Done, t0.Add(150*time.Minute)
	snap.Entries[0] = late
	assert.Equal(t, policy.Allow, snap.Policy("payments", "v7", fleet.Rules{}, policy.Deny).Evaluate(bg, policy.Change{Start: next.T0, Duration: time.Hour}).Verdict, "once it ended")
}
