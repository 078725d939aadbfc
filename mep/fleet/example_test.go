package fleet_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/policy"
)

// evening is a small schedule: two teams on the billing database the
// same evening in Paris.
func evening() *fleet.Snapshot {
	paris, _ := time.LoadLocation("Europe/Paris")
	t0 := time.Date(2026, 3, 10, 21, 0, 0, 0, paris)
	db := mep.Resource{Kind: mep.Database, Name: "billing"}
	return &fleet.Snapshot{
		At: t0.Add(-24 * time.Hour),
		Entries: []fleet.Entry{
			{Project: "billing", Rollout: "v3", Team: "Ops-2", T0: t0, P50: t0.Add(80 * time.Minute), P90: t0.Add(100 * time.Minute),
				Environment: "prod", People: []string{"Olga"}, Resources: []mep.Resource{db}},
			{Project: "payments", Rollout: "v7", Team: "Pay", T0: t0.Add(90 * time.Minute), P50: t0.Add(120 * time.Minute), P90: t0.Add(130 * time.Minute),
				Environment: "prod", People: []string{"Max"}, Resources: []mep.Resource{db, {Kind: mep.Service, Name: "payments"}}},
		},
	}
}

func ExampleSnapshot_Conflicts() {
	for _, c := range evening().Conflicts(fleet.Rules{Exclusive: []string{"prod"}}) {
		fmt.Println(c)
	}
	// Output:
	// billing/v3 (team Ops-2) and payments/v7 (team Pay): shared resource database:billing, Tue 10 Mar 22:30-22:40 CET
	// billing/v3 (team Ops-2) and payments/v7 (team Pay): exclusive environment prod, Tue 10 Mar 22:30-22:40 CET
}

func ExampleSnapshot_Policy() {
	snap := evening()
	p := snap.Policy("payments", "v7", fleet.Rules{}, policy.Deny)
	v7, _ := snap.Find("payments", "v7")
	d := p.Evaluate(context.Background(), policy.Change{Name: "v7", Start: v7.T0, Duration: time.Hour})
	fmt.Println(d.Verdict, "-", d.Reason)
	fmt.Println("next:", d.Next.Format("15:04 MST"))
	// Output:
	// deny - conflicts with billing/v3 (team Ops-2) on database:billing, Tue 10 Mar 21:00-22:40 CET
	// next: 22:40 CET
}

func ExampleSnapshot_WriteMarkdown() {
	paris, _ := time.LoadLocation("Europe/Paris")
	_ = evening().WriteMarkdown(os.Stdout, fleet.View{Location: paris, Resource: "database:billing"})
	// Output:
	// # Schedule of change
	//
	// As of Mon 9 Mar 21:00 (Europe/Paris). 2 rollouts, 1 conflicts.
	//
	// | T0 | P50 end | P90 end | window end | project | rollout | team | environment | resources | go-live team | status |
	// |---|---|---|---|---|---|---|---|---|---|---|
	// | Tue 10 Mar 21:00 | Tue 10 Mar 22:20 | Tue 10 Mar 22:40 |  | billing | v3 | Ops-2 | prod | database:billing | Olga | planned |
	// | Tue 10 Mar 22:30 | Tue 10 Mar 23:00 | Tue 10 Mar 23:10 |  | payments | v7 | Pay | prod | database:billing, service:payments | Max | planned |
	//
	// ## Conflicts
	//
	// - billing/v3 (team Ops-2) and payments/v7 (team Pay): shared resource database:billing, Tue 10 Mar 22:30-22:40 CET
}

func ExampleOpenDir() {
	dir, _ := os.MkdirTemp("", "fleet")
	defer os.RemoveAll(dir)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	opts := &mep.Options{Now: func() time.Time { return now }, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"}
	_ = os.Mkdir(filepath.Join(dir, "billing"), 0o700)
	p, _ := mep.CreateFile(filepath.Join(dir, "billing"), "billing", opts)
	_ = p.Team().Add(mep.Member{Name: "Olga", Roles: []mep.Role{mep.RoleOperations}})
	_ = p.Team().Choose("Olga", "Olga")
	r, _ := p.NewRollout(mep.RolloutOptions{Name: "v3", T0: time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC),
		Runbook: []mep.Step{{ID: "migrate", Expected: time.Hour}}, Labels: map[string]string{"team": "Ops-2"}})
	_ = r.Resources().Declare(mep.Database, "billing", "Olga", "schema migration")
	p.Close()

	s, err := fleet.OpenDir(context.Background(), dir, &fleet.Options{Now: opts.Now})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()
	for _, e := range s.Snapshot().Active() {
		fmt.Println(e.ID(), e.Team, e.Status, e.T0.Format("Jan 2 15:04"), e.Resources[0].Key(), e.People)
	}
	// Output:
	// billing/v3 Ops-2 planned Mar 10 20:00 database:billing [Olga]
}

