package mep_test

import (
	"math"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// A decision dated before a No-Go was voted is judged when it is
// recorded: the No-Go counts, and no cutover can be closed on it by
// skipping every step (R9).
func TestBackdatedDecideIsJudgedWhenRecorded(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	g.ready(g.t0.Add(-5 * time.Hour))
	g.c.set(g.t0.Add(-3 * time.Hour))
	g.vote("Otto", mep.Go)
	g.c.set(g.t0.Add(-20 * time.Minute))
	g.vote("Otto", mep.NoGo)
	g.c.set(g.t0.Add(-15 * time.Minute))

	d, err := g.r.GoNoGo().Decide(bg, g.t0.Add(-25*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, mep.NoGo, d.Verdict, "%s", d)
	assert.Equal(t, g.c.now(), d.At, "taken when recorded")
	err = g.r.Cutover().Skip(g.rb[0].ID, "Bea", "in a hurry")
	assert.ErrorIs(t, err, mep.ErrNoGo)
}

// Skipping the first step needs the GO to hold still, as starting it
// does: a No-Go voted after the decision stops a cutover that would
// otherwise be closed by skipping every step (R9, R10).
func TestSkipNeedsTheGoToHoldStill(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	d := g.decided(mep.Go)
	require.Equal(t, mep.Go, d.Verdict, "%s", d)
	g.c.set(g.t0.Add(-20 * time.Minute))
	g.vote("Otto", mep.NoGo)

	g.c.set(g.t0)
	before := len(g.p.Record())
	err := g.r.Cutover().Skip(g.rb[0].ID, "Bea", "in a hurry")
	require.ErrorIs(t, err, mep.ErrNoGo)
	assert.Len(t, g.p.Record(), before)
	assert.ErrorIs(t, g.r.Cutover().Start(g.rb[0].ID, "Bea"), mep.ErrNoGo)
}

// The first go-live's steps are skipped, as they are started, only in
// the Cutover phase: a cutover cannot be closed in Preparation, its gate
// never passed, by skipping every step (R1).
func TestFirstCutoverSkipsOnlyInItsPhase(t *testing.T) {
	g := walk(t, mep.Preparation)
	g.prepare()
	before := len(g.p.Record())
	err := g.r.Cutover().Skip(g.rb[0].ID, "Bea", "in a hurry")
	require.ErrorIs(t, err, mep.ErrGate)
	assert.Len(t, g.p.Record(), before)
	g.advance(mep.Cutover)
	require.NoError(t, g.r.Cutover().Skip(g.rb[0].ID, "Bea", "nothing to stop"))
}

// A project's zone is recorded by name: a location whose name does not
// load as the same zone is refused when the project is created, instead
// of a record that does not open again or reopens in another zone.
func TestZoneTheRecordCannotNameIsRefused(t *testing.T) {
	for _, loc := range []*time.Location{
		time.FixedZone("UTC+1", 3600),
		time.FixedZone("Europe/Paris", 5*3600),
		time.FixedZone("", 3600),
	} {
		t.Run(loc.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.jsonl")
			_, err := mep.CreateFile(path, "billing v2", &mep.Options{Location: loc, NoSync: true, Now: func() time.Time { return goliveT0 }})
			assert.Equal(t, "options.location", fieldErr(t, err).Field)
		})
	}
	for _, loc := range []*time.Location{paris, sydney, kolkata, time.UTC} {
		path := filepath.Join(t.TempDir(), "p.jsonl")
		p, err := mep.CreateFile(path, "billing v2", &mep.Options{Location: loc, NoSync: true, Now: func() time.Time { return goliveT0 }})
		require.NoError(t, err, "%s", loc)
		created := p.Created()
		require.NoError(t, p.Close())
		again, err := mep.OpenFile(path, nil)
		require.NoError(t, err)
		assert.Equal(t, created.String(), again.Created().String())
		require.NoError(t, again.Close())
	}
}

// T0 comes back from the record in the zone it was given in: UTC in a
// project kept in Paris time stays UTC, and a zone the record cannot
// name is refused.
func TestT0ZoneIsReplayed(t *testing.T) {
	for _, z := range []*time.Location{time.UTC, newYork, paris} {
		t.Run(z.String(), func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.jsonl")
			g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
			g.c.set(g.t0.Add(-day(1)))
			g.newRollout(mep.RolloutOptions{T0: g.t0.In(z)})
			live := g.r.T0()
			require.NoError(t, g.p.Close())
			p, err := mep.OpenFile(path, nil)
			require.NoError(t, err)
			r, ok := p.Rollout("go-live")
			require.True(t, ok)
			assert.Equal(t, live.String(), r.T0().String())
			require.NoError(t, p.Close())
		})
	}
	g := newGolive(t, nil)
	_, err := g.p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: goliveT0.In(time.FixedZone("X", 3600)), Runbook: goliveRunbook()})
	assert.Equal(t, "rollout.t0", fieldErr(t, err).Field)
}

