package main

import (
	"context"
	"sync/atomic"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
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

// demoProject starts the demonstration's project in s: a rollout of
// demoRunbook, played speed times faster than real time, whose T0 is
// demoLead away; the team, a readiness checklist ticked in time, the
// operations GO and the go/no-go are recorded at once.
//
// The project is team Billing's and its rollouts touch the database
// db-billing; before the live rollout it plans a second one at evening
// (see demoEvening), the one demoNeighbour's rollout collides with.
func demoProject(s timeline.Store, speed float64, evening time.Time) (*mep.Project, *mep.Rollout, error) {
	// The project's clock: the preparation is recorded as if it ran two
	// hours before T0, so that readiness is complete by T-1h (R7); the
	// vote, the decision and the cutover run on real time.
	var early atomic.Int64
	early.Store(int64(2 * time.Hour))
	clock := func() time.Time { return time.Now().Add(-time.Duration(early.Load())) }
	p, err := mep.Create(s, "billing v2", &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production", NoSync: true, Now: clock})
	if err != nil {
		return nil, nil, err
	}
	fail := func(err error) (*mep.Project, *mep.Rollout, error) { p.Close(); return nil, nil, err }
	team := p.Team()
	for _, m := range []mep.Member{
		{Name: "olga", Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO}},
		{Name: "alice", Roles: []mep.Role{mep.RoleBuild}},
		{Name: "bob", Roles: []mep.Role{mep.RoleBuild}},
	} {
		if err := team.Add(m); err != nil {
			return fail(err)
		}
	}
	if err := team.Choose("olga", "olga", "alice", "bob"); err != nil {
		return fail(err)
	}
	if err := team.SetMCOContact("alice"); err != nil { // R3
		return fail(err)
	}
	ops := checklist.Operations() // R13: probes, backup process, known failures
	if err := p.Operations().Start(ops, clock(), "olga"); err != nil {
		return fail(err)
	}
	for _, it := range ops.Items {
		if err := p.Operations().Check(it.ID, "olga", time.Time{}, ""); err != nil {
			return fail(err)
		}
	}
	// The demonstration plays whenever it is run, Friday evenings included.
	if err := p.OptOutOfFreeze("olga", "the demonstration plays at any hour"); err != nil {
		return fail(err)
	}
	scale := func(d time.Duration) time.Duration { return time.Duration(float64(d) / speed) }
	now := time.Now()
	var runbook []mep.Step
	for i, st := range demoRunbook {
		runbook = append(runbook, mep.Step{ID: st.Step, Owner: demoActors[i%len(demoActors)], Impact: st.Impact, Expected: scale(st.Planned)})
	}
	// Tonight's second change, planned before the live one so that the
	// live one stays the project's last rollout, the one the page shows.
	up, err := p.NewRollout(mep.RolloutOptions{
		Name: "db-upgrade", T0: evening, Environment: "prod", Labels: map[string]string{fleet.TeamLabel: "Billing"},
		Runbook: []mep.Step{
			{ID: "backup-database", Owner: "olga", Impact: timeline.Disruption, Expected: 20 * time.Minute},
			{ID: "upgrade-database", Owner: "alice", Impact: timeline.Outage, Expected: 45 * time.Minute},
			{ID: "smoke-tests", Owner: "bob", Impact: timeline.Disruption, Expected: 15 * time.Minute},
		},
	})
	if err != nil {
		return fail(err)
	}
	for _, res := range []struct {
		kind         mep.ResourceKind
		name, reason string
	}{{mep.Database, "db-billing", "upgraded to the next major version"}, {mep.Service, "billing-api", "restarted on the new database"}} {
		if err := up.Resources().Declare(res.kind, res.name, "olga", res.reason); err != nil {
			return fail(err)
		}
	}
	r, err := p.NewRollout(mep.RolloutOptions{
		Name: "go-live", Environment: "prod", Labels: map[string]string{fleet.TeamLabel: "Billing"}, T0: now.Add(scale(demoLead)).Truncate(time.Second).Add(time.Second), Runbook: runbook,
		Readiness: checklist.List{Name: "readiness", Items: []checklist.Item{
			{ID: "backup", Title: "Databases backed up", Owner: "olga", Deadline: -time.Hour, Purpose: checklist.ConfigBackup},
			{ID: "hardware", Title: "Old and new servers verified", Owner: "olga", Deadline: -time.Hour, Purpose: checklist.HardwareVerified},
		}},
	})
	if err != nil {
		return fail(err)
	}
	if err := r.Resources().Declare(mep.Database, "db-billing", "olga", "the migration rewrites the invoices tables"); err != nil {
		return fail(err)
	}
	for _, id := range []string{"backup", "hardware"} {
		if err := r.Readiness().Check(id, "olga", time.Time{}, "verified"); err != nil {
			return fail(err)
		}
	}
	early.Store(0)
	if _, err := r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go, Reason: "ready"}); err != nil {
		return fail(err)
	}
	if _, err := r.GoNoGo().Decide(context.Background(), time.Now()); err != nil {
		return fail(err)
	}
	return p, r, nil
}

