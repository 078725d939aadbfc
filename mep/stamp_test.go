package mep_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
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
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true})
	opsReady(t, g.p, g.c.now())
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now(), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))

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
