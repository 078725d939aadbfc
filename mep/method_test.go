package mep_test

// Tests of the method's rules on a rollout (METHOD.md R1 to R13): one
// test per defect a GO must not hide.

import (
	"bytes"
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

// reasons returns d's reasons and warnings as one text.
func reasons(d mep.Decision) string {
	var lines []string
	for _, r := range append(d.Reasons, d.Warnings...) {
		lines = append(lines, r.String())
	}
	return strings.Join(lines, "\n")
}

// TestDecideFollowsThePhases (R1): a rollout of a project still in
// Scoping, with every vote and tick it needs, is a NoGo that names the
// phase and what the project still lacks; in Preparation it is a Go.
func TestDecideFollowsThePhases(t *testing.T) {
	g := newGolive(t, nil)
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	tickAll(t, g.p.Operations(), checklist.Operations(), g.c.now(), "Mia")
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	g.c.set(g.t0.Add(-30 * time.Minute))

	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.Equal(t, mep.NoGo, d.Verdict)
	require.NotEmpty(t, d.Reasons)
	assert.Contains(t, d.Reasons[0].Text, "scoping", "the phase comes first")
	assert.Equal(t, "phase", d.Reasons[0].Source)
	assert.Equal(t, policy.R1, d.Reasons[0].Rule)
	assert.Contains(t, reasons(d), "phase budget planned", "the unmet criteria of the gate are named")
	g.c.set(g.t0)
	assert.ErrorIs(t, g.r.Cutover().Start("stop-app", "Bea"), mep.ErrNoGo)
}

// TestDecideLaterDeploymentsInIndustrialization (R1): once the first
// go-live is done, the next rollout is decided in Industrialization or
// Operations, not in Review.
func TestDecideLaterDeploymentsInIndustrialization(t *testing.T) {
	g := walk(t, mep.Review)
	first := g.r
	g.c.set(at(paris, 2026, 11, 19, 10, 0))
	_, err := g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Otto"}, NoActions: "review"})
	require.NoError(t, err)
	g.c.set(at(paris, 2026, 11, 23, 9, 0))
	g.t0 = at(paris, 2026, 11, 24, 20, 0)
	g.newRollout(mep.RolloutOptions{Name: "second"})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict)
	assert.Contains(t, d.Reasons[0].Text, "industrialization or operations")

	// Preparing the next deployment during the review does not hide the
	// cutover under review from the Review gate.
	_, err = first.Learn("x", "y", "Bea")
	require.NoError(t, err)
	_, err = g.p.Advance("Sam", "")
	require.NoError(t, err)
	assert.Equal(t, mep.Go, g.r.GoNoGo().Evaluate(bg, g.c.now()).Verdict, "%s", g.r.GoNoGo().Evaluate(bg, g.c.now()))
}

// TestRolloutsOnly: a project that says it runs rollouts only decides in
// Scoping, and its report leaves the phases out.
func TestRolloutsOnly(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.Equal(t, mep.Go, d.Verdict, "%s", d)
	assert.Equal(t, mep.Scoping, g.p.Phase())
	rep := g.r.Report(g.c.now())
	assert.Empty(t, rep.Phase)
	assert.Empty(t, rep.Phases)
	var buf bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&buf))
	assert.NotContains(t, strings.ToLower(buf.String()), "scoping")
}

