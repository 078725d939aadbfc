package policy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

func TestAsFindsThroughWrappers(t *testing.T) {
	ready := policy.ReadinessWindow(2 * time.Hour)
	for _, p := range []policy.Policy{
		ready,
		policy.Mandatory(ready),
		policy.Named("r", policy.Mandatory(ready)),
		policy.In(paris, ready),
		policy.Scoped(policy.Scope{Environments: []string{"production"}}, ready),
		policy.Mandatory(policy.Scoped(policy.Scope{Labels: map[string]string{"tier": "gold"}}, policy.In(paris, ready))),
	} {
		r, ok := policy.As[*policy.Readiness](p)
		require.True(t, ok, "%T", p)
		assert.Equal(t, 2*time.Hour, r.Lead)
		_, ok = policy.As[*policy.Quorum](p)
		assert.False(t, ok, "a readiness window is no quorum")
	}
	q, ok := policy.As[*policy.Quorum](policy.Mandatory(policy.RequireGo("operations")))
	require.True(t, ok)
	assert.Equal(t, policy.Quorum{Role: "operations", Count: 1}, policy.Quorum{Role: q.Role, Count: q.Count})
	q, ok = policy.As[*policy.Quorum](policy.Scoped(policy.Scope{}, policy.RequireQuorum("dba", 2)))
	require.True(t, ok)
	assert.Equal(t, "dba", q.Role)
	assert.Equal(t, 2, q.Count)

	_, ok = policy.As[*policy.Readiness](nil)
	assert.False(t, ok)
	_, ok = policy.As[*policy.Readiness](policy.FridayFreeze(paris))
	assert.False(t, ok)
	// A user's wrapper with Unwrap is followed too.
	_, ok = policy.As[*policy.Quorum](userWrapper{policy.RequireGo("ops")})
	assert.True(t, ok)
}

type userWrapper struct{ policy.Policy }

func (u userWrapper) Unwrap() policy.Policy { return u.Policy }

func TestReadinessLeadNeverBelowOneHour(t *testing.T) {
	start := at(2026, 11, 24, 22, 0)
	rw := policy.ReadinessWindow(30 * time.Minute)
	r, ok := policy.As[*policy.Readiness](rw)
	require.True(t, ok)
	assert.Equal(t, policy.MinLead, r.Lead, "the lead is raised to the minimum")

	// Ready 40 minutes ahead: enough for a 30m lead, not for the rule's hour.
	d := rw.Evaluate(ctx, policy.Change{Start: start, Now: at(2026, 11, 24, 21, 30), ReadyAt: at(2026, 11, 24, 21, 20)})
	assert.Equal(t, policy.Deny, d.Verdict, d.Reason)
	assert.Contains(t, d.Reason, "after the deadline Tue 2026-11-24 21:00 CET (1h before the start)")
	assert.Contains(t, d.Reason, "the lead 30m asked is below the minimum of 1h (rule R7)")
	d = rw.Evaluate(ctx, policy.Change{Start: start, ReadyAt: at(2026, 11, 24, 20, 0)})
	assert.Equal(t, policy.Allow, d.Verdict)
	assert.Equal(t, "ready at least 1h before the start; the lead 30m asked is below the minimum of 1h (rule R7), which applies", d.Reason)

	for _, lead := range []time.Duration{0, -time.Hour} {
		d := policy.ReadinessWindow(lead).Evaluate(ctx, policy.Change{Start: start, ReadyAt: at(2026, 11, 24, 21, 30)})
		assert.Equal(t, policy.Deny, d.Verdict, "lead %v", lead)
		assert.Contains(t, d.Reason, "below the minimum of 1h")
	}

	// A longer lead is kept.
	long := policy.ReadinessWindow(3 * time.Hour)
	r, _ = policy.As[*policy.Readiness](long)
	assert.Equal(t, 3*time.Hour, r.Lead)
	d = long.Evaluate(ctx, policy.Change{Start: start, ReadyAt: at(2026, 11, 24, 20, 0)})
	assert.Equal(t, policy.Deny, d.Verdict)
	assert.NotContains(t, d.Reason, "minimum")

	// A Readiness written as a literal keeps the minimum too; the zero one
	// is the one-hour rule.
	d = (&policy.Readiness{Lead: 10 * time.Minute}).Evaluate(ctx, policy.Change{Start: start, ReadyAt: at(2026, 11, 24, 21, 30)})
	assert.Equal(t, policy.Deny, d.Verdict)
	assert.Contains(t, d.Reason, "the lead 10m asked is below the minimum")
	d = (&policy.Readiness{}).Evaluate(ctx, policy.Change{Start: start, ReadyAt: at(2026, 11, 24, 20, 30)})
	assert.Equal(t, policy.Allow, d.Verdict)
	assert.Equal(t, "ready at least 1h before the start", d.Reason)

	// NextSlot keeps the hour too.
	next, err := policy.Set{rw}.NextSlot(ctx, policy.Change{Start: start, Now: at(2026, 11, 24, 21, 30), ReadyAt: at(2026, 11, 24, 21, 40)}, 24*time.Hour)
	require.NoError(t, err)
	assert.True(t, next.Equal(at(2026, 11, 24, 22, 40)), "next %v", next)
}

