package policy_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mepkit/mepkit/policy"
)

func TestConflicts(t *testing.T) {
	ctx := context.Background()
	start := time.Date(2026, 11, 12, 20, 0, 0, 0, time.UTC)
	ch := policy.Change{Start: start, Duration: time.Hour}

	c := &policy.Conflicts{Exclusive: []string{"prod"}}
	d := c.Evaluate(ctx, ch)
	assert.Equal(t, policy.Deny, d.Verdict, "no schedule given: fail closed")
	assert.Contains(t, d.Reason, "no schedule of the other changes was given")
	assert.Contains(t, d.Reason, "exclusive environments: prod")
	assert.Equal(t, policy.ConflictsName, d.Policy)

	busy := policy.Func("schedule", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Deny, Reason: "conflicts with payments-v3", Next: start.Add(2 * time.Hour)}
	})
	c.Against = busy
	d = c.Evaluate(ctx, ch)
	assert.Equal(t, policy.Deny, d.Verdict)
	assert.Equal(t, "conflicts with payments-v3", d.Reason)
	assert.Equal(t, policy.ConflictsName, d.Policy)
	assert.True(t, d.Next.Equal(start.Add(2*time.Hour)), "the schedule's next start leads NextSlot")
	slot, err := policy.Set{c}.NextSlot(ctx, ch, 24*time.Hour)
	assert.ErrorIs(t, err, policy.ErrNoSlot, "a check that denies every start finds no slot: %v", slot)

	c.Warn = true
	d = c.Evaluate(ctx, ch)
	assert.Equal(t, policy.Warn, d.Verdict, "warn only")
	assert.True(t, d.Next.IsZero())

	// An unknown verdict from the schedule's check fails closed in a Set.
	c.Against = policy.Func("odd", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Verdict(42)}
	})
	c.Warn = false
	assert.Equal(t, policy.Deny, policy.Set{c}.Evaluate(ctx, ch).Verdict())
}
