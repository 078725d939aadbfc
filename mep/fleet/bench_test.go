package fleet_test

import (
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/mep/report"
)

// bigSnapshot is a snapshot as a scan of 1,000 projects of 100 rollouts
// each leaves it: 100,000 entries over two years, one in ten rolled
// back, one in twenty a hotfix of the rollout before it, each touching
// one of 50 services and run by one of 40 teams.
func bigSnapshot(projects, perProject int) *fleet.Snapshot {
	rng := rand.New(rand.NewPCG(1, 2))
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	snap := &fleet.Snapshot{At: start.AddDate(2, 0, 0), Entries: make([]fleet.Entry, 0, projects*perProject)}
	for p := range projects {
		project := fmt.Sprintf("project-%04d", p)
		svc := mep.Resource{Kind: mep.Service, Name: fmt.Sprintf("service-%02d", p%50)}
		team := fmt.Sprintf("team-%02d", p%40)
		for r := range perProject {
			t0 := start.Add(time.Duration(rng.IntN(2*365*24*60)) * time.Minute)
			d := time.Duration(20+rng.IntN(120)) * time.Minute
			e := fleet.Entry{
				Project: project, Rollout: fmt.Sprintf("r%03d", r), Team: team, T0: t0, Status: report.Done,
				Started: t0, Ended: t0.Add(d), Duration: d, Estimate: time.Hour, P50: t0.Add(time.Hour), P90: t0.Add(80 * time.Minute),
				Resources: []mep.Resource{svc}, Labels: map[string]string{"team": team},
			}
			switch {
			case r%10 == 3:
				e.Status, e.TimeToRestore = report.RolledBack, time.Duration(5+rng.IntN(60))*time.Minute
			case r%20 == 7:
				e.Labels["fixes"] = fmt.Sprintf("r%03d", r-1)
			}
			snap.Entries = append(snap.Entries, e)
		}
	}
	return snap
}

// BenchmarkMetrics measures the delivery metrics of 100,000 rollouts
// across 1,000 projects, per service, team and month, from a snapshot:
// the records are already folded by the scan, as Schedule.Snapshot hands
// them out; reading them is not measured here.
func BenchmarkMetrics(b *testing.B) {
	snap := bigSnapshot(1000, 100)
	b.ReportAllocs()
	for b.Loop() {
		m := snap.Metrics(time.UTC)
		if len(m.Total) != 24 {
			b.Fatalf("got %d months, want 24", len(m.Total))
		}
	}
	b.ReportMetric(float64(len(snap.Entries)), "rollouts")
}

// BenchmarkConflicts measures the conflicts of 10,000 active rollouts
// over a year (the sweep by start).
func BenchmarkConflicts(b *testing.B) {
	snap := bigSnapshot(100, 100)
	for i := range snap.Entries {
		e := &snap.Entries[i]
		e.Status, e.Started, e.Ended = report.Planned, time.Time{}, time.Time{}
	}
	rules := fleet.Rules{Exclusive: []string{"prod"}}
	b.ReportAllocs()
	for b.Loop() {
		_ = snap.Conflicts(rules)
	}
}

// BenchmarkRescan measures the first scan of a directory of 300
// projects (one rollout each: each record read, folded and its rollout
// simulated 1,000 times), then a rescan when nothing changed (a stat per record), and when
// one record had a fact appended (that record's new lines are read and
// folded, its rollouts summarised again).
func BenchmarkRescan(b *testing.B) {
	dir := b.TempDir()
	c := &clock{time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)}
	var last *mep.Rollout
	var lastP *mep.Project
	for i := range 300 {
		p := project(b, dir, fmt.Sprintf("p%03d", i), c, "Olga")
		last = rollout(b, p, "r", "Ops", "prod", time.Date(2026, 3, 10, 21, 0, 0, 0, time.UTC), runbook(10, 20), "database:billing")
		if i < 299 {
			p.Close()
		} else {
			lastP = p
		}
	}
	defer lastP.Close()
	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 1000})
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	b.Run("open-300", func(b *testing.B) {
		for b.Loop() {
			s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 1000})
			if err != nil {
				b.Fatal(err)
			}
			s.Close()
		}
	})
	b.Run("unchanged", func(b *testing.B) {
		for b.Loop() {
			if sc, err := s.Rescan(bg); err != nil || sc.Unchanged != 300 {
				b.Fatal(sc, err)
			}
		}
	})
	n := 0 // a new site at each run of each -count: one declared again appends nothing
	b.Run("one-changed", func(b *testing.B) {
		for b.Loop() {
			b.StopTimer()
			n++
			if err := last.Resources().Declare(mep.Site, fmt.Sprintf("site-%d", n), "Olga", "bench"); err != nil {
				b.Fatal(err)
			}
			b.StartTimer()
			// Read whole the first time when the schedule had let the
			// record go (Options.MaxOpen), then from where it stopped.
			if sc, err := s.Rescan(bg); err != nil || sc.Refreshed+sc.Opened != 1 {
				b.Fatal(sc, err)
			}
		}
	})
}
