package mep_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

// TestMemberValidation: a member has a name and valid, distinct roles.
func TestMemberValidation(t *testing.T) {
	p, err := mep.New("x", nil)
	require.NoError(t, err)
	for name, m := range map[string]mep.Member{
		"no name":       {Roles: []mep.Role{mep.RoleBuild}},
		"blank name":    {Name: " ", Roles: []mep.Role{mep.RoleBuild}},
		"no role":       {Name: "Bea"},
		"invalid role":  {Name: "Bea", Roles: []mep.Role{0}},
		"unknown role":  {Name: "Bea", Roles: []mep.Role{42}},
		"repeated role": {Name: "Bea", Roles: []mep.Role{mep.RoleBuild, mep.RoleBuild}},
	} {
		assert.ErrorIs(t, p.Team().Add(m), mep.ErrInvalid, name)
	}
	require.NoError(t, p.Team().Add(mep.Member{Name: "Bea", Roles: []mep.Role{mep.RoleBuild}, Contact: "bea@example.org"}))
	fieldErr(t, p.Team().Add(mep.Member{Name: "Bea", Roles: []mep.Role{mep.RoleSales}}))
	assert.Len(t, p.Team().Members(), 1)
	assert.Equal(t, "bea@example.org", p.Team().Members(mep.RoleBuild)[0].Contact)
	assert.Empty(t, p.Team().Members(mep.RoleMCO))
}

func TestRoleText(t *testing.T) {
	for _, r := range []mep.Role{mep.RoleSales, mep.RoleBuild, mep.RoleValidation, mep.RoleOperations, mep.RoleMCO} {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		var got mep.Role
		require.NoError(t, json.Unmarshal(b, &got))
		assert.Equal(t, r, got)
		parsed, err := mep.ParseRole("  " + r.String() + " ")
		require.NoError(t, err)
		assert.Equal(t, r, parsed)
	}
	assert.Equal(t, "mco", mep.RoleMCO.String())
	_, err := mep.ParseRole("wizard")
	fieldErr(t, err)
	_, err = json.Marshal(mep.Role(0))
	assert.Error(t, err)
	assert.Equal(t, "Role(9)", mep.Role(9).String())
}

// TestTeamCheck (R3): the go-live team is chosen, holds every MCO member,
// and a builder is the MCO team's contact; every problem is listed.
func TestTeamCheck(t *testing.T) {
	p, err := mep.New("x", nil)
	require.NoError(t, err)
	err = p.Team().Check()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no go-live team chosen")
	assert.Contains(t, err.Error(), "MCO")

	for _, m := range []mep.Member{
		{Name: "Bea", Roles: []mep.Role{mep.RoleBuild}},
		{Name: "Otto", Roles: []mep.Role{mep.RoleOperations}},
		{Name: "Mia", Roles: []mep.Role{mep.RoleMCO}},
		{Name: "Max", Roles: []mep.Role{mep.RoleMCO, mep.RoleOperations}},
	} {
		require.NoError(t, p.Team().Add(m))
	}
	require.NoError(t, p.Team().Choose("Sam", "Bea", "Otto", "Mia"))
	err = p.Team().Check()
	assert.Contains(t, err.Error(), "Max")
	assert.Contains(t, err.Error(), "contact")
	require.NoError(t, p.Team().Choose("Sam", "Bea", "Otto", "Mia", "Max"))
	require.NoError(t, p.Team().SetMCOContact("Bea"))
	assert.NoError(t, p.Team().Check())
	assert.Equal(t, []string{"Bea", "Otto", "Mia", "Max"}, p.Team().Chosen())
	assert.Equal(t, "Bea", p.Team().MCOContact())
}

// TestTeamBadInput: unknown names and non-builders are refused, nothing
// recorded.
func TestTeamBadInput(t *testing.T) {
	p, err := mep.New("x", nil)
	require.NoError(t, err)
	require.NoError(t, p.Team().Add(mep.Member{Name: "Otto", Roles: []mep.Role{mep.RoleOperations}}))
	n := len(p.Record())
	assert.ErrorIs(t, p.Team().Choose("Sam", "Otto", "ghost"), mep.ErrNotFound)
	fieldErr(t, p.Team().Choose("Sam"))
	fieldErr(t, p.Team().Choose("Sam", "Otto", "Otto"))
	assert.ErrorIs(t, p.Team().SetMCOContact("ghost"), mep.ErrNotFound)
	fieldErr(t, p.Team().SetMCOContact("Otto"))
	assert.Len(t, p.Record(), n)
	assert.Empty(t, p.Team().Chosen())
}

