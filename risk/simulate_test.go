package risk_test

import (
	"fmt"
	"math"
	"math/rand/v2"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/risk"
)

var simT0 = time.Date(2026, 11, 12, 21, 0, 0, 0, time.UTC) // a Thursday evening

// lay lays a run of runbook out, each step taking d[i], by the rule a
// cutover follows (a step starts when the steps it waits for ended: its
// DependsOn, or every earlier step outside its parallel group), read
// naively here, and returns each step's start and end from the run's
// start.
func lay(runbook []risk.Step, d []time.Duration) (start, end []time.Duration) {
	start, end = make([]time.Duration, len(runbook)), make([]time.Duration, len(runbook))
	idx := map[string]int{}
	for i, s := range runbook {
		var ready time.Duration
		if len(s.DependsOn) > 0 {
			for _, dep := range s.DependsOn {
				ready = max(ready, end[idx[dep]])
			}
		} else {
			for j := range i {
				if s.Group == "" || runbook[j].Group != s.Group {
					ready = max(ready, end[j])
				}
			}
		}
		start[i], end[i], idx[s.ID] = ready, ready+d[i], i
	}
	return start, end
}

// rehearsal returns a run of runbook whose steps take d, laid out by lay
// from at.
func rehearsal(runbook []risk.Step, d []time.Duration, at time.Time, prod bool) risk.Run {
	start, end := lay(runbook, d)
	atts := make([]risk.Attempt, len(runbook))
	for i, s := range runbook {
		atts[i] = risk.Attempt{Step: s.ID, Start: at.Add(start[i]), End: at.Add(end[i])}
	}
	return risk.Run{Attempts: atts, ProductionLike: prod}
}

// spans returns a run made of the given attempts, each [from, to) in
// minutes from simT0.
func spans(prod bool, atts ...risk.Attempt) risk.Run {
	return risk.Run{Attempts: atts, ProductionLike: prod}
}

func att(step string, from, to int, failed bool) risk.Attempt {
	return risk.Attempt{Step: step, Start: simT0.Add(time.Duration(from) * time.Minute),
		End: simT0.Add(time.Duration(to) * time.Minute), Failed: failed}
}

func mins(d ...int) []time.Duration {
	out := make([]time.Duration, len(d))
	for i, m := range d {
		out[i] = time.Duration(m) * time.Minute
	}
	return out
}

// same returns n identical production-like rehearsals: no spread.
func same(n int, runbook []risk.Step, d []time.Duration) []risk.Run {
	var out []risk.Run
	for k := range n {
		out = append(out, rehearsal(runbook, d, simT0.Add(-time.Duration(k+1)*24*time.Hour), true))
	}
	return out
}

func TestSimulateFollowsTheCriticalPath(t *testing.T) {
	runbook := []risk.Step{
		{ID: "stop"},
		{ID: "db", Group: "migrate", Outage: true},
		{ID: "files", Group: "migrate", Outage: true},
		{ID: "start"},
		{ID: "warm", DependsOn: []string{"stop"}}, // runs beside the rest
	}
	d := mins(10, 30, 50, 5, 90)
	ov, err := risk.Simulate(runbook, same(3, runbook, d), risk.Options{T0: simT0, Trials: 100})
	require.NoError(t, err)
	// stop, then the longer of db and files, then start: 65m; warm ends at 100m.
	assert.Equal(t, 100*time.Minute, ov.Duration.P50())
	assert.Equal(t, 100*time.Minute, ov.Duration.P90())
	assert.Equal(t, 50*time.Minute, ov.Outage.P90(), "db and files overlap: their union")
	assert.Equal(t, simT0.Add(100*time.Minute), ov.End(0.9))
	assert.Empty(t, ov.Warnings)
	assert.Equal(t, 3, ov.Rehearsals)

	runbook[4].DependsOn = nil // now it waits for every step before it
	ov, err = risk.Simulate(runbook, same(3, runbook, d), risk.Options{Trials: 100})
	require.NoError(t, err)
	assert.Equal(t, 155*time.Minute, ov.Duration.P90())
}

