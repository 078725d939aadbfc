package policy_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

// edge is a transition as the tests write it.
type edge struct {
	at     time.Time
	edge   policy.Edge
	policy string
	free   bool
}

func edgesOf(ts []policy.Transition) []edge {
	out := make([]edge, len(ts))
	for i, t := range ts {
		out[i] = edge{t.At, t.Edge, t.Policy, t.Free}
	}
	return out
}

func assertEdges(t *testing.T, want []edge, got []policy.Transition) {
	t.Helper()
	g := edgesOf(got)
	if !assert.Len(t, g, len(want)) {
		for _, x := range got {
			t.Log(x)
		}
		return
	}
	for i := range want {
		assert.True(t, want[i].at.Equal(g[i].at), "%d: at %v, want %v", i, g[i].at, want[i].at)
		assert.Equal(t, want[i].edge, g[i].edge, "%d", i)
		assert.Equal(t, want[i].policy, g[i].policy, "%d", i)
		assert.Equal(t, want[i].free, g[i].free, "%d %v", i, g[i].at)
	}
}

func TestUpcomingFridayAndWeekend(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(paris), policy.WeekendFreeze(paris), policy.RequireGo("operations")}
	got := set.Upcoming(at(2026, 11, 25, 12, 0), 7*24*time.Hour)
	assertEdges(t, []edge{
		{at(2026, 11, 27, 0, 0), policy.Closes, "friday-freeze", false},
		{at(2026, 11, 28, 0, 0), policy.Opens, "friday-freeze", false},
		{at(2026, 11, 28, 0, 0), policy.Closes, "weekend-freeze", false},
		{at(2026, 11, 30, 0, 0), policy.Opens, "weekend-freeze", true},
	}, got)
	require.Len(t, got, 4)
	assert.Equal(t, policy.R11, got[0].Rule)
	assert.Equal(t, 1, got[2].Index)
	assert.Equal(t, "Fri 2026-11-27 00:00 CET friday-freeze closes until Sat 2026-11-28 00:00 CET: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET", got[0].String())
	assert.Equal(t, "Sat 2026-11-28 00:00 CET friday-freeze opens (closed since Fri 2026-11-27 00:00 CET); still blocked by another calendar", got[1].String())
	assert.Equal(t, "Mon 2026-11-30 00:00 CET weekend-freeze opens (closed since Sat 2026-11-28 00:00 CET)", got[3].String())
}

func TestUpcomingUnderWayAndBeyond(t *testing.T) {
	// From Friday noon to Saturday noon: the Friday freeze ends within the
	// horizon (no closing listed), the weekend starts and ends beyond it.
	set := policy.Set{policy.FridayFreeze(paris), policy.WeekendFreeze(paris)}
	got := set.Upcoming(at(2026, 11, 27, 12, 0), 24*time.Hour)
	require.Len(t, got, 2)
	assert.Equal(t, policy.Opens, got[0].Edge)
	assert.True(t, got[0].Blocked.Start.Equal(at(2026, 11, 27, 0, 0)), "the whole interval: %v", got[0].Blocked)
	assert.Equal(t, policy.Closes, got[1].Edge)
	assert.True(t, got[1].Blocked.End.Equal(at(2026, 11, 30, 0, 0)), "the whole interval: %v", got[1].Blocked)

	// A freeze far longer than the horizon.
	f := policy.Freeze("year-end", at(2026, 12, 18, 0, 0), at(2027, 1, 4, 0, 0))
	got = policy.Set{f}.Upcoming(at(2026, 12, 17, 12, 0), 24*time.Hour)
	require.Len(t, got, 1)
	assert.True(t, got[0].Blocked.End.Equal(at(2027, 1, 4, 0, 0)), "%v", got[0].Blocked)

	assert.Nil(t, set.Upcoming(at(2026, 11, 27, 12, 0), 0))
	assert.Nil(t, set.Upcoming(at(2026, 11, 27, 12, 0), -time.Hour))
	assert.Empty(t, policy.Set{}.Upcoming(at(2026, 11, 27, 12, 0), time.Hour))
}

func TestUpcomingHolidaysAndEves(t *testing.T) {
	hol, err := policy.Holidays("FR", paris, true)
	require.NoError(t, err)
	got := policy.Set{hol}.Upcoming(at(2026, 12, 20, 0, 0), 14*24*time.Hour)
	// Christmas Eve and Day, New Year's Eve and Day.
	assertEdges(t, []edge{
		{at(2026, 12, 24, 0, 0), policy.Closes, "holidays-FR", false},
		{at(2026, 12, 26, 0, 0), policy.Opens, "holidays-FR", true},
		{at(2026, 12, 31, 0, 0), policy.Closes, "holidays-FR", false},
		{at(2027, 1, 2, 0, 0), policy.Opens, "holidays-FR", true},
	}, got)
	assert.Contains(t, got[0].Reason, "eve")
}

