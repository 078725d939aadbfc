package policy_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

// fakeClock is a clock that jumps: each sleep advances it at once and is
// counted as a wake-up.
type fakeClock struct {
	now   time.Time
	wakes []time.Time
}

func (f *fakeClock) Now() time.Time { return f.now }

func (f *fakeClock) After(d time.Duration) <-chan time.Time {
	f.now = f.now.Add(d)
	f.wakes = append(f.wakes, f.now)
	ch := make(chan time.Time, 1)
	ch <- f.now
	return ch
}

func (f *fakeClock) options() *policy.WaitOptions {
	return &policy.WaitOptions{Now: f.Now, After: f.After}
}

// fixed returns a refresh function that always gives c.
func fixed(c policy.Change) func(context.Context) (policy.Change, error) {
	return func(context.Context) (policy.Change, error) { return c, nil }
}

func TestWaitWakesAtTheEndOfTheFridayFreeze(t *testing.T) {
	clk := &fakeClock{now: at(2026, 11, 27, 10, 0)} // Friday
	set := policy.Set{policy.FridayFreeze(paris)}
	res, err := set.Wait(context.Background(), fixed(policy.Change{Duration: 90 * time.Minute}), clk.options())
	require.NoError(t, err)
	assert.True(t, res.Allowed())
	require.Len(t, clk.wakes, 1, "wake-ups")
	assert.True(t, clk.wakes[0].Equal(at(2026, 11, 28, 0, 0)), "woke at %v, want Sat 00:00", clk.wakes[0])
}

func TestWaitAcrossWeekendAndHolidayWakesOnce(t *testing.T) {
	// Easter Monday 2027 (29 March) is a holiday in France, and Paris
	// moves its clocks on Sunday 28 March: Friday 10:00 to Tuesday 20:00,
	// the first evening window, in one sleep.
	hol, err := policy.Holidays("FR", paris, true)
	require.NoError(t, err)
	win, err := policy.Windows("evening", "Mon-Thu 20:00-23:30", paris)
	require.NoError(t, err)
	set := policy.Set{policy.FridayFreeze(paris), policy.WeekendFreeze(paris), hol, win}
	clk := &fakeClock{now: at(2027, 3, 26, 10, 0)}
	var seen []time.Time
	opts := clk.options()
	opts.OnChange = func(_ policy.Result, until time.Time) { seen = append(seen, until) }
	res, err := set.Wait(context.Background(), fixed(policy.Change{Duration: time.Hour}), opts)
	require.NoError(t, err)
	assert.True(t, res.Allowed())
	require.Len(t, clk.wakes, 1, "wake-ups")
	assert.True(t, clk.wakes[0].Equal(at(2027, 3, 30, 20, 0)), "woke at %v", clk.wakes[0])
	require.Len(t, seen, 2, "OnChange: the first denial, then the allowed result")
	assert.True(t, seen[0].Equal(at(2027, 3, 30, 20, 0)))
	assert.True(t, seen[1].IsZero())
}

func TestWaitAcrossTransitionsInFourZones(t *testing.T) {
	tests := []struct {
		name       string
		loc        *time.Location
		from, want time.Time
		spec       string
	}{
		// Paris springs forward on Sunday 2027-03-28 at 02:00.
		{"paris spring", paris, atIn(paris, 2027, 3, 27, 23, 0), atIn(paris, 2027, 3, 28, 22, 0), "Sun 22:00-02:00"},
		// New York falls back on Sunday 2026-11-01 at 02:00.
		{"new york fall", newYork, atIn(newYork, 2026, 10, 31, 12, 0), atIn(newYork, 2026, 10, 31, 23, 0), "Sat 23:00-03:00"},
		// Sydney springs forward on Sunday 2026-10-04 at 02:00.
		{"sydney spring", sydney, atIn(sydney, 2026, 10, 3, 12, 0), atIn(sydney, 2026, 10, 3, 23, 30), "Sat 23:30-04:00"},
		// Kolkata has no transition: the window crosses midnight.
		{"kolkata midnight", kolkata, atIn(kolkata, 2026, 11, 27, 1, 0), atIn(kolkata, 2026, 11, 27, 23, 0), "Fri 23:00-01:00"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			win, err := policy.Windows("night", tt.spec, tt.loc)
			require.NoError(t, err)
			clk := &fakeClock{now: tt.from}
			res, err := policy.Set{win}.Wait(context.Background(), fixed(policy.Change{Duration: 90 * time.Minute}), clk.options())
			require.NoError(t, err)
			assert.True(t, res.Allowed())
			require.Len(t, clk.wakes, 1)
			assert.True(t, clk.wakes[0].Equal(tt.want), "got %v, want %v", clk.wakes[0], tt.want)
		})
	}
}

