package mep_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// TestFactsFromTheFutureAreRefused: at 10:00 a team cannot tick every item
// "at 18:00" nor vote "at 18:30": a fact is recorded once it happened,
// and a refused fact appends nothing.
func TestFactsFromTheFutureAreRefused(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	g.c.set(g.t0.Add(-10 * time.Hour))
	n := len(g.p.Record())
	err := g.r.Readiness().Check("config-backup", "Otto", g.t0.Add(-2*time.Hour), "")
	assert.Equal(t, "checklist.tick.at", fieldErr(t, err).Field)
	_, err = g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go, At: g.t0.Add(-90 * time.Minute)})
	assert.Equal(t, "vote.at", fieldErr(t, err).Field)
	_, err = g.p.Tracker().Hold(mep.Minutes{At: g.c.now().Add(time.Hour), Attendees: []string{"Bea"}, NoActions: "none"})
	assert.Equal(t, "meeting.at", fieldErr(t, err).Field)
	assert.Len(t, g.p.Record(), n, "nothing appended")
	g.c.set(g.t0.Add(-30 * time.Minute))
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.NotEqual(t, mep.Go, d.Verdict, "%s", d)
}

// TestBackdatedTicksAreJudgedWhenRecorded (R7): ticks recorded at T-15m
// that say T-2h leave the checklist late: deadlines are judged on when a
// fact was recorded. The tick keeps when it says it happened, shown as
// recorded late, and a replay judges the same.
func TestBackdatedTicksAreJudgedWhenRecorded(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	opsReady(t, g.p, g.c.now())
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))

	g.c.set(g.t0.Add(-15 * time.Minute))
	for _, id := range []string{"config-backup", "new-hardware-verified"} {
		require.NoError(t, g.r.Readiness().Check(id, "Otto", g.t0.Add(-2*time.Hour), "done in the afternoon"))
	}
	g.vote("Otto", mep.Go)
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict, "%s", d)
	assert.Contains(t, reasons(d), "after its deadline")

	res := g.r.Readiness().Run().Results()
	require.NotEmpty(t, res)
	assert.True(t, res[0].At.Equal(g.t0.Add(-15*time.Minute)), "judged at %v", res[0].At)
	assert.True(t, strings.HasPrefix(res[0].Note, "recorded late: happened 2026-11-17 18:00 CET"), "%q", res[0].Note)
	assert.Contains(t, res[0].Note, "done in the afternoon")

	// The entry says when the tick happened and when it was recorded.
	var tick timeline.Entry
	for _, e := range g.p.Record() {
		if e.Kind == "mep.checklist.tick" && e.Attrs["rollout"] != "" {
			tick = e
		}
	}
	assert.True(t, tick.At.Equal(g.t0.Add(-2*time.Hour)))
	assert.Equal(t, g.t0.Add(-15*time.Minute).UTC().Format(time.RFC3339), mustTime(t, tick.Attrs["recorded"]).UTC().Format(time.RFC3339))

	require.NoError(t, g.p.Close())
	again, err := mep.OpenFile(path, &g.opts)
	require.NoError(t, err)
	defer again.Close()
	r, ok := again.Rollout(g.r.Name())
	require.True(t, ok)
	d2 := r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, d.Verdict, d2.Verdict)
	assert.Equal(t, d.Reasons, d2.Reasons, "the replay judges the same")
}

func mustTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339Nano, s)
	require.NoError(t, err)
	return v
}

// TestClockSteppingBack: a clock that steps back never makes a step end
// before it started; the record refuses with the field named.
func TestClockSteppingBack(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	goNow(t, g)
	require.NoError(t, g.r.Cutover().Start("stop-app", "Bea"))
	g.c.add(-10 * time.Minute)
	n := len(g.p.Record())
	err := g.r.Cutover().End("stop-app", "Bea", timeline.Done)
	assert.Equal(t, "step.at", fieldErr(t, err).Field)
	assert.Contains(t, err.Error(), "clock step back")
	assert.Len(t, g.p.Record(), n)
	g.c.add(15 * time.Minute)
	require.NoError(t, g.r.Cutover().End("stop-app", "Bea", timeline.Done))
}