// TestLessons (R12): lessons come from this project's rollouts, are
// applied or waived with a reason by later ones, once per rollout.
func TestLessons(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{Name: "pilot"})
	ls := g.p.Lessons()
	_, err := ls.Learn("nowhere", "x", "y", "Bea", time.Time{})
	assert.ErrorIs(t, err, mep.ErrNotFound)
	_, err = ls.Learn("pilot", "", "y", "Bea", time.Time{})
	fieldErr(t, err)
	_, err = ls.Learn("pilot", "x", " ", "Bea", time.Time{})
	fieldErr(t, err)
	l, err := ls.Learn("pilot", "DNS TTL too long", "lower the TTL a day before", "Otto", time.Time{})
	require.NoError(t, err)
	assert.Equal(t, 1, l.ID)
	assert.Equal(t, "pilot", l.From)
	assert.True(t, l.At.Equal(g.c.now()))
	assert.Empty(t, ls.Unapplied("pilot"), "a rollout does not owe its own lessons")

	second := g.newRollout(mep.RolloutOptions{Name: "second", T0: g.t0.Add(day(7))})
	assert.Len(t, ls.Unapplied("second"), 1)
	assert.ErrorIs(t, ls.Apply(9, "second", "Bea", time.Time{}, "", false), mep.ErrNotFound)
	assert.ErrorIs(t, ls.Apply(1, "third", "Bea", time.Time{}, "", false), mep.ErrNotFound)
	fieldErr(t, ls.Apply(1, "second", "", time.Time{}, "", false))
	require.NoError(t, ls.Apply(1, second.Name(), "Bea", time.Time{}, "", false))
	require.NoError(t, ls.Apply(1, second.Name(), "Bea", time.Time{}, "", false), "applying again is a no-op")
	all := ls.All()
	require.Len(t, all, 1)
	require.Len(t, all[0].Applied, 1)
	assert.Equal(t, "second", all[0].Applied[0].Rollout)
	assert.Empty(t, ls.Unapplied("second"))
}

// TestBudget (R2): Build's planned and actual share against 75%, with a
// warning outside the margin; going back counts time where it was spent.
func TestBudget(t *testing.T) {
	c := newClock(utc(2026, 1, 5, 9, 0))
	p, err := mep.New("x", &mep.Options{Now: c.now, BuildMargin: 0.05})
	require.NoError(t, err)
	staff(t, p)
	b := p.Budget(c.now())
	assert.Empty(t, b.Warnings, "nothing planned, nothing to warn about")
	assert.InDelta(t, 0.75, b.Target, 1e-9)
	assert.InDelta(t, 0.05, b.Margin, 1e-9)
	require.Len(t, b.Phases, len(mep.Phases()))

	planAll(t, p) // 750h of 1000h
	require.NoError(t, p.Plan(mep.Industrialization, time.Hour))
	b = p.Budget(c.now())
	assert.InDelta(t, 0.75, b.PlannedBuild, 1e-9)
	assert.Empty(t, b.Warnings)
	assert.Equal(t, 1000*time.Hour, b.Planned, "industrialization and operations are not counted")

	require.NoError(t, p.Plan(mep.Build, 250*time.Hour)) // 250 of 500
	b = p.Budget(c.now())
	require.Len(t, b.Warnings, 1)
	assert.Contains(t, b.Warnings[0], "50%")
	fieldErr(t, p.Plan(mep.Build, -time.Hour))
	fieldErr(t, p.Plan(mep.Phase(11), time.Hour))

	c.add(day(10))
	_, err = p.Advance("Sam", "")
	require.NoError(t, err)
	c.add(day(30))
	b = p.Budget(c.now())
	assert.Equal(t, day(10), b.Phases[mep.Scoping].Actual)
	assert.Equal(t, day(30), b.Phases[mep.Build].Actual, "time in the current phase runs to now")
	for _, w := range b.Warnings {
		assert.NotContains(t, w, "actual", "no warning on the actual share while Build runs")
	}
	_, err = p.Advance("Sam", "")
	require.NoError(t, err)
	c.add(day(20))
	b = p.Budget(c.now())
	assert.Equal(t, day(60), b.Actual)
	assert.InDelta(t, 0.5, b.ActualBuild, 1e-9)
	require.Len(t, b.Warnings, 2, "%v", b.Warnings)
	assert.Contains(t, b.Warnings[1], "actual")

	_, err = p.GoBack(mep.Build, "Bea", "procedures do not install offline")
	require.NoError(t, err)
	c.add(day(10))
	b = p.Budget(c.now())
	assert.Equal(t, day(40), b.Phases[mep.Build].Actual)
	assert.Equal(t, day(20), b.Phases[mep.Validation].Actual)

	for _, bad := range []mep.Options{{BuildShare: 1}, {BuildShare: -0.1}, {BuildMargin: -0.1}, {BuildMargin: 1}} {
		_, err := mep.New("x", &bad)
		fieldErr(t, err)
	}
}
