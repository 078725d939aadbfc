package mep_test

import (
	"fmt"
	"path/filepath"
	"strings"
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

// A GO decision forged into a record (appended with the journal's API, the
// chain intact) where the API would not have given one is refused on
// replay, naming its seq: the quorum the rollout records (the operations
// GO, R9), the method's freeze (R11), the readiness window (R7), the
// hardware and backup items (R8), operations readiness (R13), an
// estimate (R5), the T0 the rollout holds, the rollout's policy file
// (its text is in the record), who gave the GO.
func TestReplayRefusesAGoTheRecordDoesNotSupport(t *testing.T) {
	friday := at(paris, 2026, 11, 20, 20, 0)
	for name, tc := range map[string]struct {
		noOps bool
		setup func(g *golive)
		t0    time.Time // the forged decision's T0; zero: the rollout's
		by    string    // who the forged GO says gave it; "": Otto
		why   string    // what the refusal says
	}{
		"a builder's GO, not the operations one": {why: "GO from operations", setup: func(g *golive) {
			g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
			g.rehearsed()
			g.ready(g.t0.Add(-5 * time.Hour))
			g.c.set(g.t0.Add(-3 * time.Hour))
			_, err := g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleBuild, By: "Bea", Verdict: mep.Go})
			require.NoError(g.t, err)
		}},
		"a T0 on a Friday": {why: "Friday", setup: func(g *golive) {
			g.t0 = friday
			g.c.set(friday.Add(-day(1)))
			g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
			g.rehearsed()
			g.ready(g.t0.Add(-5 * time.Hour))
			g.c.set(g.t0.Add(-3 * time.Hour))
			g.vote("Otto", mep.Go)
		}},
		"readiness inside the last hour": {why: "after the deadline", setup: func(g *golive) {
			g.newRollout(mep.RolloutOptions{Policies: policy.Set{}, Readiness: okReadiness()})
			g.rehearsed()
			g.ready(g.t0.Add(-30 * time.Minute))
			g.c.set(g.t0.Add(-20 * time.Minute))
			g.vote("Otto", mep.Go)
		}},
		"no hardware or backup item": {why: "no item for the old and new hardware", setup: func(g *golive) {
			g.newRollout(mep.RolloutOptions{Policies: policy.Set{}, Readiness: checklist.List{Name: "ready",
				Items: []checklist.Item{{ID: "coffee", Title: "Coffee made", Deadline: -time.Hour}}}})
			g.rehearsed()
			g.ready(g.t0.Add(-5 * time.Hour))
			g.c.set(g.t0.Add(-3 * time.Hour))
			g.vote("Otto", mep.Go)
		}},
		"no operations readiness before the first go-live": {noOps: true, why: "operations-readiness", setup: func(g *golive) {
			g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
			g.rehearsed()
			g.ready(g.t0.Add(-5 * time.Hour))
			g.c.set(g.t0.Add(-3 * time.Hour))
			g.vote("Otto", mep.Go)
		}},
		"no estimate": {why: "no expected duration", setup: func(g *golive) {
			g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
			g.ready(g.t0.Add(-5 * time.Hour))
			g.c.set(g.t0.Add(-3 * time.Hour))
			g.vote("Otto", mep.Go)
		}},
		"the rollout's policy file denies": {why: "exceeds the limit of 5m", setup: func(g *golive) {
			g.newRollout(mep.RolloutOptions{Policies: policy.Set{}, PolicyFile: []byte("policies:\n  - kind: max-outage\n    limit: 5m\n")})
			g.rehearsed()
			g.ready(g.t0.Add(-5 * time.Hour))
			g.c.set(g.t0.Add(-3 * time.Hour))
			g.vote("Otto", mep.Go)
		}},
		"a GO given by someone who did not vote it": {by: "Bea", why: "Otto", setup: func(g *golive) {
			g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
			g.rehearsed()
			g.ready(g.t0.Add(-5 * time.Hour))
			g.c.set(g.t0.Add(-3 * time.Hour))
			g.vote("Otto", mep.Go)
		}},
		"a GO for another T0": {t0: goliveT0.Add(day(1)), why: "the rollout's T0", setup: func(g *golive) {
			g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
			g.rehearsed()
			g.ready(g.t0.Add(-5 * time.Hour))
			g.c.set(g.t0.Add(-3 * time.Hour))
			g.vote("Otto", mep.Go)
		}},
	} {
		t.Run(name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "p.jsonl")
			g := rolloutsOnlyFile(t, path, tc.noOps)
			tc.setup(g)
			g.c.set(g.t0.Add(-10 * time.Minute))
			t0, by := tc.t0, tc.by
			switch {
			case by != "":
				d := g.r.GoNoGo().Evaluate(bg, g.c.now())
				require.Equal(t, mep.Go, d.Verdict, "%s", d)
				require.NotEqual(t, by, d.By, "the API gives the GO to another")
			case t0.IsZero():
				require.NotEqual(t, mep.Go, g.r.GoNoGo().Evaluate(bg, g.c.now()).Verdict, "the API gives no GO")
			}
			if t0.IsZero() {
				t0 = g.t0
			}
			if by == "" {
				by = "Otto"
			}
			require.NoError(t, g.p.Close())

			forged := forge(t, path, timeline.Entry{At: g.c.now(), Kind: "mep.decision", Actor: by,
				Attrs: map[string]string{"rollout": "go-live", "verdict": "go", "t0": t0.Format(time.RFC3339)}})
			assert.ErrorContains(t, refusedAt(t, path, forged[0].Seq), tc.why)
		})
	}
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
				g.ready(g.t0.Add(-5 * time.Hour))
				g.c.set(g.t0.Add(-3 * time.Hour))
				g.vote("Otto", mep.Go)
				g.c.set(g.t0.Add(-30 * time.Minute))
				d, err := g.r.GoNoGo().Decide(bg, g.c.now())
				require.NoError(t, err)
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
	g.ready(g.t0.Add(-5 * time.Hour))
	g.c.set(g.t0.Add(-3 * time.Hour))
	g.vote("Otto", mep.Go)
	g.c.set(g.t0.Add(-30 * time.Minute))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	require.Equal(t, mep.Go, d.Verdict, "%s", d)
	g.c.set(g.t0)
	require.NoError(t, g.r.Cutover().Start(g.rb[0].ID, "Bea"))
	g.c.add(5 * time.Minute)
	require.NoError(t, g.r.Cutover().Rollback("Otto", "the application does not stop"))
	g.c.add(time.Minute)

	d, err = g.r.GoNoGo().Decide(bg, g.c.now())
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
	g.ready(g.t0.Add(-5 * time.Hour))
	g.c.set(g.t0.Add(-3 * time.Hour))
	g.vote("Otto", mep.Go)
	g.c.set(g.t0.Add(-30 * time.Minute))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
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

