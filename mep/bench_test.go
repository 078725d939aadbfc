package mep_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// bigRecord writes a project whose record holds about n facts: a year of
// meetings and actions, and five rollouts whose cutovers run steps.
func bigRecord(b *testing.B, path string, n int) {
	b.Helper()
	c := newClock(utc(2026, 1, 5, 9, 0))
	p, err := mep.CreateFile(path, "big", &mep.Options{Now: c.now, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	require.NoError(b, err)
	defer p.Close()
	staff(b, p)
	opsReady(b, p, c.now())
	require.NoError(b, p.OptOutOfFreeze("Otto", "benchmark"))
	steps := (n / 2 / 5) / 2 // each step: start and end
	for k := range 5 {
		runbook := make([]mep.Step, steps)
		for i := range runbook {
			runbook[i] = mep.Step{ID: fmt.Sprintf("s%05d", i), Expected: time.Minute}
		}
		c.set(utc(2026, 2+k, 3, 9, 0))
		goLive(b, p, c, fmt.Sprintf("r%d", k), runbook, okReadiness(), time.Second)
	}
	for range n - len(p.Record()) {
		c.add(time.Hour)
		_, err := p.Tracker().Assign(mep.ActionSpec{Title: "follow up", Owner: "Bea", Due: c.now().Add(48 * time.Hour)}, "Sam", time.Time{})
		require.NoError(b, err)
	}
}

// goLive adds rollout name of p at the clock plus three hours, ticks its
// readiness list, takes the operations GO and runs every step for step,
// moving the clock as it goes.
func goLive(b *testing.B, p *mep.Project, c *clock, name string, runbook []mep.Step, list checklist.List, step time.Duration) {
	b.Helper()
	r, err := p.NewRollout(mep.RolloutOptions{Name: name, T0: c.now().Add(3 * time.Hour), Runbook: runbook, Readiness: list})
	require.NoError(b, err)
	for _, it := range list.Items {
		require.NoError(b, r.Readiness().Check(it.ID, "Otto", time.Time{}, ""))
	}
	c.add(time.Minute)
	_, err = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go})
	require.NoError(b, err)
	c.set(r.T0())
	_, err = r.GoNoGo().Decide(context.Background(), c.now())
	require.NoError(b, err)
	for _, s := range runbook {
		require.NoError(b, r.Cutover().Start(s.ID, "Bea"))
		c.add(step)
		require.NoError(b, r.Cutover().End(s.ID, "Bea", timeline.Done))
	}
}

// BenchmarkOpen100k: replaying a record of 100,000 facts, against the
// journal's own opening of the same file (reading and verifying it).
func BenchmarkOpen100k(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.jsonl")
	bigRecord(b, path, 100_000)
	b.Run("mep", func(b *testing.B) {
		benchOpen(b, func() (*mep.Project, error) { return mep.OpenFile(path, nil) })
	})
	b.Run("timeline", func(b *testing.B) {
		benchOpen(b, func() (*timeline.Journal, error) { return timeline.Open(path, nil) })
	})
}

// benchOpen times open, closing what it opens, and reports the
// allocations and the process's CPU time of each.
func benchOpen[T interface{ Close() error }](b *testing.B, open func() (T, error)) {
	b.ReportAllocs()
	cpu := cpuTime()
	for b.Loop() {
		x, err := open()
		if err != nil {
			b.Fatal(err)
		}
		x.Close()
	}
	reportCPU(b, cpu)
}