// With identical rehearsals (no spread), every trial is the rehearsal:
// the simulation reads the runbook's order exactly as the naive layout.
func TestSimulateMatchesTheLayout(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	for n := range 40 {
		runbook := randomRunbook(r, 1+n*3)
		d := make([]time.Duration, len(runbook))
		for i := range d {
			d[i] = time.Duration(1+r.IntN(60)) * time.Minute
		}
		_, end := lay(runbook, d)
		ov, err := risk.Simulate(runbook, same(2, runbook, d), risk.Options{Trials: 10})
		require.NoError(t, err)
		assert.Equal(t, slices.Max(end), ov.Duration.P50(), "runbook of %d steps", len(runbook))
		assert.Equal(t, slices.Max(end), ov.Duration.Quantile(1))
	}
}

// randomRunbook returns n steps: most in order, some in parallel groups,
// some with DependsOn, a fifth of them outages.
func randomRunbook(r *rand.Rand, n int) []risk.Step {
	steps := make([]risk.Step, n)
	for i := range steps {
		s := risk.Step{ID: fmt.Sprintf("s%03d", i)}
		switch x := r.IntN(10); {
		case x < 2 && i > 0:
			if steps[i-1].Group == "" {
				steps[i-1].Group = fmt.Sprintf("g%03d", i)
			}
			s.Group = steps[i-1].Group
		case x < 3 && i > 1:
			s.DependsOn = []string{steps[r.IntN(i)].ID, steps[r.IntN(i)].ID}
		}
		if r.IntN(5) == 0 {
			s.Outage = true
		}
		steps[i] = s
	}
	return steps
}

func TestSimulateCountsHandOversAndRetries(t *testing.T) {
	runbook := []risk.Step{{ID: "a"}, {ID: "b", Outage: true}, {ID: "c"}}
	run := spans(true,
		att("a", 0, 10, false),
		att("b", 15, 20, true),  // 5m hand-over, a failed attempt,
		att("b", 25, 40, false), // then the retry
		att("c", 40, 50, false))
	ov, err := risk.Simulate(runbook, []risk.Run{run, run}, risk.Options{Trials: 50})
	require.NoError(t, err)
	assert.Equal(t, 50*time.Minute, ov.Duration.P90(), "as the rehearsal ran: hand-over and retry included")
	assert.Equal(t, 25*time.Minute, ov.Outage.P90(), "b from its first start to its last end")
}

func TestSimulateIsDeterministic(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	runbook := randomRunbook(r, 60)
	runs := history(r, runbook, truth(r, len(runbook)), 5)
	o := risk.Options{Seed: 42, T0: simT0, WindowEnd: simT0.Add(6 * time.Hour)}
	a, err := risk.Simulate(runbook, runs, o)
	require.NoError(t, err)
	b, err := risk.Simulate(runbook, runs, o)
	require.NoError(t, err)
	assert.Equal(t, a, b)
	o.Seed = 43
	c, err := risk.Simulate(runbook, runs, o)
	require.NoError(t, err)
	assert.NotEqual(t, a.Duration, c.Duration, "another seed, other draws")
	for q := 0.0; q < 1; q += 0.001 { // sorted samples
		require.LessOrEqual(t, a.Duration.Quantile(q), a.Duration.Quantile(q+0.001), "q=%v", q)
		require.LessOrEqual(t, a.Outage.Quantile(q), a.Outage.Quantile(q+0.001), "q=%v", q)
	}
	assert.InDelta(t, float64(a.Duration.P90()), float64(c.Duration.P90()), 0.02*float64(a.Duration.P90()))
}

func TestSimulateWidensThinData(t *testing.T) {
	runbook := []risk.Step{{ID: "migrate"}}
	one := same(1, runbook, mins(60))
	ov, err := risk.Simulate(runbook, one, risk.Options{})
	require.NoError(t, err)
	require.Len(t, ov.Warnings, 1)
	assert.Equal(t, "overrun: timed by one rehearsal only, so taken with a log-spread of 0.25 around that timing: migrate", ov.Warnings[0])
	assert.Contains(t, ov.Warnings[0], "0.25")
	// The timing, times e^(0.25 Z - 0.25²/2): P90/P50 = e^(0.25*1.2816).
	ratio := float64(ov.Duration.P90()) / float64(ov.Duration.P50())
	assert.InDelta(t, math.Exp(0.25*1.2816), ratio, 0.02)
	assert.InDelta(t, float64(60*time.Minute)*math.Exp(-0.25*0.25/2), float64(ov.Duration.P50()), float64(time.Minute))

	wide, err := risk.Simulate(runbook, one, risk.Options{Spread: 0.5})
	require.NoError(t, err)
	assert.Greater(t, wide.Duration.P90(), ov.Duration.P90())
	assert.Contains(t, wide.Warnings[0], "0.5")

	two, err := risk.Simulate(runbook, append(one, same(1, runbook, mins(60))...), risk.Options{})
	require.NoError(t, err)
	assert.Empty(t, two.Warnings)
	assert.Equal(t, 60*time.Minute, two.Duration.P90(), "two equal timings: no spread observed")
}

