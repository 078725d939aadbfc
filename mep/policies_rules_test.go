package mep_test

// Tests of how a rollout's policies see the change and are found (R7,
// R11): by type, never by name, and the method's freeze.

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
)

// TestPoliciesSeeTheWholeChange: a policy.Func sees the environment, the
// labels and the facts of a risk check.
func TestPoliciesSeeTheWholeChange(t *testing.T) {
	var seen policy.Change
	fixes := policy.Func("fixes", func(_ context.Context, c policy.Change) policy.Decision {
		seen = c
		if c.Labels["fixes"] == "" {
			return policy.Decision{Verdict: policy.Deny, Reason: "no fixes label"}
		}
		return policy.Decision{}
	})
	g := rolloutsOnly(t, mep.RolloutOptions{Environment: "prod", Labels: map[string]string{"fixes": "BILL-42"}, Policies: policy.Set{fixes}})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, -20), Environment: "dev"}))
	goNow(t, g)
	assert.Equal(t, "prod", seen.Environment)
	assert.Equal(t, "BILL-42", seen.Labels["fixes"])
	assert.Equal(t, 2, seen.Risk.Rehearsals)
	assert.Equal(t, 1, seen.Risk.ProductionLike)
	assert.Equal(t, []string{"migrate-db"}, seen.Risk.FailedRehearsalSteps)
	assert.Equal(t, "switch-dns", seen.Risk.PointOfNoReturn)
	assert.Equal(t, "go-live", seen.Name)
	assert.Equal(t, 25*time.Minute, seen.Outage)
}

// TestPoliciesFoundByType: a policy file's readiness window renamed
// "ready-2h" with a two-hour lead, and a GO quorum renamed "ops-go", are
// the rollout's only readiness window and operations GO: a Warn from
// them is "still to come", never a GO, whatever their names.
func TestPoliciesFoundByType(t *testing.T) {
	set, err := policyfile.Parse([]byte(`
zone: Europe/Paris
policies:
  - kind: readiness
    name: ready-2h
    lead: 2h
  - kind: require-go
    name: ops-go
    role: operations
    quorum: 2
`))
	require.NoError(t, err)
	g := rolloutsOnly(t, mep.RolloutOptions{Policies: set})
	require.NoError(t, g.p.Team().Add(mep.Member{Name: "Oona", Roles: []mep.Role{mep.RoleOperations}}))
	require.NoError(t, g.p.Team().Choose("Sam", "Sam", "Bea", "Vic", "Otto", "Mia", "Oona"))
	g.ready(g.t0.Add(-3 * time.Hour))
	g.c.set(g.t0.Add(-150 * time.Minute))
	g.vote("Otto", mep.Go)
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.Undecided, d.Verdict, "one GO of the two the file asks for: %s", d)
	assert.Contains(t, d.String(), "ops-go")
	assert.NotContains(t, d.String(), "require-go:operations", "the file's quorum is the rollout's only one")
	assert.NotContains(t, d.String(), "readiness:", "the file's window is the rollout's only one")

	g.vote("Oona", mep.Go)
	d = g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.Go, d.Verdict, "%s", d)
	assert.Contains(t, d.String(), "ready-2h")

	// Ready at T0-90m is too late for the file's two hours.
	late := rolloutsOnly(t, mep.RolloutOptions{Policies: set})
	late.ready(late.t0.Add(-90 * time.Minute))
	d = late.r.GoNoGo().Evaluate(bg, late.t0.Add(-80*time.Minute))
	assert.Equal(t, mep.NoGo, d.Verdict, "%s", d)
	assert.Contains(t, reasons(d), "ready-2h: ")
}

// TestMethodFreezeTable (R11): the method's freeze, with a country, keeps
// Fridays, weekends, public holidays and their eves free of go-lives, in
// the project's zone.
func TestMethodFreezeTable(t *testing.T) {
	tests := []struct {
		name    string
		loc     *time.Location
		country string
		t0      time.Time
		frozen  bool
	}{
		{"paris tuesday", paris, "FR", at(paris, 2026, 11, 17, 20, 0), false},
		{"paris friday", paris, "FR", at(paris, 2026, 11, 20, 20, 0), true},
		{"paris saturday", paris, "FR", at(paris, 2026, 11, 21, 10, 0), true},
		{"paris armistice", paris, "FR", at(paris, 2026, 11, 11, 20, 0), true},     // a Wednesday holiday
		{"paris armistice eve", paris, "FR", at(paris, 2026, 11, 10, 20, 0), true}, // Tuesday, the eve
		{"paris thursday into friday", paris, "FR", at(paris, 2026, 11, 19, 23, 30), true},
		{"new york thanksgiving", newYork, "US", at(newYork, 2026, 11, 26, 20, 0), true},
		{"new york the monday after", newYork, "US", at(newYork, 2026, 11, 30, 20, 0), false},
		{"sydney thursday evening", sydney, "", at(sydney, 2026, 11, 19, 20, 0), false},
		{"sydney friday morning (thursday night in paris)", sydney, "", at(sydney, 2026, 11, 20, 9, 0), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock(tt.t0.Add(-day(1)))
			p, err := mep.New("x", &mep.Options{Now: c.now, Location: tt.loc, Country: tt.country, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
			require.NoError(t, err)
			staff(t, p)
			opsReady(t, p, c.now())
			r, err := p.NewRollout(mep.RolloutOptions{Name: "r", T0: tt.t0, Runbook: goliveRunbook()[:1], Readiness: okReadiness()})
			require.NoError(t, err)
			require.NoError(t, r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, c.now().Add(-day(1)), goliveRunbook(), 40), ProductionLike: true}))
			d := r.GoNoGo().Evaluate(bg, c.now())
			frozen := d.Verdict == mep.NoGo
			assert.Equal(t, tt.frozen, frozen, "%s", d)
			if frozen {
				assert.Regexp(t, `^(friday-freeze|weekend-freeze|holidays)`, d.Reasons[0].Source)
			}
		})
	}
}

// TestAPolicyCannotLiftItsOwnDenial (R9): a policy given in code that
// answers a denial as overridden, with no break-glass request recorded,
// still blocks the GO, and Decide records a No-Go.
func TestAPolicyCannotLiftItsOwnDenial(t *testing.T) {
	never := policy.Mandatory(policy.Func("never", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Deny, Overridden: true, Reason: "not this one"}
	}))
	g := rolloutsOnly(t, mep.RolloutOptions{Policies: policy.Set{never}})
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.Equal(t, mep.NoGo, d.Verdict, "%s", d)
	assert.Contains(t, reasons(d), "never: not this one")
	assert.NotContains(t, reasons(d), "overridden")
}
