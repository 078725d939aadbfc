package policy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

var ctx = context.Background()

func TestSetEvaluate(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(paris), nil, policy.MaxOutage(30 * time.Minute)}
	r := set.Evaluate(ctx, policy.Change{Start: at(2026, 11, 26, 20, 0), Duration: time.Hour, Outage: 10 * time.Minute})
	assert.True(t, r.Allowed())
	assert.Equal(t, policy.Allow, r.Verdict())
	assert.NoError(t, r.Err())
	require.Len(t, r.Decisions, 2)
	assert.Equal(t, "friday-freeze", r.Decisions[0].Policy)
	assert.Equal(t, "max-outage", r.Decisions[1].Policy)

	r = set.Evaluate(ctx, policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: time.Hour, Outage: time.Hour})
	assert.False(t, r.Allowed())
	assert.Equal(t, policy.Deny, r.Verdict())
	assert.ErrorIs(t, r.Err(), policy.ErrDenied)
	assert.Len(t, r.Denials(), 2)
	assert.Equal(t,
		"DENY  friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET\n"+
			"DENY  max-outage: expected outage 1h exceeds the limit of 30m; shorten the outage steps or ask for a longer window",
		r.String())
	assert.True(t, policy.Set{}.Evaluate(ctx, policy.Change{}).Allowed(), "the zero Set allows everything")
}

func TestSetOverride(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(paris), policy.Mandatory(policy.MaxOutage(30 * time.Minute))}
	c := policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: time.Hour,
		Override: &policy.Override{By: "alice", Reason: "security fix CVE-2026-1234"}}
	r := set.Evaluate(ctx, c)
	assert.True(t, r.Allowed(), "the Friday freeze is overridden")
	assert.Equal(t, policy.Warn, r.Verdict())
	require.NotNil(t, r.Override)
	assert.Equal(t, "alice", r.Override.By)
	assert.True(t, r.Decisions[0].Overridden)
	assert.Equal(t, policy.Deny, r.Decisions[0].Verdict, "an overridden denial stays a denial")
	assert.Contains(t, r.String(), "(overridden by alice: security fix CVE-2026-1234)")

	c.Outage = time.Hour
	r = set.Evaluate(ctx, c)
	assert.False(t, r.Allowed(), "a mandatory denial stays")
	assert.False(t, r.Decisions[1].Overridden)
	assert.Equal(t, "max-outage", r.Decisions[1].Policy)

	for _, o := range []*policy.Override{{By: "alice"}, {Reason: "urgent"}} {
		c := policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: time.Hour, Override: o}
		r := set.Evaluate(ctx, c)
		assert.False(t, r.Allowed(), "an override needs By and Reason")
		assert.Nil(t, r.Override)
		last := r.Decisions[len(r.Decisions)-1]
		assert.Equal(t, "override", last.Policy)
		assert.Equal(t, policy.Warn, last.Verdict)
	}
}

func TestMandatoryAndNamedKeepCalendars(t *testing.T) {
	m := policy.Mandatory(policy.FridayFreeze(paris))
	assert.True(t, policy.IsMandatory(m))
	_, ok := m.(policy.Calendar)
	assert.True(t, ok, "a mandatory calendar is still a calendar")
	n := policy.Named("no-friday", m)
	assert.Equal(t, "no-friday", n.Name())
	assert.True(t, policy.IsMandatory(n))
	_, ok = n.(policy.Calendar)
	assert.True(t, ok)
	d := n.Evaluate(ctx, policy.Change{Start: at(2026, 11, 27, 10, 0)})
	assert.Equal(t, "no-friday", d.Policy)
	assert.False(t, policy.IsMandatory(policy.Named("x", policy.MaxOutage(0))))
}