// TestVoteBeforeReadinessDoesNotCount (R9): operations voted GO at 17:00
// while readiness was incomplete, the items were ticked at 18:00, and the
// decision at 19:35 is not a GO: the vote is stale, with a reason.
func TestVoteBeforeReadinessDoesNotCount(t *testing.T) {
	list := goliveReadiness()
	list.Items = append(list.Items, checklist.Item{ID: "runbook-printed", Title: "Runbook printed", Optional: true})
	g := rolloutsOnly(t, mep.RolloutOptions{Readiness: list})
	g.c.set(at(paris, 2026, 11, 17, 17, 0))
	g.vote("Otto", mep.Go)
	g.c.set(at(paris, 2026, 11, 17, 18, 0))
	for _, id := range []string{"config-backup", "new-hardware-verified"} {
		require.NoError(t, g.r.Readiness().Check(id, "Otto", g.c.now(), ""))
	}
	g.c.set(at(paris, 2026, 11, 17, 19, 35))
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	assert.NotEqual(t, mep.Go, d.Verdict)
	assert.Empty(t, d.Votes)
	require.Len(t, d.Stale, 1)
	assert.Contains(t, d.Stale[0].Stale, "before readiness was complete")
	assert.Contains(t, reasons(d), "does not count")

	// Voting again once ready counts; a later change of the run makes it
	// stale again.
	g.c.set(at(paris, 2026, 11, 17, 18, 30))
	g.vote("Otto", mep.Go)
	g.c.set(at(paris, 2026, 11, 17, 19, 35))
	assert.Equal(t, mep.Go, g.r.GoNoGo().Evaluate(bg, g.c.now()).Verdict)
	require.NoError(t, g.r.Readiness().Check("runbook-printed", "Otto", at(paris, 2026, 11, 17, 18, 40), ""))
	d = g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.NotEqual(t, mep.Go, d.Verdict)
	require.Len(t, d.Stale, 1)
	assert.Contains(t, d.Stale[0].Stale, "changed since the vote")
}

// TestQuorumPerRole (R9): two people of operations must vote GO; a
// second vote of the same person does not make two.
func TestQuorumPerRole(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{Quorum: map[mep.Role]int{mep.RoleOperations: 2, mep.RoleBuild: 1}})
	require.NoError(t, g.p.Team().Add(mep.Member{Name: "Oona", Roles: []mep.Role{mep.RoleOperations}}))
	require.NoError(t, g.p.Team().Choose("Sam", "Sam", "Bea", "Vic", "Otto", "Mia", "Oona"))
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	g.c.add(time.Minute)
	g.vote("Otto", mep.Go)
	_, err := g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleBuild, By: "Bea", Verdict: mep.Go})
	require.NoError(t, err)
	assert.Equal(t, mep.Undecided, g.r.GoNoGo().Evaluate(bg, g.c.now()).Verdict, "one operations voter of two")
	g.vote("Oona", mep.Go)
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.Go, d.Verdict, "%s", d)
	assert.Equal(t, "Otto", d.By)
}

// TestVotersAndActorsAreTeamMembersWithTheRole (R3, R9, R10): votes and
// steps by people outside the go-live team, or without the role, are
// refused; EndStep by "ghost" too.
func TestVotersAndActorsAreTeamMembersWithTheRole(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	require.NoError(t, g.p.Team().Add(mep.Member{Name: "Kim", Roles: []mep.Role{mep.RoleOperations}})) // not chosen
	g.ready(g.c.now())
	g.c.add(time.Hour)

	_, err := g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "ghost", Verdict: mep.Go})
	assert.ErrorIs(t, err, mep.ErrNotFound)
	_, err = g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Kim", Verdict: mep.Go})
	assert.Contains(t, fieldErr(t, err).Reason, "go-live team")
	_, err = g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Bea", Verdict: mep.Go})
	assert.Contains(t, fieldErr(t, err).Reason, "operations role")
	_, err = g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.NoGo})
	fieldErr(t, err) // a No-Go needs a reason
	assert.Empty(t, g.r.GoNoGo().Votes(), "nothing recorded")

	g.vote("Otto", mep.Go)
	g.c.set(g.t0)
	_, err = g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	n := len(g.p.Record())
	assert.ErrorIs(t, g.r.Cutover().Start("stop-app", "ghost"), mep.ErrNotFound)
	fieldErr(t, g.r.Cutover().Start("stop-app", "Kim"))
	require.NoError(t, g.r.Cutover().Start("stop-app", "Bea"))
	assert.ErrorIs(t, g.r.Cutover().End("stop-app", "ghost", timeline.Done), mep.ErrNotFound)
	fieldErr(t, g.r.Cutover().Skip("migrate-db", "Kim", "not needed"))
	assert.Len(t, g.p.Record(), n+1, "only the start by Bea is recorded")
}

