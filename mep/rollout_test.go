package mep_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

var ctx = context.Background()

func paris(t testing.TB, y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, load(t, "Europe/Paris"))
}

// standardSet is the policy issue's standard set, in Europe/Paris.
func standardSet(t testing.TB) policy.Set {
	t.Helper()
	loc := load(t, "Europe/Paris")
	hol, err := policy.Holidays("FR", loc, true)
	require.NoError(t, err)
	win, err := policy.Windows("evenings", "Mon-Thu 20:00-23:30", loc)
	require.NoError(t, err)
	return policy.Set{
		policy.FridayFreeze(loc), policy.WeekendFreeze(loc), hol,
		policy.Freeze("year-end", paris(t, 2026, 12, 19, 0, 0), paris(t, 2027, 1, 4, 0, 0)), win,
		policy.ReadinessWindow(time.Hour), policy.RequireGo("operations"),
	}
}

var runbook = []mep.Step{
	{ID: "backup", Owner: "Otto", Impact: timeline.NoImpact},
	{ID: "stop-app", Owner: "Bea", Impact: timeline.Outage},
	{ID: "migrate", Owner: "Bea", Impact: timeline.Outage},
	{ID: "smoke-tests", Owner: "Vic", Kind: mep.TestStep},
	{ID: "observe", Owner: "Otto", Kind: mep.ObservationStep, Expected: 20 * time.Minute},
}

var readiness = checklist.List{Name: "readiness", Items: []checklist.Item{
	{ID: "hw-verified", Title: "Old and new hardware verified", Owner: "Otto", Deadline: -time.Hour},
	{ID: "config-backup", Title: "Configurations backed up", Owner: "Otto", Deadline: -time.Hour},
	{ID: "pizza", Title: "Food for the night", Optional: true, Deadline: -time.Hour},
}}

// rehearse records a rehearsal of the runbook's first four steps with the
// given minutes each.
func rehearse(t *testing.T, start time.Time, minutes ...int) timeline.Summary {
	t.Helper()
	c := newClock(start)
	j := timeline.New(&timeline.Options{Now: c.now})
	for i, m := range minutes {
		s := runbook[i]
		_, err := j.Start(s.ID, "Bea", s.Impact)
		require.NoError(t, err)
		c.add(time.Duration(m) * time.Minute)
		_, err = j.End(s.ID, "Bea", timeline.Done)
		require.NoError(t, err)
	}
	return timeline.Summarize(j.Entries())
}

type fixture struct {
	clock *clock
	p     *mep.Project
	r     *mep.Rollout
	t0    time.Time
}

// newRollout prepares a rollout on Tuesday 2026-11-24 20:30 Paris, with
// two rehearsals (median: 10+5+30+15 min, plus 20 min of observation).
func newRollout(t *testing.T, t0 time.Time) fixture {
	t.Helper()
	c := newClock(t0.Add(-48 * time.Hour))
	p, err := mep.New("billing v2", &mep.Options{Now: c.now, Location: load(t, "Europe/Paris")})
	require.NoError(t, err)
	staff(t, p)
	r, err := p.NewRollout(mep.RolloutOptions{
		Name: "go-live-1", T0: t0, Runbook: runbook, Readiness: readiness, Policies: standardSet(t),
	})
	require.NoError(t, err)
	require.NoError(t, r.AddRehearsal(rehearse(t, paris(t, 2026, 11, 10, 20, 0), 10, 5, 30, 15)))
	require.NoError(t, r.AddRehearsal(rehearse(t, paris(t, 2026, 11, 12, 20, 0), 12, 5, 40, 15)))
	return fixture{clock: c, p: p, r: r, t0: t0}
}

func (f fixture) ready(t *testing.T, at time.Time) {
	t.Helper()
	require.NoError(t, f.r.Readiness().Check("hw-verified", "Otto", at, ""))
	require.NoError(t, f.r.Readiness().Check("config-backup", "Otto", at, ""))
}

func TestZeroVerdictIsUndecided(t *testing.T) {
	var v mep.Verdict
	assert.Equal(t, mep.Undecided, v.Decision)
	assert.False(t, v.IsGo())
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	assert.Equal(t, mep.Undecided, f.r.Decided().Decision)
}