// TestForgedRecordedTimeIsRefused: an entry that says it was recorded
// before it happened does not replay; the error names its seq and field.
func TestForgedRecordedTimeIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, nil)
	require.NoError(t, g.p.Close())
	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	forged, err := j.Record(timeline.Entry{At: g.c.now(), Kind: "mep.member", Actor: "Sam", Text: "Eve",
		Attrs: map[string]string{"roles": `["build"]`, "recorded": g.c.now().Add(-time.Hour).Format(time.RFC3339)}})
	require.NoError(t, err)
	require.NoError(t, j.Close())
	_, err = mep.OpenFile(path, nil)
	var re *mep.RecordError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, forged.Seq, re.Seq)
	assert.Equal(t, "recorded", re.Field)
}

// TestFirstCutoverRunsInItsPhase (R1): with a GO decided in Preparation,
// the first go-live's steps wait for the Preparation -> Cutover gate.
func TestFirstCutoverRunsInItsPhase(t *testing.T) {
	g := walk(t, mep.Preparation)
	g.prepare()
	g.c.set(g.t0)
	n := len(g.p.Record())
	err := g.r.Cutover().Start("stop-app", "Bea")
	assert.ErrorIs(t, err, mep.ErrGate)
	assert.Contains(t, err.Error(), "preparation")
	assert.Len(t, g.p.Record(), n, "nothing appended")
	g.advance(mep.Cutover)
	require.NoError(t, g.r.Cutover().Start("stop-app", "Bea"))
}

// TestReopenNeedsNothingReSupplied: the options a project was created
// with are in its record; OpenFile(path) alone reopens it as it was, and
// options given with other values are refused, not silently applied.
func TestReopenNeedsNothingReSupplied(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	c := newClock(at(sydney, 2026, 10, 5, 9, 0))
	p, err := mep.CreateFile(path, "billing", &mep.Options{Now: c.now, NoSync: true, Location: sydney, Country: "AU-NSW",
		ReadinessLead: 2 * time.Hour, BuildShare: 0.6, BuildMargin: 0.2})
	require.NoError(t, err)
	require.NoError(t, p.Close())

	again, err := mep.OpenFile(path, nil)
	require.NoError(t, err)
	b := again.Budget(c.now())
	assert.Equal(t, 0.6, b.Target)
	assert.Equal(t, 0.2, b.Margin)
	assert.Equal(t, sydney.String(), again.Created().Location().String(), "times read back in the recorded zone")
	require.NoError(t, again.Close())

	for _, o := range []*mep.Options{{Country: "FR"}, {Location: paris}, {ReadinessLead: 3 * time.Hour}, {BuildShare: 0.7}} {
		_, err := mep.OpenFile(path, o)
		fe := fieldErr(t, err)
		assert.Contains(t, fe.Reason, "not what the record states")
	}
	same, err := mep.OpenFile(path, &mep.Options{Country: "AU-NSW", Location: sydney, ReadinessLead: 2 * time.Hour})
	require.NoError(t, err, "the same options are welcome")
	require.NoError(t, same.Close())
}

