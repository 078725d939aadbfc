package mep_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/risk"
	"github.com/mepkit/mepkit/timeline"
)

// standardSet is the usual set in Paris: evenings Monday to Thursday,
// French holidays and their eves, a year-end freeze.
func standardSet(t testing.TB) policy.Set {
	t.Helper()
	hol, err := policy.Holidays("FR", paris, true)
	require.NoError(t, err)
	win, err := policy.Windows("evenings", "Mon-Thu 20:00-23:30", paris)
	require.NoError(t, err)
	return policy.Set{hol, win, policy.Freeze("year-end", at(paris, 2026, 12, 19, 0, 0), at(paris, 2027, 1, 4, 0, 0))}
}

func TestZeroDecisionIsUndecided(t *testing.T) {
	var d mep.Decision
	assert.Equal(t, mep.Undecided, d.Verdict)
	assert.False(t, d.IsGo())
	assert.Equal(t, "undecided", d.Verdict.String())
	for _, v := range []mep.Verdict{mep.Undecided, mep.Go, mep.NoGo} {
		b, err := v.MarshalText()
		require.NoError(t, err)
		var got mep.Verdict
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, v, got)
	}
	var v mep.Verdict
	assert.ErrorIs(t, v.UnmarshalText([]byte("maybe")), mep.ErrInvalid)
}

// TestRolloutHappyPath: ticks, a vote, a GO, the steps, the summary.
func TestRolloutHappyPath(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	assert.Equal(t, mep.Undecided, g.r.GoNoGo().Decided().Verdict)
	g.ready(g.c.now())
	g.c.add(time.Hour)
	v := g.vote("Otto", mep.Go)
	assert.True(t, v.T0.Equal(g.t0))
	assert.Equal(t, g.r.Readiness().Run().Digest(), v.Digest)
	g.c.set(g.t0.Add(-30 * time.Minute))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.Equal(t, mep.Go, d.Verdict, "%s", d)
	assert.Equal(t, "Otto", d.By)
	assert.Equal(t, 40*time.Minute, d.Estimate)
	assert.Contains(t, d.String(), "go")
	assert.Equal(t, d.Verdict, g.r.GoNoGo().Decided().Verdict)
	g.c.set(g.t0)
	g.runCutover(5, 20, 10, 5)
	s, err := g.r.Cutover().Finish("Otto")
	require.NoError(t, err)
	assert.Equal(t, 40*time.Minute, s.Duration)
	assert.Equal(t, 25*time.Minute, s.Outage)
	assert.Equal(t, 10*time.Minute, s.Disruption)
	assert.Equal(t, s, g.r.Cutover().Summary())
	require.NoError(t, timeline.Verify(g.p.Record(), nil))
}

