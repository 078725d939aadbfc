package report_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep/report"
)

// riskReport is a go-live planned at 20:00 in a window closing at 23:30,
// simulated before at P50 1h47m and P90 2h4m.
func riskReport(outcome report.Outcome, took time.Duration, rank float64) *report.Report {
	t0 := at(2026, 11, 12, 20, 0)
	r := &report.Report{Location: cet, Outcome: outcome, T0: t0, WindowEnd: at(2026, 11, 12, 23, 30),
		Risk: &report.Risk{Trials: 10_000, P50: 107 * time.Minute, P90: 124 * time.Minute, PastWindow: 0.004, Rank: rank}}
	if outcome != report.Planned {
		r.Result = &report.Result{End: t0.Add(took), Duration: took}
	}
	return r
}

func markdown(t *testing.T, r *report.Report) string {
	t.Helper()
	var b bytes.Buffer
	require.NoError(t, r.WriteMarkdown(&b))
	return b.String()
}

func TestRiskInTheHeadline(t *testing.T) {
	before := markdown(t, riskReport(report.Planned, 0, 0))
	assert.Contains(t, before, "- Overrun risk (simulated before, R5): P50 end 21:47, P90 end 22:04 (1h47m, 2h4m); <1% chance to end after the window\n")

	within := markdown(t, riskReport(report.Done, 115*time.Minute, 0.737))
	assert.Contains(t, within, "P90 end 22:04 (1h47m, 2h4m); <1% chance to end after the window; ended at P74, within the P90\n")

	past := riskReport(report.Done, 130*time.Minute, 0.95)
	assert.Contains(t, markdown(t, past), "; ended at P95, past the P90")
	var text bytes.Buffer
	require.NoError(t, past.WriteText(&text))
	assert.Contains(t, text.String(), "ended at P95, past the P90")
	var html bytes.Buffer
	require.NoError(t, past.WriteHTML(&html))
	assert.Contains(t, html.String(), "ended at P95, past the P90")

	assert.True(t, past.Risk.IsWithinP90(124*time.Minute))
	assert.False(t, past.Risk.IsWithinP90(125*time.Minute))
	assert.False(t, report.Risk{}.IsWithinP90(0), "no simulation: within nothing")

	none := riskReport(report.Planned, 0, 0)
	none.Risk = nil
	assert.NotContains(t, markdown(t, none), "Overrun risk")
}

func TestRiskJSON(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, riskReport(report.Done, 115*time.Minute, 0.737).WriteJSON(&b))
	var doc struct {
		Risk map[string]any `json:"risk"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &doc))
	assert.Equal(t, map[string]any{"trials": 10000.0, "p50_s": 6420.0, "p90_s": 7440.0, "past_window": 0.004, "rank": 0.737}, doc.Risk)

	b.Reset()
	r := riskReport(report.Planned, 0, 0)
	r.Risk = nil
	require.NoError(t, r.WriteJSON(&b))
	assert.NotContains(t, b.String(), `"risk"`)
}

// The history says how often actual ends fell within the P90 simulated
// before: calibration across go-lives. Rolled-back and failed rollouts,
// and those not simulated, are left out.
func TestHistoryWithinP90(t *testing.T) {
	m := func(n int) time.Duration { return time.Duration(n) * time.Minute }
	sums := rollouts()
	for i := range sums {
		switch sums[i].Name {
		case "site-1": // 70m: past its P90
			sums[i].P90 = m(65)
		case "site-2", "site-7": // 54m, 50m: within
			sums[i].P90 = m(60)
		case "site-3": // rolled back: not counted
			sums[i].P90 = m(80)
		}
	}
	h := report.NewHistory("billing", sums, cet)
	assert.Equal(t, 3, h.Total.Simulated)
	assert.Equal(t, 2, h.Total.WithinP90)
	assert.Equal(t, 1, h.Months[0].Simulated)
	assert.Equal(t, 0, h.Months[0].WithinP90)
	assert.Equal(t, 1, h.Months[2].Simulated, "November: site-2; site-3 rolled back")
	assert.Equal(t, 1, h.Months[2].WithinP90)

	var b bytes.Buffer
	require.NoError(t, h.WriteMarkdown(&b))
	assert.Contains(t, b.String(), "- Actual ends within the P90 (R5): 67% (2 of 3)\n")
	assert.Contains(t, b.String(), "| Within the P90 |")
	assert.Contains(t, b.String(), "| 0% (0 of 1) |")

	b.Reset()
	require.NoError(t, h.WriteJSON(&b))
	assert.Contains(t, b.String(), `"p90_s": 3900`)
	assert.Contains(t, b.String(), `"within_p90": 2`)

	b.Reset()
	require.NoError(t, history().WriteMarkdown(&b))
	assert.NotContains(t, b.String(), "P90", "nothing simulated: nothing said")

	rep := riskReport(report.Done, 115*time.Minute, 0.737)
	rep.Actual.Start = rep.T0
	assert.Equal(t, 124*time.Minute, report.SummaryOf(rep).P90)
}