// TestFirstGoNeedsOperationsReadiness (R13): probes, the backup process
// and the known failures are checked by the first go/no-go.
func TestFirstGoNeedsOperationsReadiness(t *testing.T) {
	g := walk(t, mep.Preparation)
	g.ready(g.t0.Add(-10 * time.Hour))
	g.c.set(g.t0.Add(-3 * time.Hour))
	g.vote("Otto", mep.Go)
	g.c.set(g.t0.Add(-30 * time.Minute))
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict)
	assert.Contains(t, reasons(d), "operations readiness: no operations-readiness checklist run started (R13)")
	tickAll(t, g.p.Operations(), checklist.Operations(), g.c.now(), "Mia")
	d = g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.NotEqual(t, mep.Go, d.Verdict, "the GO was voted before the operations readiness (R9)")
	g.c.add(time.Minute)
	g.vote("Otto", mep.Go)
	assert.Equal(t, mep.Go, g.r.GoNoGo().Evaluate(bg, g.c.now()).Verdict)
}

// TestEstimateFromTheLastProductionLikeRehearsal (R5): rehearsals of 20,
// 22 and a final production-like 60 minutes estimate 60 minutes; without
// a production-like one, the median with a warning; a partial rehearsal
// is marked.
func TestEstimateFromTheLastProductionLikeRehearsal(t *testing.T) {
	runbook := []mep.Step{{ID: "switch", Impact: timeline.Outage}, {ID: "check", Kind: mep.TestStep}}
	g := rolloutsOnly(t, mep.RolloutOptions{Name: "other", Runbook: runbook})
	start := g.c.now().Add(-day(7))
	for _, m := range []int{20, 22} {
		require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, start, runbook, m, 0), Environment: "dev"}))
	}
	e := g.r.Estimate()
	assert.Equal(t, 21*time.Minute, e.Total, "the median, without a production-like rehearsal")
	assert.Nil(t, e.Basis)
	assert.Contains(t, e.Warning, "production-like")
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Contains(t, d.Warnings, mep.Reason{Source: "estimate", Rule: policy.R5, Text: e.Warning}, "the fallback is a warning of the decision")

	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, start, runbook, 60, 0), Environment: "preprod", ProductionLike: true}))
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, start, runbook, 5), Environment: "preprod", ProductionLike: true}))
	rh := g.r.Rehearsals()
	require.Len(t, rh, 4)
	assert.True(t, rh[3].Partial, "a rehearsal of part of the runbook is marked partial")
	e = g.r.Estimate()
	assert.Equal(t, 60*time.Minute, e.Total)
	assert.Equal(t, 60*time.Minute, e.Outage)
	require.NotNil(t, e.Basis)
	assert.Equal(t, "preprod", e.Basis.Environment)
	assert.Empty(t, e.Warning)
	d = g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, 60*time.Minute, d.Estimate)
	assert.Empty(t, d.Warnings)
}

// goNow makes the rollouts-only fixture decide GO and moves the clock to
// T0.
func goNow(t testing.TB, g *golive) {
	t.Helper()
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	g.c.set(g.r.T0())
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	require.Equal(t, mep.Go, d.Verdict, "%s", d)
}

// TestFreezeIsOnByDefault (R11): a rollout with no policies on a Friday is
// a NoGo; the project may opt out, by whom and why, recorded.
func TestFreezeIsOnByDefault(t *testing.T) {
	friday := at(paris, 2026, 11, 20, 20, 0)
	g := rolloutsOnly(t, mep.RolloutOptions{T0: friday})
	g.c.set(friday.Add(-day(1)))
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.NoGo, d.Verdict)
	assert.Contains(t, reasons(d), "Friday")

	fieldErr(t, g.p.OptOutOfFreeze("Otto", ""))
	fieldErr(t, g.p.OptOutOfFreeze("", "24/7 shop"))
	require.NoError(t, g.p.OptOutOfFreeze("Otto", "a 24/7 shop: Friday is as quiet as any day"))
	es := g.p.Record()
	last := es[len(es)-1]
	assert.Equal(t, "Otto", last.Actor)
	assert.Contains(t, last.Text+strings.Join(mapValues(last.Attrs), " "), "24/7 shop")
	d = g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.Go, d.Verdict, "%s", d)
	assert.NotContains(t, reasons(d), "Friday")
}

