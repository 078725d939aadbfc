package policy_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

// TestNeverFits checks that an operation longer than every window is said
// to never fit, by Evaluate and by NextSlot, whatever the horizon, while
// the one night a year when the clocks go back still counts.
func TestNeverFits(t *testing.T) {
	w, err := policy.Windows("maintenance", "Mon-Thu 20:00-23:59", paris)
	require.NoError(t, err)
	for _, d := range []time.Duration{4 * time.Hour, 5*time.Hour + 30*time.Minute, 6 * time.Hour} {
		c := policy.Change{Start: at(2026, 11, 24, 20, 0), Duration: d}
		dec := w.Evaluate(ctx, c)
		assert.Equal(t, policy.Deny, dec.Verdict)
		assert.True(t, dec.Next.IsZero(), "%v: no Next", d)
		assert.Contains(t, dec.Reason, "an operation this long never fits: the longest window lasts 3h59m")
		for _, horizon := range []time.Duration{24 * time.Hour, 5 * year, 50 * year} {
			_, err := policy.Set{w}.NextSlot(ctx, c, horizon)
			assert.ErrorIs(t, err, policy.ErrNoSlot, "%v within %v", d, horizon)
		}
	}
	// Sunday 00:00-03:30 lasts 4h30 of real time on the last Sunday of
	// October in Paris (03:00 goes back to 02:00): a 4-hour operation fits
	// that night only.
	sun, err := policy.Windows("sunday-night", "Sun 00:00-03:30", paris)
	require.NoError(t, err)
	c := policy.Change{Start: at(2026, 6, 1, 12, 0), Duration: 4 * time.Hour}
	dec := sun.Evaluate(ctx, c)
	want := at(2026, 10, 25, 0, 0)
	assert.True(t, want.Equal(dec.Next), "got %v, want %v", dec.Next, want)
	got, err := policy.Set{sun}.NextSlot(ctx, c, year)
	require.NoError(t, err)
	assert.True(t, want.Equal(got), "got %v, want %v", got, want)
	// A 5-hour one never fits, even then.
	c.Duration = 5 * time.Hour
	dec = sun.Evaluate(ctx, c)
	assert.True(t, dec.Next.IsZero())
	assert.Contains(t, dec.Reason, "never fits: the longest window lasts 3h30m")
}

// TestDecisionNextOracle checks, on random changes, that the Next of each
// calendar's denial is the earliest start that calendar allows: allowed
// itself, and every minute from Start to it denied.
func TestDecisionNextOracle(t *testing.T) {
	n := 300
	if testing.Short() || raceEnabled {
		n = 40
	}
	rng := rand.New(rand.NewPCG(7, 2026))
	locs := []*time.Location{paris, newYork, sydney, kolkata}
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range n {
		loc := locs[rng.IntN(len(locs))]
		cals := standardCalendars(t, loc)
		cal := cals[rng.IntN(len(cals))]
		start := base.Add(time.Duration(rng.IntN(2*365*24*60)) * time.Minute).In(loc)
		c := policy.Change{Start: start, Duration: time.Duration(5+rng.IntN(175)) * time.Minute}
		dec := cal.Evaluate(ctx, c)
		if dec.Verdict != policy.Deny {
			continue
		}
		if !assert.False(t, dec.Next.IsZero(), "case %d: %s denies %v for %v without Next: %s", i, cal.Name(), start, c.Duration, dec.Reason) {
			return
		}
		if dec.Next.Sub(start) > 40*24*time.Hour {
			continue // a long freeze: the scan would be too long
		}
		moved := c
		moved.Start = dec.Next
		if !assert.NotEqual(t, policy.Deny, cal.Evaluate(ctx, moved).Verdict, "case %d: %s: Next %v is denied", i, cal.Name(), dec.Next) {
			return
		}
		for m := start; m.Before(dec.Next); m = m.Add(time.Minute) {
			moved.Start = m
			if !assert.Equal(t, policy.Deny, cal.Evaluate(ctx, moved).Verdict, "case %d: %s allows %v, before Next %v", i, cal.Name(), m, dec.Next) {
				return
			}
		}
		assert.Contains(t, dec.Reason, "allowed again from "+dec.Next.Format("Mon 2006-01-02 15:04 MST"))
	}
}

// incidentUntil returns a Func policy that denies every start before end,
// with Next set to end when withNext.
func incidentUntil(end time.Time, withNext bool) policy.Policy {
	return policy.Func("incident", func(_ context.Context, c policy.Change) policy.Decision {
		if !c.Start.Before(end) {
			return policy.Decision{Verdict: policy.Allow, Reason: "no open incident"}
		}
		d := policy.Decision{Verdict: policy.Deny, Reason: "incident INC-42 is open"}
		if withNext {
			d.Next = end
		}
		return d
	})
}

func TestNextSlotFollowsFunc(t *testing.T) {
	set := append(standardSet(t), incidentUntil(at(2026, 11, 24, 21, 0), true))
	c := policy.Change{Start: at(2026, 11, 24, 20, 0), Duration: time.Hour, ReadyAt: at(2026, 11, 24, 18, 0),
		Approvals: []policy.Approval{{Role: "operations", By: "bob", Go: true}}}
	require.False(t, set.Evaluate(ctx, c).Allowed())
	got, err := set.NextSlot(ctx, c, 30*24*time.Hour)
	require.NoError(t, err)
	assert.True(t, at(2026, 11, 24, 21, 0).Equal(got), "the end of the incident, within the window: got %v", got)

	// The incident ends after the window: the calendars move the start
	// again, to the next evening.
	set[len(set)-1] = incidentUntil(at(2026, 11, 24, 23, 0), true)
	got, err = set.NextSlot(ctx, c, 30*24*time.Hour)
	require.NoError(t, err)
	assert.True(t, at(2026, 11, 25, 20, 0).Equal(got), "got %v", got)
	moved := c
	moved.Start = got
	assert.True(t, set.Evaluate(ctx, moved).Allowed(), "%s", set.Evaluate(ctx, moved))

	// Beyond the horizon.
	_, err = set.NextSlot(ctx, c, 2*time.Hour)
	assert.ErrorIs(t, err, policy.ErrNoSlot)
}

