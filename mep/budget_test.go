package mep_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

func TestBudgetPlannedShare(t *testing.T) {
	c := newClock(utc(2026, 1, 5, 9, 0))
	p := newProject(t, c)
	b := p.Budget(c.now())
	assert.Empty(t, b.Warnings, "nothing planned, nothing to warn about")
	assert.Equal(t, mep.DefaultBuildShare, b.Target)

	planAll(t, p) // build 75 days of 75+7*5 = 110: 68%
	b = p.Budget(c.now())
	assert.InDelta(t, 75.0/110, b.PlannedBuild, 1e-9)
	assert.Empty(t, b.Warnings, "68% is within 10 points of 75%")
	assert.Equal(t, day(110), b.Planned, "industrialization and operations are not counted")
	require.Len(t, b.Phases, mep.NumPhases)

	require.NoError(t, p.Plan(mep.Build, day(20)))
	b = p.Budget(c.now())
	require.Len(t, b.Warnings, 1)
	assert.Contains(t, b.Warnings[0], "plan: build takes 36% of the project's time, expected about 75%")

	require.ErrorIs(t, p.Plan(mep.Build, -day(1)), mep.ErrInvalid)
	require.ErrorIs(t, p.Plan(mep.Phase(11), day(1)), mep.ErrInvalid)
}

func TestBudgetActualShareAndMargin(t *testing.T) {
	c := newClock(utc(2026, 1, 5, 9, 0))
	p, err := mep.New("x", &mep.Options{Now: c.now, BuildMargin: 0.05})
	require.NoError(t, err)
	staff(t, p)
	planAll(t, p)
	c.add(day(10))
	advance(t, p, mep.Build)
	c.add(day(30))
	b := p.Budget(c.now())
	assert.Equal(t, day(10), b.Phases[mep.Scoping].Actual)
	assert.Equal(t, day(30), b.Phases[mep.Build].Actual, "time in the current phase runs to now")
	for _, w := range b.Warnings {
		assert.NotContains(t, w, "actual", "no warning on the actual share while Build runs")
	}

	require.NoError(t, p.ChooseTeam("Bea", "Otto", "Mia"))
	require.NoError(t, p.SetMCOContact("Bea"))
	advance(t, p, mep.Validation)
	c.add(day(20))
	b = p.Budget(c.now())
	assert.Equal(t, day(60), b.Actual)
	assert.InDelta(t, 0.5, b.ActualBuild, 1e-9)
	require.Len(t, b.Warnings, 2, "plan at 68%% is outside ±5 points, actual at 50%% too: %v", b.Warnings)
	assert.Contains(t, b.Warnings[1], "actual: build takes 50%")

	// Going back counts the time where it was spent.
	_, err = p.GoBack(mep.Build, "Bea", "procedures do not install offline")
	require.NoError(t, err)
	c.add(day(10))
	b = p.Budget(c.now())
	assert.Equal(t, day(40), b.Phases[mep.Build].Actual)
	assert.Equal(t, day(20), b.Phases[mep.Validation].Actual)
}
