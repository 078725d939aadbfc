package mep_test

import (
	"cmp"
	"fmt"
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

// rolloutsOnlyFile returns a project in the file at path that runs
// rollouts only, its operations readiness done unless noOps, the clock a
// day before T0.
func rolloutsOnlyFile(t *testing.T, path string, noOps bool) *golive {
	t.Helper()
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"})
	if !noOps {
		tickAll(t, g.p.Operations(), checklist.Operations(), g.c.now(), "Mia")
	}
	g.c.set(g.t0.Add(-day(1)))
	return g
}

// rehearsed records a production-like rehearsal of the fixture's runbook.
func (g *golive) rehearsed() {
	g.t.Helper()
	require.NoError(g.t, g.r.AddRehearsal(mep.RehearsalRun{
		Summary: rehearse(g.t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), Environment: "preprod", ProductionLike: true,
	}))
}

// forge appends entries to the record at path through the journal's own
// API, so that the chain verifies, and returns them as recorded.
func forge(t *testing.T, path string, entries ...timeline.Entry) []timeline.Entry {
	t.Helper()
	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	var out []timeline.Entry
	for _, e := range entries {
		r, err := j.Record(e)
		require.NoError(t, err)
		out = append(out, r)
	}
	require.NoError(t, j.Close())
	return out
}

// refusedAt asserts that the record at path does not open, with a
// *RecordError naming seq, and returns the error.
func refusedAt(t *testing.T, path string, seq uint64) error {
	t.Helper()
	p, err := mep.OpenFile(path, nil)
	if err == nil {
		d := mep.Decision{}
		if r, ok := p.Rollout("go-live"); ok {
			d = r.GoNoGo().Decided()
		}
		require.NoError(t, p.Close())
		t.Fatalf("the record opened, its decision %s", d.Verdict)
	}
	var re *mep.RecordError
	require.ErrorAs(t, err, &re)
	assert.Equal(t, seq, re.Seq, "%v", err)
	assert.ErrorIs(t, err, mep.ErrCorrupt)
	return err
}

// forgedGo is a case of TestReplayRefusesAGoTheRecordDoesNotSupport: a
// rollout made with opts (its policies none but the method's), rehearsed
// unless unrehearsed, ready at readyAt before T0 (zero: 5h) and voted GO
// by voter (zero: Otto for operations) after it, in a project whose
// operations readiness is done unless noOps; then a GO forged at T0-10m
// for t0 (zero: the rollout's) in the name of by (zero: Otto).
type forgedGo struct {
	opts        mep.RolloutOptions
	noOps       bool
	unrehearsed bool
	readyAt     time.Duration
	voter       mep.Vote
	t0          time.Time
	by          string
	why         string // what the refusal says
}

// A GO decision forged into a record (appended with the journal's API, the
// chain intact) where the API would not have given one is refused on
// replay, naming its seq: the quorum the rollout records (the operations
// GO, R9), the method's freeze (R11), the readiness window (R7), the
// hardware and backup items (R8), operations readiness (R13), an
// estimate (R5), the T0 the rollout holds, the rollout's policy file
// (its text is in the record), who gave the GO.
func TestReplayRefusesAGoTheRecordDoesNotSupport(t *testing.T) {
	for name, tc := range map[string]forgedGo{
		"a builder's GO, not the operations one": {why: "GO from operations",
			voter: mep.Vote{Role: mep.RoleBuild, By: "Bea", Verdict: mep.Go}},
		"a T0 on a Friday":               {why: "Friday", opts: mep.RolloutOptions{T0: at(paris, 2026, 11, 20, 20, 0)}},
		"readiness inside the last hour": {why: "after the deadline", opts: mep.RolloutOptions{Readiness: okReadiness()}, readyAt: 30 * time.Minute},
		"no hardware or backup item": {why: "no item for the old and new hardware", opts: mep.RolloutOptions{Readiness: checklist.List{
			Name: "ready", Items: []checklist.Item{{ID: "coffee", Title: "Coffee made", Deadline: -time.Hour}}}}},
		"no operations readiness before the first go-live": {noOps: true, why: "operations-readiness"},
		"no estimate": {unrehearsed: true, why: "no expected duration"},
		"the rollout's policy file denies": {why: "exceeds the limit of 5m",
			opts: mep.RolloutOptions{PolicyFile: []byte("policies:\n  - kind: max-outage\n    limit: 5m\n")}},
		"a GO given by someone who did not vote it": {by: "Bea", why: "Otto"},
		"a GO for another T0":                       {t0: goliveT0.Add(day(1)), why: "the rollout's T0"},
	} {
		t.Run(name, func(t *testing.T) { tc.run(t) })
	}
}

// run sets up the case, checks the API gives no such GO, forges it and
// checks the record does not open.
func (tc forgedGo) run(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, tc.noOps)
	if o := tc.opts.T0; !o.IsZero() {
		g.t0 = o
		g.c.set(o.Add(-day(1)))
	}
	tc.opts.Policies = policy.Set{}
	g.newRollout(tc.opts)
	if !tc.unrehearsed {
		g.rehearsed()
	}
	readyAt := cmp.Or(tc.readyAt, 5*time.Hour)
	g.ready(g.t0.Add(-readyAt))
	g.c.set(g.t0.Add(-readyAt + 10*time.Minute))
	voter := tc.voter
	if voter.By == "" {
		voter = mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go}
	}
	_, err := g.r.GoNoGo().Vote(voter)
	require.NoError(t, err)
	g.c.set(g.t0.Add(-10 * time.Minute))

	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	switch {
	case tc.by != "":
		require.Equal(t, mep.Go, d.Verdict, "%s", d)
		require.NotEqual(t, tc.by, d.By, "the API gives the GO to another")
	case tc.t0.IsZero():
		require.NotEqual(t, mep.Go, d.Verdict, "the API gives no GO")
	}
	t0, by := cmp.Or(tc.t0, g.t0), cmp.Or(tc.by, "Otto")
	require.NoError(t, g.p.Close())

	forged := forge(t, path, timeline.Entry{At: g.c.now(), Kind: "mep.decision", Actor: by,
		Attrs: map[string]string{"rollout": "go-live", "verdict": "go", "t0": t0.Format(time.RFC3339)}})
	assert.ErrorContains(t, refusedAt(t, path, forged[0].Seq), tc.why)
}

