package fleet_test

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// The store of BenchmarkOpenMetrics: 1,000 projects of 100 rollouts each.
const (
	bigProjects   = 1000
	bigPerProject = 100
	// bigPlanned is how many of each project's rollouts are still to
	// come at bigNow: the rest ran.
	bigPlanned = 2
)

var (
	bigStart = time.Date(2025, 1, 6, 21, 0, 0, 0, time.UTC)
	// bigNow is the clock of the schedule: after the last go-live that
	// ran, before the planned ones.
	bigNow = bigStart.AddDate(0, 0, 7*(bigPerProject-bigPlanned)-3)
)

// bigEnv names the variable that runs BenchmarkOpenMetrics: writing its
// store takes minutes, so that the benchmarks' one pass in CI (-bench .
// -benchtime 1x) skips it. With MEPKIT_FLEET_BIG_DIR set too, the store is
// written there once and reused by later runs.
const bigEnv = "MEPKIT_FLEET_BIG"

// bigDir returns a directory holding the records of the big store,
// written in parallel, one project per worker at a time.
func bigDir(b *testing.B) string {
	b.Helper()
	if os.Getenv(bigEnv) == "" {
		b.Skip(bigEnv + " is not set: set it to 1 to write 1,000 project records of 100 rollouts each (minutes) and time reading them")
	}
	dir := os.Getenv(bigEnv + "_DIR")
	if dir == "" {
		dir = b.TempDir()
	}
	done := filepath.Join(dir, ".complete") // a dot file: no project
	if _, err := os.Stat(done); err == nil {
		return dir
	} else if !errors.Is(err, fs.ErrNotExist) {
		b.Fatal(err)
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		b.Fatal(err)
	}
	t0 := time.Now()
	jobs := make(chan int)
	errs := make(chan error, bigProjects)
	var wg sync.WaitGroup
	for range runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for i := range jobs {
				errs <- bigProject(dir, i)
			}
		})
	}
	for i := range bigProjects {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	if err := os.WriteFile(done, nil, 0o600); err != nil {
		b.Fatal(err)
	}
	b.Logf("wrote %d records of %d rollouts in %v", bigProjects, bigPerProject, time.Since(t0).Round(time.Second))
	return dir
}

// bigProject writes project i of the big store in dir/project-NNNN: a
// go-live a week, at 21:00 UTC or a little later, each touching one of
// 50 services and run by one of 40 teams (its "team" label). A go-live
// passes readiness, gets a GO, then runs a cutover of two or three steps
// of 5 to 40 minutes; one in ten fails its last step and is rolled back,
// one in twenty is a hotfix of the go-live before it (label "fixes"). The
// last bigPlanned rollouts are planned, not run.
func bigProject(dir string, i int) (err error) {
	name := fmt.Sprintf("project-%04d", i)
	rng := rand.New(rand.NewPCG(uint64(i), 7))
	c := &clock{bigStart.AddDate(0, 0, -7)}
	if err := os.Mkdir(filepath.Join(dir, name), 0o700); err != nil {
		return err
	}
	p, err := mep.CreateFile(filepath.Join(dir, name), name, &mep.Options{Now: c.now, NoSync: true, RolloutsOnly: true,
		CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, p.Close()) }()
	const by = "Olga"
	if err := p.Team().Add(mep.Member{Name: by, Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO, mep.RoleBuild}}); err != nil {
		return err
	}
	if err := p.Team().Choose(by, by); err != nil {
		return err
	}
	if err := p.Team().SetMCOContact(by); err != nil {
		return err
	}
	if err := p.Operations().Start(checklist.Operations(), c.t, by); err != nil {
		return err
	}
	for _, it := range checklist.Operations().Items {
		if err := p.Operations().Check(it.ID, by, c.t, ""); err != nil {
			return err
		}
	}
	service := fmt.Sprintf("service-%02d", i%50)
	team := fmt.Sprintf("team-%02d", i%40)
	for r := range bigPerProject {
		t0 := bigStart.AddDate(0, 0, 7*r).Add(time.Duration(rng.IntN(4)) * 15 * time.Minute)
		planned := r >= bigPerProject-bigPlanned
		if planned {
			c.t = c.t.Add(time.Hour) // planned before bigNow
		} else {
			c.t = t0.Add(-24 * time.Hour)
		}
		labels := map[string]string{fleet.TeamLabel: team}
		if r%20 == 7 {
			labels["fixes"] = fmt.Sprintf("r%03d", r-1)
		}
		steps := 2 + r%2
		rb := []mep.Step{
			{ID: "stop", Title: "Stop", Expected: 10 * time.Minute, Rollback: "start again"},
			{ID: "deploy", Title: "Deploy", Expected: 20 * time.Minute, Rollback: "deploy the last version"},
			{ID: "check", Title: "Check", Expected: 10 * time.Minute, Rollback: "none needed"},
		}[:steps]
		ro, err := p.NewRollout(mep.RolloutOptions{Name: fmt.Sprintf("r%03d", r), T0: t0, Runbook: rb, Environment: "prod", Labels: labels})
		if err != nil {
			return err
		}
		if err := ro.Resources().Declare(mep.Service, service, by, "deployed"); err != nil {
			return err
		}
		if planned {
			continue
		}
		for _, it := range ro.Readiness().Run().List().Items {
			if err := ro.Readiness().Check(it.ID, by, c.t, ""); err != nil {
				return err
			}
		}
		c.t = t0.Add(-2 * time.Hour)
		if _, err := ro.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: by, Verdict: mep.Go}); err != nil {
			return err
		}
		c.t = t0
		d, err := ro.GoNoGo().Decide(bg, c.t)
		if err != nil {
			return err
		}
		if d.Verdict != mep.Go {
			return fmt.Errorf("%s/%s: %s", name, ro.Name(), d)
		}
		cut := ro.Cutover()
		step := func(id string, out timeline.Outcome) error {
			if err := cut.Start(id, by); err != nil {
				return err
			}
			c.t = c.t.Add(time.Duration(5+rng.IntN(36)) * time.Minute)
			return cut.End(id, by, out)
		}
		failed := r%10 == 3
		for k, s := range rb {
			out := timeline.Done
			if failed && k == len(rb)-1 {
				out = timeline.Failed
			}
			if err := step(s.ID, out); err != nil {
				return err
			}
		}
		if failed {
			c.t = c.t.Add(time.Duration(1+rng.IntN(5)) * time.Minute)
			if err := cut.Rollback(by, "the last step failed"); err != nil {
				return err
			}
			for k := len(rb) - 1; k >= 0; k-- {
				if rb[k].Rollback != "" {
					if err := step(rb[k].ID, timeline.Done); err != nil {
						return err
					}
				}
			}
		}
		if _, err := cut.Finish(by); err != nil {
			return err
		}
	}
	return nil
}

