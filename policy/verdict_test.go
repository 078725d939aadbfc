package policy_test

import (
	"context"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

// returning is a Func policy that returns d.
func returning(name string, d policy.Decision) policy.Policy {
	return policy.Func(name, func(context.Context, policy.Change) policy.Decision { return d })
}

// A verdict that is none of Allow, Warn and Deny fails closed: Set.Evaluate
// makes it a Deny that names the value, however the policy is wrapped.
func TestUnknownVerdictFailsClosed(t *testing.T) {
	c := policy.Change{Environment: "production", Start: at(2026, 11, 24, 21, 0), Duration: time.Hour}
	for _, v := range []policy.Verdict{7, 255} {
		for _, p := range []policy.Policy{
			returning("odd", policy.Decision{Verdict: v, Reason: "something odd", Next: c.Start.Add(time.Hour)}),
			policy.Mandatory(returning("odd", policy.Decision{Verdict: v, Reason: "something odd"})),
			policy.Scoped(policy.Scope{Environments: []string{"production"}}, returning("odd", policy.Decision{Verdict: v, Reason: "something odd"})),
			policy.In(paris, returning("odd", policy.Decision{Verdict: v, Reason: "something odd", Rule: policy.R9})),
		} {
			set := policy.Set{policy.MaxOutage(time.Hour), p}
			r := set.Evaluate(ctx, c)
			require.Len(t, r.Decisions, 2)
			d := r.Decisions[1]
			assert.Equal(t, policy.Deny, d.Verdict, "verdict %d", v)
			assert.Equal(t, "odd", d.Policy, "the policy keeps its name")
			assert.Equal(t, 1, d.Index)
			assert.Equal(t, policy.NoRule, d.Rule)
			assert.True(t, d.Next.IsZero(), "an unknown verdict says nothing of when")
			assert.Contains(t, d.Reason, "unknown verdict "+strconv.Itoa(int(v)))
			assert.Contains(t, d.Reason, "something odd", "the policy's own reason follows")
			assert.False(t, r.Allowed())
			assert.Equal(t, policy.Deny, r.Verdict())
			assert.Equal(t, []policy.Decision{d}, r.Denials())
			assert.ErrorIs(t, r.Err(), policy.ErrDenied)
			_, err := r.MarshalJSON()
			assert.NoError(t, err, "the normalised result is plain JSON")
		}
		// A break-glass override lifts it like any Deny, unless mandatory.
		c := c
		c.Override = &policy.Override{By: "alice", Reason: "CVE"}
		r := policy.Set{returning("odd", policy.Decision{Verdict: v})}.Evaluate(ctx, c)
		assert.True(t, r.Allowed())
		assert.Equal(t, policy.Warn, r.Verdict())
		r = policy.Set{policy.Mandatory(returning("odd", policy.Decision{Verdict: v}))}.Evaluate(ctx, c)
		assert.False(t, r.Allowed())
	}
}

// A rule that is not one of the method's also fails closed.
func TestUnknownRuleFailsClosed(t *testing.T) {
	r := policy.Set{returning("odd", policy.Decision{Verdict: policy.Allow, Rule: 14, Reason: "fine"})}.Evaluate(ctx, policy.Change{})
	require.Len(t, r.Decisions, 1)
	d := r.Decisions[0]
	assert.Equal(t, policy.Deny, d.Verdict)
	assert.Equal(t, policy.NoRule, d.Rule)
	assert.Equal(t, "the policy returned an unknown rule 14, which counts as deny: fine", d.Reason)
	assert.False(t, r.Allowed())
}

// A Result built by hand, not by Set.Evaluate, may hold an unknown
// verdict: every method that judges it counts it as a Deny, overridden or
// not.
func TestResultUnknownVerdict(t *testing.T) {
	for _, v := range []policy.Verdict{3, 7, 255} {
		for _, overridden := range []bool{false, true} {
			odd := policy.Decision{Policy: "odd", Verdict: v, Overridden: overridden}
			r := policy.Result{Decisions: []policy.Decision{{Policy: "ok", Verdict: policy.Warn}, odd}}
			assert.False(t, r.Allowed(), "verdict %d, overridden %t", v, overridden)
			assert.Equal(t, policy.Deny, r.Verdict())
			assert.Equal(t, []policy.Decision{odd}, r.Denials())
			err := r.Err()
			assert.ErrorIs(t, err, policy.ErrDenied)
			var de *policy.DeniedError
			require.True(t, errors.As(err, &de))
			assert.Equal(t, []policy.Decision{odd}, de.Denials)
			assert.Contains(t, r.String(), "DENY  odd: verdict("+strconv.Itoa(int(v))+")")
		}
	}
}

// NextSlot counts an unknown verdict as a denial that cannot say when it
// will allow the change, even when it carries a Next.
func TestNextSlotUnknownVerdict(t *testing.T) {
	c := policy.Change{Start: at(2026, 11, 24, 21, 0), Duration: time.Hour}
	set := policy.Set{returning("odd", policy.Decision{Verdict: 7, Next: c.Start.Add(time.Hour)})}
	_, err := set.NextSlot(ctx, c, 30*24*time.Hour)
	assert.ErrorIs(t, err, policy.ErrNoSlot)
	var re *policy.RefusedError
	require.True(t, errors.As(err, &re))
	assert.Equal(t, "odd", re.Policy)
	assert.Contains(t, re.Reason, "unknown verdict 7")
}
