package fleet_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

func TestScheduleFromFilesRescansWhatChanged(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	billing := project(t, dir, "billing", c, "Olga", "Bea")
	r := rollout(t, billing, "v3", "Ops-2", "prod", at(paris, 2026, 3, 10, 21, 0), runbook(30, 60), "database:billing")
	pay := project(t, dir, "payments", c, "Olga", "Max")
	rollout(t, pay, "v7", "Pay", "prod", at(paris, 2026, 3, 10, 22, 0), runbook(10, 20), "service:payments")
	require.NoError(t, pay.Close())

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 200})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.Empty(t, snap.Errors)
	require.Len(t, snap.Active(), 2)
	e := snap.Active()[0]
	assert.Equal(t, "billing/v3", e.ID())
	assert.Equal(t, report.Planned, e.Status)
	assert.Equal(t, "Ops-2", e.Team)
	assert.Equal(t, "prod", e.Environment)
	assert.Equal(t, []string{"Bea", "Olga"}, e.People)
	require.Len(t, e.Resources, 1)
	assert.Equal(t, "database:billing", e.Resources[0].Key())
	assert.True(t, e.T0.Equal(at(paris, 2026, 3, 10, 21, 0)))
	assert.Equal(t, 2, e.Steps)
	assert.Equal(t, 90*time.Minute, e.Estimate, "the steps' expected durations")
	require.False(t, e.P90.IsZero(), "the steps' expected durations give a P90")
	assert.True(t, e.P50.Equal(e.P50.Truncate(time.Minute)) && e.P90.Equal(e.P90.Truncate(time.Minute)), "ends on a minute: %v, %v", e.P50, e.P90)
	assert.True(t, e.P50.After(e.T0) && e.P90.After(e.P50), "T0 %v < P50 %v < P90 %v", e.T0, e.P50, e.P90)
	assert.True(t, e.WindowEnd.Equal(at(time.UTC, 2026, 3, 13, 0, 0)), "the method's Friday freeze (in the project's zone, UTC) closes the window: %v", e.WindowEnd)

	// The billing project's writer still holds its file: the schedule
	// reads it without a lock, and only what was appended.
	require.NoError(t, r.Resources().Declare(mep.Network, "dmz", "Olga", "firewall rule"))
	sc, err := s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 2, Refreshed: 1, Unchanged: 1}, sc)
	e, ok := s.Snapshot().Find("billing", "v3")
	require.True(t, ok)
	assert.Len(t, e.Resources, 2)

	sc, err = s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 2, Unchanged: 2}, sc, "nothing changed, nothing read")

	require.NoError(t, os.RemoveAll(filepath.Join(dir, "payments")))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.jsonl"), []byte("{not json}\n"), 0o600))
	sc, err = s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 2, Unchanged: 1, Removed: 1, Failed: 1}, sc)
	snap = s.Snapshot()
	require.Len(t, snap.Errors, 1)
	assert.Equal(t, "broken", snap.Errors[0].Record)
	assert.Len(t, snap.Entries, 1)

	// A record that fails again, unchanged, is read again but makes no
	// new snapshot (a watcher is not called for nothing).
	sc, err = s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 2, Unchanged: 1, Failed: 1}, sc)
	assert.Same(t, snap, s.Snapshot(), "nothing new to show")
	require.NoError(t, billing.Close())
}

// TestScheduleRecordsOfTheSameName: a directory "billing" and a file
// "billing.jsonl" are two records, neither hiding the other from the
// conflicts, and a rescan reads neither again.
func TestScheduleRecordsOfTheSameName(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(paris, 2026, 3, 1, 9, 0)}
	for _, name := range []string{"billing", "payments"} {
		p := project(t, dir, name, c, name)
		rollout(t, p, "v1", name, "prod", at(paris, 2026, 3, 10, 21, 0), runbook(10, 20), "database:billing")
		require.NoError(t, p.Close())
	}
	require.NoError(t, os.Rename(filepath.Join(dir, "payments", mep.RecordFile), filepath.Join(dir, "billing.jsonl")))

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.Empty(t, snap.Errors)
	var records []string
	for _, e := range snap.Entries {
		records = append(records, e.Record+":"+e.Project)
	}
	assert.Equal(t, []string{"billing:billing", "billing.jsonl:payments"}, records)
	assert.Len(t, snap.Conflicts(fleet.Rules{}), 1)
	sc, err := s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 2, Unchanged: 2}, sc, "nothing changed, nothing read")
}

