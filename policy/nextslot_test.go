package policy_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

// standardSet is the set of the benchmarks: Friday and weekend freezes, FR
// holidays with eves, a year-end freeze, windows Mon-Thu 20:00-23:30, the
// readiness window and the GO of operations, all in Europe/Paris.
func standardSet(t testing.TB) policy.Set {
	t.Helper()
	hol, err := policy.Holidays("FR", paris, true)
	require.NoError(t, err)
	win, err := policy.Windows("maintenance", "Mon-Thu 20:00-23:30", paris)
	require.NoError(t, err)
	return policy.Set{
		policy.FridayFreeze(paris),
		policy.WeekendFreeze(paris),
		hol,
		policy.Freeze("year-end", at(2026, 12, 18, 0, 0), at(2027, 1, 4, 0, 0)),
		win,
		policy.ReadinessWindow(time.Hour),
		policy.RequireGo("operations"),
	}
}

func TestNextSlot(t *testing.T) {
	set := standardSet(t)
	tests := []struct {
		name    string
		c       policy.Change
		horizon time.Duration
		want    time.Time
		err     error
	}{
		{"already allowed", policy.Change{Start: at(2026, 11, 24, 20, 0), Duration: 2 * time.Hour, ReadyAt: at(2026, 11, 24, 18, 0)},
			30 * 24 * time.Hour, at(2026, 11, 24, 20, 0), nil},
		{"friday to monday evening", policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: 2 * time.Hour, ReadyAt: at(2026, 11, 24, 18, 0)},
			30 * 24 * time.Hour, at(2026, 11, 30, 20, 0), nil},
		{"too late in the window", policy.Change{Start: at(2026, 11, 24, 22, 0), Duration: 2 * time.Hour, ReadyAt: at(2026, 11, 24, 18, 0)},
			30 * 24 * time.Hour, at(2026, 11, 25, 20, 0), nil},
		{"readiness pushes the start", policy.Change{Start: at(2026, 11, 24, 20, 0), Duration: time.Hour, ReadyAt: at(2026, 11, 24, 20, 15)},
			30 * 24 * time.Hour, at(2026, 11, 24, 21, 15), nil},
		{"not ready: now plus lead", policy.Change{Start: at(2026, 11, 24, 20, 0), Duration: time.Hour, Now: at(2026, 11, 24, 19, 30)},
			30 * 24 * time.Hour, at(2026, 11, 24, 20, 30), nil},
		{"over the year-end freeze and new year", policy.Change{Start: at(2026, 12, 17, 23, 0), Duration: time.Hour, ReadyAt: at(2026, 12, 1, 0, 0)},
			60 * 24 * time.Hour, at(2027, 1, 4, 20, 0), nil},
		{"christmas eve is blocked, the 23rd is not", policy.Change{Start: at(2025, 12, 23, 21, 0), Duration: time.Hour, ReadyAt: at(2025, 12, 1, 0, 0)},
			60 * 24 * time.Hour, at(2025, 12, 23, 21, 0), nil},
		{"never fits", policy.Change{Start: at(2026, 11, 24, 20, 0), Duration: 4 * time.Hour, ReadyAt: at(2026, 11, 24, 18, 0)},
			365 * 24 * time.Hour, time.Time{}, policy.ErrNoSlot},
		{"beyond the horizon", policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: time.Hour, ReadyAt: at(2026, 11, 24, 18, 0)},
			24 * time.Hour, time.Time{}, policy.ErrNoSlot},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// With the GO given: NextSlot honours RequireGo too.
			tt.c.Approvals = []policy.Approval{{Role: "operations", By: "bob", Go: true}}
			got, err := set.NextSlot(ctx, tt.c, tt.horizon)
			if tt.err != nil {
				assert.ErrorIs(t, err, tt.err)
				return
			}
			require.NoError(t, err)
			assert.True(t, tt.want.Equal(got), "got %v, want %v", got, tt.want)
			c := tt.c
			c.Start = got
			c.Approvals = []policy.Approval{{Role: "operations", By: "bob", Go: true}}
			assert.True(t, set.Evaluate(ctx, c).Allowed(), "the slot is allowed: %s", set.Evaluate(ctx, c))
		})
	}
}

func TestNextSlotContext(t *testing.T) {
	c, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := standardSet(t).NextSlot(c, policy.Change{Start: at(2026, 11, 27, 10, 0)}, 365*24*time.Hour)
	assert.ErrorIs(t, err, context.Canceled)
}

func TestSetFreeAndBlocked(t *testing.T) {
	set := standardSet(t)
	from, to := at(2026, 11, 23, 0, 0), at(2026, 11, 30, 0, 0)
	assertIntervals(t, []policy.Interval{
		{at(2026, 11, 23, 20, 0), at(2026, 11, 23, 23, 30)},
		{at(2026, 11, 24, 20, 0), at(2026, 11, 24, 23, 30)},
		{at(2026, 11, 25, 20, 0), at(2026, 11, 25, 23, 30)},
		{at(2026, 11, 26, 20, 0), at(2026, 11, 26, 23, 30)},
	}, set.Free(from, to))
	b := set.Blocked(from, to)
	require.Len(t, b, 5)
	assert.True(t, b[4].End.Equal(to))
}

