package policy_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mepkit/mepkit/policy"
)

// TestExtremeInstants evaluates and searches around instants far from
// today (the zero time, year 1, 9999, 200000): no panic, and what the
// calendars say holds.
func TestExtremeInstants(t *testing.T) {
	for _, start := range []time.Time{
		{},
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1899, 12, 31, 23, 0, 0, 0, paris),
		time.Date(9999, 12, 31, 22, 0, 0, 0, paris),
		time.Date(200000, 6, 1, 10, 0, 0, 0, paris),
		time.Unix(-1<<63, 0),
		time.Unix(-1<<62, 0).In(paris),
		time.Unix(1<<62, 0).In(paris),
		time.Unix(1<<63-1, 999_999_999),
	} {
		for _, cal := range standardCalendars(t, paris) {
			c := policy.Change{Start: start, Duration: 3 * time.Hour}
			d := cal.Evaluate(ctx, c)
			if d.Verdict == policy.Deny && !d.Next.IsZero() {
				c.Start = d.Next
				assert.NotEqual(t, policy.Deny, cal.Evaluate(ctx, c).Verdict, "%s at %v: Next %v", cal.Name(), start, d.Next)
			}
			cal.Blocked(start, start.Add(30*24*time.Hour))
		}
		set := standardSet(t)
		c := policy.Change{Start: start, Duration: time.Hour, ReadyAt: start.Add(-2 * time.Hour),
			Approvals: []policy.Approval{{Role: "operations", By: "bob", Go: true}}}
		if got, err := set.NextSlot(ctx, c, 60*24*time.Hour); err == nil {
			c.Start = got
			assert.True(t, set.Evaluate(ctx, c).Allowed(), "%v: slot %v", start, got)
		}
	}
}
