package risk_test

import (
	"fmt"
	"time"

	"github.com/mepkit/mepkit/risk"
)

// billing is the runbook of the examples: the database and the files
// migrate side by side, the observation period is planned, not rehearsed.
var billing = []risk.Step{
	{ID: "freeze"},
	{ID: "backup"},
	{ID: "migrate-db", Group: "migrate", Outage: true, Reversible: true},
	{ID: "migrate-files", Group: "migrate", Outage: true, Reversible: true},
	{ID: "switch", Outage: true, Reversible: true},
	{ID: "smoke"},
	{ID: "watch", Expected: 30 * time.Minute},
}

// timed returns a rehearsal of billing that started at start: each step
// of the minutes given (freeze, backup, migrate-db, migrate-files,
// switch, smoke), a two-minute hand-over between them, the two
// migrations side by side.
func timed(start time.Time, prod bool, m ...int) risk.Run {
	at := func(min int) time.Time { return start.Add(time.Duration(min) * time.Minute) }
	var atts []risk.Attempt
	step := func(id string, from, to int) int {
		atts = append(atts, risk.Attempt{Step: id, Start: at(from), End: at(to)})
		return to + 2
	}
	t := step("freeze", 0, m[0])
	t = step("backup", t, t+m[1])
	t = max(step("migrate-db", t, t+m[2]), step("migrate-files", t, t+m[3]))
	t = step("switch", t, t+m[4])
	step("smoke", t, t+m[5])
	return risk.Run{Attempts: atts, ProductionLike: prod}
}

// rehearsals are three production-like rehearsals of billing and one in
// a lab, which Simulate leaves out since every step was timed in
// production-like conditions.
func rehearsals() []risk.Run {
	day := time.Date(2026, 10, 1, 20, 0, 0, 0, time.UTC)
	return []risk.Run{
		timed(day, false, 3, 10, 20, 15, 5, 10),
		timed(day.AddDate(0, 0, 7), true, 5, 20, 45, 30, 10, 15),
		timed(day.AddDate(0, 0, 14), true, 5, 25, 55, 35, 12, 15),
		timed(day.AddDate(0, 0, 21), true, 6, 22, 50, 40, 10, 20),
	}
}