// Only members and declared guests act (METHOD.md): a readiness item
// ticked by someone the project does not know (the hardware "verified" by
// a stranger, R8) is refused, and appends nothing, as a note by a
// stranger is. Forged into the record, the tick is refused on replay.
func TestTicksByStrangersAreRefused(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{}})
	g.c.set(g.t0.Add(-5 * time.Hour))
	before := len(g.p.Record())
	for _, tick := range []func() error{
		func() error { return g.r.Readiness().Check("new-hardware-verified", "Mallory", time.Time{}, "") },
		func() error { return g.r.Readiness().Waive("config-backup", "Mallory", time.Time{}, "not needed") },
	} {
		assert.Equal(t, "checklist.tick.by", fieldErr(t, tick()).Field)
	}
	assert.Len(t, g.p.Record(), before, "nothing appended")
	require.NoError(t, g.p.Close())

	forged := forge(t, path, timeline.Entry{At: g.c.now(), Kind: "mep.checklist.tick", Actor: "Mallory",
		Attrs: map[string]string{"run": "readiness", "rollout": "go-live", "item": "new-hardware-verified", "status": "done"}})
	refusedAt(t, path, forged[0].Seq)
}

// Actions are owned, handed out and closed by members or declared guests
// only (R6): an overdue action closed by a stranger let the Planning gate
// pass; an action owned by nobody the project knows was no action.
func TestActionsByStrangersAreRefused(t *testing.T) {
	g := newGolive(t, nil)
	_, err := g.p.Tracker().Assign(mep.ActionSpec{Title: "print the runbook", Owner: "Bea", Due: g.c.now().Add(day(1))}, "Sam", time.Time{})
	require.NoError(t, err)
	before := len(g.p.Record())
	for field, call := range map[string]func() error{
		"action.owner": func() error {
			_, err := g.p.Tracker().Assign(mep.ActionSpec{Title: "print", Owner: "Nobody", Due: g.c.now().Add(day(1))}, "Sam", time.Time{})
			return err
		},
		"action.by": func() error {
			_, err := g.p.Tracker().Assign(mep.ActionSpec{Title: "print", Owner: "Bea", Due: g.c.now().Add(day(1))}, "Mallory", time.Time{})
			return err
		},
		"meeting.actions[0].owner": func() error {
			_, err := g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Sam"},
				Actions: []mep.ActionSpec{{Title: "print", Owner: "Nobody", Due: g.c.now().Add(day(1))}}})
			return err
		},
		"action.closed_by": func() error { return g.p.Tracker().Done(1, "Mallory", time.Time{}, "") },
	} {
		assert.Equal(t, field, fieldErr(t, call()).Field)
	}
	assert.Len(t, g.p.Record(), before, "nothing appended")
}

