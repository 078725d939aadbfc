package risk_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/risk"
)

func TestSimulateRollback(t *testing.T) {
	runbook := []risk.Step{
		{ID: "stop", Reversible: true},
		{ID: "backup"},
		{ID: "migrate", Reversible: true, Outage: true},
		{ID: "switch", Reversible: true, Outage: true},
		{ID: "smoke"},
	}
	rb := func(restore, back, start int) risk.Run { // a rehearsed rollback, latest step first
		r := spans(true, att("switch", 0, back, false), att("migrate", back, back+restore, false),
			att("stop", back+restore+2, back+restore+2+start, false))
		r.Rollback = true
		return r
	}
	change := rehearsal(runbook, mins(1, 1, 1, 1, 1), simT0, true) // not a rollback: left out
	runs := []risk.Run{change, rb(30, 5, 3), rb(30, 5, 3)}

	ov, err := risk.SimulateRollback(runbook, runs, []string{"stop", "backup", "migrate"}, risk.Options{Trials: 100})
	require.NoError(t, err)
	assert.Equal(t, 2, ov.Rehearsals)
	assert.Equal(t, 35*time.Minute, ov.Duration.P90(), "restore (30m), then start again (3m) after a 2m hand-over")
	assert.Equal(t, 30*time.Minute, ov.Outage.P90())
	assert.Empty(t, ov.Warnings)

	ov, err = risk.SimulateRollback(runbook, runs, []string{"switch", "stop", "migrate", "smoke", "smoke"}, risk.Options{Trials: 100})
	require.NoError(t, err)
	assert.Equal(t, 40*time.Minute, ov.Duration.P90(), "switch back, restore, start again: one at a time")

	ov, err = risk.SimulateRollback(runbook, runs[:1], []string{"stop"}, risk.Options{Trials: 10})
	require.NoError(t, err)
	assert.Equal(t, []string{"stop"}, ov.Unknown, "no rollback rehearsal")

	ov, err = risk.SimulateRollback(runbook, runs, []string{"backup"}, risk.Options{Trials: 10})
	require.NoError(t, err)
	assert.Equal(t, time.Duration(0), ov.Duration.P90())
	assert.Equal(t, 10, ov.Duration.Len())
	assert.Contains(t, ov.Warnings[0], "nothing to roll back")

	_, err = risk.SimulateRollback(runbook, runs, []string{"stop", "nope"}, risk.Options{})
	var fe *risk.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "rollback.started[1]", fe.Field)
}

func TestDecideBy(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	// Clocks go back from 03:00 CEST to 02:00 CET on 2026-10-25.
	windowEnd := time.Date(2026, 10, 25, 3, 30, 0, 0, paris) // CET, after the change
	by := risk.DecideBy(windowEnd, 2*time.Hour)
	assert.Equal(t, 2*time.Hour, windowEnd.Sub(by), "two hours of rollback, not three")
	assert.Equal(t, "2026-10-25 02:30 CEST", by.Format("2006-01-02 15:04 MST"), "the first 02:30 of the night")
	assert.Equal(t, paris, by.Location())

	// Clocks go forward from 02:00 CET to 03:00 CEST on 2026-03-29.
	spring := time.Date(2026, 3, 29, 3, 30, 0, 0, paris)
	assert.Equal(t, "2026-03-29 01:30 CET", risk.DecideBy(spring, time.Hour).Format("2006-01-02 15:04 MST"))

	// A window from 22:00 to 02:00 the next day.
	overnight := time.Date(2026, 11, 13, 2, 0, 0, 0, paris)
	assert.Equal(t, time.Date(2026, 11, 12, 23, 15, 0, 0, paris), risk.DecideBy(overnight, 2*time.Hour+45*time.Minute))

	assert.Equal(t, overnight, risk.DecideBy(overnight, -time.Hour), "a negative duration counts as none")
	assert.True(t, risk.DecideBy(time.Time{}, time.Hour).IsZero())
	assert.Equal(t, overnight.Add(-math.MaxInt64), risk.DecideBy(overnight, math.MaxInt64))
}

// The P90 of a rollback decides when to decide: the window of a cutover
// in the night of the change to winter time.
func TestDecideByFromRehearsals(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	runbook := []risk.Step{{ID: "migrate", Reversible: true, Outage: true}}
	r := rehearsal(runbook, mins(90), simT0, true)
	r.Rollback = true
	ov, err := risk.SimulateRollback(runbook, []risk.Run{r, r}, []string{"migrate"}, risk.Options{})
	require.NoError(t, err)
	windowEnd := time.Date(2026, 10, 25, 1, 15, 0, 0, time.UTC).In(paris)
	require.Equal(t, "02:15 CET", windowEnd.Format("15:04 MST"), "the second 02:15 of the night")
	by := risk.DecideBy(windowEnd, ov.Duration.P90())
	assert.Equal(t, "2026-10-25 01:45 CEST", by.Format("2006-01-02 15:04 MST"))
}

// Any runbook and any timings: an error or figures, never a panic.
func FuzzSimulate(f *testing.F) {
	f.Add([]byte{3, 0, 1, 2, 9, 200, 7, 7, 0, 255}, uint8(4))
	f.Add([]byte{0, 0, 0, 0}, uint8(0))
	f.Fuzz(func(t *testing.T, b []byte, spread uint8) {
		if len(b) < 2 {
			return
		}
		n := 1 + int(b[0]%8)
		runbook := make([]risk.Step, n)
		for i := range runbook {
			x := b[(i+1)%len(b)]
			s := risk.Step{ID: fmt.Sprint(i), Outage: x%3 == 2, Expected: time.Duration(x%4) * time.Minute}
			switch {
			case x%5 == 1 && i > 0:
				s.Group = "g"
			case x%5 == 2 && i > 0:
				s.DependsOn = []string{fmt.Sprint(int(x) % i)}
			}
			if x%7 == 0 {
				s.Reversible = true
			}
			runbook[i] = s
		}
		var runs []risk.Run
		for k := 0; k+2 < len(b); k += 3 {
			from, to := int(int8(b[k+1])), int(int8(b[k+2]))
			r := spans(b[k]%2 == 0, att(fmt.Sprint(int(b[k])%(n+1)), from, to, false))
			r.Rollback = b[k]%3 == 0
			runs = append(runs, r)
		}
		o := risk.Options{Trials: 1 + int(spread), Seed: uint64(spread), Spread: float64(spread) / 64}
		ov, err := risk.Simulate(runbook, runs, o)
		if err != nil {
			assert.ErrorIs(t, err, risk.ErrInvalid)
			return
		}
		assert.Equal(t, o.Trials, ov.Duration.Len())
		assert.GreaterOrEqual(t, ov.Duration.Quantile(0), time.Duration(0))
		assert.LessOrEqual(t, ov.Outage.P90(), ov.Duration.Quantile(1))
		_ = ov.String()
		rb, err := risk.SimulateRollback(runbook, runs, []string{"0", fmt.Sprint(n - 1)}, o)
		require.NoError(t, err)
		assert.Equal(t, o.Trials, rb.Duration.Len())
	})
}