// A rollout opened again with NewRollout attaches its policies only when
// its options are those recorded: a quorum, a margin, labels or a
// readiness list other than the record's is refused, and the rollout
// keeps the quorum it was created with (R9).
func TestReattachWithOtherOptionsIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	tickAll(t, g.p.Operations(), checklist.Operations(), g.c.now(), "Mia")
	g.c.set(g.t0.Add(-day(1)))
	quorum := map[mep.Role]int{mep.RoleMCO: 1} // Mia's GO is needed too
	g.newRollout(mep.RolloutOptions{Quorum: quorum, Margin: 0.5, Labels: map[string]string{"tier": "1"}})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{
		Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), Environment: "preprod", ProductionLike: true,
	}))
	ro := g.ro
	require.NoError(t, g.p.Close())

	p, err := mep.OpenFile(path, &mep.Options{Now: g.c.now, NoSync: true})
	require.NoError(t, err)
	defer p.Close()
	for field, change := range map[string]func(*mep.RolloutOptions){
		"rollout.quorum":    func(o *mep.RolloutOptions) { o.Quorum = map[mep.Role]int{mep.RoleOperations: 1} },
		"rollout.margin":    func(o *mep.RolloutOptions) { o.Margin = 0.1 },
		"rollout.labels":    func(o *mep.RolloutOptions) { o.Labels = map[string]string{"tier": "3"} },
		"rollout.readiness": func(o *mep.RolloutOptions) { o.Readiness = checklist.Preparation() },
	} {
		o := ro
		change(&o)
		_, err := p.NewRollout(o)
		assert.Equal(t, field, fieldErr(t, err).Field)
	}
	// Zero values stand for the recorded ones: the MCO quorum holds.
	r, err := p.NewRollout(mep.RolloutOptions{Name: ro.Name, T0: ro.T0, Runbook: ro.Runbook})
	require.NoError(t, err)
	for _, it := range r.Readiness().Run().List().Items {
		require.NoError(t, r.Readiness().Check(it.ID, "Otto", time.Time{}, ""))
	}
	g.c.add(time.Hour)
	_, err = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go})
	require.NoError(t, err)
	d, err := r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.NotEqual(t, mep.Go, d.Verdict, "the MCO quorum recorded still holds: %s", d)
}

// A GO written straight into the record, with no GO vote behind it, is
// refused on replay with its seq, as the API would never record it: it
// cannot open the way to a cutover (R9).
func TestReplayRefusesForgedGo(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{})
	require.NoError(t, g.p.Close())

	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	forged, err := j.Record(timeline.Entry{At: g.t0.Add(-time.Hour), Kind: "mep.decision", Actor: "Otto",
		Attrs: map[string]string{"rollout": "go-live", "verdict": "go", "t0": g.t0.Format(time.RFC3339)}})
	require.NoError(t, err)
	_, err = j.Record(timeline.Entry{At: g.t0, Kind: "mep.step", Actor: "Bea",
		Attrs: map[string]string{"rollout": "go-live", "step": "stop-app", "event": "start"}})
	require.NoError(t, err)
	require.NoError(t, j.Close())

	_, err = mep.OpenFile(path, nil)
	var re *mep.RecordError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, forged.Seq, re.Seq)
	assert.ErrorIs(t, err, mep.ErrCorrupt)
}