func TestRolloutHappyPath(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	est := f.r.Estimate()
	assert.Equal(t, (11+5+35+15+20)*time.Minute, est.Total, "medians of the rehearsals, plus the expected observation")
	assert.Equal(t, 40*time.Minute, est.Outage, "median of the rehearsals' outage (35 and 45 minutes)")
	assert.Empty(t, est.Unknown)

	f.ready(t, f.t0.Add(-3*time.Hour))
	v, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-40 * time.Minute)})
	require.NoError(t, err)
	assert.Equal(t, f.r.Readiness().Digest(), v.Digest, "the vote cites the checklist state")
	assert.True(t, v.T0.Equal(f.t0))

	verdict, err := f.r.Decide(ctx, f.t0.Add(-30*time.Minute))
	require.NoError(t, err)
	require.Equal(t, mep.Go, verdict.Decision, verdict.String())
	assert.Contains(t, verdict.String(), "require-go:operations: GO from operations by Otto")
	assert.Equal(t, mep.Go, f.p.Evidence().Go.Decision, "the project's gate sees the GO")
	assert.Equal(t, "Otto", f.p.Evidence().Go.By)

	f.clock.set(f.t0)
	for i, s := range runbook {
		_, err := f.r.StartStep(s.ID, s.Owner)
		require.NoError(t, err)
		f.clock.add(est.Steps[i] + time.Minute)
		_, err = f.r.EndStep(s.ID, s.Owner, timeline.Done)
		require.NoError(t, err)
	}
	sum, err := f.r.Finish()
	require.NoError(t, err)
	assert.Equal(t, est.Total+5*time.Minute, sum.Duration)
	assert.Equal(t, sum.Duration, f.p.Evidence().Cutover.Duration)

	d := f.r.Debrief()
	assert.Equal(t, 5*time.Minute, d.Duration.Diff())
	require.NotNil(t, d.Comparison)
	assert.Equal(t, []string{"observe"}, d.Comparison.Added, "observation was not rehearsed")
	assert.Empty(t, d.Failed)

	kinds := map[string]int{}
	for _, e := range f.r.Journal().Entries() {
		kinds[e.Kind]++
	}
	assert.Equal(t, map[string]int{"vote": 1, "decision": 1, "start": 5, "end": 5}, kinds, "every vote, decision and step is journaled")
}

func TestStepsStartOnlyAfterGo(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	_, err := f.r.StartStep("backup", "Otto")
	require.ErrorIs(t, err, mep.ErrNoGo)
	assert.Zero(t, f.r.Journal().Len(), "nothing recorded")

	_, err = f.r.Decide(ctx, f.t0.Add(-2*time.Hour)) // not ready, no vote: undecided
	require.NoError(t, err)
	_, err = f.r.StartStep("backup", "Otto")
	assert.ErrorIs(t, err, mep.ErrNoGo)

	_, err = f.r.StartStep("no-such-step", "Otto")
	assert.ErrorIs(t, err, mep.ErrNotFound)
	_, err = f.r.EndStep("backup", "Otto", timeline.Done)
	assert.ErrorIs(t, err, timeline.ErrNotStarted, "an end without a start is refused")
}

func TestVotesAreChecked(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Mallory", Go: true})
	assert.ErrorIs(t, err, mep.ErrNotFound, "votes by unknown members are refused")
	_, err = f.r.Vote(mep.Vote{Role: "operations", By: "Bea", Go: true})
	var fe *mep.FieldError
	require.ErrorAs(t, err, &fe, "Bea is a builder, not operations")
	assert.Equal(t, "vote.role", fe.Field)
	_, err = f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: false})
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "vote.reason", fe.Field)
	_, err = f.r.Vote(mep.Vote{Role: "janitor", By: "Otto", Go: true})
	assert.ErrorIs(t, err, mep.ErrInvalid)
	assert.Empty(t, f.r.Votes())
}

func TestNoGoVoteDenies(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	require.NoError(t, f.p.AddMember(mep.Member{Name: "Olga", Roles: []mep.Role{mep.RoleOperations}}))
	f.ready(t, f.t0.Add(-3*time.Hour))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-50 * time.Minute)})
	require.NoError(t, err)
	_, err = f.r.Vote(mep.Vote{Role: "operations", By: "Olga", Go: false, Reason: "monitoring is down", At: f.t0.Add(-45 * time.Minute)})
	require.NoError(t, err)
	v, err := f.r.Decide(ctx, f.t0.Add(-30*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, mep.NoGo, v.Decision)
	assert.Contains(t, v.Reasons[0], "No-Go from operations by Olga")
	assert.Contains(t, v.Reasons[0], "monitoring is down")
	assert.Equal(t, mep.NoGo, f.p.Evidence().Go.Decision)
}

func TestLateChecklistItemDenies(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	require.NoError(t, f.r.Readiness().Check("hw-verified", "Otto", f.t0.Add(-2*time.Hour), ""))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-50 * time.Minute)})
	require.NoError(t, err)

	before := f.r.Evaluate(ctx, f.t0.Add(-90*time.Minute))
	assert.Equal(t, mep.Undecided, before.Decision, "still time before T-1h: %s", before)
	assert.Equal(t, 1, before.Pending)

	v := f.r.Evaluate(ctx, f.t0.Add(-30*time.Minute))
	assert.Equal(t, mep.NoGo, v.Decision)
	require.Len(t, v.Late, 1)
	assert.Equal(t, "config-backup", v.Late[0].ID)
	assert.Contains(t, v.String(), "config-backup (Configurations backed up) was due by 2026-11-24 19:30 CET and is not done (R7)")

	// Done, but after the deadline: still late.
	require.NoError(t, f.r.Readiness().Check("config-backup", "Otto", f.t0.Add(-20*time.Minute), ""))
	v = f.r.Evaluate(ctx, f.t0.Add(-10*time.Minute))
	assert.Equal(t, mep.NoGo, v.Decision)
	assert.Contains(t, v.String(), "after its deadline")
	assert.Contains(t, v.String(), "readiness: ready at")
}

