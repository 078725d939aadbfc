package mep_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// The zones the tests run in: a DST zone on each side of the Atlantic,
// one in the southern hemisphere, one with a half-hour offset and no DST.
var (
	paris   = mustLoad("Europe/Paris")
	newYork = mustLoad("America/New_York")
	sydney  = mustLoad("Australia/Sydney")
	kolkata = mustLoad("Asia/Kolkata")
)

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// at returns a wall-clock instant in loc.
func at(loc *time.Location, y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, loc)
}

var bg = context.Background()

// goliveRunbook is the runbook of the fixture: two outage steps that can
// be rolled back, the point of no return, and a functional test.
func goliveRunbook() []mep.Step {
	return []mep.Step{
		{ID: "stop-app", Title: "Stop the application", Impact: timeline.Outage, Rollback: "start the old application"},
		{ID: "migrate-db", Title: "Migrate the database", Impact: timeline.Outage, Rollback: "restore the backup"},
		{ID: "switch-dns", Title: "Switch DNS", Impact: timeline.Disruption, PointOfNoReturn: true},
		{ID: "smoke-test", Title: "Smoke test", Kind: mep.TestStep},
	}
}

// goliveReadiness is a small readiness checklist, due by T-1h.
func goliveReadiness() checklist.List {
	return checklist.List{Name: "go-live readiness", Items: []checklist.Item{
		{ID: "config-backup", Title: "Configurations backed up", Section: "configuration", Deadline: -time.Hour, Purpose: checklist.ConfigBackup},
		{ID: "new-hardware-verified", Title: "New hardware verified", Section: "hardware", Deadline: -time.Hour, Purpose: checklist.HardwareVerified},
	}}
}

// rehearse returns the summary of a rehearsal that runs the given steps
// one after the other from start, each for its minutes; a negative
// duration ends the step Failed.
func rehearse(t testing.TB, start time.Time, steps []mep.Step, minutes ...int) timeline.Summary {
	t.Helper()
	require.LessOrEqual(t, len(minutes), len(steps))
	c := newClock(start)
	j := timeline.New(&timeline.Options{Now: c.now})
	for i, m := range minutes {
		_, err := j.Start(steps[i].ID, "Bea", steps[i].Impact)
		require.NoError(t, err)
		out := timeline.Done
		if m < 0 {
			m, out = -m, timeline.Failed
		}
		c.add(time.Duration(m) * time.Minute)
		_, err = j.End(steps[i].ID, "Bea", out)
		require.NoError(t, err)
	}
	return timeline.Summarize(j.Entries())
}

// golive is a project walked through the method by [walk].
type golive struct {
	t  testing.TB
	c  *clock
	p  *mep.Project
	r  *mep.Rollout
	rb []mep.Step // the rollout's runbook
	t0 time.Time

	path string             // the record's file; "": in memory
	opts mep.Options        // the project's options
	ro   mep.RolloutOptions // the rollout's options, complete
}

// goliveT0 is the fixture's T0: a Tuesday evening in Paris.
var goliveT0 = at(paris, 2026, 11, 17, 20, 0)

// newGolive returns a staffed project in Scoping, created on Monday
// 2026-10-05 09:00 Paris, with opts (nil: defaults) completed with the
// clock and Paris.
func newGolive(t testing.TB, opts *mep.Options) *golive {
	t.Helper()
	g := &golive{t: t, c: newClock(at(paris, 2026, 10, 5, 9, 0)), t0: goliveT0}
	var o mep.Options
	if opts != nil {
		o = *opts
	}
	o.Now, o.Location = g.c.now, paris
	if o.Country == "" {
		o.Country = "FR" // the method's freeze with French holidays (R11)
	}
	g.opts = o
	p, err := mep.New("billing v2", &o)
	require.NoError(t, err)
	g.p = p
	staff(t, p)
	return g
}

// newGoliveFile is newGolive with the record in the file at path.
func newGoliveFile(t testing.TB, path string, opts *mep.Options) *golive {
	t.Helper()
	var o mep.Options
	if opts != nil {
		o = *opts
	}
	o.NoSync = true
	g := &golive{t: t, c: newClock(at(paris, 2026, 10, 5, 9, 0)), t0: goliveT0, path: path}
	o.Now, o.Location = g.c.now, paris
	if o.Country == "" {
		o.Country = "FR"
	}
	g.opts = o
	p, err := mep.CreateFile(path, "billing v2", &o)
	require.NoError(t, err)
	g.p = p
	staff(t, p)
	return g
}