func mapValues(m map[string]string) []string {
	var out []string
	for _, v := range m {
		out = append(out, v)
	}
	return out
}

// TestReadinessLeadIsAFloor (R7): a lead under one hour is refused; a
// longer one is checked.
func TestReadinessLeadIsAFloor(t *testing.T) {
	for _, lead := range []time.Duration{30 * time.Minute, time.Hour - time.Second, -time.Hour} {
		_, err := mep.New("x", &mep.Options{ReadinessLead: lead})
		fieldErr(t, err)
	}
	g := newGolive(t, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production", ReadinessLead: 3 * time.Hour})
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{Readiness: okReadiness()})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	g.c.set(g.t0.Add(-2 * time.Hour))
	checkReady(t, g.r, "Otto", g.c.now())
	g.c.set(g.t0.Add(-90 * time.Minute))
	g.vote("Otto", mep.Go)
	d := g.r.GoNoGo().Evaluate(bg, g.c.now())
	assert.NotEqual(t, mep.Go, d.Verdict, "ready at T0-2h, the team asked for T0-3h")
	assert.Contains(t, reasons(d), "3h")
}

// TestMinutesNoActionsNeedsAReason (R6) and attendees are members or
// declared guests.
func TestMinutesNoActionsNeedsAReason(t *testing.T) {
	g := newGolive(t, nil)
	now := g.c.now()
	_, err := g.p.Tracker().Hold(mep.Minutes{At: now, Attendees: []string{"Bea"}})
	assert.Equal(t, "meeting.actions", fieldErr(t, err).Field)
	_, err = g.p.Tracker().Hold(mep.Minutes{At: now, Attendees: []string{"Bea"}, NoActions: "  "})
	fieldErr(t, err)
	_, err = g.p.Tracker().Hold(mep.Minutes{At: now, Attendees: []string{"Bea", "Claire"}, NoActions: "kick-off"})
	fe := fieldErr(t, err)
	assert.Equal(t, "meeting.attendees[1]", fe.Field)
	assert.Equal(t, "Claire", fe.Value)
	assert.Empty(t, g.p.Tracker().Meetings())

	require.NoError(t, g.p.Team().Invite("Sam", "Claire"))
	m, err := g.p.Tracker().Hold(mep.Minutes{At: now, Attendees: []string{"Bea", "Claire"}, NoActions: "kick-off: nothing to hand out yet"})
	require.NoError(t, err)
	assert.Equal(t, "kick-off: nothing to hand out yet", m.NoActions)
}

// TestReviewGateWantsTheReviewMeetingAndThisRolloutsLessons (R6, R12): a
// lesson recorded earlier for another rollout, a meeting before the
// cutover or without operations do not pass the Review gate.
func TestReviewGateWantsTheReviewMeetingAndThisRolloutsLessons(t *testing.T) {
	g := newGolive(t, nil)
	pilot, err := g.p.NewRollout(mep.RolloutOptions{Name: "pilot", T0: g.t0.Add(-day(30)), Runbook: goliveRunbook()})
	require.NoError(t, err)
	_, err = pilot.Learn("an old lesson", "do it", "Bea")
	require.NoError(t, err)
	require.NoError(t, g.p.Lessons().Apply(1, "pilot", "Bea", time.Time{}, "learned from itself", true))
	g.walk(mep.Review)

	_, err = g.p.Tracker().Hold(mep.Minutes{At: g.t0.Add(-day(1)), Attendees: []string{"Otto"}, NoActions: "before"})
	require.NoError(t, err)
	g.c.set(at(paris, 2026, 11, 19, 10, 0))
	_, err = g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Bea", "Sam"}, NoActions: "no ops"})
	require.NoError(t, err)
	assert.Equal(t, []string{"post-deployment meeting", "lessons recorded"}, unmet(t, g.p.CheckGate(g.c.now())))

	_, err = g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Bea", "Otto"}, NoActions: "lessons recorded"})
	require.NoError(t, err)
	_, err = g.r.Learn("the migration ran long", "rehearse on real data", "Bea")
	require.NoError(t, err)
	assert.NoError(t, g.p.CheckGate(g.c.now()))
}