// A lesson is learnt, applied or waived, a T0 moved and a project
// checklist started only by a member or a declared guest: a stranger
// waiving every lesson let the Industrialization gate pass (R12).
func TestLessonsAndReschedulesByStrangersAreRefused(t *testing.T) {
	g := walk(t, mep.Industrialization)
	before := len(g.p.Record())
	for field, call := range map[string]func() error{
		"application.by": func() error { return g.p.Lessons().Apply(1, g.r.Name(), "Mallory", time.Time{}, "not for us", true) },
		"lesson.by": func() error {
			_, err := g.r.Learn("the DNS took an hour", "lower the TTL the day before", "Mallory")
			return err
		},
		"checklist.by": func() error { return g.p.Operations().Start(checklist.Operations(), g.t0, "Mallory") },
	} {
		assert.Equal(t, field, fieldErr(t, call()).Field)
	}
	assert.Len(t, g.p.Record(), before, "nothing appended")

	r := rolloutsOnly(t, mep.RolloutOptions{})
	before = len(r.p.Record())
	assert.Equal(t, "reschedule.by", fieldErr(t, r.r.Reschedule(r.t0.Add(day(7)), "Mallory", "later")).Field)
	assert.Len(t, r.p.Record(), before, "nothing appended")
}

// The Decision that Decide, Decided and Debrief return is the caller's copy:
// changing its reasons, votes or the policies' answers does not change
// the decision the project holds, nor what its report says (R9).
func TestDecisionReturnedIsACopy(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	g.ready(g.t0.Add(-5 * time.Hour))
	g.c.set(g.t0.Add(-3 * time.Hour))
	g.vote("Otto", mep.NoGo)
	g.c.set(g.t0.Add(-30 * time.Minute))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	require.Equal(t, mep.NoGo, d.Verdict)
	want := g.r.GoNoGo().Decided()
	require.NotEmpty(t, want.Reasons)
	require.NotEmpty(t, want.Policy.Decisions)
	require.NotEmpty(t, want.Votes)

	for _, dd := range []mep.Decision{d, g.r.GoNoGo().Decided(), g.r.Debrief().Decision} {
		dd.Reasons[0] = mep.Reason{Text: "all clear"}
		dd.Policy.Decisions[0].Reason = "all clear"
		dd.Votes[0].Verdict = mep.Go
	}
	got := g.r.GoNoGo().Decided()
	assert.Equal(t, want.Reasons, got.Reasons)
	assert.Equal(t, want.Policy.Decisions, got.Policy.Decisions)
	assert.Equal(t, want.Votes, got.Votes)
	assert.NotContains(t, g.r.Report(g.c.now()).Decision.Reasons, "all clear")
}

