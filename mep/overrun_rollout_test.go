package mep_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/risk"
	"github.com/mepkit/mepkit/timeline"
)

// A rollout's overrun reads its runbook, its rehearsals, its T0 and the
// end of its window (the Friday freeze after a Thursday evening start):
// the same figures as risk.Simulate given them by hand.
func TestRolloutOverrunUsesItsRecord(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{T0: at(paris, 2026, 11, 19, 23, 20)}) // Thursday; 40 minutes rehearsed
	o, err := g.r.Overrun(risk.Options{Seed: 7})
	require.NoError(t, err)

	var runbook []risk.Step
	for _, s := range goliveRunbook() {
		runbook = append(runbook, risk.Step{ID: s.ID, DependsOn: s.DependsOn, Group: s.Group,
			Outage: s.Impact == timeline.Outage, Expected: s.Expected, Reversible: s.Rollback != ""})
	}
	var runs []risk.Run
	for _, rh := range g.r.Rehearsals() {
		run := risk.Run{ProductionLike: rh.ProductionLike, Rollback: rh.Rollback}
		for _, sp := range rh.Summary.Steps {
			run.Attempts = append(run.Attempts, risk.Attempt{Step: sp.Step, Start: sp.Start, End: sp.End,
				Failed: sp.Outcome == timeline.Failed})
		}
		runs = append(runs, run)
	}
	want, err := risk.Simulate(runbook, runs, risk.Options{Seed: 7, T0: g.r.T0(), WindowEnd: at(paris, 2026, 11, 20, 0, 0)})
	require.NoError(t, err)
	assert.Equal(t, want, o)
	assert.Greater(t, o.PastWindow, 0.2, "a start at 23:20 for about 40 minutes may well run into Friday")
	assert.Less(t, o.PastWindow, 0.9)
	assert.Equal(t, g.r.T0().Add(o.Duration.P90()), o.End(0.9))
}

// Options out of bounds are mep's field errors.
func TestRolloutOverrunRefusesBadOptions(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{T0: at(paris, 2026, 11, 19, 23, 20)})
	_, err := g.r.Overrun(risk.Options{Trials: -1})
	require.ErrorIs(t, err, mep.ErrInvalid)
	fe, ok := errors.AsType[*mep.FieldError](err)
	require.True(t, ok)
	assert.Equal(t, "options.trials", fe.Field)
}