func TestIsScoped(t *testing.T) {
	prod := policy.Scope{Environments: []string{"prod"}}
	assert.True(t, policy.IsScoped(policy.Scoped(prod, policy.MaxOutage(0))))
	assert.True(t, policy.IsScoped(policy.Mandatory(policy.Scoped(prod, policy.MaxOutage(0)))))
	assert.False(t, policy.IsScoped(policy.Named("x", policy.MaxOutage(0))))
	assert.False(t, policy.IsScoped(nil))
}

func TestFunc(t *testing.T) {
	p := policy.Func("prod-only-tuesday", func(_ context.Context, c policy.Change) policy.Decision {
		if c.Environment == "prod" && c.Start.Weekday() != time.Tuesday {
			return policy.Decision{Verdict: policy.Deny, Reason: "prod changes on Tuesdays only"}
		}
		return policy.Decision{}
	})
	r := policy.Set{p}.Evaluate(ctx, policy.Change{Environment: "prod", Start: at(2026, 11, 26, 10, 0)})
	assert.False(t, r.Allowed())
	assert.Equal(t, "prod-only-tuesday", r.Decisions[0].Policy)
	assert.Panics(t, func() { policy.Func("nil", nil) })
}

func TestReadinessWindow(t *testing.T) {
	rw := policy.ReadinessWindow(time.Hour)
	start := at(2026, 11, 24, 22, 0)
	tests := []struct {
		name         string
		now, readyAt time.Time
		want         policy.Verdict
		reason       string
	}{
		{"ready in time", at(2026, 11, 24, 21, 30), at(2026, 11, 24, 20, 50), policy.Allow, "ready at least 1h before the start"},
		{"ready exactly at T-1h", at(2026, 11, 24, 21, 30), at(2026, 11, 24, 21, 0), policy.Allow, ""},
		{"ready too late", at(2026, 11, 24, 21, 50), at(2026, 11, 24, 21, 10), policy.Deny,
			"ready at Tue 2026-11-24 21:10 CET, 10m after the deadline Tue 2026-11-24 21:00 CET (1h before the start)"},
		{"not ready, still time", at(2026, 11, 24, 20, 0), time.Time{}, policy.Warn,
			"not ready yet; everything must be ready by Tue 2026-11-24 21:00 CET (1h before the start)"},
		{"not ready at the deadline", at(2026, 11, 24, 21, 0), time.Time{}, policy.Warn, ""},
		{"not ready after the deadline", at(2026, 11, 24, 21, 1), time.Time{}, policy.Deny, "not ready at the deadline"},
		{"not ready, now zero means start", time.Time{}, time.Time{}, policy.Deny, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := rw.Evaluate(ctx, policy.Change{Start: start, Now: tt.now, ReadyAt: tt.readyAt})
			assert.Equal(t, tt.want, d.Verdict, d.Reason)
			assert.Contains(t, d.Reason, tt.reason)
		})
	}
}