func TestSimulatePrefersProductionLike(t *testing.T) {
	runbook := []risk.Step{{ID: "a"}, {ID: "b"}}
	prod := rehearsal(runbook, mins(10, 10), simT0.Add(-48*time.Hour), true)
	lab := rehearsal(runbook, mins(100, 100), simT0.Add(-24*time.Hour), false)
	ov, err := risk.Simulate(runbook, []risk.Run{prod, lab, prod}, risk.Options{})
	require.NoError(t, err)
	assert.Equal(t, 20*time.Minute, ov.Duration.Quantile(1), "the production-like timings only")

	partial := rehearsal(runbook[:1], mins(12), simT0, true)
	ov, err = risk.Simulate(runbook, []risk.Run{lab, partial, lab, partial}, risk.Options{})
	require.NoError(t, err)
	assert.Equal(t, 112*time.Minute, ov.Duration.Quantile(1), "a from the partial production-like runs, b from the others")
	assert.Equal(t, []string{"overrun: timed only outside production-like conditions (R5): b"}, ov.Warnings)
}

func TestSimulateExpectedAndUnknown(t *testing.T) {
	runbook := []risk.Step{{ID: "a", Expected: time.Hour}, {ID: "b"}, {ID: "c", Expected: 2 * time.Hour}}
	runs := same(2, runbook[2:], mins(30)) // c rehearsed: its Expected is not used
	ov, err := risk.Simulate(runbook, runs, risk.Options{T0: simT0})
	require.NoError(t, err)
	assert.Equal(t, []string{"b"}, ov.Unknown)
	assert.InDelta(t, float64(90*time.Minute), float64(ov.Duration.P50()), float64(3*time.Minute))
	assert.Greater(t, ov.Duration.P90(), ov.Duration.P50(), "a's Expected, with a spread")
	require.Len(t, ov.Warnings, 2)
	assert.Equal(t, "overrun: timed by no rehearsal, so taken from Expected with a log-spread of 0.25: a", ov.Warnings[0])
	assert.Equal(t, "overrun: neither timed by a rehearsal nor Expected, so counted as taking no time: b", ov.Warnings[1])
	assert.Contains(t, ov.String(), "not known: b")

	none, err := risk.Simulate([]risk.Step{{ID: "x"}}, nil, risk.Options{})
	require.NoError(t, err)
	assert.Equal(t, time.Duration(0), none.Duration.P90())
	assert.Equal(t, 0, none.Rehearsals)
}

