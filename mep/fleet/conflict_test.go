package fleet_test

import (
	"fmt"
	"math/rand/v2"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/policy"
)

// entry is a planned rollout from t0 to t0+minutes (its P90 end),
// touching the resources given as "kind:name".
func entry(project, rollout string, t0 time.Time, minutes int, people []string, resources ...string) fleet.Entry {
	e := fleet.Entry{Project: project, Rollout: rollout, Team: project, T0: t0, People: people}
	if minutes > 0 {
		e.P90 = t0.Add(time.Duration(minutes) * time.Minute)
	}
	for _, s := range resources {
		r, err := mep.ParseResource(s)
		if err != nil {
			panic(err)
		}
		e.Resources = append(e.Resources, r)
	}
	return e
}

// sydneyFirst0230 is the first 02:30 of 5 April 2026 in Sydney, still
// daylight time (AEDT): time.Date does not say which of the two it picks.
var sydneyFirst0230 = time.Date(2026, 4, 4, 15, 30, 0, 0, time.UTC).In(sydney)

func TestConflictsAcrossDSTAndMidnight(t *testing.T) {
	db := "database:billing"
	for _, tc := range []struct {
		name     string
		a, b     fleet.Entry
		conflict bool
		span     string // the overlap in A's zone
	}{
		{"Paris springs forward: 01:30 CET + 60 min ends 03:30 CEST",
			entry("a", "r", at(paris, 2026, 3, 29, 1, 30), 60, nil, db),
			entry("b", "r", at(paris, 2026, 3, 29, 3, 15), 30, nil, db),
			true, "Sun 29 Mar 03:15-03:30 CEST"},
		{"Paris: 01:30 CET + 30 min ends 03:00 CEST, before 03:00",
			entry("a", "r", at(paris, 2026, 3, 29, 1, 30), 30, nil, db),
			entry("b", "r", at(paris, 2026, 3, 29, 3, 0), 30, nil, db),
			false, ""},
		{"New York falls back: 01:30 EDT + 30 min ends 01:00 EST, before the second 01:10",
			entry("a", "r", at(newYork, 2026, 11, 1, 1, 30), 30, nil, db),
			entry("b", "r", at(newYork, 2026, 11, 1, 1, 30).Add(40*time.Minute), 30, nil, db),
			false, ""},
		{"New York falls back: the second 01:10 overlaps 01:30 EDT + 60 min",
			entry("a", "r", at(newYork, 2026, 11, 1, 1, 30), 60, nil, db),
			entry("b", "r", at(newYork, 2026, 11, 1, 1, 30).Add(40*time.Minute), 30, nil, db),
			true, "Sun 1 Nov 01:10-01:30 EST"},
		{"Sydney falls back on 5 April: 02:30 AEDT + 60 min ends 02:30 AEST",
			entry("a", "r", sydneyFirst0230, 60, nil, db),
			entry("b", "r", sydneyFirst0230.Add(45*time.Minute), 30, nil, db),
			true, "Sun 5 Apr 02:15-02:30 AEST"},
		{"Kolkata across midnight against Paris in the evening",
			entry("a", "r", at(kolkata, 2026, 3, 10, 23, 30), 90, nil, db),
			entry("b", "r", at(paris, 2026, 3, 10, 20, 0), 60, nil, db),
			true, "Wed 11 Mar 00:30-01:00 IST"},
		{"the same person, different resources",
			entry("a", "r", at(paris, 2026, 3, 10, 23, 30), 60, []string{"Olga"}, "site:lyon"),
			entry("b", "r", at(paris, 2026, 3, 11, 0, 0), 60, []string{"Olga", "Max"}, "site:paris"),
			true, "Wed 11 Mar 00:00-00:30 CET"},
		{"nothing shared",
			entry("a", "r", at(paris, 2026, 3, 10, 21, 0), 60, []string{"Ann"}, "site:lyon"),
			entry("b", "r", at(paris, 2026, 3, 10, 21, 0), 60, []string{"Max"}, "site:paris"),
			false, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			snap := &fleet.Snapshot{Entries: []fleet.Entry{tc.b, tc.a}}
			cs := snap.Conflicts(fleet.Rules{})
			if !tc.conflict {
				assert.Empty(t, cs)
				return
			}
			require.Len(t, cs, 1)
			c := cs[0]
			first := c.A
			if first.Project != "a" {
				// A is the one that starts first; the span reads in tc.a's zone.
				c.A, c.B = c.B, c.A
			}
			loc := tc.a.T0.Location()
			got := c.Span.Start.In(loc).Format("Mon 2 Jan 15:04") + "-" + c.Span.End.In(loc).Format("15:04 MST")
			assert.Equal(t, tc.span, got)
		})
	}
}