func TestFailedChecklistItemDenies(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	f.ready(t, f.t0.Add(-3*time.Hour))
	require.NoError(t, f.r.Readiness().Fail("pizza", "Otto", f.t0.Add(-2*time.Hour), "shop closed"))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-50 * time.Minute)})
	require.NoError(t, err)
	v := f.r.Evaluate(ctx, f.t0.Add(-30*time.Minute))
	assert.Equal(t, mep.NoGo, v.Decision)
	assert.Contains(t, v.String(), "pizza (Food for the night) failed: shop closed")
}

func TestMovedT0InvalidatesVotes(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	f.ready(t, f.t0.Add(-3*time.Hour))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-50 * time.Minute)})
	require.NoError(t, err)
	v, err := f.r.Decide(ctx, f.t0.Add(-45*time.Minute))
	require.NoError(t, err)
	require.Equal(t, mep.Go, v.Decision, v.String())

	newT0 := paris(t, 2026, 11, 25, 20, 30)
	require.Error(t, f.r.Reschedule(newT0, "Otto", ""), "a reason is required")
	f.clock.set(f.t0.Add(-40 * time.Minute))
	require.NoError(t, f.r.Reschedule(newT0, "Otto", "client asked for one more day"))
	assert.Equal(t, mep.Undecided, f.r.Decided().Decision)
	assert.Equal(t, mep.Undecided, f.p.Evidence().Go.Decision)
	_, err = f.r.StartStep("backup", "Otto")
	assert.ErrorIs(t, err, mep.ErrNoGo, "the GO was for the old T0")

	v = f.r.Evaluate(ctx, newT0.Add(-2*time.Hour))
	assert.Equal(t, mep.Undecided, v.Decision, v.String())
	require.Len(t, v.Stale, 1)
	assert.Empty(t, v.Votes)
	assert.Contains(t, v.String(), "was given for T0 2026-11-24 20:30 CET; T0 is now 2026-11-25 20:30 CET: vote again")
	assert.True(t, f.r.Readiness().T0().Equal(newT0), "the checklist follows T0")
}

func TestFridayDeniedAndOverride(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 26, 23, 0)) // Thursday 23:00: 1h26m runs into Friday and past 23:30
	f.ready(t, f.t0.Add(-3*time.Hour))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-50 * time.Minute)})
	require.NoError(t, err)
	v := f.r.Evaluate(ctx, f.t0.Add(-30*time.Minute))
	require.Equal(t, mep.NoGo, v.Decision)
	assert.Contains(t, v.String(), "friday-freeze")

	assert.Error(t, f.r.Override(policy.Override{By: "Otto"}), "an override needs a reason")
	require.NoError(t, f.r.Override(policy.Override{By: "Otto", Reason: "legal deadline on Friday"}))
	v, err = f.r.Decide(ctx, f.t0.Add(-30*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, mep.Go, v.Decision, v.String())
	assert.Contains(t, v.String(), "(overridden")
	d := f.r.Debrief()
	assert.NotEmpty(t, d.Overridden)
	require.NotNil(t, d.Override)
	assert.Equal(t, "legal deadline on Friday", d.Override.Reason)
}

func TestMissingEstimateIsUndecided(t *testing.T) {
	c := newClock(paris(t, 2026, 11, 20, 10, 0))
	p := newProject(t, c)
	staff(t, p)
	t0 := paris(t, 2026, 11, 24, 20, 30)
	r, err := p.NewRollout(mep.RolloutOptions{Name: "x", T0: t0, Runbook: runbook, Readiness: readiness})
	require.NoError(t, err)
	require.NoError(t, r.Readiness().Check("hw-verified", "Otto", t0.Add(-3*time.Hour), ""))
	require.NoError(t, r.Readiness().Check("config-backup", "Otto", t0.Add(-3*time.Hour), ""))
	_, err = r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: t0.Add(-50 * time.Minute)})
	require.NoError(t, err)
	v := r.Evaluate(ctx, t0.Add(-30*time.Minute))
	assert.Equal(t, mep.Undecided, v.Decision)
	assert.Contains(t, v.String(), "no expected duration for backup, stop-app, migrate, smoke-tests")
	_, err = r.Propose(ctx, t0, 1, 30*24*time.Hour)
	assert.ErrorIs(t, err, mep.ErrInvalid)
}

