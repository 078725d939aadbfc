package mep_test

import (
	"context"
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

// The Decision that Decide, Decided and Debrief return is the caller's copy:
// changing its reasons, votes or the policies' answers does not change
// the decision the project holds, nor what its report says (R9).
func TestDecisionReturnedIsACopy(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	d := g.decided(mep.NoGo)
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

// A policy's answer that the record cannot hold (a next start past the
// year 9999) is not recorded as such: the decision is, and the record
// opens again with the decision as Decide returned it. The policies'
// answers are not parsed again before they are appended; what keeps the
// record openable is that nothing unreadable reaches their encoder.
func TestDecisionWithAnAnswerPastTheYear9999Reopens(t *testing.T) {
	far := policy.Func("far", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Deny, Reason: "later", Next: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}
	})
	path := filepath.Join(t.TempDir(), "p.jsonl")
	g := rolloutsOnlyFile(t, path, false)
	g.newRollout(mep.RolloutOptions{Policies: policy.Set{far}})
	d := g.decided(mep.Go)
	require.Equal(t, mep.NoGo, d.Verdict, "%s", d)
	require.NoError(t, g.p.Close())

	p, err := mep.OpenFile(path, nil)
	require.NoError(t, err)
	defer p.Close()
	r, ok := p.Rollout("go-live")
	require.True(t, ok)
	got := r.GoNoGo().Decided()
	require.Len(t, got.Policy.Decisions, len(d.Policy.Decisions))
	for i, pd := range got.Policy.Decisions {
		want := d.Policy.Decisions[i]
		assert.Equal(t, want.Policy, pd.Policy)
		assert.Equal(t, want.Verdict, pd.Verdict)
		assert.Equal(t, want.Reason, pd.Reason)
		assert.True(t, want.Next.Equal(pd.Next), "%s: next %v, want %v", pd.Policy, pd.Next, want.Next)
	}
}