func TestConflictsExclusiveEnvironmentAndBlackout(t *testing.T) {
	nightly, err := policy.Cron("nightly-batch", "0 1 * * *", 2*time.Hour, paris)
	require.NoError(t, err)
	a := entry("billing", "v3", at(paris, 2026, 3, 10, 23, 30), 120, nil, "database:billing")
	a.Environment = "prod"
	b := entry("crm", "r1", at(paris, 2026, 3, 10, 22, 0), 120, nil, "service:crm")
	b.Environment = "prod"
	snap := &fleet.Snapshot{Entries: []fleet.Entry{a, b}}
	rules := fleet.Rules{Exclusive: []string{"prod"}, Blackouts: []fleet.ResourceBlackout{{Resource: "database:billing", Calendar: nightly}}}
	cs := snap.Conflicts(rules)
	require.Len(t, cs, 2)
	assert.Equal(t, "crm/r1 (team crm) and billing/v3 (team billing): exclusive environment prod, Tue 10 Mar 23:30 CET-Wed 11 Mar 00:00 CET", cs[0].String())
	assert.Equal(t, "billing/v3 runs in the blackout nightly-batch of database:billing, Wed 11 Mar 01:00-01:30 CET", cs[1].String())
	assert.Empty(t, snap.Conflicts(fleet.Rules{}), "without the rules, nothing is shared")
}