func TestSimulateWindow(t *testing.T) {
	runbook := []risk.Step{{ID: "a", Outage: true}}
	runs := same(2, runbook, mins(60))
	for _, c := range []struct {
		end  time.Duration
		want float64
	}{{59 * time.Minute, 1}, {60 * time.Minute, 0}, {2 * time.Hour, 0}, {-time.Hour, 1}} {
		ov, err := risk.Simulate(runbook, runs, risk.Options{T0: simT0, WindowEnd: simT0.Add(c.end), Trials: 10})
		require.NoError(t, err)
		assert.Equal(t, c.want, ov.PastWindow, "window of %v", c.end)
	}
	ov, err := risk.Simulate(runbook, runs, risk.Options{T0: simT0, WindowEnd: simT0.Add(time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, "end P50 22:00 UTC, P90 22:00 UTC (duration 1h, 1h); outage P50 1h, P90 1h; 0% chance to end after 22:00 UTC", ov.String())
}

func TestSimulateRefusesBadInput(t *testing.T) {
	ok := []risk.Step{{ID: "a"}}
	for name, c := range map[string]struct {
		runbook []risk.Step
		o       risk.Options
	}{
		"no step":         {nil, risk.Options{}},
		"repeated":        {[]risk.Step{{ID: "a"}, {ID: "a"}}, risk.Options{}},
		"later depends":   {[]risk.Step{{ID: "a", DependsOn: []string{"b"}}, {ID: "b"}}, risk.Options{}},
		"negative":        {[]risk.Step{{ID: "a", Expected: -time.Second}}, risk.Options{}},
		"trials < 0":      {ok, risk.Options{Trials: -1}},
		"trials too many": {ok, risk.Options{Trials: risk.MaxTrials + 1}},
		"spread NaN":      {ok, risk.Options{Spread: math.NaN()}},
		"spread < 0":      {ok, risk.Options{Spread: -0.1}},
		"spread +Inf":     {ok, risk.Options{Spread: math.Inf(1)}},
		"window, no T0":   {ok, risk.Options{WindowEnd: simT0}},
	} {
		_, err := risk.Simulate(c.runbook, nil, c.o)
		assert.ErrorIs(t, err, risk.ErrInvalid, name)
		var fe *risk.FieldError
		assert.ErrorAs(t, err, &fe, name)
		_, err = risk.SimulateRollback(c.runbook, nil, nil, c.o)
		assert.ErrorIs(t, err, risk.ErrInvalid, name)
	}
}

// Garbage timings never panic: they are ignored and counted.
func TestSimulateSurvivesHostileTimings(t *testing.T) {
	runbook := []risk.Step{{ID: "a", Outage: true}, {ID: "b", Group: "g"}, {ID: "c", Group: "g"}}
	far := time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)
	runs := []risk.Run{
		{},
		spans(true, att("a", 10, 0, false)), // ends before it starts
		spans(true, risk.Attempt{Step: "a", End: simT0}),             // from year 1
		spans(true, risk.Attempt{Step: "b", Start: simT0, End: far}), // centuries
		spans(true, risk.Attempt{Step: "c", Start: simT0, Open: true}),
		spans(true, att("ghost", 0, 5, false)),
		spans(true, att("a", 0, 5, false), att("b", 5, 7, false)),
	}
	ov, err := risk.Simulate(runbook, runs, risk.Options{Trials: 100, Spread: 2})
	require.NoError(t, err)
	assert.Equal(t, []string{"c"}, ov.Unknown)
	assert.Contains(t, ov.Warnings, "overrun: 3 timings ignored: ending before they start, or over a year")
	assert.Contains(t, ov.Warnings, "overrun: timed by the rehearsals but not in the runbook, so ignored: ghost")
	assert.Positive(t, ov.Duration.P90())

	huge := make([]risk.Step, 5000)
	for i := range huge {
		huge[i] = risk.Step{ID: fmt.Sprint(i), Expected: 365 * 24 * time.Hour / 5000, Outage: true}
	}
	ov, err = risk.Simulate(huge, nil, risk.Options{Trials: 3, Spread: 2})
	require.NoError(t, err)
	assert.Equal(t, 3, ov.Duration.Len())
	assert.Equal(t, []string{"overrun: timed by no rehearsal, so taken from Expected with a log-spread of 2: 0, 1, 2, 3, 4 and 4995 more"}, ov.Warnings)
	assert.Positive(t, ov.Outage.P50())
}

func TestDistribution(t *testing.T) {
	var zero risk.Distribution
	assert.Equal(t, time.Duration(0), zero.P90())
	assert.Equal(t, 0.0, zero.Above(-time.Hour))
	assert.Equal(t, 0, zero.Len())

	runbook := []risk.Step{{ID: "a"}}
	var runs []risk.Run
	for m := 1; m <= 10; m++ {
		runs = append(runs, rehearsal(runbook, mins(m), simT0, true))
	}
	ov, err := risk.Simulate(runbook, runs, risk.Options{Trials: 1000})
	require.NoError(t, err)
	d := ov.Duration
	assert.Equal(t, 1000, d.Len())
	assert.Equal(t, d.Quantile(0), d.Quantile(-3), "clamped")
	assert.Equal(t, d.Quantile(1), d.Quantile(math.Inf(1)), "clamped")
	assert.Equal(t, time.Duration(0), d.Quantile(math.NaN()))
	assert.LessOrEqual(t, d.Quantile(0), d.P50())
	assert.LessOrEqual(t, d.P50(), d.P90())
	assert.Equal(t, 1.0, d.Above(-1))
	assert.Equal(t, 0.0, d.Above(d.Quantile(1)))
	assert.InDelta(t, 0.1, d.Above(d.P90()), 0.01)
}

// law is a step's true duration: lognormal, of median med and log-spread
// sigma.
type law struct {
	med   time.Duration
	sigma float64
}

// truth returns n laws: medians of 2 to 40 minutes, log-spreads of 0.1
// to 0.6.
func truth(r *rand.Rand, n int) []law {
	laws := make([]law, n)
	for i := range laws {
		laws[i] = law{time.Duration(2+r.IntN(39)) * time.Minute, 0.1 + 0.5*r.Float64()}
	}
	return laws
}

func draws(r *rand.Rand, laws []law) []time.Duration {
	d := make([]time.Duration, len(laws))
	for i, l := range laws {
		d[i] = time.Duration(float64(l.med) * math.Exp(l.sigma*r.NormFloat64()))
	}
	return d
}

// history returns n production-like rehearsals drawn from laws.
func history(r *rand.Rand, runbook []risk.Step, laws []law, n int) []risk.Run {
	runs := make([]risk.Run, n)
	for k := range runs {
		runs[k] = rehearsal(runbook, draws(r, laws), simT0.Add(-time.Duration(n-k)*24*time.Hour), true)
	}
	return runs
}

// coverage returns the share of the cutovers drawn from laws that end by
// the P90 end simulated from 20 rehearsals drawn from the same laws, over
// 100 histories of 500 cutovers each.
func coverage(t *testing.T, r *rand.Rand, runbook []risk.Step, laws []law) float64 {
	t.Helper()
	const histories, actuals = 100, 500
	n := len(runbook)
	after := make([][]bool, n) // after[j][i]: j starts after i ends, by lay
	for i := range runbook {
		d := make([]time.Duration, n)
		d[i] = time.Nanosecond
		start, _ := lay(runbook, d)
		for j := range n {
			if after[j] == nil {
				after[j] = make([]bool, n)
			}
			after[j][i] = start[j] > 0
		}
	}
	waits := make([][]int, n) // the steps j waits for, less those implied by others
	for j := range n {
		for i := range j {
			implied := false
			for k := i + 1; k < j && !implied; k++ {
				implied = after[j][k] && after[k][i]
			}
			if after[j][i] && !implied {
				waits[j] = append(waits[j], i)
			}
		}
	}
	end := make([]time.Duration, n)
	var covered float64
	for h := range histories {
		ov, err := risk.Simulate(runbook, history(r, runbook, laws, 20), risk.Options{T0: simT0, Seed: uint64(h)})
		require.NoError(t, err)
		p90, in := ov.End(0.9), 0
		for range actuals {
			var last time.Duration
			for i, d := range draws(r, laws) {
				var ready time.Duration
				for _, j := range waits[i] {
					ready = max(ready, end[j])
				}
				end[i] = ready + d
				last = max(last, end[i])
			}
			if !simT0.Add(last).After(p90) {
				in++
			}
		}
		covered += float64(in) / actuals
	}
	return covered / histories
}

// The P90 end covers nine cutovers in ten drawn from the laws the
// rehearsals were drawn from (100 histories of 20 rehearsals, 2,000
// cutovers each).
func TestSimulateCalibration(t *testing.T) {
	if testing.Short() {
		t.Skip("calibration: 200,000 cutovers per runbook")
	}
	r := rand.New(rand.NewPCG(2026, 21))
	five := make([]risk.Step, 5)
	for i := range five {
		five[i] = risk.Step{ID: fmt.Sprint(i)}
	}
	for _, c := range []struct {
		name    string
		runbook []risk.Step
	}{
		{"one step", five[:1]},
		{"5 in order", five},
		{"30, with groups", randomRunbook(rand.New(rand.NewPCG(30, 0)), 30)},
		{"200, with groups", randomRunbook(rand.New(rand.NewPCG(200, 0)), 200)},
	} {
		name, runbook := c.name, c.runbook
		got := coverage(t, r, runbook, truth(r, len(runbook)))
		t.Logf("%s: the P90 end covers %.2f%% of the cutovers", name, 100*got)
		assert.InDelta(t, 0.90, got, 0.02, name)
	}
}

// The figures do not depend on how many processors drew them.
func TestSimulateSameOnAnyProcessors(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 3))
	runbook := randomRunbook(r, 200)
	runs := history(r, runbook, truth(r, len(runbook)), 5)
	o := risk.Options{Seed: 9, Trials: 5000}
	a, err := risk.Simulate(runbook, runs, o)
	require.NoError(t, err)
	prev := runtime.GOMAXPROCS(1)
	defer runtime.GOMAXPROCS(prev)
	b, err := risk.Simulate(runbook, runs, o)
	require.NoError(t, err)
	assert.Equal(t, a, b)
}
