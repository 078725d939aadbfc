package mep_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

// TestRolloutReport: the report gathers the decision, its votes, the
// checklist, the estimate and the drift, the actions, lessons and notes,
// and renders them.
func TestRolloutReport(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{Name: "pilot"})
	_, err := g.r.Learn("DNS TTL too long", "lower the TTL a day before", "Otto")
	require.NoError(t, err)
	g.newRollout(mep.RolloutOptions{})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	_, err = g.p.Tracker().Assign(mep.ActionSpec{Title: "Order | spare disks", Owner: "Otto", Due: g.t0.Add(-2 * time.Hour)}, "Bea", time.Time{})
	require.NoError(t, err)
	goNow(t, g)
	require.NoError(t, g.r.Cutover().Start("stop-app", "Bea"))
	g.c.add(30 * time.Minute)
	require.NoError(t, g.r.Cutover().Note("Otto", "stopping is slower than rehearsed"))

	rep := g.r.Report(g.c.now())
	assert.Equal(t, "go", rep.Decision.Verdict)
	require.Len(t, rep.Votes, 1)
	assert.Equal(t, g.r.GoNoGo().Votes()[0].Digest, rep.Votes[0].Digest)
	require.NotNil(t, rep.Checklist)
	assert.True(t, rep.Checklist.Ready)
	require.Len(t, rep.Steps, 4)
	assert.Equal(t, 5*time.Minute, rep.Steps[0].Expected)
	require.NotNil(t, rep.Drift)
	assert.Equal(t, 25*time.Minute, rep.Drift.Behind(), "stop-app has run 30 minutes of an expected 5")
	require.Len(t, rep.Actions, 1)
	assert.True(t, rep.Actions[0].Overdue)
	require.Len(t, rep.Lessons, 1)
	assert.False(t, rep.Lessons[0].Applied)
	assert.Contains(t, rep.Decision.Reasons, "warning: lesson: #1 not applied yet: DNS TTL too long; apply it: lower the TTL a day before (R12)")
	require.Len(t, rep.Notes, 1)
	assert.Equal(t, "go-live", rep.Rollout)
	assert.Equal(t, paris, rep.Location)

	var md, html, js strings.Builder
	require.NoError(t, rep.WriteMarkdown(&md))
	assert.Contains(t, md.String(), "Order \\| spare disks")
	assert.Contains(t, md.String(), "stopping is slower than rehearsed")
	require.NoError(t, rep.WriteHTML(&html))
	assert.Contains(t, html.String(), "stopping is slower than rehearsed")
	require.NoError(t, rep.WriteJSON(&js))
	assert.Contains(t, js.String(), `"verdict": "go"`)
}

// TestOneSpanOneEstimate: the cutover's span runs from its first step's
// start to its last step's end, whatever was recorded around it (votes,
// notes), and every view gives the same span and the same estimate.
func TestOneSpanOneEstimate(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	goNow(t, g)
	g.c.add(10 * time.Minute)
	start := g.c.now()
	g.runCutover(5, 20, 10, 5)
	require.NoError(t, g.r.Cutover().Note("Otto", "all done"))
	g.c.add(time.Hour)
	s, err := g.r.Cutover().Finish("Otto")
	require.NoError(t, err)
	assert.True(t, s.Start.Equal(start))
	assert.Equal(t, 40*time.Minute, s.Duration)

	now := g.c.now()
	est := g.r.Estimate()
	db := g.r.Debrief()
	rep := g.r.Report(now)
	dr := g.r.Cutover().Drift(now)
	d := g.r.GoNoGo().Decided()
	for name, got := range map[string]time.Duration{
		"summary": g.r.Cutover().Summary().Duration, "debrief": db.Actual.Duration, "report": rep.Actual.Duration,
	} {
		assert.Equal(t, 40*time.Minute, got, name)
	}
	assert.True(t, dr.Started.Equal(start))
	assert.True(t, dr.ExpectedEnd.Equal(start.Add(40*time.Minute)))
	for name, got := range map[string]time.Duration{
		"estimate": est.Total, "debrief": db.Expected.Total, "report": rep.Estimate.Duration, "decision": d.Estimate,
	} {
		assert.Equal(t, 40*time.Minute, got, name)
	}
	for name, got := range map[string]time.Duration{
		"estimate": est.Outage, "debrief": db.Expected.Outage, "report": rep.Estimate.Outage,
	} {
		assert.Equal(t, 25*time.Minute, got, name)
	}
}