// TestConflictsAgainstBruteForce compares Conflicts with a minute-by-
// minute oracle over random schedules in five zones, across the DST
// change of Europe in March and with spans crossing midnight.
func TestConflictsAgainstBruteForce(t *testing.T) {
	zones := []*time.Location{paris, newYork, sydney, kolkata, time.UTC}
	resources := []string{"database:billing", "database:crm", "network:dmz", "site:lyon"}
	people := []string{"Ann", "Bea", "Max", "Olga"}
	base := time.Date(2026, 3, 28, 0, 0, 0, 0, time.UTC)
	const days = 3
	nightly, err := policy.Cron("nightly-batch", "30 1 * * *", 90*time.Minute, paris)
	require.NoError(t, err)
	weekly, err := policy.Cron("weekly-close", "0 22 * * 0", 3*time.Hour, sydney)
	require.NoError(t, err)
	rules := fleet.Rules{Exclusive: []string{"prod"}, Blackouts: []fleet.ResourceBlackout{
		{Resource: "database:billing", Calendar: nightly}, {Resource: "site:lyon", Calendar: weekly}}}
	blackouts, pairs := 0, 0
	for seed := range uint64(20) {
		rng := rand.New(rand.NewPCG(seed, 7))
		var es []fleet.Entry
		for i := range 25 {
			loc := zones[rng.IntN(len(zones))]
			local := base.Add(time.Duration(rng.IntN(days*24*60)) * time.Minute)
			t0 := time.Date(local.Year(), local.Month(), local.Day(), local.Hour(), local.Minute(), 0, 0, loc)
			e := entry(fmt.Sprintf("p%d", i%7), fmt.Sprintf("r%d", i), t0, 0, nil)
			switch rng.IntN(3) {
			case 0:
				e.P90 = t0.Add(time.Duration(1+rng.IntN(300)) * time.Minute)
			case 1:
				e.Estimate = time.Duration(1+rng.IntN(300)) * time.Minute
			} // else DefaultSpan
			e.Resources = []mep.Resource{must(mep.ParseResource(resources[rng.IntN(len(resources))]))}
			e.People = []string{people[rng.IntN(len(people))]}
			e.Environment = []string{"prod", "staging"}[rng.IntN(2)]
			es = append(es, e)
		}
		snap := &fleet.Snapshot{Entries: es}
		got := map[string]string{}
		for _, c := range snap.Conflicts(rules) {
			k := key(c.A.ID(), c.B.ID(), c.Kind, c.On)
			if c.Kind != fleet.Blackout {
				pairs++
			}
			if c.Kind == fleet.Blackout {
				blackouts++
				k = c.A.ID() + "|" + c.Blackout
				if got[k] != "" {
					got[k] += " "
				}
				got[k] += utcSpan(c.Span)
				continue
			}
			got[k] = utcSpan(c.Span)
		}
		want := oracle(es, rules)
		assert.Equal(t, want, got, "seed %d", seed)

		// The policy of each rollout refuses its own span exactly when
		// the rollout is in some conflict.
		inConflict := map[string]bool{}
		for _, c := range snap.Conflicts(rules) {
			inConflict[c.A.ID()], inConflict[c.B.ID()] = true, true
		}
		for _, e := range es {
			d := snap.Policy(e.Project, e.Rollout, rules, policy.Deny).Evaluate(bg, policy.Change{Start: e.Start(), Duration: e.End().Sub(e.Start())})
			assert.Equal(t, inConflict[e.ID()], d.Verdict == policy.Deny, "seed %d, %s: %s", seed, e.ID(), d.Reason)
		}
	}
	assert.Greater(t, blackouts, 10, "the random schedules run into blackouts")
	assert.Greater(t, pairs, 100, "and into each other")
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func key(a, b string, k fleet.Kind, on string) string {
	ids := []string{a, b}
	sort.Strings(ids)
	return ids[0] + "|" + ids[1] + "|" + k.String() + "|" + on
}

// oracle walks every minute: two rollouts conflict on what they share
// when some minute is in both spans; the span runs from the first such
// minute to the end of the last.
func oracle(es []fleet.Entry, r fleet.Rules) map[string]string {
	out := map[string]string{}
	for i := range es {
		for j := i + 1; j < len(es); j++ {
			a, b := es[i], es[j]
			var first, last time.Time
			for m := a.Start(); m.Before(a.End()); m = m.Add(time.Minute) {
				if !m.Before(b.Start()) && m.Before(b.End()) {
					if first.IsZero() {
						first = m
					}
					last = m
				}
			}
			if first.IsZero() {
				continue
			}
			iv := policy.Interval{Start: first, End: last.Add(time.Minute)}
			var shared []string
			if a.Resources[0].Key() == b.Resources[0].Key() {
				shared = append(shared, key(a.ID(), b.ID(), fleet.SharedResource, a.Resources[0].Key()))
			}
			if a.Environment == b.Environment && a.Environment == r.Exclusive[0] {
				shared = append(shared, key(a.ID(), b.ID(), fleet.ExclusiveEnvironment, a.Environment))
			}
			if a.People[0] == b.People[0] {
				shared = append(shared, key(a.ID(), b.ID(), fleet.SamePerson, a.People[0]))
			}
			for _, k := range shared {
				out[k] = utcSpan(iv)
			}
		}
	}
	for _, e := range es {
		for _, bo := range r.Blackouts {
			if e.Resources[0].Key() == bo.Resource {
				if runs := blockedRuns(e, bo.Calendar); runs != "" {
					out[e.ID()+"|"+bo.Calendar.Name()] = runs
				}
			}
		}
	}
	return out
}

// blockedRuns walks e's span a minute at a time and returns the runs of
// minutes that the calendar refuses, as utcSpan writes them.
func blockedRuns(e fleet.Entry, cal policy.Calendar) string {
	var runs []string
	var start time.Time
	flush := func(end time.Time) {
		if !start.IsZero() {
			runs = append(runs, utcSpan(policy.Interval{Start: start, End: end}))
			start = time.Time{}
		}
	}
	m := e.Start()
	for ; m.Before(e.End()); m = m.Add(time.Minute) {
		d := cal.Evaluate(bg, policy.Change{Start: m, Duration: time.Minute})
		switch {
		case d.Verdict == policy.Deny && start.IsZero():
			start = m
		case d.Verdict != policy.Deny:
			flush(m)
		}
	}
	flush(m)
	return strings.Join(runs, " ")
}

func utcSpan(iv policy.Interval) string {
	return policy.Interval{Start: iv.Start.UTC(), End: iv.End.UTC()}.String()
}

// Environments compare without regard to case, as policy scopes compare
// them: a policy file's "Production" makes the rollouts of "production"
// and "PRODUCTION" exclusive.
func TestConflictsExclusiveEnvironmentIgnoresCase(t *testing.T) {
	a := entry("billing", "v3", at(paris, 2026, 3, 10, 21, 0), 60, nil, "site:lyon")
	a.Environment = "production"
	b := entry("crm", "r1", at(paris, 2026, 3, 10, 21, 30), 60, nil, "site:paris")
	b.Environment = "PRODUCTION"
	snap := &fleet.Snapshot{Entries: []fleet.Entry{a, b}}
	cs := snap.Conflicts(fleet.Rules{Exclusive: []string{"Production"}})
	require.Len(t, cs, 1)
	assert.Equal(t, fleet.ExclusiveEnvironment, cs[0].Kind)
	p := snap.Policy("crm", "r1", fleet.Rules{}, policy.Deny).(interface {
		WithExclusive([]string) policy.Policy
	}).WithExclusive([]string{"Production"})
	d := p.Evaluate(bg, policy.Change{Start: b.T0, Duration: time.Hour})
	assert.Equal(t, policy.Deny, d.Verdict, d.Reason)
	assert.Contains(t, d.Reason, "conflicts with billing/v3 (team billing) on exclusive environment")
}