func TestNextSlotRefused(t *testing.T) {
	c := policy.Change{Start: at(2026, 11, 24, 20, 0), Duration: time.Hour, ReadyAt: at(2026, 11, 24, 18, 0),
		Approvals: []policy.Approval{{Role: "operations", By: "bob", Go: true}}, Outage: 2 * time.Hour}
	for _, tt := range []struct {
		name   string
		p      policy.Policy
		policy string
		reason string
		why    string // why the search stopped, in the message
	}{
		{"a Func without Next", incidentUntil(at(2026, 11, 25, 21, 0), false), "incident", "incident INC-42 is open", "cannot say when"},
		{"a Func whose Next is not later", policy.Func("stuck", func(_ context.Context, c policy.Change) policy.Decision {
			return policy.Decision{Verdict: policy.Deny, Reason: "never", Next: c.Start}
		}), "stuck", "never", "names no later start"},
		{"a Func that keeps moving", policy.Func("creeping", func(_ context.Context, c policy.Change) policy.Decision {
			return policy.Decision{Verdict: policy.Deny, Reason: "later", Next: c.Start.Add(time.Second)}
		}), "creeping", "later", "kept moving the start, 1000 times"},
		{"max outage", policy.MaxOutage(time.Hour), "max-outage", "exceeds the limit", "cannot say when"},
		{"a No-Go", policy.RequireGo("security"), "require-go:security", "", "cannot say when"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			cc := c
			if tt.policy == "require-go:security" {
				cc.Approvals = append(cc.Approvals, policy.Approval{Role: "security", By: "eve", Go: false, Reason: "pen test pending"})
			}
			set := append(standardSet(t), tt.p)
			got, err := set.NextSlot(ctx, cc, 30*24*time.Hour)
			require.Error(t, err, "got %v", got)
			assert.ErrorIs(t, err, policy.ErrNoSlot)
			var re *policy.RefusedError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, tt.policy, re.Policy)
			assert.Contains(t, re.Reason, tt.reason)
			assert.Contains(t, err.Error(), tt.policy)
			assert.Contains(t, err.Error(), tt.why)
			assert.True(t, got.IsZero(), "no start is returned")
			moved := cc
			moved.Start = re.Start
			assert.False(t, set.Evaluate(ctx, moved).Allowed(), "the start named is refused")
		})
	}
}

// TestNextSlotNeverDenied checks on random changes and random Func
// policies that NextSlot never returns a start that the Set denies.
func TestNextSlotNeverDenied(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 2026))
	n := 200
	if testing.Short() || raceEnabled {
		n = 30
	}
	for i := range n {
		busyFrom := at(2026, 11, 20, 0, 0).Add(time.Duration(rng.IntN(20*24)) * time.Hour)
		busyTo := busyFrom.Add(time.Duration(rng.IntN(72)) * time.Hour)
		withNext := rng.IntN(2) == 0
		busy := policy.Func("busy", func(_ context.Context, c policy.Change) policy.Decision {
			if c.Start.Before(busyTo) && busyFrom.Before(c.Start.Add(c.Duration)) {
				d := policy.Decision{Verdict: policy.Deny, Reason: "busy"}
				if withNext {
					d.Next = busyTo
				}
				return d
			}
			return policy.Decision{Verdict: policy.Allow}
		})
		set := append(standardSet(t), busy)
		c := policy.Change{Start: at(2026, 11, 20, 0, 0).Add(time.Duration(rng.IntN(20*24*60)) * time.Minute),
			Duration: time.Duration(5+rng.IntN(200)) * time.Minute, ReadyAt: at(2026, 11, 1, 0, 0),
			Approvals: []policy.Approval{{Role: "operations", By: "bob", Go: true}}}
		got, err := set.NextSlot(ctx, c, 60*24*time.Hour)
		if err != nil {
			assert.ErrorIs(t, err, policy.ErrNoSlot, "case %d", i)
			continue
		}
		moved := c
		moved.Start = got
		r := set.Evaluate(ctx, moved)
		assert.True(t, r.Allowed(), "case %d: %v for %v -> %v\n%s", i, c.Start, c.Duration, got, r)
	}
}

func ExampleRefusedError() {
	paris, _ := time.LoadLocation("Europe/Paris")
	set := policy.Set{policy.FridayFreeze(paris), policy.MaxOutage(30 * time.Minute)}
	c := policy.Change{Start: time.Date(2026, 11, 27, 20, 0, 0, 0, paris), Duration: time.Hour, Outage: time.Hour}
	_, err := set.NextSlot(context.Background(), c, 30*24*time.Hour)
	var re *policy.RefusedError
	if errors.As(err, &re) {
		fmt.Println(re.Policy, "refuses", re.Start.Format("Mon 15:04"), "whatever the start:", strings.Contains(re.Reason, "exceeds"))
	}
	fmt.Println(errors.Is(err, policy.ErrNoSlot))
	// Output:
	// max-outage refuses Sat 00:00 whatever the start: true
	// true
}