func TestPropose(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 26, 23, 0))
	// Thursday 23:00 is refused (the window closes at 23:30, then Friday);
	// the next evenings that fit 1h26m are Monday to Wednesday at 20:00.
	p, err := f.r.Propose(ctx, paris(t, 2026, 11, 26, 23, 0), 3, 30*24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 86*time.Minute, p.Duration)
	require.NotEmpty(t, p.Refused)
	var names []string
	for _, d := range p.Refused {
		names = append(names, d.Policy)
	}
	assert.Contains(t, names, "friday-freeze")
	require.Len(t, p.Slots, 3)
	assert.Equal(t, paris(t, 2026, 11, 30, 20, 0), p.Slots[0])
	assert.Equal(t, paris(t, 2026, 12, 1, 20, 0), p.Slots[1])
	assert.Equal(t, paris(t, 2026, 12, 2, 20, 0), p.Slots[2])

	// Inside the year-end freeze, the first slot is in January (4th is a
	// Monday).
	p, err = f.r.Propose(ctx, paris(t, 2026, 12, 20, 12, 0), 1, 60*24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, paris(t, 2027, 1, 4, 20, 0), p.Slots[0])

	_, err = f.r.Propose(ctx, paris(t, 2026, 12, 20, 12, 0), 1, 24*time.Hour)
	assert.ErrorIs(t, err, policy.ErrNoSlot)
}

func TestProposeWithMargin(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	r, err := f.p.NewRollout(mep.RolloutOptions{Name: "big", T0: f.t0, Runbook: runbook, Readiness: readiness,
		Policies: standardSet(t), Margin: 1.5})
	require.NoError(t, err)
	p, err := r.Propose(ctx, paris(t, 2026, 11, 24, 20, 0), 1, 30*24*time.Hour)
	require.ErrorIs(t, err, policy.ErrNoSlot, "3h35m never fits in 20:00-23:30")
	assert.Equal(t, 215*time.Minute, p.Duration, "86 minutes plus 150%")
	assert.NotEmpty(t, p.Refused)
	assert.Empty(t, p.Slots)

	r, err = f.p.NewRollout(mep.RolloutOptions{Name: "big", T0: f.t0, Runbook: runbook, Readiness: readiness,
		Policies: standardSet(t), Margin: 1.4})
	require.NoError(t, err)
	p, err = r.Propose(ctx, paris(t, 2026, 11, 24, 20, 1), 1, 30*24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, 206*time.Minute+24*time.Second, p.Duration, "86 minutes plus 140%")
	assert.Equal(t, paris(t, 2026, 11, 25, 20, 0), p.Slots[0], "not ready at 20:01: the earliest start is 21:01 (R7), too late for 3h26m; the next evening")
}

func TestDrift(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 21, 30))
	f.ready(t, f.t0.Add(-3*time.Hour))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-50 * time.Minute)})
	require.NoError(t, err)
	_, err = f.r.Decide(ctx, f.t0.Add(-30*time.Minute))
	require.NoError(t, err)

	before := f.r.Drift(f.t0.Add(-10 * time.Minute))
	assert.True(t, before.Started.IsZero())
	assert.Equal(t, f.t0.Add(86*time.Minute), before.ExpectedEnd)

	f.clock.set(f.t0)
	_, err = f.r.StartStep("backup", "Otto")
	require.NoError(t, err)
	f.clock.add(11 * time.Minute)
	_, err = f.r.EndStep("backup", "Otto", timeline.Done)
	require.NoError(t, err)
	_, err = f.r.StartStep("stop-app", "Bea")
	require.NoError(t, err)
	f.clock.add(5 * time.Minute)
	_, err = f.r.EndStep("stop-app", "Bea", timeline.Done)
	require.NoError(t, err)
	_, err = f.r.StartStep("migrate", "Bea")
	require.NoError(t, err)

	// 70 minutes into a migration expected to take 35.
	now := f.t0.Add(16*time.Minute + 70*time.Minute)
	d := f.r.Drift(now)
	assert.True(t, d.Started.Equal(f.t0))
	assert.Equal(t, 35*time.Minute, d.Delay)
	assert.Equal(t, 35*time.Minute, d.Steps[2].Late)
	assert.True(t, d.Steps[2].Running)
	assert.True(t, d.ExpectedEnd.Equal(now.Add(35*time.Minute)), "smoke tests and observation remain: %v", d.ExpectedEnd)
	assert.True(t, d.WindowEnd.Equal(paris(t, 2026, 11, 24, 23, 30)))
	assert.True(t, d.Overrun, "22:56 + 35m ends after 23:30")
	assert.Contains(t, d.String(), "35m00s late; expected end 23:31 CET (planned 22:56 CET)")
	assert.Contains(t, d.String(), "OVERRUNS the window, which ends at 23:30 CET")
}