func TestWaitEndsWhenTheGoArrives(t *testing.T) {
	start := at(2026, 11, 24, 20, 30) // Tuesday, in the window
	win, err := policy.Windows("evening", "Mon-Thu 20:00-23:30", paris)
	require.NoError(t, err)
	set := policy.Set{win, policy.RequireGo("operations")}
	clk := &fakeClock{now: start}
	goAt := start.Add(7*time.Minute + 30*time.Second)
	refreshes := 0
	refresh := func(context.Context) (policy.Change, error) {
		refreshes++
		c := policy.Change{Duration: time.Hour}
		if !clk.now.Before(goAt) {
			c.Approvals = []policy.Approval{{Role: "operations", By: "alice", Go: true}}
		}
		return c, nil
	}
	var changes int
	opts := clk.options()
	opts.OnChange = func(policy.Result, time.Time) { changes++ }
	res, err := set.Wait(context.Background(), refresh, opts)
	require.NoError(t, err)
	assert.True(t, res.Allowed())
	assert.Len(t, clk.wakes, 8, "one poll a minute until the GO")
	assert.True(t, clk.now.Equal(start.Add(8*time.Minute)))
	assert.Equal(t, 9, refreshes)
	assert.Equal(t, 2, changes, "the denial, then the GO")
}

func TestWaitGoDuringAFreezeIsSeenAtItsEnd(t *testing.T) {
	// While the calendar denies too, the missing GO is polled: the GO
	// arriving mid-freeze does not end the wait before the freeze does.
	set := policy.Set{policy.FridayFreeze(paris), policy.RequireGo("operations")}
	clk := &fakeClock{now: at(2026, 11, 27, 23, 0)}
	opts := clk.options()
	opts.Poll = 20 * time.Minute
	refresh := func(context.Context) (policy.Change, error) {
		c := policy.Change{Duration: time.Hour}
		if !clk.now.Before(at(2026, 11, 27, 23, 30)) {
			c.Approvals = []policy.Approval{{Role: "operations", By: "alice", Go: true}}
		}
		return c, nil
	}
	res, err := set.Wait(context.Background(), refresh, opts)
	require.NoError(t, err)
	assert.True(t, res.Allowed())
	assert.True(t, clk.now.Equal(at(2026, 11, 28, 0, 0)), "got %v", clk.now)
	assert.Len(t, clk.wakes, 3, "23:20, 23:40, then the freeze's end")
}

func TestWaitUntil(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(paris)}
	clk := &fakeClock{now: at(2026, 11, 27, 10, 0)}
	opts := clk.options()
	opts.Until = at(2026, 11, 27, 18, 0)
	res, err := set.Wait(context.Background(), fixed(policy.Change{Duration: time.Hour}), opts)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, res.Allowed(), "the last result is kept")
	require.Len(t, res.Denials(), 1)
	assert.Equal(t, "friday-freeze", res.Denials()[0].Policy)
	assert.Len(t, clk.wakes, 1)
	assert.True(t, clk.now.Equal(opts.Until))
}

func TestWaitUntilAtTheFreezesEndIsAllowed(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(paris)}
	clk := &fakeClock{now: at(2026, 11, 27, 10, 0)}
	opts := clk.options()
	opts.Until = at(2026, 11, 28, 0, 0)
	res, err := set.Wait(context.Background(), fixed(policy.Change{Duration: time.Hour}), opts)
	require.NoError(t, err)
	assert.True(t, res.Allowed())
}

func TestWaitContextDeadline(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(paris)}
	clk := &fakeClock{now: at(2026, 11, 27, 10, 0)}
	opts := clk.options()
	opts.After = func(time.Duration) <-chan time.Time { return nil } // a sleep that never ends
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
	defer cancel()
	res, err := set.Wait(ctx, fixed(policy.Change{Duration: time.Hour}), opts)
	require.Error(t, err)
	assert.ErrorIs(t, err, context.DeadlineExceeded)
	assert.False(t, res.Allowed())
	assert.Len(t, res.Denials(), 1)
}

func TestWaitContextAlreadyDoneStillSaysWhy(t *testing.T) {
	// A caller whose deadline passed before Wait began (a slow machine, a
	// budget spent upstream) still gets a Result that blocks and names
	// the freeze, never an empty Result that Allowed would wave through.
	set := policy.Set{policy.FridayFreeze(paris)}
	clk := &fakeClock{now: at(2026, 11, 27, 10, 0)}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	res, err := set.Wait(ctx, fixed(policy.Change{Duration: time.Hour}), clk.options())
	require.Error(t, err)
	assert.ErrorIs(t, err, context.Canceled)
	assert.False(t, res.Allowed())
	require.Len(t, res.Denials(), 1)
	assert.Equal(t, "friday-freeze", res.Denials()[0].Policy)
	assert.Empty(t, clk.wakes, "no sleep once ctx is done")
}