// billingWithTail returns a store holding one project, billing, whose
// record ends with tail, bytes without their newline, and its clock.
func billingWithTail(t *testing.T, tail []byte) (string, *clock) {
	t.Helper()
	dir := t.TempDir()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	p := project(t, dir, "billing", c, "Olga")
	rollout(t, p, "v3", "Ops", "prod", at(paris, 2026, 3, 10, 21, 0), runbook(30, 60))
	require.NoError(t, p.Close())
	f, err := os.OpenFile(filepath.Join(dir, "billing", mep.RecordFile), os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = f.Write(tail)
	require.NoError(t, err)
	require.NoError(t, f.Close())
	return dir, c
}

func TestScheduleReadsATornLineLater(t *testing.T) {
	dir, c := billingWithTail(t, []byte(`{"seq":99,"at":"2026-03-02T09:00:00Z"`))
	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	assert.Empty(t, s.Snapshot().Errors, "a line still being written waits")
	assert.Len(t, s.Snapshot().Active(), 1)
}

// An unfinished last line longer than any a writer makes (a blob
// appended by hand) is an error of the record, not a line that waits
// for its end at every scan.
func TestScheduleUnfinishedLineTooLong(t *testing.T) {
	dir, c := billingWithTail(t, bytes.Repeat([]byte("x"), timeline.MaxLineSize+1))
	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	errs := s.Snapshot().Errors
	require.Len(t, errs, 1)
	assert.ErrorIs(t, errs[0], timeline.ErrLineTooLong)
	assert.ErrorContains(t, errs[0], "ends with an unfinished line of more than 1048576 bytes")
}

// TestScheduleWhileWriting: a writer records facts while the schedule
// watches the directory and readers take snapshots, conflicts and
// policies (run with -race).
func TestScheduleWhileWriting(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	p := project(t, dir, "billing", c, "Olga")
	r := rollout(t, p, "v3", "Ops", "prod", at(paris, 2026, 3, 10, 21, 0), runbook(30, 60))
	defer p.Close()
	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()

	ctx, cancel := context.WithCancel(bg)
	defer cancel()
	seen := make(chan int, 100)
	done := make(chan error, 1)
	go func() {
		done <- s.Watch(ctx, time.Millisecond, func(_ fleet.Scan, snap *fleet.Snapshot) {
			if e, ok := snap.Find("billing", "v3"); ok {
				seen <- len(e.Resources)
			}
		})
	}()
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		for range 50 {
			snap := s.Snapshot()
			_ = snap.Conflicts(fleet.Rules{})
			_ = snap.Policy("billing", "v3", fleet.Rules{}, policy.Deny).Evaluate(bg, policy.Change{Start: at(paris, 2026, 3, 10, 21, 0), Duration: time.Hour})
		}
	}()
	for i := range 5 {
		require.NoError(t, r.Resources().Declare(mep.Site, fmt.Sprintf("site-%d", i), "Olga", "test"))
	}
	wg.Wait()
	for n := 0; n < 5; {
		select {
		case n = <-seen:
		case <-time.After(10 * time.Second):
			t.Fatalf("the watch saw %d resources of 5", n)
		}
	}
	cancel()
	assert.ErrorIs(t, <-done, context.Canceled)
	assert.Error(t, s.Watch(bg, 0, nil))
}