func TestRolloutOptionsValidated(t *testing.T) {
	c := newClock(utc(2026, 11, 1, 0, 0))
	p := newProject(t, c)
	t0 := utc(2026, 11, 24, 20, 0)
	for name, o := range map[string]mep.RolloutOptions{
		"no name":       {T0: t0, Runbook: runbook},
		"no T0":         {Name: "x", Runbook: runbook},
		"no runbook":    {Name: "x", T0: t0},
		"repeated step": {Name: "x", T0: t0, Runbook: []mep.Step{{ID: "a"}, {ID: "a"}}},
		"bad role":      {Name: "x", T0: t0, Runbook: runbook, Roles: []string{"wizard"}},
		"bad margin":    {Name: "x", T0: t0, Runbook: runbook, Margin: -1},
		"bad impact":    {Name: "x", T0: t0, Runbook: []mep.Step{{ID: "a", Impact: 9}}},
	} {
		_, err := p.NewRollout(o)
		assert.ErrorIs(t, err, mep.ErrInvalid, name)
	}
}

func TestRolloutConcurrentUse(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	f.ready(t, f.t0.Add(-3*time.Hour))
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range 20 {
				if k%2 == 0 {
					_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-time.Duration(60-i) * time.Minute)})
					assert.NoError(t, err)
				}
				_ = f.r.Evaluate(ctx, f.t0.Add(-30*time.Minute))
				_ = f.r.Drift(f.t0)
				_, _ = f.r.Note("Otto", "still here")
			}
		}()
	}
	wg.Wait()
	assert.Len(t, f.r.Votes(), 80)
	assert.NoError(t, timeline.Verify(f.r.Journal().Entries(), nil))
}

func TestStepKindText(t *testing.T) {
	for _, k := range []mep.StepKind{mep.ChangeStep, mep.TestStep, mep.ObservationStep} {
		b, err := k.MarshalText()
		require.NoError(t, err)
		var got mep.StepKind
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, k, got)
	}
	var k mep.StepKind
	assert.True(t, errors.Is(k.UnmarshalText([]byte("party")), mep.ErrInvalid))
}

func TestAddRehearsalChecksTheRunbook(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	c := newClock(paris(t, 2026, 11, 14, 20, 0))
	j := timeline.New(&timeline.Options{Now: c.now})
	_, _ = j.Start("reboot-the-world", "Bea", timeline.Outage)
	_, _ = j.Start("migrate", "Bea", timeline.Outage)
	c.add(time.Minute)
	_, _ = j.End("reboot-the-world", "Bea", timeline.Done)
	err := f.r.AddRehearsal(timeline.Summarize(j.Entries()))
	var fe *mep.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Contains(t, err.Error(), "reboot-the-world")
	assert.Len(t, f.p.Evidence().Rehearsals, 2, "nothing added")
}

func TestRolloutReport(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	_, err := f.p.Tracker().Assign(mep.ActionSpec{Title: "Order | spare disks", Owner: "Otto", Due: paris(t, 2026, 11, 20, 12, 0)}, "Bea", paris(t, 2026, 11, 18, 12, 0))
	require.NoError(t, err)
	_, err = f.p.AddLesson(mep.LessonSpec{From: "pilot", Text: "DNS TTL too long", Action: "lower the TTL a day before"})
	require.NoError(t, err)
	f.ready(t, f.t0.Add(-3*time.Hour))
	_, err = f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-40 * time.Minute)})
	require.NoError(t, err)
	_, err = f.r.Decide(ctx, f.t0.Add(-30*time.Minute))
	require.NoError(t, err)
	f.clock.set(f.t0)
	_, err = f.r.StartStep("backup", "Otto")
	require.NoError(t, err)
	f.clock.add(30 * time.Minute)
	_, err = f.r.Note("Otto", "backup slower than rehearsed")
	require.NoError(t, err)

	rep := f.r.Report(f.clock.now())
	assert.Equal(t, "go", rep.Decision.Verdict)
	require.Len(t, rep.Votes, 1)
	assert.Equal(t, f.r.Votes()[0].Digest, rep.Votes[0].Digest)
	require.NotNil(t, rep.Checklist)
	assert.True(t, rep.Checklist.Ready)
	require.Len(t, rep.Steps, len(runbook))
	assert.Equal(t, 11*time.Minute, rep.Steps[0].Expected)
	require.NotNil(t, rep.Drift)
	assert.Equal(t, 19*time.Minute, rep.Drift.Behind(), "backup has run 30 minutes of an expected 11")
	require.Len(t, rep.Actions, 1)
	assert.True(t, rep.Actions[0].Overdue)
	require.Len(t, rep.Lessons, 1)
	assert.False(t, rep.Lessons[0].Applied)
	require.Len(t, rep.Notes, 1)

	var md strings.Builder
	require.NoError(t, rep.WriteMarkdown(&md))
	assert.Contains(t, md.String(), "Order \\| spare disks")
	assert.Contains(t, md.String(), "backup slower than rehearsed")
	var html, js strings.Builder
	require.NoError(t, rep.WriteHTML(&html))
	require.NoError(t, rep.WriteJSON(&js))
	assert.Contains(t, html.String(), `<div class="chart`)
	assert.Contains(t, js.String(), `"verdict"`)
}