func TestWaitErrors(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(paris)}
	_, err := set.Wait(context.Background(), nil, nil)
	assert.ErrorIs(t, err, policy.ErrInvalid)

	boom := errors.New("boom")
	clk := &fakeClock{now: at(2026, 11, 27, 10, 0)}
	n := 0
	refresh := func(context.Context) (policy.Change, error) {
		n++
		if n > 1 {
			return policy.Change{}, boom
		}
		return policy.Change{Duration: time.Hour}, nil
	}
	res, err := set.Wait(context.Background(), refresh, clk.options())
	assert.ErrorIs(t, err, boom)
	assert.False(t, res.Allowed(), "the last result is kept")

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = set.Wait(ctx, fixed(policy.Change{}), clk.options())
	assert.ErrorIs(t, err, context.Canceled)
}

func TestWaitNoSlotSleepsTheHorizon(t *testing.T) {
	// A freeze longer than the horizon: the wait sleeps the horizon, then
	// searches again, and never spins.
	f := policy.Freeze("long", at(2026, 1, 1, 0, 0), at(2027, 1, 1, 0, 0))
	clk := &fakeClock{now: at(2026, 6, 1, 0, 0)}
	opts := clk.options()
	opts.Horizon = 30 * 24 * time.Hour
	res, err := policy.Set{f}.Wait(context.Background(), fixed(policy.Change{Duration: time.Hour}), opts)
	require.NoError(t, err)
	assert.True(t, res.Allowed())
	assert.True(t, clk.now.Equal(at(2027, 1, 1, 0, 0)), "got %v", clk.now)
	assert.LessOrEqual(t, len(clk.wakes), 8)
}

func TestWaitReadinessStillToCome(t *testing.T) {
	// Not ready: the readiness window denies and says when, an hour after
	// readiness; the wait polls for ReadyAt, then sleeps the lead.
	set := policy.Set{policy.ReadinessWindow(time.Hour)}
	start := at(2026, 11, 24, 18, 0)
	readyAt := start.Add(10 * time.Minute)
	clk := &fakeClock{now: start}
	opts := clk.options()
	opts.Poll = 5 * time.Minute
	refresh := func(context.Context) (policy.Change, error) {
		c := policy.Change{Duration: time.Hour}
		if !clk.now.Before(readyAt) {
			c.ReadyAt = readyAt
		}
		return c, nil
	}
	res, err := set.Wait(context.Background(), refresh, opts)
	require.NoError(t, err)
	assert.True(t, res.Allowed())
	assert.True(t, clk.now.Equal(readyAt.Add(time.Hour)), "got %v", clk.now)
}

func TestWaitNeverSpins(t *testing.T) {
	// A policy that denies and names a next start that is not later, or
	// one in the past: the wait polls, it does not spin.
	for _, next := range []time.Duration{0, -time.Hour} {
		p := policy.Func("odd", func(_ context.Context, c policy.Change) policy.Decision {
			return policy.Decision{Verdict: policy.Deny, Reason: "no", Next: c.Start.Add(next)}
		})
		clk := &fakeClock{now: at(2026, 11, 24, 10, 0)}
		opts := clk.options()
		opts.Poll = 10 * time.Minute
		opts.Until = at(2026, 11, 24, 11, 0)
		_, err := policy.Set{p}.Wait(context.Background(), fixed(policy.Change{}), opts)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Len(t, clk.wakes, 6, "one poll every 10 minutes for an hour")
	}
}

func TestWaitFollowsNext(t *testing.T) {
	// A policy of the user's that says when it will allow the change: the
	// wait sleeps there, and still polls, since the refreshed change may
	// clear it sooner.
	until := at(2026, 11, 24, 10, 25)
	p := policy.Func("later", func(_ context.Context, c policy.Change) policy.Decision {
		if c.Start.Before(until) {
			return policy.Decision{Verdict: policy.Deny, Reason: "later", Next: until}
		}
		return policy.Decision{}
	})
	clk := &fakeClock{now: at(2026, 11, 24, 10, 0)}
	opts := clk.options()
	opts.Poll = 10 * time.Minute
	res, err := policy.Set{p}.Wait(context.Background(), fixed(policy.Change{}), opts)
	require.NoError(t, err)
	assert.True(t, res.Allowed())
	assert.True(t, clk.now.Equal(until))
	assert.Len(t, clk.wakes, 3, "10:10, 10:20, 10:25")
}

func TestWaitWrappedCalendars(t *testing.T) {
	// Scoped and mandatory calendars are still calendars to the wait: one
	// wake-up, at the end of the freezes.
	set := policy.Set{
		policy.Scoped(policy.Scope{Environments: []string{"prod"}}, policy.FridayFreeze(paris)),
		policy.Mandatory(policy.WeekendFreeze(paris)),
		policy.Named("no-fridays-in-sydney", policy.FridayFreeze(sydney)),
	}
	clk := &fakeClock{now: at(2026, 11, 27, 10, 0)}
	res, err := set.Wait(context.Background(), fixed(policy.Change{Environment: "prod", Duration: time.Hour}), clk.options())
	require.NoError(t, err)
	assert.True(t, res.Allowed())
	require.Len(t, clk.wakes, 1)
	assert.True(t, clk.now.Equal(at(2026, 11, 30, 0, 0)), "got %v", clk.now)
}