func TestRequireQuorum(t *testing.T) {
	q := policy.RequireQuorum("operations", 2)
	assert.Equal(t, "require-go:operations", q.Name())
	start := at(2026, 11, 24, 22, 0)
	before := at(2026, 11, 24, 20, 0)
	goAnn := policy.Approval{Role: "operations", By: "ann", At: at(2026, 11, 24, 19, 0), Go: true}
	goAnnAgain := policy.Approval{Role: "operations", By: " ANN", At: at(2026, 11, 24, 19, 30), Go: true}
	goBob := policy.Approval{Role: "operations", By: "bob", At: at(2026, 11, 24, 19, 10), Go: true}
	goBobLate := policy.Approval{Role: "operations", By: "bob", At: at(2026, 11, 24, 21, 0), Go: true}
	noGoBob := policy.Approval{Role: "operations", By: "bob", At: at(2026, 11, 24, 19, 20), Reason: "disk full"}
	goNobody := policy.Approval{Role: "operations", Go: true}
	tests := []struct {
		name   string
		now    time.Time
		as     []policy.Approval
		want   policy.Verdict
		reason string
	}{
		{"two people", before, []policy.Approval{goAnn, goBob}, policy.Allow, "GO from operations by ann, bob (2 of the 2 needed)"},
		{"one person twice is one GO", before, []policy.Approval{goAnn, goAnnAgain}, policy.Warn,
			"waiting: 1 of the 2 GOs from operations still missing (GO so far by ANN)"},
		{"a GO without a name is nobody's", before, []policy.Approval{goAnn, goNobody}, policy.Warn, "1 of the 2 GOs from operations still missing"},
		{"none before the start", before, nil, policy.Warn, "waiting: 2 of the 2 GOs from operations still missing"},
		{"one at the start", start, []policy.Approval{goAnn}, policy.Deny,
			"no quorum: 1 of the 2 GOs from operations still missing (GO so far by ann)"},
		{"a GO after now does not count", before, []policy.Approval{goAnn, goBobLate}, policy.Warn, "1 of the 2"},
		{"the latest vote of each person counts", before, []policy.Approval{goAnn, goBob, noGoBob}, policy.Deny, "No-Go from operations by bob at Tue 2026-11-24 19:20 CET: disk full"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := q.Evaluate(ctx, policy.Change{Start: start, Now: tt.now, Approvals: tt.as})
			assert.Equal(t, tt.want, d.Verdict, d.Reason)
			assert.Contains(t, d.Reason, tt.reason)
		})
	}
	// A count below one asks for one GO, like RequireGo.
	for _, n := range []int{0, -3, 1} {
		d := policy.RequireQuorum("operations", n).Evaluate(ctx, policy.Change{Start: start, Now: before, Approvals: []policy.Approval{goAnn}})
		assert.Equal(t, policy.Allow, d.Verdict, "n=%d", n)
		assert.Equal(t, "GO from operations by ann", d.Reason)
	}
	d := (&policy.Quorum{Role: "dba"}).Evaluate(ctx, policy.Change{Start: start})
	assert.Equal(t, "require-go:dba", d.Policy, "a Quorum literal names itself")
	assert.Equal(t, "no GO from dba", d.Reason)
}