func TestOverrideNeverLiftsTheGO(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 26, 23, 0)) // into Friday: denied by the calendar
	f.ready(t, f.t0.Add(-3*time.Hour))
	require.NoError(t, f.p.AddMember(mep.Member{Name: "Olga", Roles: []mep.Role{mep.RoleOperations}}))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Olga", Go: false, Reason: "backups unverified", At: f.t0.Add(-50 * time.Minute)})
	require.NoError(t, err)

	var fe *mep.FieldError
	require.ErrorAs(t, f.r.Override(policy.Override{By: "Sam", Reason: "sales says so"}), &fe, "only operations breaks the glass")
	require.NoError(t, f.r.Override(policy.Override{By: "Otto", Reason: "legal deadline"}))
	v, err := f.r.Decide(ctx, f.t0.Add(-30*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, mep.NoGo, v.Decision, "an override lifts the Friday freeze, never a No-Go: %s", v)
	assert.Contains(t, v.String(), "No-Go from operations by Olga")
	assert.Contains(t, v.String(), "friday-freeze", "the lifted denial is still listed")

	// Without any vote, at T0: still no GO.
	g := newRollout(t, paris(t, 2026, 11, 26, 23, 0))
	g.ready(t, g.t0.Add(-3*time.Hour))
	require.NoError(t, g.r.Override(policy.Override{By: "Otto", Reason: "legal deadline"}))
	v, err = g.r.Decide(ctx, g.t0)
	require.NoError(t, err)
	assert.Equal(t, mep.NoGo, v.Decision, v.String())
	g.clock.set(g.t0)
	_, err = g.r.StartStep("backup", "Otto")
	assert.ErrorIs(t, err, mep.ErrNoGo)
}

func TestOperationsGOIsAlwaysRequired(t *testing.T) {
	c := newClock(paris(t, 2026, 11, 20, 10, 0))
	p := newProject(t, c)
	staff(t, p)
	t0 := paris(t, 2026, 11, 24, 20, 30)
	r, err := p.NewRollout(mep.RolloutOptions{Name: "x", T0: t0, Runbook: runbook[4:], Readiness: readiness, Roles: []string{}})
	require.NoError(t, err)
	require.NoError(t, r.Readiness().Check("hw-verified", "Otto", t0.Add(-3*time.Hour), ""))
	require.NoError(t, r.Readiness().Check("config-backup", "Otto", t0.Add(-3*time.Hour), ""))
	v := r.Evaluate(ctx, t0.Add(-30*time.Minute))
	assert.Equal(t, mep.Undecided, v.Decision, "no vote, no GO: %s", v)
	assert.Contains(t, v.String(), "waiting for the GO from operations")

	_, err = r.Decide(ctx, time.Time{})
	assert.ErrorIs(t, err, mep.ErrInvalid, "a decision needs a time")
	assert.Equal(t, mep.Undecided, r.Decided().Decision)
}

func TestStartStepChecksTheGOStillHolds(t *testing.T) {
	decided := func(t *testing.T) fixture {
		f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
		require.NoError(t, f.p.AddMember(mep.Member{Name: "Olga", Roles: []mep.Role{mep.RoleOperations}}))
		f.ready(t, f.t0.Add(-3*time.Hour))
		_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-50 * time.Minute)})
		require.NoError(t, err)
		v, err := f.r.Decide(ctx, f.t0.Add(-30*time.Minute))
		require.NoError(t, err)
		require.Equal(t, mep.Go, v.Decision, v.String())
		return f
	}
	t.Run("no-go voted since", func(t *testing.T) {
		f := decided(t)
		_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Olga", Go: false, Reason: "storage alarm", At: f.t0.Add(-10 * time.Minute)})
		require.NoError(t, err)
		f.clock.set(f.t0)
		_, err = f.r.StartStep("backup", "Otto")
		require.ErrorIs(t, err, mep.ErrNoGo)
		assert.Contains(t, err.Error(), "storage alarm")
	})
	t.Run("item failed since", func(t *testing.T) {
		f := decided(t)
		require.NoError(t, f.r.Readiness().Fail("config-backup", "Otto", f.t0.Add(-5*time.Minute), "backup corrupt"))
		f.clock.set(f.t0)
		_, err := f.r.StartStep("backup", "Otto")
		require.ErrorIs(t, err, mep.ErrNoGo)
		assert.Contains(t, err.Error(), "backup corrupt")
	})
	t.Run("start drifted into a Friday", func(t *testing.T) {
		f := decided(t)
		f.clock.set(paris(t, 2026, 11, 27, 20, 30))
		_, err := f.r.StartStep("backup", "Otto")
		require.ErrorIs(t, err, mep.ErrNoGo)
		assert.Contains(t, err.Error(), "friday-freeze")
	})
	t.Run("on time", func(t *testing.T) {
		f := decided(t)
		f.clock.set(f.t0.Add(2 * time.Minute))
		_, err := f.r.StartStep("backup", "Otto")
		require.NoError(t, err)
		_, err = f.r.StartStep("stop-app", "Bea")
		require.NoError(t, err, "later steps do not decide again")
	})
}