// TestScheduleRereadsARewrittenFile: a record file replaced by another
// (restored from a backup, say) is read again whole.
func TestScheduleRereadsARewrittenFile(t *testing.T) {
	dir, other := t.TempDir(), t.TempDir()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	p := project(t, dir, "billing", c, "Olga")
	rollout(t, p, "v3", "Ops", "prod", at(paris, 2026, 3, 10, 21, 0), runbook(30, 60), "database:billing", "site:lyon")
	require.NoError(t, p.Close())
	q := project(t, other, "billing", c, "Olga")
	rollout(t, q, "v9", "Ops", "prod", at(paris, 2026, 3, 11, 21, 0), runbook(30, 60))
	require.NoError(t, q.Close())

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	data, err := os.ReadFile(filepath.Join(other, "billing", mep.RecordFile))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "billing", mep.RecordFile), data, 0o600))
	sc, err := s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 1, Opened: 1}, sc)
	_, ok := s.Snapshot().Find("billing", "v9")
	assert.True(t, ok)
	_, ok = s.Snapshot().Find("billing", "v3")
	assert.False(t, ok)
}

// Projects record their own zone: a store holding projects of several
// zones reads each in its own, whatever zone the schedule is given, and
// a conflict between them is found on instants.
func TestScheduleReadsEachProjectInItsOwnZone(t *testing.T) {
	dir := t.TempDir()
	for _, p := range []struct {
		name string
		loc  *time.Location
		t0   time.Time
	}{
		{"paris", paris, at(paris, 2026, 3, 10, 21, 0)},                                                   // 20:00 UTC
		{"new-york", mustLoad("America/New_York"), at(mustLoad("America/New_York"), 2026, 3, 10, 16, 30)}, // 20:30 UTC
	} {
		c := &clock{at(p.loc, 2026, 3, 2, 9, 0)}
		opts := &mep.Options{Now: c.now, Location: p.loc, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "in production"}
		require.NoError(t, os.Mkdir(filepath.Join(dir, p.name), 0o700))
		pr, err := mep.CreateFile(filepath.Join(dir, p.name), p.name, opts)
		require.NoError(t, err)
		lead := "lead-" + p.name // no one on both teams
		require.NoError(t, pr.Team().Add(mep.Member{Name: lead, Roles: []mep.Role{mep.RoleOperations}}))
		require.NoError(t, pr.Team().Choose(lead, lead))
		rollout(t, pr, "v1", p.name, "prod", p.t0, runbook(30, 60), "database:shared")
		require.NoError(t, pr.Close())
	}
	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: func() time.Time { return at(time.UTC, 2026, 3, 3, 0, 0) }, Location: mustLoad("Asia/Kolkata"), Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.Empty(t, snap.Errors, "a record stating its zone is read in it")
	require.Len(t, snap.Active(), 2)
	ny, ok := snap.Find("new-york", "v1")
	require.True(t, ok)
	assert.Equal(t, "America/New_York", ny.T0.Location().String())
	cs := snap.Conflicts(fleet.Rules{})
	require.Len(t, cs, 1)
	assert.Equal(t, "database:shared", cs[0].On)
}

// TestRescanManyRecordsCancelled: records are read on several
// goroutines, each folded as alone; a rescan whose context ended returns
// its error and keeps the snapshot, and the next one reads what the
// cancelled one did not.
func TestRescanManyRecordsCancelled(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	var ps []*mep.Project
	for i := range 12 {
		p := project(t, dir, fmt.Sprintf("p%02d", i), c, "Olga")
		defer p.Close()
		rollout(t, p, "r", "Ops", "prod", at(paris, 2026, 3, 10+i%3, 21, 0), runbook(10, 20+i), "database:billing")
		ps = append(ps, p)
	}
	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.Empty(t, snap.Errors)
	require.Len(t, snap.Entries, 12)
	for k, e := range snap.Entries {
		var i int
		_, err := fmt.Sscanf(e.Project, "p%d", &i)
		require.NoError(t, err)
		assert.Equal(t, time.Duration(30+i)*time.Minute, e.Estimate, e.Project)
		assert.True(t, e.T0.Equal(at(paris, 2026, 3, 10+i%3, 21, 0)), e.Project)
		if k > 0 {
			prev := snap.Entries[k-1]
			assert.True(t, prev.T0.Before(e.T0) || prev.T0.Equal(e.T0) && prev.Project < e.Project, "%s before %s", prev.ID(), e.ID())
		}
	}

	for _, p := range ps[:6] {
		rollout(t, p, "s", "Ops", "prod", at(paris, 2026, 3, 20, 21, 0), runbook(5, 5))
	}
	ctx, cancel := context.WithCancel(bg)
	cancel()
	_, err = s.Rescan(ctx)
	require.ErrorIs(t, err, context.Canceled)
	assert.Same(t, snap, s.Snapshot(), "a cancelled rescan keeps the snapshot")
	sc, err := s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 12, Refreshed: 6, Unchanged: 6}, sc)
	assert.Len(t, s.Snapshot().Entries, 18)
}