// TestDecisionTable: the verdict for the facts at hand, as a table.
func TestDecisionTable(t *testing.T) {
	tests := []struct {
		name   string
		setup  func(g *golive)
		want   mep.Verdict
		reason string
	}{
		{"no vote", func(g *golive) { g.ready(g.c.now()) }, mep.Undecided, "waiting for the GO from operations"},
		{"readiness pending", func(g *golive) { g.vote("Otto", mep.Go) }, mep.Undecided, "required item(s)"},
		{"no-go vote", func(g *golive) {
			g.ready(g.c.now())
			g.c.add(time.Minute)
			g.vote("Otto", mep.NoGo)
		}, mep.NoGo, "No-Go from operations by Otto: not ready"},
		{"failed item", func(g *golive) {
			g.ready(g.c.now())
			require.NoError(t, g.r.Readiness().Fail("config-backup", "Otto", g.c.now(), "backup corrupt"))
		}, mep.NoGo, "backup corrupt"},
		{"late item", func(g *golive) {
			require.NoError(t, g.r.Readiness().Check("config-backup", "Otto", g.c.now(), ""))
			g.c.set(g.t0.Add(-30 * time.Minute))
			require.NoError(t, g.r.Readiness().Check("new-hardware-verified", "Otto", g.c.now(), ""))
		}, mep.NoGo, "after its deadline"},
		{"missing estimate", func(g *golive) {}, mep.Undecided, "no expected duration"},
		{"warning policy", func(g *golive) {
			g.ready(g.c.now())
			g.c.add(time.Minute)
			g.vote("Otto", mep.Go)
		}, mep.Go, "nag: the change advisory board was not told"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := mep.RolloutOptions{}
			switch tt.name {
			case "missing estimate":
				o.Runbook = []mep.Step{{ID: "a"}, {ID: "b", Expected: time.Minute}}
			case "warning policy":
				o.Policies = policy.Set{policy.Func("nag", func(context.Context, policy.Change) policy.Decision {
					return policy.Decision{Verdict: policy.Warn, Reason: "the change advisory board was not told"}
				})}
			}
			g := rolloutsOnly(t, o)
			tt.setup(g)
			if g.c.now().Before(g.t0.Add(-2 * time.Hour)) {
				g.c.set(g.t0.Add(-2 * time.Hour)) // before the readiness deadline
			}
			d := g.r.GoNoGo().Evaluate(bg, g.c.now())
			assert.Equal(t, tt.want, d.Verdict, "%s", d)
			assert.Contains(t, d.String(), tt.reason)
		})
	}
}

// TestStepsStartOnlyAfterGo (R9): no step before a GO for the current T0,
// and the GO must still hold when the first step starts.
func TestStepsStartOnlyAfterGo(t *testing.T) {
	decided := func(t *testing.T) *golive {
		g := rolloutsOnly(t, mep.RolloutOptions{})
		require.NoError(t, g.p.Team().Add(mep.Member{Name: "Olga", Roles: []mep.Role{mep.RoleOperations}}))
		require.NoError(t, g.p.Team().Choose("Sam", "Sam", "Bea", "Vic", "Otto", "Mia", "Olga"))
		g.c.set(g.t0)
		assert.ErrorIs(t, g.r.Cutover().Start("stop-app", "Bea"), mep.ErrNoGo, "undecided")
		g.c.set(g.t0.Add(-day(1)))
		g.ready(g.c.now())
		g.c.add(time.Hour)
		g.vote("Otto", mep.Go)
		g.c.set(g.t0.Add(-30 * time.Minute))
		d, err := g.r.GoNoGo().Decide(bg, g.c.now())
		require.NoError(t, err)
		require.True(t, d.IsGo(), "%s", d)
		return g
	}
	t.Run("no-go voted since", func(t *testing.T) {
		g := decided(t)
		_, err := g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Olga", Verdict: mep.NoGo, Reason: "storage alarm"})
		require.NoError(t, err)
		g.c.set(g.t0)
		err = g.r.Cutover().Start("stop-app", "Bea")
		require.ErrorIs(t, err, mep.ErrNoGo)
		assert.Contains(t, err.Error(), "storage alarm")
	})
	t.Run("item failed since", func(t *testing.T) {
		g := decided(t)
		require.NoError(t, g.r.Readiness().Fail("config-backup", "Otto", g.c.now(), "backup corrupt"))
		g.c.set(g.t0)
		err := g.r.Cutover().Start("stop-app", "Bea")
		require.ErrorIs(t, err, mep.ErrNoGo)
		assert.Contains(t, err.Error(), "backup corrupt")
	})
	t.Run("start drifted into a Friday", func(t *testing.T) {
		g := decided(t)
		g.c.set(at(paris, 2026, 11, 20, 20, 0))
		err := g.r.Cutover().Start("stop-app", "Bea")
		require.ErrorIs(t, err, mep.ErrNoGo)
		assert.Contains(t, err.Error(), "friday-freeze")
	})
	t.Run("moved T0", func(t *testing.T) {
		g := decided(t)
		require.NoError(t, g.r.Reschedule(g.t0.Add(day(1)), "Otto", "the client asked"))
		assert.Equal(t, mep.Undecided, g.r.GoNoGo().Decided().Verdict, "a move resets the decision")
		g.c.set(g.t0.Add(day(1)))
		assert.ErrorIs(t, g.r.Cutover().Start("stop-app", "Bea"), mep.ErrNoGo)
	})
	t.Run("on time", func(t *testing.T) {
		g := decided(t)
		g.c.set(g.t0.Add(2 * time.Minute))
		require.NoError(t, g.r.Cutover().Start("stop-app", "Bea"))
		assert.ErrorIs(t, g.r.Reschedule(g.t0.Add(day(1)), "Otto", "too late"), mep.ErrStarted)
	})
}

