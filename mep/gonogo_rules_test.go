package mep_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
)

// goReady returns a rollouts-only project's rollout on the brink of a GO:
// the team staffed, operations readiness done, the readiness list ticked,
// the operations GO given; GO by default.
func goReady(t *testing.T, readiness checklist.List, ops bool) (*mep.Project, *mep.Rollout, *clock) {
	t.Helper()
	c := newClock(utc(2026, 11, 10, 9, 0)) // a Tuesday
	p, err := mep.New("billing v2", &mep.Options{Now: c.now, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	require.NoError(t, err)
	staff(t, p)
	if ops {
		opsReady(t, p, c.now())
	}
	r, err := p.NewRollout(mep.RolloutOptions{Name: "r1", T0: utc(2026, 11, 10, 20, 0),
		Runbook: []mep.Step{{ID: "switch", Expected: time.Minute}}, Readiness: readiness})
	require.NoError(t, err)
	for _, it := range readiness.Items {
		require.NoError(t, r.Readiness().Check(it.ID, "Otto", time.Time{}, ""))
	}
	c.add(time.Minute)
	_, err = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go})
	require.NoError(t, err)
	c.set(r.T0().Add(-30 * time.Minute))
	return p, r, c
}

func TestGoNoGoRulesTheFixtureMeets(t *testing.T) {
	_, r, c := goReady(t, okReadiness(), true)
	d := r.GoNoGo().Evaluate(bg, c.now())
	assert.Equal(t, mep.Go, d.Verdict, "%s", d)
}

// R8: a readiness list without the hardware and configuration-backup
// items is not ready, whatever its items are called: "coffee made" alone
// never gives a GO.
func TestGoNeedsTheR8ItemsByPurpose(t *testing.T) {
	_, r, c := goReady(t, checklist.List{Name: "ready", Items: []checklist.Item{
		{ID: "coffee", Title: "Coffee made"},
		{ID: "config-backup", Title: "Configurations backed up"}, // the words, not the purpose
	}}, true)
	d := r.GoNoGo().Evaluate(bg, c.now())
	assert.Equal(t, mep.NoGo, d.Verdict)
	assert.Contains(t, reasons(d), "readiness: the readiness checklist has no item for the old and new hardware verified (purpose hardware-verified) (R8)")
	assert.Contains(t, reasons(d), "backup of the impacted configurations")
}

// R13 holds for a project that runs rollouts only: its first go-live
// needs the operations readiness, by purpose.
func TestRolloutsOnlyFirstGoNeedsOperationsReadiness(t *testing.T) {
	_, r, c := goReady(t, okReadiness(), false)
	d := r.GoNoGo().Evaluate(bg, c.now())
	assert.Equal(t, mep.NoGo, d.Verdict)
	assert.Contains(t, reasons(d), "operations readiness: no operations-readiness checklist run started (R13)")
}

// R3 at every GO: an MCO member who joined after the round table and is
// not in the go-live team stops the GO.
func TestGoChecksTheTeamAtEveryGo(t *testing.T) {
	p, r, c := goReady(t, okReadiness(), true)
	require.NoError(t, p.Team().Add(mep.Member{Name: "Max", Roles: []mep.Role{mep.RoleMCO}}))
	d := r.GoNoGo().Evaluate(bg, c.now())
	assert.Equal(t, mep.NoGo, d.Verdict)
	assert.Contains(t, reasons(d), "team (R3)")
	assert.Contains(t, reasons(d), "Max")

	require.NoError(t, p.Team().Choose("Sam", "Sam", "Bea", "Vic", "Otto", "Mia", "Max"))
	c.add(time.Minute)
	_, err := r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go})
	require.NoError(t, err)
	assert.Equal(t, mep.Go, r.GoNoGo().Evaluate(bg, c.now()).Verdict)
}

// R9, R10: a cutover with no GO cannot be closed by skipping its steps,
// and only members of the project or declared guests write notes.
func TestNoSkipWithoutGoAndNotesFromMembers(t *testing.T) {
	p, r, c := goReady(t, okReadiness(), true)
	err := r.Cutover().Skip("switch", "Otto", "nothing to do")
	require.ErrorIs(t, err, mep.ErrNoGo)
	_, err = r.Cutover().Finish("Otto")
	require.Error(t, err)

	assert.ErrorIs(t, r.Cutover().Note("mallory", "all good"), mep.ErrInvalid)
	require.NoError(t, p.Team().Invite("Sam", "client-rep"))
	assert.NoError(t, r.Cutover().Note("client-rep", "watching"))

	_, err = r.GoNoGo().Decide(bg, c.now())
	require.NoError(t, err)
	assert.NoError(t, r.Cutover().Skip("switch", "Otto", "nothing to do"), "after the GO")
}

// R5: the estimate comes from the last production-like rehearsal run, by
// when it ran: recording an older, shorter run after a newer one does not
// make the estimate that older run's.
func TestEstimateFromTheLastRehearsalRun(t *testing.T) {
	g := newGolive(t, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{})
	newer := rehearse(t, g.t0.Add(-day(3)), goliveRunbook(), 10, 20, 10, 10) // 50 minutes
	older := rehearse(t, g.t0.Add(-day(9)), goliveRunbook(), 2, 4, 2, 2)     // 10 minutes, run earlier
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: newer, ProductionLike: true}))
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: older, ProductionLike: true}))
	assert.Equal(t, 50*time.Minute, g.r.Estimate().Total)
}

// R9, R13: a GO voted before the operations readiness was complete does
// not count for the first go-live: vote again once it is.
func TestGoVotedBeforeOperationsReadinessIsStale(t *testing.T) {
	p, r, c := goReady(t, okReadiness(), false) // voted with no operations readiness
	opsReady(t, p, c.now())
	c.add(time.Minute)
	d := r.GoNoGo().Evaluate(bg, c.now())
	assert.NotEqual(t, mep.Go, d.Verdict)
	assert.Contains(t, reasons(d), "before operations readiness was complete")

	_, err := r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go})
	require.NoError(t, err)
	assert.Equal(t, mep.Go, r.GoNoGo().Evaluate(bg, c.now()).Verdict)
}