// TestNextSlotOracle checks NextSlot against a minute-by-minute scan of
// Set.Evaluate on random changes, zones and sets.
func TestNextSlotOracle(t *testing.T) {
	n := 2000
	if testing.Short() || raceEnabled {
		n = 300
	}
	rng := rand.New(rand.NewPCG(4, 2026))
	locs := []*time.Location{paris, newYork, sydney, kolkata}
	durations := []time.Duration{0, 15 * time.Minute, time.Hour, 150 * time.Minute, 3 * time.Hour}
	const horizon = 4 * 24 * time.Hour
	base := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	calsOf := map[*time.Location][]policy.Calendar{}
	for _, loc := range locs {
		calsOf[loc] = standardCalendars(t, loc)
	}
	for i := range n {
		loc := locs[rng.IntN(len(locs))]
		cals := calsOf[loc]
		var set policy.Set
		for _, c := range cals {
			if rng.IntN(3) > 0 {
				set = append(set, c)
			}
		}
		set = append(set, policy.ReadinessWindow(time.Hour))
		start := base.Add(time.Duration(rng.IntN(5*365*24*60)) * time.Minute).In(loc)
		c := policy.Change{Start: start, Duration: durations[rng.IntN(len(durations))]}
		if rng.IntN(2) == 0 {
			c.ReadyAt = start.Add(time.Duration(rng.IntN(360)-180) * time.Minute)
		} else {
			c.Now = start.Add(-time.Duration(rng.IntN(180)) * time.Minute)
		}
		got, err := set.NextSlot(ctx, c, horizon)
		var want time.Time
		for t := start; !t.After(start.Add(horizon)); t = t.Add(time.Minute) {
			cc := c
			cc.Start = t
			if set.Evaluate(ctx, cc).Allowed() {
				want = t
				break
			}
		}
		if want.IsZero() {
			if !assert.True(t, errors.Is(err, policy.ErrNoSlot), "case %d (%s, %v for %v): got %v, %v; scan found none", i, loc, start, c.Duration, got, err) {
				return
			}
			continue
		}
		if !assert.NoError(t, err, "case %d (%s, %v for %v): scan found %v", i, loc, start, c.Duration, want) ||
			!assert.True(t, want.Equal(got), "case %d (%s, %v for %v): got %v, scan %v", i, loc, start, c.Duration, got, want) {
			return
		}
	}
}

// TestNextSlotHoldsWithNowKept checks the promise of NextSlot: the change
// moved to the slot, with Now kept (the original Start when Now is zero),
// gets no denial from the calendars nor from the readiness window.
func TestNextSlotHoldsWithNowKept(t *testing.T) {
	set := standardSet(t)
	for _, c := range []policy.Change{
		{Start: at(2026, 11, 24, 20, 0), Duration: time.Hour},                                    // not ready, Now zero
		{Start: at(2026, 11, 27, 10, 0), Duration: 2 * time.Hour},                                // a Friday, not ready, Now zero
		{Start: at(2026, 11, 24, 20, 0), Duration: time.Hour, Now: at(2026, 11, 24, 19, 30)},     // not ready, Now set
		{Start: at(2026, 11, 24, 20, 0), Duration: time.Hour, ReadyAt: at(2026, 11, 24, 20, 15)}, // ready too late
		{Start: at(2026, 12, 17, 23, 0), Duration: 3 * time.Hour},                                // into the year-end freeze
	} {
		next, err := set.NextSlot(ctx, c, 60*24*time.Hour)
		require.NoError(t, err, "%v", c.Start)
		moved := c
		moved.Start = next
		if moved.Now.IsZero() {
			moved.Now = c.Start
		}
		for _, d := range set.Evaluate(ctx, moved).Decisions {
			if d.Policy == "require-go:operations" {
				continue // not a calendar: no GO was given
			}
			assert.NotEqual(t, policy.Deny, d.Verdict, "%v moved to %v: %s", c.Start, next, d)
		}
		// The readiness denial of the original change proposes a start the
		// moved change also accepts.
		for _, d := range set.Evaluate(ctx, c).Decisions {
			if d.Policy == "readiness" && d.Verdict == policy.Deny {
				require.False(t, d.Next.IsZero(), d.Reason)
				m := c
				m.Start = d.Next
				if m.Now.IsZero() {
					m.Now = c.Start
				}
				assert.NotEqual(t, policy.Deny, policy.ReadinessWindow(time.Hour).Evaluate(ctx, m).Verdict, "%v", d.Next)
			}
		}
	}
}
