package mep_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

// A rollout's overrun reads its runbook, its rehearsals, its T0 and the
// end of its window (the Friday freeze after a Thursday evening start):
// the same figures as Simulate given them by hand.
func TestRolloutOverrunUsesItsRecord(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{T0: at(paris, 2026, 11, 19, 23, 20)}) // Thursday; 40 minutes rehearsed
	o, err := g.r.Overrun(mep.SimOptions{Seed: 7})
	require.NoError(t, err)
	want, err := mep.Simulate(goliveRunbook(), g.r.Rehearsals(), mep.SimOptions{Seed: 7, T0: g.r.T0(),
		WindowEnd: at(paris, 2026, 11, 20, 0, 0)})
	require.NoError(t, err)
	assert.Equal(t, want.String(), o.String())
	assert.Greater(t, o.PastWindow, 0.2, "a start at 23:20 for about 40 minutes may well run into Friday")
	assert.Less(t, o.PastWindow, 0.9)
	assert.Equal(t, g.r.T0().Add(o.Duration.P90()), o.End(0.9))
}