// The GO recorded is not a licence to start the cutover whatever happens
// after it: a first step forged into the record after a No-Go was voted,
// or after a readiness item failed, is refused on replay, as the API
// refuses to start it (R9).
func TestReplayRefusesAFirstStepTheGoNoLongerHolds(t *testing.T) {
	for name, after := range map[string]func(g *golive){
		"a No-Go voted": func(g *golive) { g.vote("Otto", mep.NoGo) },
		"an item failed": func(g *golive) {
			require.NoError(g.t, g.r.Readiness().Fail("config-backup", "Otto", g.c.now(), "the backup is corrupt"))
		},
	} {
		for _, event := range []string{"start", "skip"} {
			t.Run(name+", then a "+event, func(t *testing.T) {
				path := filepath.Join(t.TempDir(), "p.jsonl")
				g := rolloutsOnlyFile(t, path, false)
				g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
				g.rehearsed()
				d := g.decided(mep.Go)
				require.Equal(t, mep.Go, d.Verdict, "%s", d)
				g.c.set(g.t0.Add(-20 * time.Minute))
				after(g)
				g.c.set(g.t0)
				require.ErrorIs(t, g.r.Cutover().Start(g.rb[0].ID, "Bea"), mep.ErrNoGo, "the API refuses it")
				require.NoError(t, g.p.Close())

				e := timeline.Entry{At: g.t0, Kind: "mep.step", Actor: "Bea",
					Attrs: map[string]string{"rollout": "go-live", "step": g.rb[0].ID, "event": event}}
				if event == "skip" {
					e.Text = "in a hurry"
				}
				forged := forge(t, path, e)
				refusedAt(t, path, forged[0].Seq)
			})
		}
	}
}