// TestScheduleCancelledRescanKeepsWhatItRead: the records a cancelled
// rescan read are in the snapshot once a later rescan ends, even one of
// other records that finds nothing new.
func TestScheduleCancelledRescanKeepsWhatItRead(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 200})
	require.NoError(t, err)
	defer s.Close()
	for i, name := range []string{"a", "b", "c"} {
		p := project(t, dir, name, c, "Olga")
		rollout(t, p, "v1", name, "prod", at(paris, 2026, 3, 10+i, 21, 0), runbook(10, 20))
		require.NoError(t, p.Close())
	}
	_, err = fleet.RescanCancelled(s)
	require.ErrorIs(t, err, context.Canceled)

	_, err = fleet.UpdateNames(bg, s, "a")
	require.NoError(t, err)
	_, ok := s.Snapshot().Find("a", "v1")
	assert.True(t, ok, "a, read by the cancelled rescan, is in the snapshot")
}

// TestScheduleKeepsFewRecordsOpen: beyond Options.MaxOpen, a record is
// folded and let go, and read again whole when it changes, its rollouts
// as right as those of a record kept open; a record changed last is kept
// open in place of one read longer ago, so that its next change is read
// from where the last read stopped.
func TestScheduleKeepsFewRecordsOpen(t *testing.T) {
	dir := t.TempDir()
	c := &clock{at(paris, 2026, 3, 2, 9, 0)}
	names := []string{"billing", "payments", "search"}
	rollouts := map[string]*mep.Rollout{}
	for i, name := range names {
		p := project(t, dir, name, c, "Olga")
		defer p.Close()
		rollouts[name] = rollout(t, p, "v1", name, "prod", at(paris, 2026, 3, 10, 20+i, 0), runbook(10, 20), "service:"+name)
	}
	declare := func(name, res string) {
		t.Helper()
		require.NoError(t, rollouts[name].Resources().Declare(mep.Network, res, "Olga", "firewall rule"))
	}
	resources := func(s *fleet.Schedule, name string) int {
		t.Helper()
		e, ok := s.Snapshot().Find(name, "v1")
		require.True(t, ok, name)
		return len(e.Resources)
	}

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100, MaxOpen: 1})
	require.NoError(t, err)
	defer s.Close()
	before, ok := s.Snapshot().Find("search", "v1")
	require.True(t, ok)
	require.False(t, before.P90.IsZero())

	for _, name := range names {
		declare(name, "dmz-"+name)
	}
	sc, err := s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, 3, sc.Opened+sc.Refreshed)
	assert.LessOrEqual(t, sc.Refreshed, 1, "one record kept open at most: %+v", sc)
	for _, name := range names {
		assert.Equal(t, 2, resources(s, name), name)
	}

	// The record changed last is kept open: read whole once, then only
	// what is appended to it.
	declare("search", "lb")
	_, err = s.Rescan(bg)
	require.NoError(t, err)
	declare("search", "vpn")
	sc, err = s.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 3, Refreshed: 1, Unchanged: 2}, sc)
	assert.Equal(t, 4, resources(s, "search"))
	after, ok := s.Snapshot().Find("search", "v1")
	require.True(t, ok)
	assert.True(t, after.P90.Equal(before.P90), "the same cutover, the same P90: %v, %v", after.P90, before.P90)

	// Every record kept open: each change read from where it stopped.
	all, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100, MaxOpen: -1})
	require.NoError(t, err)
	defer all.Close()
	for _, name := range names {
		declare(name, "backup-"+name)
	}
	sc, err = all.Rescan(bg)
	require.NoError(t, err)
	assert.Equal(t, fleet.Scan{Records: 3, Refreshed: 3}, sc)
}