// walk returns a project of the fixture walked through the method until
// it enters phase to, every gate passed, nothing of phase to done yet.
func walk(t testing.TB, to mep.Phase) *golive {
	t.Helper()
	g := newGolive(t, nil)
	g.walk(to)
	return g
}

// advance moves the project on, which must pass the gate.
func (g *golive) advance(want mep.Phase) {
	g.t.Helper()
	tr, err := g.p.Advance("Sam", "")
	require.NoError(g.t, err, "leaving %s", g.p.Phase())
	require.Equal(g.t, want, tr.To)
}

// walk does each phase's work and advances until the project is in to.
func (g *golive) walk(to mep.Phase) {
	t := g.t
	t.Helper()
	for g.p.Phase() < to {
		switch g.p.Phase() {
		case mep.Scoping:
			planAll(t, g.p)
			g.c.add(day(2))
			g.advance(mep.Build)
		case mep.Build:
			g.c.add(day(20)) // 2026-10-27
			g.advance(mep.Validation)
		case mep.Validation:
			tickAll(t, g.p.Validation(), checklist.Validation(), g.c.now(), "Vic")
			g.c.add(day(3))
			g.advance(mep.Rehearsal)
		case mep.Rehearsal:
			g.newRollout(mep.RolloutOptions{})
			g.c.add(day(1))
			// 5 + 20 + 10 + 5 minutes: a 40-minute estimate, 25 of outage.
			require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{
				Summary:     rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5),
				Environment: "preprod", ProductionLike: true,
			}))
			g.c.add(day(2))
			g.advance(mep.Planning)
		case mep.Planning:
			g.c.add(day(1))
			_, err := g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Sam", "Bea", "Otto"},
				Actions: []mep.ActionSpec{{Title: "print the runbook", Owner: "Bea"}}, Next: g.c.now().Add(day(7))})
			require.NoError(t, err)
			g.c.set(at(paris, 2026, 11, 9, 9, 0))
			require.NoError(t, g.p.Tracker().Done(1, "Bea", time.Time{}, ""))
			g.c.set(at(paris, 2026, 11, 16, 9, 0))
			g.advance(mep.Preparation)
		case mep.Preparation:
			g.prepare()
			g.c.set(g.t0.Add(-10 * time.Minute))
			g.advance(mep.Cutover)
		case mep.Cutover:
			g.c.set(g.t0)
			g.runCutover(5, 20, 10, 5)
			_, err := g.r.Cutover().Finish("Otto")
			require.NoError(t, err)
			g.advance(mep.Review)
		case mep.Review:
			g.c.set(at(paris, 2026, 11, 19, 10, 0))
			_, err := g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Title: "post-deployment review",
				Attendees: []string{"Sam", "Bea", "Otto", "Mia"}, NoActions: "the lesson carries the action"})
			require.NoError(t, err)
			_, err = g.r.Learn("the migration ran long on real data", "rehearse on a copy of production", "Bea")
			require.NoError(t, err)
			g.advance(mep.Industrialization)
		case mep.Industrialization:
			require.NoError(t, g.p.Lessons().Apply(1, g.r.Name(), "Bea", time.Time{}, "", false))
			g.c.add(day(30))
			g.advance(mep.Operations)
		}
	}
}

// planAll plans every phase up to Review, Build at 75% (R2).
func planAll(t testing.TB, p *mep.Project) {
	t.Helper()
	for ph, h := range map[mep.Phase]int{mep.Scoping: 40, mep.Build: 750, mep.Validation: 40, mep.Rehearsal: 40,
		mep.Planning: 40, mep.Preparation: 40, mep.Cutover: 10, mep.Review: 40} {
		require.NoError(t, p.Plan(ph, time.Duration(h)*time.Hour))
	}
}

// tickAll starts a run of l on c and checks every item at at.
func tickAll(t testing.TB, c mep.Checklist, l checklist.List, at time.Time, by string) {
	t.Helper()
	require.NoError(t, c.Start(l, at, by))
	for _, it := range l.Items {
		require.NoError(t, c.Check(it.ID, by, at, ""))
	}
}

// newRollout creates the fixture's rollout, o completed with its name,
// T0, runbook and readiness list where they are zero.
func (g *golive) newRollout(o mep.RolloutOptions) *mep.Rollout {
	g.t.Helper()
	if o.Name == "" {
		o.Name = "go-live"
	}
	if o.T0.IsZero() {
		o.T0 = g.t0
	}
	if o.Runbook == nil {
		o.Runbook = goliveRunbook()
	}
	if o.Readiness.Items == nil {
		o.Readiness = goliveReadiness()
	}
	r, err := g.p.NewRollout(o)
	require.NoError(g.t, err)
	g.r, g.rb, g.ro = r, o.Runbook, o
	return r
}