// A cutover rolled back is over for its rollout: a decision taken after
// it is no GO (a report would say GO over a rollback), and a GO forged
// into the record after the rollback is refused on replay (R9, R10).
func TestNoGoAfterARollback(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	g.rehearsed()
	d := g.decided(mep.Go)
	require.Equal(t, mep.Go, d.Verdict, "%s", d)
	g.c.set(g.t0)
	require.NoError(t, g.r.Cutover().Start(g.rb[0].ID, "Bea"))
	g.c.add(5 * time.Minute)
	require.NoError(t, g.r.Cutover().Rollback("Otto", "the application does not stop"))
	g.c.add(time.Minute)

	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.Equal(t, mep.NoGo, d.Verdict, "%s", d)
	assert.Equal(t, mep.NoGo, g.r.GoNoGo().Decided().Verdict)
	require.NoError(t, g.p.Close())

	forged := forge(t, path, timeline.Entry{At: g.c.now(), Kind: "mep.decision", Actor: "Otto",
		Attrs: map[string]string{"rollout": "go-live", "verdict": "go", "t0": g.t0.Format(time.RFC3339)}})
	assert.ErrorContains(t, refusedAt(t, path, forged[0].Seq), "rolled back")
}

// A phase entered without its gate, forged into the record, is refused on
// replay as Advance refuses it (R1): the method's criteria of the gate
// are checked again on the record's facts.
func TestReplayRefusesAPhaseEnteredWithoutItsGate(t *testing.T) {
	for name, tc := range map[string]struct {
		from, to mep.Phase
		why      string
	}{
		"scoping, nothing planned":   {mep.Scoping, mep.Build, "phase budget planned"},
		"preparation, no GO decided": {mep.Preparation, mep.Cutover, "operations GO"},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.jsonl")
			g := newGoliveFile(t, path, nil)
			g.walk(tc.from)
			if tc.from == mep.Preparation {
				g.c.set(g.t0.Add(-10 * time.Minute))
			}
			_, err := g.p.Advance("Sam", "")
			require.ErrorIs(t, err, mep.ErrGate, "the API refuses it")
			require.NoError(t, g.p.Close())

			forged := forge(t, path, timeline.Entry{At: g.c.now(), Kind: "mep.phase", Actor: "Sam",
				Attrs: map[string]string{"from": tc.from.String(), "to": tc.to.String()}})
			err = refusedAt(t, path, forged[0].Seq)
			assert.ErrorIs(t, err, mep.ErrGate)
			assert.ErrorContains(t, err, tc.why)
		})
	}
}

// decidedGo returns a file project that runs rollouts only, its rollout
// ready, rehearsed, given the operations GO and decided GO at T0-30m.
func decidedGo(t *testing.T, path string) *golive {
	t.Helper()
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	g.rehearsed()
	d := g.decided(mep.Go)
	require.Equal(t, mep.Go, d.Verdict, "%s", d)
	return g
}

// A decision dated less than a minute before the record's latest fact
// (a caller's now a little behind, or a clock that stepped back) is
// judged when it is recorded: a No-Go recorded seconds earlier counts,
// and no GO is recorded over it (R9).
func TestDecideDatedBeforeTheLatestFactSeesIt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := decidedGo(t, path)
	g.c.set(g.t0.Add(-10 * time.Minute))
	g.vote("Otto", mep.NoGo)
	g.c.add(10 * time.Second)

	d, err := g.r.GoNoGo().Decide(bg, g.c.now().Add(-50*time.Second))
	require.NoError(t, err)
	assert.Equal(t, mep.NoGo, d.Verdict, "%s", d)
	assert.Equal(t, mep.NoGo, g.r.GoNoGo().Decided().Verdict)
	require.NoError(t, g.p.Close())

	// The same GO forged into the record is refused on replay.
	forged := forge(t, path, timeline.Entry{At: g.c.now().Add(-50 * time.Second), Kind: "mep.decision", Actor: "Otto",
		Attrs: map[string]string{"rollout": "go-live", "verdict": "go", "t0": g.t0.Format(time.RFC3339)}})
	assert.ErrorContains(t, refusedAt(t, path, forged[0].Seq), "No-Go")
}

