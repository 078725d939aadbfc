package main

import (
	"context"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// demoStep is one step of the demonstration's runbook: its planned
// duration (from the rehearsal) and how long it takes tonight, attempt by
// attempt; an attempt that fails is followed by the next one.
type demoStep struct {
	Step     string
	Impact   timeline.Impact
	Planned  time.Duration
	Attempts []time.Duration // the last one succeeds
}

// demoRunbook is the cutover the demonstration plays, in seconds at speed
// 1: about a minute, with a failed attempt that makes it late.
var demoRunbook = []demoStep{
	{"freeze-writes", timeline.Disruption, 4 * time.Second, []time.Duration{3 * time.Second}},
	{"backup-database", timeline.Disruption, 8 * time.Second, []time.Duration{9 * time.Second}},
	{"migrate-database", timeline.Outage, 10 * time.Second, []time.Duration{5 * time.Second, 9 * time.Second}},
	{"switch-dns", timeline.Outage, 4 * time.Second, []time.Duration{5 * time.Second}},
	{"smoke-tests", timeline.Disruption, 6 * time.Second, []time.Duration{6 * time.Second}},
	{"reopen-writes", timeline.NoImpact, 3 * time.Second, []time.Duration{2 * time.Second}},
}

// demoLead is the time between the GO and T0, at speed 1.
const demoLead = 5 * time.Second

// demoPlan is the plan of demoRunbook played speed times faster.
func demoPlan(speed float64) []plannedStep {
	plan := make([]plannedStep, len(demoRunbook))
	for i, s := range demoRunbook {
		plan[i] = plannedStep{Step: s.Step, Duration: time.Duration(float64(s.Planned) / speed), Impact: s.Impact}
	}
	return plan
}

// runDemo records the demonstration's cutover into j as time passes,
// speed times faster than real time, until it is over or ctx ends. It
// returns the first error of the journal.
func runDemo(ctx context.Context, j *timeline.Journal, speed float64, now func() time.Time) error {
	sleep := func(real time.Duration) bool {
		t := time.NewTimer(real)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		}
	}
	wait := func(d time.Duration) bool { return sleep(time.Duration(float64(d) / speed)) }
	var total time.Duration
	for _, s := range demoRunbook {
		total += s.Planned
	}
	t0 := now().Add(time.Duration(float64(demoLead) / speed)).Round(time.Second)
	if _, err := j.Note("warroom", "war room open: the demonstration cutover starts at T0"); err != nil {
		return err
	}
	if _, err := j.Record(timeline.Entry{
		Kind: "x-warroom.decision", Actor: "olga (operations)", Text: "GO: every policy allows the slot, the checklist is complete",
		Attrs: map[string]string{"verdict": "go", "t0": t0.Format(time.RFC3339), "estimate": time.Duration(float64(total) / speed).String()},
	}); err != nil {
		return err
	}
	if !sleep(t0.Sub(now())) {
		return nil
	}
	actors := []string{"alice", "bob"}
	for i, s := range demoRunbook {
		actor := actors[i%len(actors)]
		for a, d := range s.Attempts {
			if _, err := j.Start(s.Step, actor, s.Impact); err != nil {
				return err
			}
			if !wait(d) {
				return nil
			}
			outcome := timeline.Done
			if a < len(s.Attempts)-1 {
				outcome = timeline.Failed
			}
			if _, err := j.End(s.Step, actor, outcome); err != nil {
				return err
			}
			if outcome == timeline.Failed {
				if _, err := j.Note(actor, s.Step+" failed: lock timeout on the orders table; retrying"); err != nil {
					return err
				}
			}
		}
	}
	_, err := j.Note("warroom", "cutover complete: service open to users")
	return err
}