// prepare does Preparation's work for the rollout: operations readiness
// (R13), readiness ticked at 10:00 on T0's day (R7), the operations GO at
// 17:00 (R9) and the decision at T0-30m.
func (g *golive) prepare() {
	t := g.t
	t.Helper()
	g.c.set(g.t0.Add(-10 * time.Hour))
	tickAll(t, g.p.Operations(), checklist.Operations(), g.c.now(), "Mia")
	g.ready(g.c.now())
	g.c.set(g.t0.Add(-3 * time.Hour))
	g.vote("Otto", mep.Go)
	g.c.set(g.t0.Add(-30 * time.Minute))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	require.Equal(t, mep.Go, d.Verdict, "%s", d)
}

// decided ticks the readiness at T0-5h, has Otto vote v at T0-3h and
// decides at T0-30m, returning the decision.
func (g *golive) decided(v mep.Verdict) mep.Decision {
	g.t.Helper()
	g.ready(g.t0.Add(-5 * time.Hour))
	g.c.set(g.t0.Add(-3 * time.Hour))
	g.vote("Otto", v)
	g.c.set(g.t0.Add(-30 * time.Minute))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(g.t, err)
	return d
}

// ready moves the clock to at and checks every readiness item of the
// rollout.
func (g *golive) ready(at time.Time) {
	g.t.Helper()
	g.c.set(at)
	for _, it := range g.r.Readiness().Run().List().Items {
		require.NoError(g.t, g.r.Readiness().Check(it.ID, "Otto", at, ""))
	}
}

// vote records a vote of by for the operations role at the clock's time.
func (g *golive) vote(by string, v mep.Verdict) mep.Vote {
	g.t.Helper()
	vote := mep.Vote{Role: mep.RoleOperations, By: by, Verdict: v}
	if v == mep.NoGo {
		vote.Reason = "not ready"
	}
	out, err := g.r.GoNoGo().Vote(vote)
	require.NoError(g.t, err)
	return out
}

// runCutover runs the runbook's steps from the clock's time, each for its
// minutes, by Bea; a negative duration ends the step Failed.
func (g *golive) runCutover(minutes ...int) {
	g.t.Helper()
	rb := g.rb
	for i, m := range minutes {
		require.NoError(g.t, g.r.Cutover().Start(rb[i].ID, "Bea"), "start %s", rb[i].ID)
		out := timeline.Done
		if m < 0 {
			m, out = -m, timeline.Failed
		}
		g.c.add(time.Duration(m) * time.Minute)
		require.NoError(g.t, g.r.Cutover().End(rb[i].ID, "Bea", out), "end %s", rb[i].ID)
	}
}

// gateErr returns err as a *GateError, which it must be.
func gateErr(t testing.TB, err error) *mep.GateError {
	t.Helper()
	require.ErrorIs(t, err, mep.ErrGate)
	var ge *mep.GateError
	require.True(t, errors.As(err, &ge), "%v", err)
	return ge
}

// unmet returns the names of the unmet criteria of err, a *GateError.
func unmet(t testing.TB, err error) []string {
	t.Helper()
	ge := gateErr(t, err)
	out := make([]string, len(ge.Unmet))
	for i, u := range ge.Unmet {
		out[i] = u.Criterion
	}
	return out
}

// fieldErr returns err as a *FieldError, which it must be.
func fieldErr(t testing.TB, err error) *mep.FieldError {
	t.Helper()
	require.ErrorIs(t, err, mep.ErrInvalid)
	var fe *mep.FieldError
	require.True(t, errors.As(err, &fe), "%v", err)
	return fe
}

// rolloutsOnly returns a project that runs rollouts only (no phases),
// staffed, with a rollout of the fixture at T0 and the method's freeze.
func rolloutsOnly(t testing.TB, o mep.RolloutOptions) *golive {
	t.Helper()
	g := newGolive(t, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	// R13 holds for a project that runs rollouts only: operations
	// readiness before its first go-live.
	tickAll(t, g.p.Operations(), checklist.Operations(), g.c.now(), "Mia")
	if !o.T0.IsZero() && o.T0.Before(g.t0) {
		g.t0 = o.T0
	}
	g.c.set(g.t0.Add(-day(1)))
	if o.Policies == nil {
		o.Policies = policy.Set{}
	}
	rehearsed := o.Runbook == nil
	g.newRollout(o)
	if rehearsed {
		require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{
			Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), Environment: "preprod", ProductionLike: true,
		}))
	}
	return g
}