func TestScoped(t *testing.T) {
	scope := policy.Scope{Environments: []string{"production", "staging"}, Labels: map[string]string{"tier": "gold"}}
	fri := policy.Scoped(scope, policy.FridayFreeze(paris))
	assert.Equal(t, "friday-freeze", fri.Name())
	_, isCal := fri.(policy.Calendar)
	assert.False(t, isCal, "whether a scoped calendar blocks depends on the change")
	friday := at(2026, 11, 27, 10, 0)
	gold := map[string]string{"tier": "gold", "team": "billing"}
	tests := []struct {
		name   string
		env    string
		labels map[string]string
		want   policy.Verdict
		reason string
	}{
		{"in scope", "Production", gold, policy.Deny,
			"Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET [scope: environments production or staging, label tier=gold]"},
		{"other environment", "dev", gold, policy.Allow, "out of scope: the change is for dev [scope: environments production or staging, label tier=gold]"},
		{"no environment", "", gold, policy.Allow, "out of scope: the change names no environment [scope:"},
		{"label missing", "staging", nil, policy.Allow, "out of scope: the change has no label tier [scope:"},
		{"label differs", "staging", map[string]string{"tier": "silver"}, policy.Allow, "out of scope: the change has tier=silver [scope:"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := policy.Change{Start: friday, Duration: time.Hour, Environment: tt.env, Labels: tt.labels}
			d := fri.Evaluate(ctx, c)
			assert.Equal(t, tt.want, d.Verdict, d.Reason)
			assert.Equal(t, "friday-freeze", d.Policy)
			assert.Contains(t, d.Reason, tt.reason)
			// NextSlot honours the scoped calendar for changes in scope only.
			next, err := policy.Set{fri}.NextSlot(ctx, c, 30*24*time.Hour)
			require.NoError(t, err)
			if tt.want == policy.Deny {
				assert.True(t, next.Equal(at(2026, 11, 28, 0, 0)), "next %v", next)
			} else {
				assert.True(t, next.Equal(friday), "next %v", next)
			}
		})
	}
	assert.Equal(t, "every change", policy.Scope{}.String())
	assert.True(t, policy.Scope{}.Matches(policy.Change{}))
	assert.Equal(t, "environment production, labels a=1 and b=2", policy.Scope{Environments: []string{"production"}, Labels: map[string]string{"b": "2", "a": "1"}}.String())

	// The scope is copied; mandatory and readiness pass through it.
	envs := []string{"production"}
	m := policy.Mandatory(policy.Scoped(policy.Scope{Environments: envs}, policy.ReadinessWindow(time.Hour)))
	envs[0] = "dev"
	assert.True(t, policy.IsMandatory(m))
	c := policy.Change{Start: at(2026, 11, 24, 22, 0), Now: at(2026, 11, 24, 21, 30), Environment: "production"}
	next, err := policy.Set{m}.NextSlot(ctx, c, 24*time.Hour)
	require.NoError(t, err)
	assert.True(t, next.Equal(at(2026, 11, 24, 22, 30)), "readiness in scope moves the start: %v", next)
	c.Environment = "dev"
	next, err = policy.Set{m}.NextSlot(ctx, c, 24*time.Hour)
	require.NoError(t, err)
	assert.True(t, next.Equal(c.Start), "readiness out of scope does not: %v", next)
	assert.True(t, policy.IsMandatory(policy.Scoped(policy.Scope{}, policy.Mandatory(policy.MaxOutage(0)))))
	assert.Panics(t, func() { policy.Scoped(policy.Scope{}, nil) })
}