var demoActors = []string{"alice", "bob"}

// demoEvening returns the T0 of the evening's planned changes, in loc:
// 21:00 today when that is at least 20 minutes away, else half an hour
// after the live cutover's end (at the demonstration's speed), on the
// next five minutes; or, when that falls on the next day, as soon as
// the live cutover ends.
func demoEvening(now time.Time, speed float64, loc *time.Location) time.Time {
	now = now.In(loc)
	y, m, d := now.Date()
	if nine := time.Date(y, m, d, 21, 0, 0, 0, loc); nine.Sub(now) >= 20*time.Minute {
		return nine
	}
	var live time.Duration
	for _, st := range demoRunbook {
		live += st.Planned
	}
	end := now.Add(time.Duration(float64(demoLead+live) / speed))
	t := end.Add(30 * time.Minute).Truncate(5 * time.Minute).Add(5 * time.Minute)
	if y2, m2, d2 := t.Date(); y2 != y || m2 != m || d2 != d {
		t = end.Truncate(time.Minute).Add(time.Minute)
	}
	return t.Round(0)
}

// demoNeighbour creates, in s, the project of another team, Payments,
// whose rollout "v7" this evening touches db-billing too, 40 minutes
// after the Billing team's db-upgrade (evening) starts: the two overlap,
// and the schedule page shows the conflict.
func demoNeighbour(s timeline.Store, evening time.Time) (*mep.Project, error) {
	p, err := mep.Create(s, "payments", &mep.Options{RolloutsOnly: true, CreatedBy: "Pia", RolloutsOnlyReason: "the product is in production", NoSync: true})
	if err != nil {
		return nil, err
	}
	fail := func(err error) (*mep.Project, error) { p.Close(); return nil, err }
	team := p.Team()
	for _, m := range []mep.Member{
		{Name: "pia", Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO}},
		{Name: "raj", Roles: []mep.Role{mep.RoleBuild}},
	} {
		if err := team.Add(m); err != nil {
			return fail(err)
		}
	}
	if err := team.Choose("pia", "pia", "raj"); err != nil {
		return fail(err)
	}
	r, err := p.NewRollout(mep.RolloutOptions{
		Name: "v7", T0: evening.Add(40 * time.Minute), Environment: "prod", Labels: map[string]string{fleet.TeamLabel: "Payments"},
		Runbook: []mep.Step{
			{ID: "drain-queues", Owner: "pia", Impact: timeline.Disruption, Expected: 10 * time.Minute},
			{ID: "migrate-ledger", Owner: "raj", Impact: timeline.Outage, Expected: 35 * time.Minute},
			{ID: "reopen", Owner: "pia", Impact: timeline.NoImpact, Expected: 10 * time.Minute},
		},
	})
	if err != nil {
		return fail(err)
	}
	for _, res := range []struct {
		kind         mep.ResourceKind
		name, reason string
	}{{mep.Database, "db-billing", "the ledger reads the invoices"}, {mep.Service, "payments-api", "new version"}} {
		if err := r.Resources().Declare(res.kind, res.name, "pia", res.reason); err != nil {
			return fail(err)
		}
	}
	return p, nil
}

// runDemo plays the cutover of r as time passes, speed times faster than
// real time, until it is over or ctx ends. It returns the first error of
// the record.
func runDemo(ctx context.Context, r *mep.Rollout, speed float64) error {
	sleep := func(d time.Duration) bool {
		t := time.NewTimer(d)
		defer t.Stop()
		select {
		case <-ctx.Done():
			return false
		case <-t.C:
			return true
		}
	}
	if !sleep(time.Until(r.T0())) {
		return nil
	}
	for i, st := range demoRunbook {
		actor := demoActors[i%len(demoActors)]
		for a, d := range st.Attempts {
			if err := r.Cutover().Start(st.Step, actor); err != nil {
				return err
			}
			if !sleep(time.Duration(float64(d) / speed)) {
				return nil
			}
			outcome := timeline.Done
			if a < len(st.Attempts)-1 {
				outcome = timeline.Failed
			}
			if err := r.Cutover().End(st.Step, actor, outcome); err != nil {
				return err
			}
			if outcome == timeline.Failed {
				if err := r.Cutover().Note(actor, st.Step+" failed: lock timeout on the orders table; retrying"); err != nil {
					return err
				}
			}
		}
	}
	_, err := r.Cutover().Finish("olga")
	return err
}