// bigCheck fails b unless m summarises the big store.
func bigCheck(b *testing.B, snap *fleet.Snapshot, m *fleet.Metrics) {
	if len(snap.Errors) > 0 || len(snap.Entries) != bigProjects*bigPerProject {
		b.Fatalf("got %d entries and errors %v, want %d entries", len(snap.Entries), snap.Errors, bigProjects*bigPerProject)
	}
	deployments := 0
	for _, f := range m.Total {
		deployments += f.Deployments
	}
	if want := bigProjects * (bigPerProject - bigPlanned); deployments != want {
		b.Fatalf("got %d deployments, want %d", deployments, want)
	}
}

// BenchmarkOpenMetrics measures the delivery metrics of a store of
// 1,000 projects of 100 rollouts each, from the records: opening the
// schedule (each record read, verified and replayed, its rollouts folded
// and simulated) and the metrics of its snapshot. It runs only with
// MEPKIT_FLEET_BIG set: see bigEnv.
func BenchmarkOpenMetrics(b *testing.B) {
	dir := bigDir(b)
	opts := &fleet.Options{Now: func() time.Time { return bigNow }}
	b.Run("files", func(b *testing.B) {
		bigOpen(b, func() (*fleet.Schedule, error) { return fleet.OpenDir(bg, dir, opts) })
	})
	b.Run("postgres", func(b *testing.B) {
		dsn := pgtest.DSN(b, "the schedule of 1,000 projects on PostgreSQL")
		db, err := pgstore.Open(bg, dsn, &pgstore.Options{Schema: pgtest.Schema(b, dsn, "fleetbig_")})
		if err != nil {
			b.Fatal(err)
		}
		defer db.Close()
		bigCopy(b, dir, db)
		b.ResetTimer()
		bigOpen(b, func() (*fleet.Schedule, error) { return fleet.OpenDB(bg, db, opts) })
	})
}

// bigOpen times open, the schedule of the big store, and its metrics.
func bigOpen(b *testing.B, open func() (*fleet.Schedule, error)) {
	b.ReportAllocs()
	for b.Loop() {
		s, err := open()
		if err != nil {
			b.Fatal(err)
		}
		snap := s.Snapshot()
		bigCheck(b, snap, snap.Metrics(time.UTC))
		s.Close()
	}
	b.ReportMetric(bigProjects*bigPerProject, "rollouts")
}

// bigCopy writes each record of dir into db through the record's
// pgstore store, entries as the file holds them (their seqs, hashes and
// chain), in batches, records in parallel.
func bigCopy(b *testing.B, dir string, db *pgstore.DB) {
	b.Helper()
	t0 := time.Now()
	jobs := make(chan string)
	errs := make(chan error, bigProjects)
	var wg sync.WaitGroup
	for range 2 * runtime.GOMAXPROCS(0) {
		wg.Go(func() {
			for name := range jobs {
				errs <- copyRecord(filepath.Join(dir, name, mep.RecordFile), db, name)
			}
		})
	}
	for i := range bigProjects {
		jobs <- fmt.Sprintf("project-%04d", i)
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			b.Fatal(err)
		}
	}
	b.Logf("copied %d records to PostgreSQL in %v", bigProjects, time.Since(t0).Round(time.Second))
}

// copyRecord appends the entries of the record file at path to record
// name of db.
func copyRecord(path string, db *pgstore.DB, name string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	es, err := timeline.Read(f)
	f.Close()
	if err != nil {
		return err
	}
	st, err := db.Store(name)
	if err != nil {
		return err
	}
	defer st.Close()
	for len(es) > 0 {
		n := min(len(es), 500)
		if err := st.Append(es[:n]); err != nil {
			return err
		}
		es = es[n:]
	}
	return nil
}