// TestRescheduleMakesVotesStale: votes are for one T0; they stay stale
// when T0 moves back.
func TestRescheduleMakesVotesStale(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	fieldErr(t, g.r.Reschedule(g.t0.Add(day(1)), "Otto", ""))
	fieldErr(t, g.r.Reschedule(time.Time{}, "Otto", "x"))
	require.NoError(t, g.r.Reschedule(g.t0.Add(day(1)), "Otto", "the client asked"))
	require.NoError(t, g.r.Reschedule(g.t0, "Otto", "the client changed its mind"))
	d := g.r.GoNoGo().Evaluate(bg, g.t0.Add(-30*time.Minute))
	assert.Equal(t, mep.Undecided, d.Verdict, "the old vote does not come back: %s", d)
	require.Len(t, d.Stale, 1)
	assert.Contains(t, d.Stale[0].Stale, "T0")
}

// TestVotesFromTheFutureDoNotCount: a decision at now counts the votes
// given by now.
func TestVotesFromTheFutureDoNotCount(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	g.ready(g.c.now())
	n := len(g.p.Record())
	_, err := g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go, At: g.t0.Add(-10 * time.Minute)})
	assert.Equal(t, "vote.at", fieldErr(t, err).Field, "a vote dated after the project's clock")
	assert.Len(t, g.p.Record(), n, "a refused vote appends nothing")
	g.c.set(g.t0.Add(-10 * time.Minute))
	_, err = g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go})
	require.NoError(t, err)
	d := g.r.GoNoGo().Evaluate(bg, g.t0.Add(-30*time.Minute))
	assert.Equal(t, mep.Undecided, d.Verdict)
	assert.Empty(t, d.Votes)
	assert.Equal(t, mep.Go, g.r.GoNoGo().Evaluate(bg, g.t0.Add(-5*time.Minute)).Verdict)
	_, err = g.r.GoNoGo().Decide(bg, time.Time{})
	fieldErr(t, err)
}

// TestOverrideNeverLiftsTheGO: a break-glass override lifts a calendar
// denial, never the GO nor the readiness window.
func TestOverrideNeverLiftsTheGO(t *testing.T) {
	tuesday := at(paris, 2026, 11, 17, 20, 0)
	closing := policy.Freeze("quarter-close", tuesday.Add(-time.Hour), tuesday.Add(2*time.Hour))
	g := rolloutsOnly(t, mep.RolloutOptions{T0: tuesday, Policies: policy.Set{closing}})
	g.c.set(tuesday.Add(-day(1)))
	require.NoError(t, g.r.GoNoGo().Override("Otto", "a legal deadline"))
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.Undecided, d.Verdict, "overridden, yet no GO nor readiness: %s", d)
	fieldErr(t, g.r.GoNoGo().Override("Otto", ""))
	fieldErr(t, g.r.GoNoGo().Override("Bea", "not operations"))

	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.Equal(t, mep.Go, d.Verdict, "%s", d)
	assert.Contains(t, d.String(), "(overridden)")
	db := g.r.Debrief()
	require.NotEmpty(t, db.Overridden)
	assert.Equal(t, "quarter-close", db.Overridden[0].Policy)
	require.NotNil(t, db.Override)
	assert.Equal(t, "a legal deadline", db.Override.Reason)
}

