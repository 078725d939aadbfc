package mep_test

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// hostileNames are names that would break or rewrite the line they print
// on: the journal refuses them as a step or an actor.
var hostileNames = map[string]string{
	"line feed":       "switch\nstep 3 done",
	"carriage return": "switch\rforged",
	"tab":             "switch\tdns",
	"escape sequence": "switch\x1b[2Kdns",
	"C1 control":      "switch\u009bdns",
	"line separator":  "switch\u2028dns",
	"right-to-left":   "switch\u202ends",
}

// A runbook step whose ID holds a control character is refused when the
// rollout is created, with a *FieldError naming the step: it used to be
// recorded, and then printed raw wherever the step is shown (a line
// break or an escape sequence in a report or a terminal). Nothing is
// appended.
func TestRunbookStepIDWithAControlCharacter(t *testing.T) {
	for what, id := range hostileNames {
		t.Run(what, func(t *testing.T) {
			g := newGolive(t, nil)
			before := len(g.p.Record())
			rb := goliveRunbook()
			rb[2].ID = id
			_, err := g.p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: goliveT0, Runbook: rb})
			fe := fieldErr(t, err)
			assert.Equal(t, "runbook[2].id", fe.Field)
			assert.Equal(t, id, fe.Value)
			assert.NotContains(t, err.Error(), id, "the error quotes the ID")
			assert.Len(t, g.p.Record(), before, "nothing appended")
			assert.Empty(t, g.p.Rollouts())
		})
	}
}

// A member, a guest or an actor whose name holds a control character is
// refused with a *FieldError naming the field: a member's name is the
// actor of the facts they record, which the journal would refuse.
func TestNamesWithAControlCharacter(t *testing.T) {
	for what, name := range hostileNames {
		t.Run(what, func(t *testing.T) {
			g := newGolive(t, nil)
			before := len(g.p.Record())
			err := g.p.Team().Add(mep.Member{Name: name, Roles: []mep.Role{mep.RoleBuild}})
			assert.Equal(t, "member.name", fieldErr(t, err).Field)
			err = g.p.Team().Invite("Sam", "Ann", name)
			assert.Equal(t, "guests[1]", fieldErr(t, err).Field)
			err = g.p.Team().Choose(name, "Sam", "Bea", "Vic", "Otto", "Mia")
			assert.Equal(t, "team.by", fieldErr(t, err).Field)
			assert.Len(t, g.p.Record(), before, "nothing appended")
		})
	}
}

// A record written before these rules, whose runbook, members, guests
// and cutover steps hold control characters, was valid when written: it
// still opens, states its rollout and cutover, reports, and goes on.
func TestOlderRecordWithControlCharactersOpens(t *testing.T) {
	path := filepath.Join(t.TempDir(), "record.jsonl")
	data, err := os.ReadFile(filepath.Join("testdata", "records", "control-names.jsonl"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, data, 0o600))
	c := newClock(goliveT0.Add(2 * time.Hour))
	p, err := mep.OpenFile(path, &mep.Options{Now: c.now, NoSync: true})
	require.NoError(t, err)
	defer p.Close()

	names := make([]string, 0, 6)
	for _, m := range p.Team().Members() {
		names = append(names, m.Name)
	}
	assert.Contains(t, names, "Eve\x1b[2K")
	rb := []mep.Step{
		{ID: "stop-app", Title: "Stop the application", Impact: timeline.Outage, Expected: 10 * time.Minute},
		{ID: "switch\ndns\x1b[31m", Title: "Switch DNS", Impact: timeline.Disruption, Expected: 10 * time.Minute},
		{ID: "smoke\ttest\u2028", Title: "Smoke test", Kind: mep.TestStep, Expected: 10 * time.Minute},
	}
	r, err := p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: goliveT0, Runbook: rb, Readiness: goliveReadiness(), Policies: policy.Set{}})
	require.NoError(t, err, "the rollout is attached again")
	sum := r.Cutover().Summary()
	require.Len(t, sum.Steps, 3)
	assert.Equal(t, "switch\ndns\x1b[31m", sum.Steps[1].Step)
	assert.Equal(t, timeline.Done, sum.Steps[2].Outcome)

	var out nopWriter
	require.NoError(t, r.Report(c.now()).WriteText(&out))
	_, err = p.NewRollout(mep.RolloutOptions{Name: "again", T0: goliveT0.Add(day(7)), Runbook: rb, Policies: policy.Set{}})
	assert.Equal(t, "runbook[1].id", fieldErr(t, err).Field, "what is written now follows the rule")
	_, err = r.Cutover().Finish("Bea")
	require.NoError(t, err, "the record goes on")
	require.NoError(t, p.Close())
	_, err = mep.OpenFile(path, &mep.Options{Now: c.now, NoSync: true})
	require.NoError(t, err, "and opens again")
}

type nopWriter struct{}

func (nopWriter) Write(b []byte) (int, error) { return len(b), nil }