// A project's readiness lead is the one its record states, reopened or
// changed since: a rollout's own readiness window with a shorter lead
// does not stand in for it (R7: more, never less), and no GO is recorded
// on readiness complete inside the project's lead.
func TestShorterRolloutWindowDoesNotLowerTheRecordedLead(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	require.NoError(t, g.p.SetOptions(mep.Options{ReadinessLead: 3 * time.Hour}, "Otto", "the client asks for three hours"))
	require.NoError(t, g.p.Close())
	p, err := mep.OpenFile(path, &mep.Options{Now: g.c.now, NoSync: true})
	require.NoError(t, err)
	g.p = p
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{policy.ReadinessWindow(2 * time.Hour)}})
	g.rehearsed()
	g.ready(g.t0.Add(-150 * time.Minute)) // 2h30 before T0
	g.c.set(g.t0.Add(-140 * time.Minute))
	g.vote("Otto", mep.Go)
	g.c.set(g.t0.Add(-30 * time.Minute))

	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.NotEqual(t, mep.Go, d.Verdict, "%s", d)
	require.NoError(t, g.p.Close())
	again, err := mep.OpenFile(path, nil)
	require.NoError(t, err, "the record still opens")
	require.NoError(t, again.Close())
}

// A report does not say GO over a GO that no longer holds: after a No-Go
// voted since the decision, before the cutover starts, the report's
// go/no-go says what a start would meet, with the reason, as the
// cutover's first step does (R9).
func TestReportDoesNotSayGoOverAGoThatNoLongerHolds(t *testing.T) {
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := decidedGo(t, path)
	g.c.set(g.t0.Add(-20 * time.Minute))
	require.Equal(t, "go", g.r.Report(g.c.now()).Decision.Verdict, "the GO holds so far")
	g.vote("Otto", mep.NoGo)
	g.c.set(g.t0.Add(-10 * time.Minute))

	rep := g.r.Report(g.c.now())
	assert.Equal(t, "no-go", rep.Decision.Verdict)
	require.NotEmpty(t, rep.Decision.Reasons)
	assert.Contains(t, rep.Decision.Reasons[0], "no longer holds")
	assert.Contains(t, strings.Join(rep.Decision.Reasons, "\n"), "No-Go from operations by Otto")
	assert.Equal(t, mep.Go, g.r.GoNoGo().Decided().Verdict, "the record keeps the decision taken")
}

// A rehearsal times the runbook's steps, whose impact is the runbook's:
// a run whose journal says an outage step cut no user off (or that gave
// no impact at all, as timeline.Summarize of bare entries does) still
// times an outage, and a max-outage policy sees it, rather than an
// expected outage of none and a GO (R5).
func TestRehearsalImpactsAreTheRunbooks(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{Policies: policy.Set{policy.MaxOutage(10 * time.Minute)}, Runbook: goliveRunbook()})
	lying := goliveRunbook()
	lying[0].Impact, lying[1].Impact = timeline.NoImpact, timeline.NoImpact // stop-app and migrate-db, outage steps
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), lying, 5, 20, 10, 5),
		Environment: "preprod", ProductionLike: true}))
	assert.Equal(t, 25*time.Minute, g.r.Estimate().Outage, "the outage steps of the runbook, 5 + 20 minutes")
	g.ready(g.t0.Add(-5 * time.Hour))
	g.c.set(g.t0.Add(-3 * time.Hour))
	g.vote("Otto", mep.Go)
	g.c.set(g.t0.Add(-30 * time.Minute))
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict, "%s", d)
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