// TestLessonsAreWarningsThenAGate (R12): lessons not applied yet are
// warnings of the next Decide; the Industrialization gate wants each
// applied or waived with a reason.
func TestLessonsAreWarningsThenAGate(t *testing.T) {
	g := walk(t, mep.Industrialization)
	_, err := g.r.Learn("DNS TTL too long", "lower the TTL a day before", "Otto")
	require.NoError(t, err)
	err = g.p.CheckGate(g.c.now())
	assert.Equal(t, []string{"lessons applied or waived"}, unmet(t, err))
	assert.Contains(t, err.Error(), "DNS TTL too long")

	g.t0 = at(paris, 2026, 11, 26, 20, 0)
	g.c.set(g.t0.Add(-day(1)))
	next := g.newRollout(mep.RolloutOptions{Name: "second"})
	require.NoError(t, next.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	d := next.GoNoGo().Evaluate(bg, g.c.now())
	assert.Equal(t, mep.Go, d.Verdict, "lessons do not block: %s", d)
	require.Len(t, d.Warnings, 2)
	assert.Contains(t, d.Warnings[0].String(), "lesson: #1 not applied yet")
	assert.Equal(t, policy.R12, d.Warnings[0].Rule)
	assert.Contains(t, d.Warnings[1].Text, "lower the TTL")

	require.NoError(t, g.p.Lessons().Apply(1, "second", "Bea", time.Time{}, "", false))
	fieldErr(t, g.p.Lessons().Apply(2, "second", "Otto", time.Time{}, "", true))
	require.NoError(t, g.p.Lessons().Apply(2, "second", "Otto", time.Time{}, "the new DNS has no TTL", true))
	assert.Empty(t, next.GoNoGo().Evaluate(bg, g.c.now()).Warnings)
	assert.NoError(t, g.p.CheckGate(g.c.now()))
}

// TestDriftAfterAFailedStep: right after a step fails, the drift still
// owes its estimate and never says "ahead".
func TestDriftAfterAFailedStep(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	goNow(t, g)
	g.runCutover(5, -2) // migrate-db fails after 2 of its 20 minutes
	d := g.r.Cutover().Drift(g.c.now())
	assert.Equal(t, []string{"migrate-db"}, d.Failed)
	assert.Equal(t, 20*time.Minute, d.Steps[1].Owed)
	assert.Equal(t, g.t0.Add(40*time.Minute), d.PlannedEnd)
	assert.Equal(t, g.c.now().Add(35*time.Minute), d.ExpectedEnd)
	assert.Positive(t, d.Delay)
	assert.NotContains(t, d.String(), "ahead")
	assert.Contains(t, d.String(), "migrate-db failed: a retry or a rollback is due")
}

// TestLiveOutageCountsTheOpenStep: during an outage step, the report's
// outage so far counts it to the report's instant, marked ongoing.
func TestLiveOutageCountsTheOpenStep(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	goNow(t, g)
	g.runCutover(15)                                             // stop-app: 15 min of outage
	require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea")) // outage, still open
	g.c.add(50 * time.Minute)
	rep := g.r.Report(g.c.now())
	var buf bytes.Buffer
	require.NoError(t, rep.WriteMarkdown(&buf))
	out := buf.String()
	assert.Contains(t, out, "Outage so far (users cut off): **1h5m of an estimated 25m, +40m over, ongoing**", "15 + 50 minutes of outage so far:\n%s", out)
	assert.Equal(t, 65*time.Minute, rep.Actual.Outage)
}