func TestVotesStayStaleWhenT0MovesBack(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	f.ready(t, f.t0.Add(-3*time.Hour))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-50 * time.Minute)})
	require.NoError(t, err)
	f.clock.set(f.t0.Add(-45 * time.Minute))
	require.NoError(t, f.r.Reschedule(f.t0.Add(24*time.Hour), "Otto", "client asked"))
	require.NoError(t, f.r.Reschedule(f.t0, "Otto", "client changed its mind"))
	v := f.r.Evaluate(ctx, f.t0.Add(-30*time.Minute))
	assert.Equal(t, mep.Undecided, v.Decision, "the old vote does not come back: %s", v)
	assert.Len(t, v.Stale, 1)
}

func TestVotesFromTheFutureDoNotCount(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	f.ready(t, f.t0.Add(-3*time.Hour))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-10 * time.Minute)})
	require.NoError(t, err)
	v := f.r.Evaluate(ctx, f.t0.Add(-30*time.Minute))
	assert.Equal(t, mep.Undecided, v.Decision)
	assert.Empty(t, v.Votes)
}

func TestRescheduleLetsObserversEvaluate(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	seen := make(chan mep.Decision, 4)
	f.r.Readiness().Observe(func(checklist.Event) {
		seen <- f.r.Evaluate(ctx, f.t0.Add(-2*time.Hour)).Decision // a dashboard refreshing
	})
	done := make(chan error, 1)
	go func() { done <- f.r.Reschedule(f.t0.Add(24*time.Hour), "Otto", "moved") }()
	select {
	case err := <-done:
		require.NoError(t, err)
	case <-time.After(10 * time.Second):
		t.Fatal("Reschedule deadlocked with an observer that evaluates the rollout")
	}
	assert.Equal(t, mep.Undecided, <-seen)
}

func TestWarningsDoNotBlockTheGO(t *testing.T) {
	c := newClock(paris(t, 2026, 11, 20, 10, 0))
	p := newProject(t, c)
	staff(t, p)
	t0 := paris(t, 2026, 11, 24, 20, 30)
	nag := policy.Func("nag", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Warn, Reason: "the change advisory board was not told"}
	})
	r, err := p.NewRollout(mep.RolloutOptions{Name: "x", T0: t0, Runbook: runbook[4:], Readiness: readiness, Policies: policy.Set{nag}})
	require.NoError(t, err)
	require.NoError(t, r.Readiness().Check("hw-verified", "Otto", t0.Add(-3*time.Hour), ""))
	require.NoError(t, r.Readiness().Check("config-backup", "Otto", t0.Add(-3*time.Hour), ""))
	_, err = r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: t0.Add(-50 * time.Minute)})
	require.NoError(t, err)
	v := r.Evaluate(ctx, t0.Add(-30*time.Minute))
	assert.Equal(t, mep.Go, v.Decision, v.String())
	assert.Contains(t, v.String(), "nag: the change advisory board was not told")
}

func TestReadinessLeadWithoutItemDeadlines(t *testing.T) {
	c := newClock(paris(t, 2026, 11, 20, 10, 0))
	p := newProject(t, c)
	staff(t, p)
	t0 := paris(t, 2026, 11, 24, 20, 30)
	list := checklist.List{Name: "loose", Items: []checklist.Item{{ID: "a", Title: "A"}}} // no deadline
	r, err := p.NewRollout(mep.RolloutOptions{Name: "x", T0: t0, Runbook: runbook[4:], Readiness: list})
	require.NoError(t, err)
	require.NoError(t, r.Readiness().Check("a", "Otto", t0.Add(-6*time.Minute), ""))
	_, err = r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: t0.Add(-5 * time.Minute)})
	require.NoError(t, err)
	v := r.Evaluate(ctx, t0.Add(-4*time.Minute))
	assert.Equal(t, mep.NoGo, v.Decision, "ready 6 minutes before T0 is too late (R7, project lead 1h): %s", v)
	assert.Contains(t, v.String(), "readiness: ready at")
}