func ExampleMetrics_WriteMarkdown() {
	t0 := time.Date(2026, 3, 3, 21, 0, 0, 0, time.UTC)
	svc := []mep.Resource{{Kind: mep.Service, Name: "billing"}}
	done := func(name string, day int, d time.Duration, labels map[string]string) fleet.Entry {
		t := t0.AddDate(0, 0, day)
		return fleet.Entry{Project: "billing", Rollout: name, Team: "Ops", T0: t, Status: report.Done, Started: t, Ended: t.Add(d),
			Duration: d, Estimate: time.Hour, P90: t.Add(70 * time.Minute), Resources: svc, Labels: labels}
	}
	b2 := done("b2", 1, 40*time.Minute, nil)
	b2.Status, b2.TimeToRestore = report.RolledBack, 11*time.Minute
	snap := &fleet.Snapshot{Entries: []fleet.Entry{
		done("b1", 0, 50*time.Minute, nil), b2,
		done("b3", 7, time.Hour, nil), done("b4", 8, 20*time.Minute, map[string]string{"fixes": "b3"}),
	}}
	_ = snap.Metrics(time.UTC).WriteMarkdown(os.Stdout)
	// Output:
	// # Delivery metrics
	//
	// Months in UTC. Definitions: docs/method.md, "Delivery metrics across a store".
	//
	// ## By service
	//
	// | service | month | deployments | change fail rate | recovery time (median) | rework rate | estimate ratio (median) | within P90 |
	// |---|---|---:|---:|---:|---:|---:|---:|
	// | billing | 2026-03 | 4 | 50% (2/4) | 11m0s (2) | 25% (1/4) | 0.83 (3) | 100% (3) |
	//
	// ## By team
	//
	// | team | month | deployments | change fail rate | recovery time (median) | rework rate | estimate ratio (median) | within P90 |
	// |---|---|---:|---:|---:|---:|---:|---:|
	// | Ops | 2026-03 | 4 | 50% (2/4) | 11m0s (2) | 25% (1/4) | 0.83 (3) | 100% (3) |
	//
	// ## In total
	//
	// | month | deployments | change fail rate | recovery time (median) | rework rate | estimate ratio (median) | within P90 |
	// |---|---:|---:|---:|---:|---:|---:|
	// | 2026-03 | 4 | 50% (2/4) | 11m0s (2) | 25% (1/4) | 0.83 (3) | 100% (3) |
}

// A schedule kept current: a project that appears in the directory
// shows in the next snapshot (on PostgreSQL, within a moment of its
// commit, through the notifications).
func ExampleSchedule_Watch() {
	dir, _ := os.MkdirTemp("", "fleet")
	defer os.RemoveAll(dir)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	opts := &mep.Options{Now: func() time.Time { return now }, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"}
	s, err := fleet.OpenDir(context.Background(), dir, &fleet.Options{Now: opts.Now})
	if err != nil {
		fmt.Println(err)
		return
	}
	defer s.Close()

	go func() {
		_ = os.Mkdir(filepath.Join(dir, "billing"), 0o700)
		p, _ := mep.CreateFile(filepath.Join(dir, "billing"), "billing", opts)
		_, _ = p.NewRollout(mep.RolloutOptions{Name: "v3", T0: time.Date(2026, 3, 10, 20, 0, 0, 0, time.UTC),
			Runbook: []mep.Step{{ID: "migrate", Expected: time.Hour}}})
		p.Close()
	}()
	ctx, cancel := context.WithCancel(context.Background())
	err = s.Watch(ctx, 10*time.Millisecond, func(_ fleet.Scan, snap *fleet.Snapshot) {
		if e, ok := snap.Find("billing", "v3"); ok {
			fmt.Println(e.ID(), e.Status, e.T0.Format("Jan 2 15:04"))
			cancel()
		}
	})
	fmt.Println(err)
	// Output:
	// billing/v3 planned Mar 10 20:00
	// context canceled
}