func TestUpcomingWindowsAcrossTransitions(t *testing.T) {
	tests := []struct {
		name   string
		loc    *time.Location
		spec   string
		from   time.Time
		opens  time.Time
		closes time.Time
	}{
		// The night the clocks go forward in Paris: 02:00 does not exist.
		{"paris", paris, "Sat 23:00-03:00", atIn(paris, 2027, 3, 27, 12, 0), atIn(paris, 2027, 3, 27, 23, 0), atIn(paris, 2027, 3, 28, 3, 0)},
		// New York falls back: 23:00 to 03:00 lasts five real hours.
		{"new york", newYork, "Sat 23:00-03:00", atIn(newYork, 2026, 10, 31, 12, 0), atIn(newYork, 2026, 10, 31, 23, 0), atIn(newYork, 2026, 11, 1, 3, 0)},
		{"sydney", sydney, "Sat 23:00-03:00", atIn(sydney, 2026, 10, 3, 12, 0), atIn(sydney, 2026, 10, 3, 23, 0), atIn(sydney, 2026, 10, 4, 3, 0)},
		{"kolkata", kolkata, "Fri 22:00-01:30", atIn(kolkata, 2026, 11, 27, 12, 0), atIn(kolkata, 2026, 11, 27, 22, 0), atIn(kolkata, 2026, 11, 28, 1, 30)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			win, err := policy.Windows("night", tt.spec, tt.loc)
			require.NoError(t, err)
			got := policy.Set{win}.Upcoming(tt.from, 24*time.Hour)
			assertEdges(t, []edge{
				{tt.opens, policy.Opens, "night", true},
				{tt.closes, policy.Closes, "night", false},
			}, got)
		})
	}
	// New York's window lasts five real hours on that night.
	win, _ := policy.Windows("night", "Sat 23:00-03:00", newYork)
	got := policy.Set{win}.Upcoming(atIn(newYork, 2026, 10, 31, 12, 0), 24*time.Hour)
	require.Len(t, got, 2)
	assert.Equal(t, 5*time.Hour, got[1].At.Sub(got[0].At))
}

func TestUpcomingInTheZoneOfFrom(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(sydney)}
	got := set.Upcoming(atIn(paris, 2026, 11, 25, 12, 0), 3*24*time.Hour)
	require.NotEmpty(t, got)
	assert.Equal(t, paris, got[0].At.Location())
	assert.Contains(t, got[0].Reason, "Australia/Sydney", "a calendar speaks in its own zone")
}

func TestUpcomingAgreesWithBlocked(t *testing.T) {
	// Every transition is a boundary of the Set's blocked intervals, or of
	// one calendar's inside them.
	var set policy.Set
	for _, c := range standardCalendars(t, paris) {
		set = append(set, c)
	}
	from := at(2026, 11, 20, 9, 0)
	ts := set.Upcoming(from, 60*24*time.Hour)
	require.NotEmpty(t, ts)
	for _, tr := range ts {
		_, ok := set.PolicyOf(policy.Decision{Index: tr.Index}).(policy.Calendar)
		require.True(t, ok)
		c := policy.Change{Start: tr.At}
		d := set[tr.Index].Evaluate(context.Background(), c)
		want := policy.Deny
		if tr.Edge == policy.Opens {
			want = policy.Allow
		}
		assert.Equal(t, want, d.Verdict, "%v", tr)
		free := set.Evaluate(context.Background(), c).Allowed()
		assert.Equal(t, free, tr.Free, "%v", tr)
	}
}