// How likely is the cutover to overrun a window that closes at 23:30?
func ExampleSimulate() {
	paris, _ := time.LoadLocation("Europe/Paris")
	t0 := time.Date(2026, 11, 12, 21, 0, 0, 0, paris)
	ov, err := risk.Simulate(billing, rehearsals(), risk.Options{
		T0: t0, WindowEnd: time.Date(2026, 11, 12, 23, 30, 0, 0, paris), Seed: 1,
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(ov)
	for _, w := range ov.Warnings {
		fmt.Println(w)
	}
	// Output:
	// end P50 23:23 CET, P90 23:37 CET (duration 2h23m, 2h37m); outage P50 1h1m, P90 1h9m; 25% chance to end after 23:30 CET
	// overrun: timed by no rehearsal, so taken from Expected with a log-spread of 0.25: watch
}

// The options of a simulation: more trials, another seed, a wider spread
// for the steps known from one rehearsal or from their Expected duration.
func ExampleOptions() {
	o := risk.Options{Trials: 2 * risk.DefaultTrials, Seed: 7, Spread: 2 * risk.DefaultSpread}
	ov, _ := risk.Simulate(billing, rehearsals(), o)
	fmt.Println(ov.Trials, "trials:", ov)
	// Output:
	// 20000 trials: duration P50 2h20m, P90 2h46m; outage P50 1h1m, P90 1h9m
}

// Any quantile of the duration, and the end it gives.
func ExampleOverrun_End() {
	t0 := time.Date(2026, 11, 12, 20, 0, 0, 0, time.UTC)
	ov, _ := risk.Simulate(billing, rehearsals(), risk.Options{T0: t0})
	for _, q := range []float64{0.5, 0.9, 0.99} {
		fmt.Printf("P%.0f: %s\n", 100*q, ov.End(q).Format("15:04"))
	}
	// Output:
	// P50: 22:22
	// P90: 22:36
	// P99: 22:50
}

// One sentence for the war room.
func ExampleOverrun_String() {
	ov, _ := risk.Simulate(billing[:6], rehearsals()[1:], risk.Options{})
	fmt.Println(ov.String())
	// Output:
	// duration P50 1h53m, P90 2h3m; outage P50 1h1m, P90 1h9m
}

// The distribution of the outage: its median, its P90 and its length.
func ExampleDistribution() {
	ov, _ := risk.Simulate(billing, rehearsals(), risk.Options{})
	d := ov.Outage
	fmt.Println(d.Len(), "trials; outage P50", d.P50().Round(time.Minute), "P90", d.P90().Round(time.Minute))
	// Output:
	// 10000 trials; outage P50 1h1m0s P90 1h9m0s
}

// The outage that one cutover in twenty exceeds.
func ExampleDistribution_Quantile() {
	ov, _ := risk.Simulate(billing, rehearsals(), risk.Options{})
	fmt.Println(ov.Outage.Quantile(0.95).Round(time.Minute))
	// Output:
	// 1h11m0s
}

// The chance that users are cut off for more than an hour and a quarter.
func ExampleDistribution_Above() {
	ov, _ := risk.Simulate(billing, rehearsals(), risk.Options{})
	fmt.Printf("%.0f%%\n", 100*ov.Outage.Above(75*time.Minute))
	// Output:
	// 1%
}

// How long would a rollback take once the database migration has
// started? Its rehearsals say, and the P90 says when to decide.
func ExampleSimulateRollback() {
	back := func(start time.Time, m ...int) risk.Run { // switch back, restore the files, restore the database
		at := func(min int) time.Time { return start.Add(time.Duration(min) * time.Minute) }
		return risk.Run{ProductionLike: true, Rollback: true, Attempts: []risk.Attempt{
			{Step: "switch", Start: at(0), End: at(m[0])},
			{Step: "migrate-files", Start: at(m[0] + 1), End: at(m[0] + 1 + m[1])},
			{Step: "migrate-db", Start: at(m[0] + m[1] + 2), End: at(m[0] + m[1] + 2 + m[2])},
		}}
	}
	day := time.Date(2026, 10, 2, 20, 0, 0, 0, time.UTC)
	runs := append(rehearsals(), back(day, 4, 12, 28), back(day.AddDate(0, 0, 7), 6, 15, 35), back(day.AddDate(0, 0, 14), 5, 14, 30))

	started := []string{"freeze", "backup", "migrate-db", "migrate-files"}
	ov, _ := risk.SimulateRollback(billing, runs, started, risk.Options{})
	fmt.Println("rollback:", ov)
	// Output:
	// rollback: duration P50 45m, P90 52m; outage P50 44m, P90 51m
}

// The latest moment to decide a rollback, when the window closes at
// 03:30 on the night clocks go back: the rollback's P90 of two hours is
// counted in elapsed time, so the decision falls at 02:30 summer time.
// The hour from 02:00 to 03:00 runs twice that night: subtracting two
// hours on the clock face would say 01:30, an hour too early.
func ExampleDecideBy() {
	paris, _ := time.LoadLocation("Europe/Paris")
	windowEnd := time.Date(2026, 10, 25, 3, 30, 0, 0, paris)
	fmt.Println(risk.DecideBy(windowEnd, 2*time.Hour).Format("2006-01-02 15:04 MST"))
	// Output:
	// 2026-10-25 02:30 CEST
}

// A chance for people: a small risk is never rounded away.
func ExamplePercent() {
	for _, p := range []float64{0, 0.004, 0.04, 0.995, 1} {
		fmt.Print(risk.Percent(p), " ")
	}
	fmt.Println()
	// Output:
	// 0% <1% 4% >99% 100%
}