// BenchmarkOpenManyRollouts: replaying a project of 200 rollouts, each
// with the standard readiness checklist ticked, a GO and three steps run:
// the kind of record a store holds by the thousand (mep/fleet opens
// them all).
func BenchmarkOpenManyRollouts(b *testing.B) {
	path := filepath.Join(b.TempDir(), "many.jsonl")
	c := newClock(utc(2026, 1, 5, 9, 0))
	p, err := mep.CreateFile(path, "many", &mep.Options{Now: c.now, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	require.NoError(b, err)
	staff(b, p)
	opsReady(b, p, c.now())
	require.NoError(b, p.OptOutOfFreeze("Otto", "benchmark"))
	runbook := []mep.Step{{ID: "stop", Expected: time.Minute}, {ID: "migrate", Expected: time.Minute}, {ID: "start", Expected: time.Minute}}
	for k := range 200 {
		c.set(utc(2026, 2, 1, 9, 0).Add(time.Duration(k) * 24 * time.Hour))
		goLive(b, p, c, fmt.Sprintf("r%03d", k), runbook, checklist.Preparation(), time.Minute)
	}
	facts := len(p.Record())
	require.NoError(b, p.Close())
	benchOpen(b, func() (*mep.Project, error) { return mep.OpenFile(path, nil) })
	b.ReportMetric(float64(facts), "facts")
}

// BenchmarkAppendDurable: one fact recorded durably (fsync), against the
// journal's own durable Record of an entry of the same size.
func BenchmarkAppendDurable(b *testing.B) {
	b.Run("mep", func(b *testing.B) {
		p, err := mep.CreateFile(filepath.Join(b.TempDir(), "p.jsonl"), "bench", nil)
		require.NoError(b, err)
		defer p.Close()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			if err := p.Plan(mep.Build, time.Duration(i+1)*time.Hour); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("timeline", func(b *testing.B) {
		j, err := timeline.Open(filepath.Join(b.TempDir(), "j.jsonl"), nil)
		require.NoError(b, err)
		defer j.Close()
		b.ResetTimer()
		for i := 0; b.Loop(); i++ {
			if _, err := j.Record(timeline.Entry{Kind: "mep.plan", Attrs: map[string]string{"phase": "build", "planned": time.Duration(i + 1).String()}}); err != nil {
				b.Fatal(err)
			}
		}
	})
	// Both in turn, so that they share the disk's weather: a loaded
	// machine's fsync times vary more from one second to the next than
	// between the two.
	b.Run("interleaved", func(b *testing.B) {
		p, err := mep.CreateFile(filepath.Join(b.TempDir(), "p.jsonl"), "bench", nil)
		require.NoError(b, err)
		defer p.Close()
		j, err := timeline.Open(filepath.Join(b.TempDir(), "j.jsonl"), nil)
		require.NoError(b, err)
		defer j.Close()
		var inMep, inJournal time.Duration
		for i := 0; b.Loop(); i++ {
			start := time.Now()
			if err := p.Plan(mep.Build, time.Duration(i+1)*time.Hour); err != nil {
				b.Fatal(err)
			}
			mid := time.Now()
			if _, err := j.Record(timeline.Entry{Kind: "mep.plan", Attrs: map[string]string{"phase": "build", "planned": time.Duration(i + 1).String()}}); err != nil {
				b.Fatal(err)
			}
			inMep += mid.Sub(start)
			inJournal += time.Since(mid)
		}
		b.ReportMetric(float64(inMep)/float64(b.N), "mep-ns/op")
		b.ReportMetric(float64(inJournal)/float64(b.N), "journal-ns/op")
		b.ReportMetric(float64(inMep)/float64(inJournal), "ratio")
	})
}

// BenchmarkDecide: a go/no-go on a 200-item readiness checklist with the
// standard policy set.
func BenchmarkDecide(b *testing.B) {
	c := newClock(utc(2026, 11, 12, 9, 0)) // a Thursday
	p, err := mep.New("bench", &mep.Options{Now: c.now, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production", Country: "FR"})
	require.NoError(b, err)
	staff(b, p)
	items := make([]checklist.Item, 200)
	for i := range items {
		items[i] = checklist.Item{ID: fmt.Sprintf("i%03d", i), Title: "item", Deadline: -time.Hour}
	}
	items[0].Purpose, items[1].Purpose = checklist.ConfigBackup, checklist.HardwareVerified // R8
	win, err := policy.Windows("evenings", "Mon-Thu 20:00-23:30", time.UTC)
	require.NoError(b, err)
	r, err := p.NewRollout(mep.RolloutOptions{Name: "r", T0: utc(2026, 11, 12, 20, 0), Policies: policy.Set{win},
		Runbook:   []mep.Step{{ID: "a", Expected: time.Hour}},
		Readiness: checklist.List{Name: "ready", Items: items}})
	require.NoError(b, err)
	for _, it := range items {
		require.NoError(b, r.Readiness().Check(it.ID, "Otto", c.now(), ""))
	}
	opsReady(b, p, c.now()) // R13
	c.add(time.Hour)
	_, err = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "Otto", Verdict: mep.Go})
	require.NoError(b, err)
	now := utc(2026, 11, 12, 19, 0)
	c.set(now) // a decision is taken at the project's clock
	d, err := r.GoNoGo().Decide(context.Background(), now)
	require.NoError(b, err)
	require.True(b, d.IsGo(), d.String())
	b.ReportAllocs()
	b.ResetTimer()
	cpu := cpuTime()
	for b.Loop() {
		if _, err := r.GoNoGo().Decide(context.Background(), now); err != nil {
			b.Fatal(err)
		}
	}
	reportCPU(b, cpu)
}

// reportCPU reports the CPU time per operation since start: on a machine
// shared with other work, wall time (ns/op) says more about the machine
// than about the code.
func reportCPU(b *testing.B, start time.Duration) {
	if start > 0 && b.N > 0 {
		b.ReportMetric(float64(cpuTime()-start)/float64(b.N), "cpu-ns/op")
	}
}