// R11: a break-glass override lifts the team's own policies, never the
// method's freeze: only the project's recorded opt-out does.
func TestOverrideDoesNotLiftTheMethodFreeze(t *testing.T) {
	thursday := at(paris, 2026, 11, 19, 23, 30) // 40 minutes run into Friday
	g := rolloutsOnly(t, mep.RolloutOptions{T0: thursday})
	g.c.set(thursday.Add(-day(1)))
	require.NoError(t, g.r.GoNoGo().Override("Otto", "a legal deadline on Friday"))
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict, "%s", d)
	assert.Contains(t, reasons(d), "friday-freeze")

	require.NoError(t, g.p.OptOutOfFreeze("Otto", "the client's own maintenance night"))
	g.c.add(time.Minute)
	assert.NotEqual(t, mep.NoGo, g.r.GoNoGo().Evaluate(bg, g.c.now()).Verdict, "the recorded opt-out lifts it")
}

// TestPropose: the next starts where the estimate fits every calendar,
// with the reasons the requested one was refused.
func TestPropose(t *testing.T) {
	thursday := at(paris, 2026, 11, 26, 23, 0)
	g := rolloutsOnly(t, mep.RolloutOptions{T0: thursday, Policies: standardSet(t)})
	g.c.set(thursday.Add(-day(3)))
	p, err := g.r.Propose(bg, thursday, 3, 30*24*time.Hour)
	require.NoError(t, err)
	ov, err := g.r.Overrun(risk.Options{})
	require.NoError(t, err)
	assert.Equal(t, ov.Duration.P90(), p.Duration, "the P90 of the cutovers simulated from the rehearsals")
	assert.Greater(t, p.Duration, 40*time.Minute, "one rehearsal of 40 minutes, widened")
	assert.Equal(t, 0.9, p.Quantile)
	require.Len(t, p.Fits, 3)
	assert.Equal(t, "P90 end 20:48 CET, window ends 23:30 CET (evenings); 0% chance to overrun", p.Fits[0].Reason)
	require.NotEmpty(t, p.Refused)
	require.Len(t, p.Slots, 3)
	assert.Equal(t, []time.Time{at(paris, 2026, 11, 30, 20, 0), at(paris, 2026, 12, 1, 20, 0), at(paris, 2026, 12, 2, 20, 0)}, p.Slots)

	p, err = g.r.Propose(bg, at(paris, 2026, 12, 20, 12, 0), 1, 60*24*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, at(paris, 2027, 1, 4, 20, 0), p.Slots[0], "after the year-end freeze")
	_, err = g.r.Propose(bg, at(paris, 2026, 12, 20, 12, 0), 1, 24*time.Hour)
	assert.ErrorIs(t, err, policy.ErrNoSlot)
	_, err = g.r.Propose(bg, thursday, 0, time.Hour)
	fieldErr(t, err)

	big := rolloutsOnly(t, mep.RolloutOptions{Name: "big", Policies: standardSet(t), Margin: 5})
	p, err = big.r.Propose(bg, at(paris, 2026, 11, 24, 20, 0), 1, 30*24*time.Hour)
	require.ErrorIs(t, err, policy.ErrNoSlot, "4h never fits in 20:00-23:30")
	assert.Equal(t, 240*time.Minute, p.Duration, "40 minutes plus 500%")
}

