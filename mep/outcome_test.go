package mep_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// rollBack decides a rollback at the clock's time and runs the rollback
// of each step for its minutes, latest first as the runbook requires.
func (g *golive) rollBack(steps []string, minutes ...int) {
	g.t.Helper()
	require.NoError(g.t, g.r.Cutover().Rollback("Otto", "the migration broke the schema"))
	for i, id := range steps {
		require.NoError(g.t, g.r.Cutover().Start(id, "Bea"), "start the rollback of %s", id)
		g.c.add(time.Duration(minutes[i]) * time.Minute)
		require.NoError(g.t, g.r.Cutover().End(id, "Bea", timeline.Done), "end the rollback of %s", id)
	}
}

// TestOneEndOneOutage: for every outcome, the report's headline, the
// drift, the debrief and the history give the same end, outage and time
// to restore for the same record. The rolled-back case is the defect's:
// the outage step started at 20:00 and failed at 20:15, the rollback ran
// until 20:45, users were cut off from 20:00 to 20:45.
func TestOneEndOneOutage(t *testing.T) {
	for _, tc := range []struct {
		name    string
		run     func(g *golive) // from T0, 20:00
		outcome report.Outcome
		end     string        // "" while it runs
		outage  time.Duration // users cut off
		restore time.Duration // time to restore; 0: none
		phrases []string      // in the text report
	}{{
		name:    "done",
		run:     func(g *golive) { g.runCutover(5, 20, 10, 5); g.finish() },
		outcome: report.Done, end: "20:40", outage: 25 * time.Minute,
		phrases: []string{"Outcome: DONE", "Ended: 2026-11-17 20:40:00 CET\n", "Outage (users cut off): 25m (estimate 25m, 0s)"},
	}, {
		name: "rolled back",
		run: func(g *golive) {
			g.runCutover(-15) // stop-app, an outage step, fails at 20:15
			g.rollBack([]string{"stop-app"}, 30)
			g.c.add(5 * time.Minute) // finished at 20:50: not the end
			g.finish()
		},
		outcome: report.RolledBack, end: "20:45", outage: 45 * time.Minute, restore: 30 * time.Minute,
		phrases: []string{
			"Outcome: ROLLED BACK", "Ended: 2026-11-17 20:45:00 CET (5m late), at the end of the rollback",
			"Duration: 45m (estimate 40m, +5m)", "Outage (users cut off): 45m (estimate 25m, +20m)",
			"Time to restore: 30m (from the failure to the end of the rollback)",
		},
	}, {
		name: "rolled back after a pause",
		run: func(g *golive) {
			g.runCutover(5, -10) // migrate-db fails at 20:15, the service still cut
			g.c.add(3 * time.Minute)
			g.rollBack([]string{"migrate-db", "stop-app"}, 20, 7)
			g.finish()
		},
		outcome: report.RolledBack, end: "20:45", outage: 45 * time.Minute, restore: 30 * time.Minute,
		phrases: []string{"Ended: 2026-11-17 20:45:00 CET (5m late), at the end of the rollback", "Outage (users cut off): 45m"},
	}, {
		name:    "failed",
		run:     func(g *golive) { g.runCutover(5, 20, 10, -5); g.c.add(10 * time.Minute); g.finish() },
		outcome: report.Failed, end: "20:40", outage: 25 * time.Minute,
		phrases: []string{"Outcome: FAILED", "Ended: 2026-11-17 20:40:00 CET, at the last recorded step's end"},
	}, {
		name: "running",
		run: func(g *golive) {
			g.runCutover(5)
			require.NoError(g.t, g.r.Cutover().Start("migrate-db", "Bea"))
			g.c.add(10 * time.Minute)
		},
		outcome: report.Running, outage: 15 * time.Minute,
		phrases: []string{"Outcome: RUNNING", "Outage so far (users cut off): 15m of an estimated 25m, ongoing"},
	}, {
		name: "rolling back",
		run: func(g *golive) {
			g.runCutover(-15)
			g.rollBack([]string{"stop-app"}, 10)
		},
		outcome: report.RolledBack, outage: 25 * time.Minute,
		phrases: []string{"Outcome: ROLLING BACK", "Outage so far (users cut off): 25m of an estimated 25m"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			g := rolloutsOnly(t, mep.RolloutOptions{})
			goNow(t, g)
			tc.run(g)
			now := g.c.now()
			var end time.Time
			if tc.end != "" {
				hm, err := time.ParseInLocation("2006-01-02 15:04", "2026-11-17 "+tc.end, paris)
				require.NoError(t, err)
				end = hm
			}

			rep := g.r.Report(now)
			require.NotNil(t, rep.Result)
			res := *rep.Result
			assert.Equal(t, tc.outcome, rep.Outcome, "report")
			assert.True(t, end.Equal(res.End), "report's end: got %s, want %s", res.End, end)
			assert.Equal(t, tc.outage, res.Outage, "report's outage")
			assert.Equal(t, tc.restore, res.TimeToRestore, "report's time to restore")
			var text strings.Builder
			require.NoError(t, rep.WriteText(&text))
			for _, p := range tc.phrases {
				assert.Contains(t, text.String(), p)
			}

			db := g.r.Debrief()
			assert.Equal(t, tc.outcome, db.Outcome, "debrief")
			assert.Equal(t, res, db.Result, "debrief")
			assert.Equal(t, tc.outage, db.Outage.Actual, "debrief's outage")
			assert.Equal(t, res.Duration, db.Duration.Actual, "debrief's duration")

			dr := g.r.Cutover().Drift(now)
			assert.Equal(t, tc.outcome, dr.Outcome, "drift")
			assert.True(t, end.Equal(dr.Ended), "drift's end: got %s, want %s", dr.Ended, end)
			assert.Equal(t, tc.outage, dr.Outage, "drift's outage")
			if !end.IsZero() {
				assert.True(t, end.Equal(dr.ExpectedEnd), "drift's expected end: got %s", dr.ExpectedEnd)
			}

			h := g.p.History(now)
			require.Len(t, h.Rollouts, 1)
			s := h.Rollouts[0]
			assert.Equal(t, tc.outcome, s.Outcome, "history")
			assert.True(t, end.Equal(s.End), "history's end: got %s, want %s", s.End, end)
			assert.Equal(t, res.Duration, s.Duration, "history's duration")
			assert.Equal(t, tc.outage, s.Outage, "history's outage")
			assert.Equal(t, end.IsZero(), s.OutageUnknown, "history: the outage is known once it ended")
			assert.Equal(t, tc.restore, s.TimeToRestore, "history's time to restore")
		})
	}
}