func TestRequireGo(t *testing.T) {
	rg := policy.RequireGo("operations")
	start := at(2026, 11, 24, 22, 0)
	goBob := policy.Approval{Role: "operations", By: "bob", At: at(2026, 11, 24, 21, 50), Go: true}
	noGoEve := policy.Approval{Role: "Operations", By: "eve", At: at(2026, 11, 24, 21, 55), Reason: "backup not verified"}
	goEveLater := policy.Approval{Role: "operations", By: "eve", At: at(2026, 11, 24, 21, 58), Go: true}
	goOther := policy.Approval{Role: "sales", By: "sam", Go: true}
	tests := []struct {
		name   string
		now    time.Time
		as     []policy.Approval
		want   policy.Verdict
		reason string
	}{
		{"GO", start, []policy.Approval{goBob}, policy.Allow, "GO from operations by bob"},
		{"No-Go beside a GO", start, []policy.Approval{goBob, noGoEve}, policy.Deny,
			"No-Go from operations by eve at Tue 2026-11-24 21:55 CET: backup not verified"},
		{"No-Go lifted by the same person", start, []policy.Approval{goBob, noGoEve, goEveLater}, policy.Allow, ""},
		{"other role only, before start", at(2026, 11, 24, 20, 0), []policy.Approval{goOther}, policy.Warn, "waiting for the GO from operations"},
		{"nothing at start", start, nil, policy.Deny, "no GO from operations"},
		{"a GO given after now does not count", at(2026, 11, 24, 21, 0), []policy.Approval{goBob}, policy.Warn, ""},
		{"a later GO that does not count yet leaves the earlier No-Go", at(2026, 11, 24, 20, 0), []policy.Approval{
			{Role: "operations", By: "ann", At: at(2026, 11, 24, 19, 0), Reason: "load test failed"},
			{Role: "operations", By: "ann", At: at(2026, 11, 24, 21, 0), Go: true},
		}, policy.Deny, "No-Go from operations by ann at Tue 2026-11-24 19:00 CET: load test failed"},
		{"a later No-Go that does not count yet leaves the earlier GO", at(2026, 11, 24, 20, 0), []policy.Approval{
			{Role: "operations", By: "ann", At: at(2026, 11, 24, 19, 0), Go: true},
			{Role: "operations", By: "ann", At: at(2026, 11, 24, 21, 0)},
		}, policy.Allow, "GO from operations by ann"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := rg.Evaluate(ctx, policy.Change{Start: start, Now: tt.now, Approvals: tt.as})
			assert.Equal(t, tt.want, d.Verdict, d.Reason)
			assert.Contains(t, d.Reason, tt.reason)
			assert.Equal(t, "require-go:operations", d.Policy)
		})
	}
}

func TestFreeze(t *testing.T) {
	f := policy.Freeze("year-end", at(2026, 12, 21, 0, 0), at(2027, 1, 4, 0, 0))
	d := f.Evaluate(ctx, policy.Change{Start: at(2026, 12, 20, 22, 0), Duration: 3 * time.Hour})
	assert.Equal(t, policy.Deny, d.Verdict)
	assert.Equal(t, "Mon 2026-12-21 00:00 CET is in the freeze year-end (Mon 2026-12-21 00:00 CET to Mon 2027-01-04 00:00 CET) in Europe/Paris; allowed again from Mon 2027-01-04 00:00 CET", d.Reason)
	assert.Equal(t, policy.Allow, f.Evaluate(ctx, policy.Change{Start: at(2026, 12, 20, 20, 0), Duration: 4 * time.Hour}).Verdict)
	assert.Empty(t, policy.Freeze("empty", at(2026, 1, 2, 0, 0), at(2026, 1, 1, 0, 0)).Blocked(at(2025, 1, 1, 0, 0), at(2027, 1, 1, 0, 0)))
}

// A Set writes the reasons of its policies into one shared buffer: every
// decision must still equal the policy's own, and stay so after later
// evaluations, whatever the policy and however it is wrapped.
func TestSetEvaluateEqualsEachPolicy(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	require.NoError(t, err)
	set := append(mixSet(t),
		policy.Scoped(policy.Scope{Environments: []string{"production"}}, policy.WeekendFreeze(paris)),
		policy.Scoped(policy.Scope{Labels: map[string]string{"tier": "1"}}, policy.RequireQuorum("dba", 2)),
		policy.In(ny, policy.ReadinessWindow(2*time.Hour)),
		policy.Named("late", policy.Mandatory(policy.Freeze("late", at(2026, 6, 1, 0, 0), at(2026, 9, 1, 0, 0)))),
		policy.In(ny, policy.Scoped(policy.Scope{}, policy.RequireGo("security"))),
		policy.Func("custom", func(_ context.Context, c policy.Change) policy.Decision {
			return policy.Decision{Verdict: policy.Warn, Reason: "custom on " + c.Start.Format(time.RFC3339)}
		}),
	)
	changes := mixChanges(1500, 0, 6*time.Hour)
	results := make([]policy.Result, len(changes))
	for i, c := range changes {
		if i%3 == 0 {
			c.Environment = "staging"
			c.Labels = map[string]string{"tier": "1"}
		}
		changes[i] = c
		results[i] = set.Evaluate(ctx, c)
	}
	for i, c := range changes {
		require.Len(t, results[i].Decisions, len(set))
		for j, p := range set {
			want := p.Evaluate(ctx, c)
			if want.Policy == "" {
				want.Policy = p.Name()
			}
			want.Index = j
			require.Equal(t, want, results[i].Decisions[j], "change %d, policy %s", i, p.Name())
		}
	}
}