// TestDrift: a running cutover against its estimate, late, overrunning
// its window; after the end it ends when it ended.
func TestDrift(t *testing.T) {
	t0 := at(paris, 2026, 11, 24, 22, 30)
	g := rolloutsOnly(t, mep.RolloutOptions{T0: t0, Policies: standardSet(t)})
	before := g.r.Cutover().Drift(t0.Add(-10 * time.Minute))
	assert.True(t, before.Started.IsZero())
	assert.True(t, before.ExpectedEnd.Equal(t0.Add(40*time.Minute)))
	assert.Contains(t, before.String(), "not started")
	goNow(t, g)
	g.runCutover(5)
	require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea"))
	now := t0.Add(5*time.Minute + 50*time.Minute) // 50 minutes into a 20-minute step
	d := g.r.Cutover().Drift(now)
	assert.True(t, d.Started.Equal(t0))
	assert.Equal(t, 30*time.Minute, d.Delay)
	assert.Equal(t, 30*time.Minute, d.Steps[1].Late)
	assert.True(t, d.Steps[1].Running)
	assert.True(t, d.ExpectedEnd.Equal(now.Add(15*time.Minute)))
	assert.True(t, d.WindowEnd.Equal(at(paris, 2026, 11, 24, 23, 30)))
	assert.True(t, d.Overrun)
	assert.Contains(t, d.String(), "30m late; expected end 23:40 CET (planned 23:10 CET)")
	assert.Contains(t, d.String(), "OVERRUNS the window, which ends at 23:30 CET")

	g.c.set(now)
	require.NoError(t, g.r.Cutover().End("migrate-db", "Bea", timeline.Done))
	g.runCutoverFrom(2, 1, 1)
	end := g.c.now()
	soon, later := g.r.Cutover().Drift(end), g.r.Cutover().Drift(end.Add(2*time.Hour))
	assert.True(t, later.ExpectedEnd.Equal(end), "an ended cutover ends when it ended")
	assert.Equal(t, soon.Delay, later.Delay)
}

// TestDriftInZones: the drift speaks in T0's zone, on both sides of DST.
func TestDriftInZones(t *testing.T) {
	for _, tt := range []struct {
		t0   time.Time
		want string
	}{
		{at(newYork, 2026, 11, 3, 20, 0), "planned 20:40 EST"},
		{at(sydney, 2026, 11, 3, 20, 0), "planned 20:40 AEDT"},
		{at(kolkata, 2026, 11, 3, 20, 0), "planned 20:40 IST"},
		{at(paris, 2026, 10, 20, 20, 0), "planned 20:40 CEST"},
	} {
		g := rolloutsOnly(t, mep.RolloutOptions{T0: tt.t0})
		g.c.set(tt.t0.Add(-day(1)))
		goNow(t, g)
		g.runCutover(5)
		assert.Contains(t, g.r.Cutover().Drift(g.c.now()).String(), tt.want)
	}
}

// TestRolloutOptionsValidated: bad options are *FieldError.
func TestRolloutOptionsValidated(t *testing.T) {
	g := newGolive(t, nil)
	rb := goliveRunbook()
	for name, o := range map[string]mep.RolloutOptions{
		"no name":       {T0: g.t0, Runbook: rb},
		"no T0":         {Name: "x", Runbook: rb},
		"no runbook":    {Name: "x", T0: g.t0},
		"repeated step": {Name: "x", T0: g.t0, Runbook: []mep.Step{{ID: "a"}, {ID: "a"}}},
		"bad quorum":    {Name: "x", T0: g.t0, Runbook: rb, Quorum: map[mep.Role]int{mep.RoleBuild: 0}},
		"bad role":      {Name: "x", T0: g.t0, Runbook: rb, Quorum: map[mep.Role]int{mep.Role(42): 1}},
		"bad margin":    {Name: "x", T0: g.t0, Runbook: rb, Margin: -1},
		"bad impact":    {Name: "x", T0: g.t0, Runbook: []mep.Step{{ID: "a", Impact: 9}}},
		"unknown dep":   {Name: "x", T0: g.t0, Runbook: []mep.Step{{ID: "a", DependsOn: []string{"zz"}}}},
	} {
		_, err := g.p.NewRollout(o)
		assert.ErrorIs(t, err, mep.ErrInvalid, name)
	}
	assert.Empty(t, g.p.Rollouts())
	_, err := g.p.NewRollout(mep.RolloutOptions{Name: "x", T0: g.t0, Runbook: rb,
		Readiness: checklist.List{Name: "bad", Items: []checklist.Item{{ID: "a"}, {ID: "a"}}}})
	assert.Error(t, err)
}