func TestProposeOneSlotPerWindow(t *testing.T) {
	c := newClock(paris(t, 2026, 11, 20, 10, 0))
	p := newProject(t, c)
	win, err := policy.Windows("evenings", "Mon-Thu 20:00-23:30", load(t, "Europe/Paris"))
	require.NoError(t, err)
	from := paris(t, 2026, 11, 24, 20, 30)
	r, err := p.NewRollout(mep.RolloutOptions{Name: "x", T0: from, Runbook: runbook[4:], Policies: policy.Set{win}})
	require.NoError(t, err)
	prop, err := r.Propose(ctx, from.Add(-2*time.Hour), 3, 3*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, []time.Time{paris(t, 2026, 11, 24, 20, 0)}, prop.Slots, "the window runs past the horizon: one slot")
}

func TestDriftAfterTheEnd(t *testing.T) {
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	f.ready(t, f.t0.Add(-3*time.Hour))
	_, err := f.r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: f.t0.Add(-50 * time.Minute)})
	require.NoError(t, err)
	_, err = f.r.Decide(ctx, f.t0.Add(-30*time.Minute))
	require.NoError(t, err)
	f.clock.set(f.t0)
	for _, s := range runbook {
		_, err := f.r.StartStep(s.ID, s.Owner)
		require.NoError(t, err)
		f.clock.add(10 * time.Minute)
		_, err = f.r.EndStep(s.ID, s.Owner, timeline.Done)
		require.NoError(t, err)
	}
	end := f.clock.now()
	soon, later := f.r.Drift(end), f.r.Drift(end.Add(2*time.Hour))
	assert.True(t, later.ExpectedEnd.Equal(end), "an ended cutover ends when it ended")
	assert.Equal(t, soon.Delay, later.Delay)
	assert.Negative(t, later.Delay, "50 minutes against 86 expected: early")
}

func TestResumeRolloutFromItsJournal(t *testing.T) {
	dir := t.TempDir()
	f := newRollout(t, paris(t, 2026, 11, 24, 20, 30))
	path := dir + "/cutover.jsonl"
	j, err := timeline.Open(path, &timeline.Options{Now: f.clock.now, NoSync: true})
	require.NoError(t, err)
	r, err := f.p.NewRollout(mep.RolloutOptions{Name: "go-live-1", T0: f.t0, Runbook: runbook, Readiness: readiness,
		Policies: standardSet(t), Journal: j})
	require.NoError(t, err)
	require.NoError(t, r.Readiness().Check("hw-verified", "Otto", f.t0.Add(-27*time.Hour), ""))
	f.clock.set(f.t0.Add(-26 * time.Hour))
	moved := f.t0.Add(24 * time.Hour)
	require.NoError(t, r.Reschedule(moved, "Otto", "one more day"))
	require.NoError(t, r.Readiness().Check("config-backup", "Otto", moved.Add(-3*time.Hour), ""))
	_, err = r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: moved.Add(-40 * time.Minute)})
	require.NoError(t, err)
	want, err := r.Decide(ctx, moved.Add(-30*time.Minute))
	require.NoError(t, err)
	require.Equal(t, mep.Go, want.Decision, want.String())
	f.clock.set(moved)
	_, err = r.StartStep("backup", "Otto")
	require.NoError(t, err)
	snap, err := r.Readiness().Snapshot()
	require.NoError(t, err)
	require.NoError(t, j.Close()) // the tool stops

	j, err = timeline.Open(path, &timeline.Options{Now: f.clock.now, NoSync: true})
	require.NoError(t, err)
	defer j.Close()
	run, err := checklist.Restore(readiness, snap)
	require.NoError(t, err)
	back, err := f.p.NewRollout(mep.RolloutOptions{Name: "go-live-1", T0: f.t0, Runbook: runbook, Readiness: readiness,
		Policies: standardSet(t), Journal: j, ReadinessRun: run})
	require.NoError(t, err)
	assert.True(t, back.T0().Equal(moved), "T0 as rescheduled")
	require.Len(t, back.Votes(), 1)
	assert.Equal(t, r.Votes()[0].Digest, back.Votes()[0].Digest)
	assert.Equal(t, mep.Go, back.Decided().Decision)
	assert.Equal(t, want.Reasons, back.Decided().Reasons)
	assert.Equal(t, mep.Go, back.Evaluate(ctx, moved).Decision, "the resumed votes count")
	f.clock.add(10 * time.Minute)
	_, err = back.EndStep("backup", "Otto", timeline.Done)
	require.NoError(t, err, "the running step goes on")
	_, err = back.StartStep("stop-app", "Bea")
	require.NoError(t, err, "the cutover had started: no new decision needed")

	// A readiness run for another T0 does not fit.
	old, err := checklist.NewRun(readiness, f.t0)
	require.NoError(t, err)
	_, err = f.p.NewRollout(mep.RolloutOptions{Name: "go-live-1", T0: f.t0, Runbook: runbook, Journal: j, ReadinessRun: old})
	assert.ErrorIs(t, err, mep.ErrInvalid)
}