// Each decision of a Result says which policy of the Set gave it, nil
// entries counted, whatever the policy itself put in Index.
func TestSetEvaluateIndex(t *testing.T) {
	liar := returning("liar", policy.Decision{Index: 42, Verdict: policy.Warn})
	set := policy.Set{nil, policy.FridayFreeze(paris), nil, liar, policy.Mandatory(policy.MaxOutage(time.Hour))}
	c := policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: time.Hour, Override: &policy.Override{By: "alice"}}
	r := set.Evaluate(ctx, c)
	require.Len(t, r.Decisions, 4)
	for i, want := range []int{1, 3, 4, -1} {
		assert.Equal(t, want, r.Decisions[i].Index, "decision %d (%s)", i, r.Decisions[i].Policy)
	}
	for _, d := range r.Decisions[:3] {
		p := set.PolicyOf(d)
		require.NotNil(t, p, d.Policy)
		assert.Equal(t, d.Policy, p.Name())
	}
	ignored := r.Decisions[3]
	assert.Equal(t, "override", ignored.Policy, "the Set's own warning about the request")
	assert.Nil(t, set.PolicyOf(ignored), "no policy gave it")
	assert.Nil(t, set.PolicyOf(policy.Decision{Index: 5}))
	assert.Nil(t, set.PolicyOf(policy.Decision{Index: -7}))
	assert.Nil(t, set.PolicyOf(policy.Decision{}), "position 0 is nil here")

	alone := policy.FridayFreeze(paris).Evaluate(ctx, c)
	assert.Zero(t, alone.Index, "outside a Set, Index is 0")
}

// Only the Set says which denial a break-glass request lifted: a policy
// that answers Overridden itself still denies without a valid Override,
// and while it is Mandatory; nor is an Allow or a Warn ever overridden.
func TestSetEvaluateOverriddenIsTheSets(t *testing.T) {
	liar := returning("liar", policy.Decision{Verdict: policy.Deny, Overridden: true, Reason: "no"})
	valid := &policy.Override{By: "alice", Reason: "security fix"}
	for name, c := range map[string]struct {
		p       policy.Policy
		o       *policy.Override
		lifted  bool
		verdict policy.Verdict
	}{
		"no override":               {p: liar, verdict: policy.Deny},
		"override without a reason": {p: liar, o: &policy.Override{By: "alice"}, verdict: policy.Deny},
		"mandatory":                 {p: policy.Mandatory(liar), o: valid, verdict: policy.Deny},
		"valid override":            {p: liar, o: valid, lifted: true, verdict: policy.Deny},
		"allow":                     {p: returning("allow", policy.Decision{Overridden: true}), o: valid, verdict: policy.Allow},
		"warn":                      {p: returning("warn", policy.Decision{Verdict: policy.Warn, Overridden: true}), verdict: policy.Warn},
	} {
		r := policy.Set{c.p}.Evaluate(ctx, policy.Change{Start: at(2026, 11, 24, 10, 0), Duration: time.Hour, Override: c.o})
		d := r.Decisions[0]
		assert.Equal(t, c.verdict, d.Verdict, name)
		assert.Equal(t, c.lifted, d.Overridden, name)
		assert.Equal(t, c.verdict != policy.Deny || c.lifted, r.Allowed(), name)
	}
}