// A value that replay could not read back (a date past the year 9999, a
// due date a cadence pushes out of range) is refused before it is
// appended: the call fails, the record has the same entries, and it
// still opens.
func TestUnreadableValuesAppendNothing(t *testing.T) {
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, call := range map[string]func(g *golive) error{
		"action due in 10000": func(g *golive) error {
			_, err := g.p.Tracker().Assign(mep.ActionSpec{Title: "print", Owner: "Bea", Due: far}, "Sam", time.Time{})
			return err
		},
		"next meeting in 10000": func(g *golive) error {
			_, err := g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Sam"}, NoActions: "none", Next: far})
			return err
		},
		"due date from a huge cadence": func(g *golive) error {
			_, err := g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Sam"},
				Actions: []mep.ActionSpec{{Title: "print", Owner: "Bea"}}})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.jsonl")
			g := newGoliveFile(t, path, nil)
			require.NoError(t, g.p.Tracker().SetCadence(mep.Cadence{Months: 1 << 40}, "Sam"))
			before := len(g.p.Record())
			assert.ErrorIs(t, call(g), mep.ErrInvalid)
			assert.Len(t, g.p.Record(), before, "nothing appended")
			require.NoError(t, g.p.Close())
			again, err := mep.OpenFile(path, nil)
			require.NoError(t, err, "the record still opens")
			require.NoError(t, again.Close())
		})
	}
}

// Propose looks at most ten years ahead: each slot it finds looks at the
// free windows up to the horizon, and a horizon of centuries took
// minutes of CPU.
func TestProposeHorizonIsBounded(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	_, err := g.r.Propose(bg, g.c.now(), math.MaxInt, math.MaxInt64)
	assert.Equal(t, "propose.horizon", fieldErr(t, err).Field)
	p, err := g.r.Propose(bg, g.c.now(), 3, 10*365*24*time.Hour)
	require.NoError(t, err)
	assert.Len(t, p.Slots, 3)
}

// A rehearsal whose steps add up to more than a year, or end before they
// start, is refused: two steps timed from the year 1 overflowed the
// estimate to -2ns, a cutover that fits any window, and a GO (R5, R11).
func TestRehearsalDurationsAreBounded(t *testing.T) {
	ancient := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	for name, spans := range map[string][]timeline.Span{
		"from the year 1": {
			{Step: "stop-app", Start: ancient, End: goliveT0.Add(-day(2)), Impact: timeline.Outage},
			{Step: "migrate-db", Start: ancient, End: goliveT0.Add(-day(2)), Impact: timeline.Outage},
		},
		"ends before it starts": {
			{Step: "stop-app", Start: goliveT0.Add(-day(2)), End: goliveT0.Add(-day(3))},
		},
	} {
		t.Run(name, func(t *testing.T) {
			g := rolloutsOnly(t, mep.RolloutOptions{Runbook: goliveRunbook()[:2]})
			before := len(g.p.Record())
			err := g.r.AddRehearsal(mep.RehearsalRun{Summary: timeline.Summary{Steps: spans}, Environment: "prod", ProductionLike: true})
			assert.Equal(t, "rehearsal.steps", fieldErr(t, err).Field)
			assert.Len(t, g.p.Record(), before)
		})
	}
}