// TestRolloutsOnlyIsARecordedChoice (R1): a project that skips the
// method's phases says who chose it and why.
func TestRolloutsOnlyIsARecordedChoice(t *testing.T) {
	for _, o := range []mep.Options{{RolloutsOnly: true}, {RolloutsOnly: true, CreatedBy: "Sam"}, {RolloutsOnly: true, RolloutsOnlyReason: "in production"}} {
		_, err := mep.New("x", &o)
		assert.Equal(t, "options.rollouts_only", fieldErr(t, err).Field)
	}
	p, err := mep.New("x", &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	require.NoError(t, err)
	first := p.Record()[0]
	assert.Equal(t, "Sam", first.Actor)
	assert.Equal(t, "in production", first.Attrs["reason"])
}

// TestNoCountrySaysSoLoudly (R11): without Options.Country the method's
// freeze checks no public holiday; every decision warns of it.
func TestNoCountrySaysSoLoudly(t *testing.T) {
	c := newClock(at(paris, 2026, 11, 17, 14, 0))
	p, err := mep.New("x", &mep.Options{Now: c.now, Location: paris, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	require.NoError(t, err)
	staff(t, p)
	r, err := p.NewRollout(mep.RolloutOptions{Name: "r", T0: at(paris, 2026, 11, 17, 20, 0), Runbook: goliveRunbook(), Readiness: goliveReadiness()})
	require.NoError(t, err)
	d := r.GoNoGo().Evaluate(bg, c.now())
	assert.Contains(t, d.Warnings, mep.Reason{Source: "holidays", Rule: policy.R11, Text: "no country set (Options.Country): public holidays and their eves are not checked"})

	g := rolloutsOnly(t, mep.RolloutOptions{}) // Country "FR"
	for _, w := range g.r.GoNoGo().Evaluate(bg, g.c.now()).Warnings {
		assert.NotContains(t, w.Text, "no country set")
	}
}

// TestRehearsalGateWantsAProductionLikeRun (R5): a laptop run alone does
// not open Planning; a production-like run does, or a run with the
// recorded reason it stands for production.
func TestRehearsalGateWantsAProductionLikeRun(t *testing.T) {
	for _, tt := range []struct {
		run  mep.RehearsalRun
		pass bool
	}{
		{mep.RehearsalRun{Environment: "laptop"}, false},
		{mep.RehearsalRun{Environment: "laptop", Why: "  "}, false},
		{mep.RehearsalRun{Environment: "staging", Why: "the client has no preproduction platform"}, true},
		{mep.RehearsalRun{Environment: "preprod", ProductionLike: true}, true},
	} {
		g := walk(t, mep.Rehearsal)
		g.newRollout(mep.RolloutOptions{})
		g.c.add(day(1))
		run := tt.run
		run.Summary = rehearse(t, g.c.now().Add(-time.Hour), goliveRunbook(), 5, 20, 10, 5)
		require.NoError(t, g.r.AddRehearsal(run))
		err := g.p.CheckGate(g.c.now())
		if tt.pass {
			assert.NoError(t, err, "%+v", tt.run)
			continue
		}
		assert.Equal(t, []string{"rehearsal timings recorded"}, unmet(t, err))
		assert.Contains(t, err.Error(), "production-like")
	}
}

// TestRehearsalFromTheFutureIsRefused: a rehearsal is recorded once it ran.
func TestRehearsalFromTheFutureIsRefused(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{Runbook: goliveRunbook()})
	err := g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(time.Hour), goliveRunbook(), 5, 20), ProductionLike: true})
	assert.Equal(t, "rehearsal.end", fieldErr(t, err).Field)
}

// TestStampsAcrossDST: the clock and the facts are compared as instants,
// whatever their wall clocks say on the nights the clocks change: in New
// York at 01:10 EST, 01:30 EDT is 40 minutes ago (recorded late) and
// 01:30 EST is to come (refused); in Sydney the same in the other
// hemisphere, and in Kolkata, with its half-hour offset, against a clock
// in UTC.
func TestStampsAcrossDST(t *testing.T) {
	edt := time.FixedZone("EDT", -4*3600)
	aedt := time.FixedZone("AEDT", 11*3600)
	for _, tt := range []struct {
		name              string
		loc               *time.Location
		clock, past, next time.Time
	}{
		{"New York fall back", newYork, time.Date(2026, 11, 1, 1, 10, 0, 0, time.FixedZone("EST", -5*3600)),
			time.Date(2026, 11, 1, 1, 30, 0, 0, edt), time.Date(2026, 11, 1, 1, 30, 0, 0, time.FixedZone("EST", -5*3600))},
		{"Sydney fall back", sydney, time.Date(2026, 4, 5, 2, 10, 0, 0, time.FixedZone("AEST", 10*3600)),
			time.Date(2026, 4, 5, 2, 30, 0, 0, aedt), time.Date(2026, 4, 5, 2, 30, 0, 0, time.FixedZone("AEST", 10*3600))},
		{"Kolkata", kolkata, time.Date(2026, 3, 29, 0, 45, 0, 0, time.UTC),
			time.Date(2026, 3, 29, 5, 45, 0, 0, kolkata), time.Date(2026, 3, 29, 6, 45, 0, 0, kolkata)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock(tt.clock)
			p, err := mep.New("x", &mep.Options{Now: c.now, Location: tt.loc})
			require.NoError(t, err)
			staff(t, p)
			require.NoError(t, p.Validation().Start(goliveReadiness(), tt.clock.Add(day(1)), "Vic"))
			err = p.Validation().Check("config-backup", "Vic", tt.next, "")
			assert.Equal(t, "checklist.tick.at", fieldErr(t, err).Field, "%v is after the clock %v", tt.next, tt.clock)
			require.NoError(t, p.Validation().Check("config-backup", "Vic", tt.past, "done earlier"))
			res, _ := p.Validation().Run().Result("config-backup")
			assert.True(t, res.At.Equal(tt.clock), "judged when recorded: %v", res.At)
			assert.Contains(t, res.Note, "recorded late")
		})
	}
}