// A clock that steps back does not hide the facts recorded since the
// time it reads: the first step, started on such a clock, is judged with
// the No-Go voted before it was set back (R9).
func TestFirstStepOnAClockSetBackSeesTheLatestFacts(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := decidedGo(t, path)
	g.c.set(g.t0.Add(-10 * time.Second))
	g.vote("Otto", mep.NoGo)
	g.c.set(g.t0.Add(-40 * time.Second)) // the clock steps back

	before := len(g.p.Record())
	assert.ErrorIs(t, g.r.Cutover().Start(g.rb[0].ID, "Bea"), mep.ErrNoGo)
	assert.ErrorIs(t, g.r.Cutover().Skip(g.rb[0].ID, "Bea", "in a hurry"), mep.ErrNoGo)
	assert.Len(t, g.p.Record(), before, "nothing appended")
}

// A rehearsal that times part of the runbook is partial (R5): one forged
// into the record as a whole run (one fast step, the others left out,
// which the estimate then counted as taking no time) is refused on replay
// naming its seq, as the API marks such a run partial.
func TestReplayRefusesAPartialRehearsalMarkedWhole(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	start := g.c.now().Add(-2 * time.Hour)
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, start, goliveRunbook()[:1], 5), ProductionLike: true}))
	require.True(t, g.r.Rehearsals()[0].Partial, "the API marks it partial")
	require.NoError(t, g.p.Close())

	steps := fmt.Sprintf(`[{"step":"stop-app","start":%q,"end":%q,"impact":"outage"}]`,
		start.Format(time.RFC3339), start.Add(5*time.Minute).Format(time.RFC3339))
	forged := forge(t, path, timeline.Entry{At: g.c.now(), Kind: "mep.rehearsal", Actor: "Bea",
		Attrs: map[string]string{"rollout": "go-live", "production_like": "true", "steps": steps}})
	assert.ErrorContains(t, refusedAt(t, path, forged[0].Seq), "partial")
}

// The cutover starts after the GO it starts on (R9): on a clock set back
// to before the decision, the first step, started or skipped, is refused
// as a step before the last one is, and nothing is appended.
func TestFirstStepBeforeItsGoIsRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := decidedGo(t, path) // decided at T0-30m
	g.c.set(g.t0.Add(-31 * time.Minute))
	before := len(g.p.Record())
	assert.Equal(t, "step.at", fieldErr(t, g.r.Cutover().Start(g.rb[0].ID, "Bea")).Field)
	assert.Equal(t, "step.at", fieldErr(t, g.r.Cutover().Skip(g.rb[0].ID, "Bea", "in a hurry")).Field)
	assert.Len(t, g.p.Record(), before, "nothing appended")
	g.c.set(g.t0)
	assert.NoError(t, g.r.Cutover().Start(g.rb[0].ID, "Bea"))
}

// A record written before it stated its options is no way around the
// operations GO and the method's freeze and readiness window: the golden
// record of that format, cut before Otto's operations GO and given a
// builder's GO instead, does not open, naming the forged decision (R9).
func TestOlderRecordStillNeedsTheOperationsGo(t *testing.T) {
	old, err := timeline.ReadFile(filepath.Join("testdata", "records", "golive.jsonl"))
	require.NoError(t, err)
	var keep []timeline.Entry
	for _, e := range old {
		if e.Kind == "mep.vote" {
			break
		}
		e.Seq, e.Hash = 0, ""
		keep = append(keep, e)
	}
	otto := old[len(keep)] // Otto's vote: the readiness run's digest it cites
	require.Equal(t, "mep.vote", otto.Kind)
	path := filepath.Join(t.TempDir(), "p.jsonl")
	t0 := "2026-11-17T20:00:00+01:00"
	vote := timeline.Entry{At: otto.At, Kind: "mep.vote", Actor: "Bea",
		Attrs: map[string]string{"digest": otto.Attrs["digest"], "role": "build", "rollout": "go-live", "verdict": "go", "t0": t0}}
	decision := timeline.Entry{At: vote.At.Add(150 * time.Minute), Kind: "mep.decision", Actor: "Bea",
		Attrs: map[string]string{"rollout": "go-live", "verdict": "go", "t0": t0}}
	forged := forge(t, path, append(keep, vote, decision)...)
	assert.ErrorContains(t, refusedAt(t, path, forged[len(forged)-1].Seq), "GO from operations")
}