// A GO counts while its voter is in the go-live team with the role: a
// voter left out of the team chosen since no longer gives the GO (R3,
// R9).
func TestVoteOfAVoterLeftOutOfTheTeamDoesNotCount(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	require.NoError(t, g.p.Team().Add(mep.Member{Name: "Olga", Roles: []mep.Role{mep.RoleOperations}}))
	require.NoError(t, g.p.Team().Choose("Sam", "Sam", "Bea", "Vic", "Otto", "Mia", "Olga"))
	g.ready(g.t0.Add(-5 * time.Hour))
	g.c.set(g.t0.Add(-3 * time.Hour))
	g.vote("Otto", mep.Go)
	g.c.set(g.t0.Add(-2 * time.Hour))
	require.NoError(t, g.p.Team().Choose("Sam", "Sam", "Bea", "Vic", "Mia", "Olga"))

	g.c.set(g.t0.Add(-30 * time.Minute))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.NotEqual(t, mep.Go, d.Verdict, "%s", d)
	require.Len(t, d.Stale, 1)
	assert.Contains(t, d.Stale[0].Stale, "no longer in the go-live team")
	g.vote("Olga", mep.Go)
	d, err = g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.Equal(t, mep.Go, d.Verdict, "%s", d)
	assert.Equal(t, "Olga", d.By)
}

// The readiness items of R8 must be done for a GO: one marked optional
// and never done, or one waived, is no backup and no hardware check.
func TestR8ItemsMustBeDone(t *testing.T) {
	for _, mode := range []string{"optional", "waived"} {
		t.Run(mode, func(t *testing.T) {
			rl := goliveReadiness()
			rl.Items[0].Optional = mode == "optional"
			rl.WaiveRequired = mode == "waived"
			g := rolloutsOnly(t, mep.RolloutOptions{Readiness: rl})
			g.c.set(g.t0.Add(-5 * time.Hour))
			if mode == "waived" {
				require.NoError(t, g.r.Readiness().Waive("config-backup", "Otto", time.Time{}, "no time"))
			}
			require.NoError(t, g.r.Readiness().Check("new-hardware-verified", "Otto", time.Time{}, ""))
			g.c.set(g.t0.Add(-3 * time.Hour))
			g.vote("Otto", mep.Go)
			g.c.set(g.t0.Add(-30 * time.Minute))
			d, err := g.r.GoNoGo().Decide(bg, g.c.now())
			require.NoError(t, err)
			assert.NotEqual(t, mep.Go, d.Verdict, "%s", d)
			assert.Contains(t, d.String(), "config-backup")
		})
	}
}

// A rollout's own readiness window does not lower the project's recorded
// readiness lead: with a lead of 3h, a policy asking 1h leaves the 3h
// window in place (R7: more time, never less).
func TestRolloutPolicyDoesNotLowerTheReadinessLead(t *testing.T) {
	g := newGolive(t, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production", ReadinessLead: 3 * time.Hour})
	tickAll(t, g.p.Operations(), checklist.Operations(), g.c.now(), "Mia")
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{policy.ReadinessWindow(time.Hour)}})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{
		Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), Environment: "preprod", ProductionLike: true,
	}))
	g.ready(g.t0.Add(-90 * time.Minute))
	g.c.set(g.t0.Add(-80 * time.Minute))
	g.vote("Otto", mep.Go)
	g.c.set(g.t0.Add(-10 * time.Minute))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.Equal(t, mep.NoGo, d.Verdict, "%s", d)
	assert.Contains(t, d.String(), "3h")
}

// A rollout's own quorum policy does not lower the quorum it was created
// with: two operations GOs asked, a policy asking one leaves two (R9).
func TestRolloutPolicyDoesNotLowerTheQuorum(t *testing.T) {
	g := newGolive(t, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	require.NoError(t, g.p.Team().Add(mep.Member{Name: "Olga", Roles: []mep.Role{mep.RoleOperations}}))
	require.NoError(t, g.p.Team().Choose("Sam", "Sam", "Bea", "Vic", "Otto", "Mia", "Olga"))
	tickAll(t, g.p.Operations(), checklist.Operations(), g.c.now(), "Mia")
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{Quorum: map[mep.Role]int{mep.RoleOperations: 2},
		Policies: policy.Set{policy.RequireQuorum("operations", 1)}})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{
		Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), Environment: "preprod", ProductionLike: true,
	}))
	d := g.decided(mep.Go)
	assert.NotEqual(t, mep.Go, d.Verdict, "%s", d)
	g.vote("Olga", mep.Go)
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.Equal(t, mep.Go, d.Verdict, "%s", d)
}