func TestMaxOutageUnknown(t *testing.T) {
	p := policy.MaxOutage(30 * time.Minute)
	d := p.Evaluate(ctx, policy.Change{})
	assert.Equal(t, policy.Warn, d.Verdict)
	assert.Equal(t, "expected outage unknown (the limit is 30m); measure it in a rehearsal, or state that there is none", d.Reason)
	d = p.Evaluate(ctx, policy.Change{OutageKnown: true})
	assert.Equal(t, policy.Allow, d.Verdict, "a known zero outage is within the limit")
	d = p.Evaluate(ctx, policy.Change{Outage: 10 * time.Minute})
	assert.Equal(t, policy.Allow, d.Verdict, "an outage above zero is known")
	assert.Equal(t, "expected outage within the limit of 30m", d.Reason)
}

// Every reason of a Set reads in one zone: a runner whose clock is UTC
// evaluates a change against Paris rules.
func TestReasonsInOneZone(t *testing.T) {
	start := time.Date(2026, 11, 27, 8, 9, 0, 0, time.UTC) // a Friday, 09:09 in Paris
	c := policy.Change{Start: start, Now: start, Duration: time.Hour,
		Approvals: []policy.Approval{{Role: "operations", By: "bob", At: start.Add(-time.Hour), Reason: "no backup"}}}
	set := policy.Set{policy.FridayFreeze(paris), policy.In(paris, policy.ReadinessWindow(time.Hour)), policy.In(paris, policy.RequireGo("operations"))}
	r := set.Evaluate(ctx, c)
	require.Len(t, r.Decisions, 3)
	assert.Contains(t, r.Decisions[0].Reason, "CET")
	assert.Equal(t, "not ready at the deadline Fri 2026-11-27 08:09 CET (1h before the start); the earliest start is 1h after readiness", r.Decisions[1].Reason)
	assert.Equal(t, "No-Go from operations by bob at Fri 2026-11-27 08:09 CET: no backup", r.Decisions[2].Reason)
	assert.Equal(t, paris, r.Decisions[1].Next.Location())
	assert.NotContains(t, r.String(), "UTC")

	// The same through the change's Location, for policies without In.
	c.Location = paris
	d := policy.ReadinessWindow(time.Hour).Evaluate(ctx, c)
	assert.Contains(t, d.Reason, "08:09 CET")
	// In speaks louder than the change.
	c.Location = newYork
	d = policy.In(paris, policy.ReadinessWindow(time.Hour)).Evaluate(ctx, c)
	assert.Contains(t, d.Reason, "08:09 CET")
	d = policy.ReadinessWindow(time.Hour).Evaluate(ctx, c)
	assert.Contains(t, d.Reason, "02:09 EST")

	// A zone given first stays, as it would without folding the wrappers.
	d = policy.In(newYork, policy.Named("r", policy.In(paris, policy.ReadinessWindow(time.Hour)))).Evaluate(ctx, c)
	assert.Contains(t, d.Reason, "08:09 CET")
	assert.Equal(t, "r", d.Policy)

	// In keeps calendars calendars, and their own zone.
	in := policy.In(newYork, policy.FridayFreeze(paris))
	_, ok := in.(policy.Calendar)
	assert.True(t, ok)
	assert.Contains(t, in.Evaluate(ctx, c).Reason, "Europe/Paris")
	assert.Equal(t, policy.Policy(policy.RequireGo("x")).Name(), policy.In(nil, policy.RequireGo("x")).Name())
	assert.Panics(t, func() { policy.In(paris, nil) })
	// Func policies find the zone through Change.Zone.
	f := policy.Func("zone", func(_ context.Context, c policy.Change) policy.Decision {
		return policy.Decision{Reason: c.Zone().String()}
	})
	assert.Equal(t, "Europe/Paris", policy.In(paris, f).Evaluate(ctx, policy.Change{Start: start}).Reason)
	assert.Equal(t, "UTC", f.Evaluate(ctx, policy.Change{Start: start}).Reason)
}