func TestAnnounce(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(paris), policy.WeekendFreeze(paris)}
	set = append(set, policy.Announce(3*time.Hour, set))
	c := policy.Change{Start: at(2026, 11, 26, 20, 30), Duration: 100 * time.Minute, Now: at(2026, 11, 26, 21, 50)}
	res := set.Evaluate(context.Background(), c)
	require.True(t, res.Allowed())
	d := res.Decisions[2]
	assert.Equal(t, policy.Warn, d.Verdict)
	assert.Equal(t, 2, d.Index)
	assert.Equal(t, "friday-freeze blocks go-lives from Fri 2026-11-27 00:00 CET, in 2h10m, 1h50m after the planned end of the operation: an overrun or a rollback would run into it", d.Reason)

	// Far enough from the freeze.
	c.Start = at(2026, 11, 26, 10, 0)
	d = set.Evaluate(context.Background(), c).Decisions[2]
	assert.Equal(t, policy.Allow, d.Verdict)
	assert.Equal(t, "no calendar closes within 3h after the operation", d.Reason)

	// Under way at the end: the calendar denies, the announcement says nothing more.
	c.Start = at(2026, 11, 27, 10, 0)
	res = set.Evaluate(context.Background(), c)
	assert.False(t, res.Allowed())
	assert.Equal(t, policy.Allow, res.Decisions[2].Verdict)

	// Two calendars closing at once are both named.
	win, err := policy.Windows("evening", "Thu 20:00-00:00", paris)
	require.NoError(t, err)
	both := policy.Set{policy.FridayFreeze(paris), win}
	a := policy.Announce(3*time.Hour, both)
	d = a.Evaluate(context.Background(), policy.Change{Start: at(2026, 11, 26, 21, 0), Duration: time.Hour})
	assert.Equal(t, policy.Warn, d.Verdict)
	assert.Contains(t, d.Reason, "friday-freeze, evening block go-lives from Fri 2026-11-27 00:00 CET, in 3h, 2h after")

	an, ok := policy.As[*policy.Announcement](a)
	require.True(t, ok)
	assert.Equal(t, 3*time.Hour, an.Lead)
	assert.Equal(t, policy.Allow, policy.Announce(0, both).Evaluate(context.Background(), policy.Change{}).Verdict)
	assert.Equal(t, policy.Allow, policy.Announce(time.Hour, nil).Evaluate(context.Background(), policy.Change{}).Verdict)
}

func TestAnnounceAcrossDST(t *testing.T) {
	// New York falls back on 2026-11-01: the Sunday of the weekend freeze
	// lasts 25 hours, and a change ending Friday 22:00 sees the weekend
	// coming two hours later.
	set := policy.Set{policy.WeekendFreeze(newYork)}
	a := policy.Announce(3*time.Hour, set)
	d := a.Evaluate(context.Background(), policy.Change{Start: atIn(newYork, 2026, 10, 30, 21, 0), Duration: time.Hour})
	assert.Equal(t, policy.Warn, d.Verdict)
	assert.Contains(t, d.Reason, "weekend-freeze blocks go-lives from Sat 2026-10-31 00:00 EDT, in 3h, 2h after")
}

func TestTransitionJSON(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(paris)}
	ts := set.Upcoming(at(2026, 11, 25, 12, 0), 7*24*time.Hour)
	require.Len(t, ts, 2)
	b, err := json.Marshal(ts[0])
	require.NoError(t, err)
	assert.JSONEq(t, `{"at": "2026-11-27T00:00:00+01:00", "edge": "closes", "policy": "friday-freeze", "index": 0, "rule": "R11",
		"blocked": {"start": "2026-11-27T00:00:00+01:00", "end": "2026-11-28T00:00:00+01:00"},
		"reason": "Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET", "free": false}`, string(b))
	var back policy.Transition
	require.NoError(t, json.Unmarshal(b, &back))
	assert.True(t, back.At.Equal(ts[0].At))
	assert.Equal(t, ts[0].Edge, back.Edge)
	assert.Equal(t, ts[0].Rule, back.Rule)
	assert.Equal(t, ts[0].Reason, back.Reason)

	var e policy.Edge
	require.NoError(t, e.UnmarshalText([]byte("OPENS")))
	assert.Equal(t, policy.Opens, e)
	assert.ErrorIs(t, e.UnmarshalText([]byte("ajar")), policy.ErrInvalid)
	assert.Equal(t, "closes", policy.Edge(7).String(), "an unknown edge reads as the cautious one")
}

// FuzzEdgeText checks that an edge reads back what it writes and that any
// other text is refused with ErrInvalid, never a panic.
func FuzzEdgeText(f *testing.F) {
	for _, s := range []string{"closes", "opens", "OPENS", "", "ajar"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var e policy.Edge
		if err := e.UnmarshalText([]byte(s)); err != nil {
			assert.ErrorIs(t, err, policy.ErrInvalid)
			return
		}
		b, err := e.MarshalText()
		require.NoError(t, err)
		assert.True(t, strings.EqualFold(s, string(b)), "%q read as %q", s, b)
	})
}