// finish closes the cutover, by Otto.
func (g *golive) finish() {
	g.t.Helper()
	_, err := g.r.Cutover().Finish("Otto")
	require.NoError(g.t, err)
}

// TestRolledBackReportJSON: the JSON of a rolled-back rollout carries its
// result, the time to restore in seconds, and notes each rollback step.
func TestRolledBackReportJSON(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	goNow(t, g)
	g.runCutover(-15)
	g.rollBack([]string{"stop-app"}, 30)
	g.finish()
	var b strings.Builder
	require.NoError(t, g.r.Report(g.c.now()).WriteJSON(&b))
	var got struct {
		Result struct {
			End           time.Time `json:"end"`
			Outage        float64   `json:"outage_s"`
			TimeToRestore *float64  `json:"time_to_restore_s"`
		} `json:"result"`
		Notes []struct{ Text string } `json:"notes"`
	}
	require.NoError(t, json.Unmarshal([]byte(b.String()), &got))
	assert.True(t, got.Result.End.Equal(g.t0.Add(45*time.Minute)))
	assert.Equal(t, 45*60.0, got.Result.Outage)
	require.NotNil(t, got.Result.TimeToRestore)
	assert.Equal(t, 30*60.0, *got.Result.TimeToRestore)
	require.Len(t, got.Notes, 2)
	assert.Equal(t, "rollback of stop-app (start the old application): done after 30m", got.Notes[1].Text)
}