// TestNewRolloutAgainAttachesPolicies: a rollout of a recorded name is
// returned with its policies attached; they and the other options must
// match the record: other policies come by GoNoGo().SetPolicies, with who
// and why.
func TestNewRolloutAgainAttachesPolicies(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	nag := policy.Func("nag", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Warn, Reason: "because"}
	})
	_, err := g.p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: g.t0, Runbook: goliveRunbook(), Policies: policy.Set{nag}})
	assert.Equal(t, "rollout.policies", fieldErr(t, err).Field)
	r, err := g.p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: g.t0, Runbook: goliveRunbook(), Policies: policy.Set{}})
	require.NoError(t, err)
	require.NoError(t, r.GoNoGo().SetPolicies(policy.Set{nag}, nil, "Otto", "the board wants a word"))
	assert.Contains(t, r.GoNoGo().Evaluate(bg, g.c.now()).String(), "nag: because")
	r, err = g.p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: g.t0, Runbook: goliveRunbook(), Policies: policy.Set{nag}})
	require.NoError(t, err)
	assert.Contains(t, r.GoNoGo().Evaluate(bg, g.c.now()).String(), "nag: because")
	assert.Equal(t, []string{"go-live"}, g.p.Rollouts())
	_, err = g.p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: g.t0, Runbook: goliveRunbook()[:2]})
	fieldErr(t, err)
}

// TestAddRehearsalChecksTheRunbook: a rehearsal of other steps, or with a
// step still open, is refused.
func TestAddRehearsalChecksTheRunbook(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	c := newClock(g.c.now())
	j := timeline.New(&timeline.Options{Now: c.now})
	_, _ = j.Start("reboot-the-world", "Bea", timeline.Outage)
	c.add(time.Minute)
	_, _ = j.End("reboot-the-world", "Bea", timeline.Done)
	err := g.r.AddRehearsal(mep.RehearsalRun{Summary: timeline.Summarize(j.Entries())})
	assert.Contains(t, fieldErr(t, err).Value, "reboot-the-world")
	_, _ = j.Start("stop-app", "Bea", timeline.Outage)
	err = g.r.AddRehearsal(mep.RehearsalRun{Summary: timeline.Summarize(j.Entries()[2:])})
	assert.Contains(t, fieldErr(t, err).Reason, "still running")
	fieldErr(t, g.r.AddRehearsal(mep.RehearsalRun{}))
	assert.Len(t, g.r.Rehearsals(), 1, "nothing added")
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
	assert.ErrorIs(t, k.UnmarshalText([]byte("party")), mep.ErrInvalid)
}

// TestRolloutConcurrentUse: votes, evaluations, drifts and notes from
// several goroutines, under -race; the record stays a valid chain.
func TestRolloutConcurrentUse(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	g.ready(g.c.now())
	g.c.set(g.t0.Add(-30 * time.Minute)) // the votes below are recorded late
	var wg sync.WaitGroup
	for i := range 8 {
		wg.Go(func() {
			for k := range 10 {
				if k%2 == 0 {
					_, err := g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go, At: g.t0.Add(-time.Duration(60-i) * time.Minute)})
					assert.NoError(t, err)
				}
				_ = g.r.GoNoGo().Evaluate(bg, g.t0.Add(-30*time.Minute))
				_ = g.r.Cutover().Drift(g.t0)
				assert.NoError(t, g.r.Cutover().Note("Otto", "still here"))
			}
		})
	}
	wg.Wait()
	assert.Len(t, g.r.GoNoGo().Votes(), 40)
	assert.Len(t, g.r.Cutover().Notes(), 80)
	assert.NoError(t, timeline.Verify(g.p.Record(), nil))
}