// Opening a record that does not exist creates nothing, and a project
// that could not be created leaves no empty file behind.
func TestNoFileLeftBehind(t *testing.T) {
	dir := t.TempDir()
	_, err := mep.OpenFile(filepath.Join(dir, "missing.jsonl"), nil)
	assert.ErrorIs(t, err, mep.ErrNoProject)
	_, err = mep.OpenFile(dir, nil)
	assert.ErrorIs(t, err, mep.ErrNoProject)
	_, err = mep.CreateFile(filepath.Join(dir, "bad.jsonl"), "billing v2", &mep.Options{BuildShare: 2})
	assert.Equal(t, "options.build_share", fieldErr(t, err).Field)
	_, err = mep.CreateFile(dir, "billing v2", &mep.Options{Location: time.FixedZone("UTC+1", 3600)})
	assert.Equal(t, "options.location", fieldErr(t, err).Field)
	left, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Empty(t, left)
}

// A phase is planned for twenty years at most: two phases planned for
// math.MaxInt64 overflowed the plan's total to an hour, and Build's
// share (R2) to 2.5 million.
func TestPlanIsBounded(t *testing.T) {
	g := newGolive(t, nil)
	require.NoError(t, g.p.Plan(mep.Build, 20*365*24*time.Hour))
	before := len(g.p.Record())
	err := g.p.Plan(mep.Scoping, math.MaxInt64)
	assert.Equal(t, "plan.scoping", fieldErr(t, err).Field)
	assert.Len(t, g.p.Record(), before)
	b := g.p.Budget(g.c.now())
	assert.InDelta(t, 1.0, b.PlannedBuild, 1e-9)
}

// A step that would start before the previous one ended, the clock
// having stepped back, is refused as an end before its start is: the
// journal keeps time's order, and the drift no longer says the cutover
// ends before its first step did (R10).
func TestStepBeforeTheLastOneIsRefused(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	g.decided(mep.Go)
	g.c.set(g.t0)
	g.runCutover(10)
	g.c.add(-30 * time.Minute) // the clock steps back
	before := len(g.p.Record())
	err := g.r.Cutover().Start("migrate-db", "Bea")
	assert.Equal(t, "step.at", fieldErr(t, err).Field)
	assert.Len(t, g.p.Record(), before)
	g.c.add(time.Hour)
	require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea"))
}

// A T0 whose year is 9999 in UTC but 10000 in the project's zone is
// refused: the record read it back in Paris time, and a decision taken
// on it made the record unopenable.
func TestT0AtTheEdgeOfTheRecordIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	before := len(g.p.Record())
	_, err := g.p.NewRollout(mep.RolloutOptions{Name: "x", T0: time.Date(9999, 12, 31, 23, 30, 0, 0, time.UTC),
		Runbook: []mep.Step{{ID: "a", Expected: time.Hour}}})
	assert.Equal(t, "rollout.t0", fieldErr(t, err).Field)
	assert.Len(t, g.p.Record(), before)
	require.NoError(t, g.p.Close())
	again, err := mep.OpenFile(path, nil)
	require.NoError(t, err)
	require.NoError(t, again.Close())
}

// Only a member with the operations role opts the project out of the
// method's freeze, as only one asks for a break-glass override: a name
// nobody knows no longer lifts Fridays for every rollout (R11).
func TestOptOutOfFreezeNeedsAnOperationsMember(t *testing.T) {
	g := newGolive(t, nil)
	assert.ErrorIs(t, g.p.OptOutOfFreeze("nobody", "we deploy on Fridays"), mep.ErrNotFound)
	assert.Equal(t, "opt_out.by", fieldErr(t, g.p.OptOutOfFreeze("Bea", "we deploy on Fridays")).Field)
	require.NoError(t, g.p.OptOutOfFreeze("Otto", "a 24/7 shop: Friday is as quiet as any day"))
}
