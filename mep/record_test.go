package mep_test

// Tests of the record (issue 11): a project killed at any point resumes
// from its record with every fact, its report unchanged; reads are
// snapshots; a fact the store cannot keep changes nothing; a full disk
// leaves the previous state readable.

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/meptest"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// reportJSON returns the JSON of r's report at now.
func reportJSON(t testing.TB, r *mep.Rollout, now time.Time) string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, r.Report(now).WriteJSON(&buf))
	return buf.String()
}

// copyFile copies the file at from to to, as it is on disk now.
func copyFile(t testing.TB, from, to string) {
	t.Helper()
	data, err := os.ReadFile(from)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(to, data, 0o600))
}

// kill plays a crash of the process that writes g's record: the file is
// taken as it is on disk, without closing the project, and opened again
// under a new name; g goes on with the reopened project, its rollout's
// policies attached again (policies are code). What the reopened project
// states, its rollout's report and its decision must be what the killed
// one stated.
func (g *golive) kill(round int) {
	t := g.t
	t.Helper()
	now := g.c.now()
	want := meptest.Dump(g.p)
	var wantReport, wantEval string
	var wantDecided mep.Decision
	if g.r != nil {
		wantReport, wantEval, wantDecided = reportJSON(t, g.r, now), g.r.GoNoGo().Evaluate(bg, now).String(), g.r.GoNoGo().Decided()
	}
	path := fmt.Sprintf("%s.%d", g.path, round)
	copyFile(t, g.path, path)
	require.NoError(t, g.p.Close())

	q, err := mep.OpenFile(path, &g.opts)
	require.NoError(t, err, "round %d", round)
	g.p, g.path = q, path
	sameText(t, want, meptest.Dump(q), "round %d: the state read back", round)
	if g.r != nil {
		r, err := q.NewRollout(g.ro)
		require.NoError(t, err, "round %d", round)
		g.r = r
		sameText(t, wantReport, reportJSON(t, r, now), "round %d: the report", round)
		assert.Equal(t, wantEval, r.GoNoGo().Evaluate(bg, now).String(), "round %d: the decision as it stands", round)
		assert.Equal(t, normalizeDecision(wantDecided), normalizeDecision(r.GoNoGo().Decided()), "round %d: the decision taken", round)
	}
}

// sameText checks that got is want, and reports the first line that
// differs.
func sameText(t testing.TB, want, got string, msgAndArgs ...any) {
	t.Helper()
	if want == got {
		return
	}
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := range min(len(wl), len(gl)) {
		if wl[i] != gl[i] {
			assert.Fail(t, fmt.Sprintf("line %d differs:\n want %s\n  got %s", i+1, wl[i], gl[i]), msgAndArgs...)
			return
		}
	}
	assert.Fail(t, fmt.Sprintf("%d lines, want %d", len(gl), len(wl)), msgAndArgs...)
}

// normalizeDecision returns d as JSON with times in UTC.
func normalizeDecision(d mep.Decision) string {
	d.At, d.T0 = d.At.UTC(), d.T0.UTC()
	b, _ := json.Marshal(d)
	return string(b)
}

// TestResumeAtAnyPoint: a go-live killed after any fact of its
// preparation, go/no-go and cutover, and reopened, resumes with every
// vote, tick, decision and step; its report equals the report before the
// kill (issue 11).
func TestResumeAtAnyPoint(t *testing.T) {
	g := newGoliveFile(t, filepath.Join(t.TempDir(), "billing.jsonl"), nil)
	round := 0
	kill := func() { round++; g.kill(round) }
	for _, ph := range []mep.Phase{mep.Build, mep.Validation, mep.Rehearsal, mep.Planning, mep.Preparation} {
		g.walk(ph)
		kill()
	}
	ops := []func(){
		func() {
			g.c.set(g.t0.Add(-10 * time.Hour))
			tickAll(t, g.p.Operations(), checklist.Operations(), g.c.now(), "Mia")
		},
		func() {
			require.NoError(t, g.r.Readiness().Check("config-backup", "Otto", g.t0.Add(-10*time.Hour), ""))
		},
		func() {
			require.NoError(t, g.r.Readiness().Fail("new-hardware-verified", "Otto", g.t0.Add(-10*time.Hour), "disk missing"))
		},
		func() { g.c.set(g.t0.Add(-9 * time.Hour)); g.vote("Otto", mep.NoGo) },
		func() {
			g.c.set(g.t0.Add(-5 * time.Hour))
			require.NoError(t, g.r.Readiness().Check("new-hardware-verified", "Otto", g.t0.Add(-5*time.Hour), "disk found"))
		},
		func() { require.NoError(t, g.r.Cutover().Note("Otto", "all green")) },
		func() { g.c.set(g.t0.Add(-3 * time.Hour)); g.vote("Otto", mep.Go) },
		func() {
			g.c.set(g.t0.Add(-30 * time.Minute))
			d, err := g.r.GoNoGo().Decide(bg, g.c.now())
			require.NoError(t, err)
			require.Equal(t, mep.Go, d.Verdict, "%s", d)
		},
		func() { g.c.set(g.t0.Add(-10 * time.Minute)); g.advance(mep.Cutover) },
		func() { g.c.set(g.t0); require.NoError(t, g.r.Cutover().Start("stop-app", "Bea")) },
		func() {
			g.c.add(6 * time.Minute)
			require.NoError(t, g.r.Cutover().End("stop-app", "Bea", timeline.Done))
		},
		func() { require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea")) },
		func() {
			g.c.add(3 * time.Minute)
			require.NoError(t, g.r.Cutover().End("migrate-db", "Bea", timeline.Failed))
		},
		func() { require.NoError(t, g.r.Cutover().Start("migrate-db", "Bea")) },
		func() { g.c.add(25 * time.Minute) }, // a report while a step runs
		func() { require.NoError(t, g.r.Cutover().End("migrate-db", "Bea", timeline.Done)) },
		func() { require.NoError(t, g.r.Cutover().Start("switch-dns", "Otto")) },
		func() {
			g.c.add(9 * time.Minute)
			require.NoError(t, g.r.Cutover().End("switch-dns", "Otto", timeline.Done))
		},
		func() {
			require.NoError(t, g.r.Cutover().Skip("smoke-test", "Vic", "run by the client in the morning"))
		},
		func() { _, err := g.r.Cutover().Finish("Otto"); require.NoError(t, err) },
		func() { g.advance(mep.Review) },
		func() {
			g.c.add(day(1))
			_, err := g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Otto", "Bea"},
				Actions: []mep.ActionSpec{{Title: "script the migration", Owner: "Bea", Due: g.c.now().Add(day(5))}}})
			require.NoError(t, err)
		},
		func() { _, err := g.r.Learn("migration failed once", "script it", "Bea"); require.NoError(t, err) },
		func() { g.advance(mep.Industrialization) },
		func() { require.NoError(t, g.p.OptOutOfFreeze("Otto", "weekly deployments now")) },
	}
	for _, op := range ops {
		op()
		kill()
	}
	assert.Equal(t, mep.Industrialization, g.p.Phase())
	assert.Len(t, g.r.GoNoGo().Votes(), 2)
	assert.Equal(t, mep.Go, g.r.GoNoGo().Decided().Verdict)
	s := g.r.Cutover().Summary()
	assert.Len(t, s.Steps, 4)
	assert.Equal(t, 43*time.Minute, s.Duration)
	require.NoError(t, g.p.Close())
}

// TestResumeFromATruncatedRecord: a record cut after any of its lines,
// as a crash leaves it, opens; a torn last line is dropped.
func TestResumeFromATruncatedRecord(t *testing.T) {
	dir := t.TempDir()
	g := newGoliveFile(t, filepath.Join(dir, "billing.jsonl"), nil)
	g.walk(mep.Preparation)
	require.NoError(t, g.p.Close())
	data, err := os.ReadFile(g.path)
	require.NoError(t, err)
	lines := bytes.SplitAfter(data, []byte("\n"))
	for k := 1; k < len(lines); k++ {
		prefix := bytes.Join(lines[:k], nil)
		for _, torn := range [][]byte{lines[k][:len(lines[k])/2]} { // a crash during the write of line k+1
			path := filepath.Join(dir, fmt.Sprintf("cut-%d.jsonl", k))
			require.NoError(t, os.WriteFile(path, append(append([]byte(nil), prefix...), torn...), 0o600))
			p, err := mep.OpenFile(path, &g.opts)
			require.NoError(t, err, "cut after line %d, torn %d bytes", k, len(torn))
			assert.Len(t, p.Record(), k, "line %d", k)
			require.NoError(t, p.Close())
		}
	}
}

// TestReportIsASnapshot: with writers voting then noting, every report
// sees a prefix of the record: as many notes as votes, or one fewer. A
// report read fact by fact, under separate locks, would see more notes
// than votes.
func TestReportIsASnapshot(t *testing.T) {
	g := rolloutsOnly(t, mep.RolloutOptions{})
	for _, name := range []string{"Oona", "Olaf"} {
		require.NoError(t, g.p.Team().Add(mep.Member{Name: name, Roles: []mep.Role{mep.RoleOperations}}))
	}
	require.NoError(t, g.p.Team().Choose("Sam", "Sam", "Bea", "Vic", "Otto", "Mia", "Oona", "Olaf"))
	g.ready(g.c.now())
	g.c.add(time.Hour)
	now := g.c.now()
	var writers sync.Mutex // one writer at a time makes vote-then-note a pair
	var wg sync.WaitGroup
	for _, name := range []string{"Otto", "Oona", "Olaf"} {
		wg.Go(func() {
			for i := range 15 {
				writers.Lock()
				_, err := g.r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: name, Verdict: mep.Go, At: now})
				assert.NoError(t, err)
				assert.NoError(t, g.r.Cutover().Note(name, fmt.Sprintf("vote %d", i)))
				writers.Unlock()
			}
		})
	}
	for range 3 {
		wg.Go(func() {
			for range 30 {
				rep := g.r.Report(now)
				if n, v := len(rep.Notes), len(rep.Votes); n != v && n != v-1 {
					t.Errorf("a report with %d votes and %d notes: not one state", v, n)
				}
				d := g.r.Debrief()
				_ = d.Decision
				_ = g.r.GoNoGo().Evaluate(bg, now)
			}
		})
	}
	wg.Wait()
	rep := g.r.Report(now)
	assert.Len(t, rep.Votes, 45)
	assert.Len(t, rep.Notes, 45)
	assert.Equal(t, mep.Go, g.r.GoNoGo().Evaluate(bg, now).Verdict)
}

// TestRefusedBeforeAnythingChanges: a note longer than a record's line
// cannot be kept; it is refused, and the project, its record and its file
// are as they were.
func TestRefusedBeforeAnythingChanges(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	g := newGoliveFile(t, path, &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{})
	require.NoError(t, g.r.Cutover().Note("Bea", "short"))
	before := meptest.Dump(g.p)
	n := len(g.p.Record())
	data, err := os.ReadFile(path)
	require.NoError(t, err)

	err = g.r.Cutover().Note("Bea", strings.Repeat("x", timeline.MaxLineSize))
	require.ErrorIs(t, err, timeline.ErrLineTooLong)
	assert.Contains(t, err.Error(), "mep: record")
	assert.Equal(t, before, meptest.Dump(g.p))
	assert.Len(t, g.p.Record(), n)
	after, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, data, after, "the file is untouched")

	require.NoError(t, g.r.Cutover().Note("Bea", "and on"), "the project goes on")
	require.NoError(t, g.p.Close())
	q, err := mep.OpenFile(path, &g.opts)
	require.NoError(t, err)
	r, ok := q.Rollout("go-live")
	require.True(t, ok)
	assert.Len(t, r.Cutover().Notes(), 2)
	require.NoError(t, q.Close())

	// A line just short of the limit is kept, and reads back.
	q, err = mep.OpenFile(path, &g.opts)
	require.NoError(t, err)
	r, _ = q.NewRollout(g.ro)
	require.NoError(t, r.Cutover().Note("Bea", strings.Repeat("y", timeline.MaxLineSize-2048)))
	require.NoError(t, q.Close())
	q, err = mep.OpenFile(path, &g.opts)
	require.NoError(t, err)
	r, _ = q.Rollout("go-live")
	assert.Len(t, r.Cutover().Notes(), 3)
	require.NoError(t, q.Close())
}

// TestFullDisk: on a full small tmpfs, the write that does not fit is
// refused, the project's state is unchanged, and the record reopens with
// every fact before it and no stray file.
func TestFullDisk(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("mounting a tmpfs needs root")
	}
	if _, err := exec.LookPath("mount"); err != nil {
		t.Skip("no mount command")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size=1m", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("cannot mount a tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { _ = exec.Command("umount", dir).Run() })

	g := newGoliveFile(t, filepath.Join(dir, mep.RecordFile), &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	g.c.set(g.t0.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{})
	note := strings.Repeat("n", 100_000)
	var err error
	var n, kept int
	for ; kept < 100; kept++ {
		n = len(g.p.Record())
		if err = g.r.Cutover().Note("Bea", note); err != nil {
			break
		}
	}
	require.Error(t, err, "1 MiB holds fewer than 100 notes of 100 kB")
	assert.Len(t, g.p.Record(), n, "the refused note changed nothing")
	assert.Equal(t, kept, len(g.r.Cutover().Notes()), "the notes kept")
	before := meptest.Dump(g.p)
	_ = g.p.Close() // the journal may report the storage error again

	q, err := mep.OpenFile(dir, &g.opts)
	require.NoError(t, err)
	assert.Equal(t, before, meptest.Dump(q), "the previous state reads back")
	require.NoError(t, timeline.Verify(q.Record(), nil))
	require.NoError(t, q.Close())
	files, err := os.ReadDir(dir)
	require.NoError(t, err)
	for _, f := range files {
		assert.Contains(t, []string{mep.RecordFile, mep.RecordFile + ".lock", ".lock"}, f.Name(), "stray file")
	}
}

// TestResumeKeepsThePolicyResult: a GO decided under a break-glass
// override reads back with the policies' answers behind it: the debrief
// of a resumed rollout still lists what was overridden.
func TestResumeKeepsThePolicyResult(t *testing.T) {
	g := newGoliveFile(t, filepath.Join(t.TempDir(), "billing.jsonl"), &mep.Options{RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	opsReady(t, g.p, g.c.now())
	tuesday := at(paris, 2026, 11, 17, 20, 0)
	g.c.set(tuesday.Add(-day(1)))
	g.newRollout(mep.RolloutOptions{T0: tuesday,
		Policies: policy.Set{policy.Freeze("quarter-close", tuesday.Add(-time.Hour), tuesday.Add(2*time.Hour))}})
	require.NoError(t, g.r.AddRehearsal(mep.RehearsalRun{Summary: rehearse(t, g.c.now().Add(-day(1)), goliveRunbook(), 5, 20, 10, 5), ProductionLike: true}))
	require.NoError(t, g.r.GoNoGo().Override("Otto", "a legal deadline on Friday"))
	g.ready(g.c.now())
	g.c.add(time.Hour)
	g.vote("Otto", mep.Go)
	d, err := g.r.GoNoGo().Decide(bg, g.c.now())
	require.NoError(t, err)
	require.Equal(t, mep.Go, d.Verdict, "%s", d)
	before := g.r.Debrief()
	require.NotEmpty(t, before.Overridden)

	// Reopened with its policies attached again (they are code): the
	// decision taken reads back from the record.
	require.NoError(t, g.p.Close())
	q, err := mep.OpenFile(g.path, &g.opts)
	require.NoError(t, err)
	g.p = q
	g.r, err = q.NewRollout(g.ro)
	require.NoError(t, err)
	after := g.r.Debrief()
	require.NotNil(t, after.Override)
	assert.Equal(t, "a legal deadline on Friday", after.Override.Reason)
	require.Len(t, after.Overridden, len(before.Overridden))
	for i := range before.Overridden {
		assert.Equal(t, before.Overridden[i].Policy, after.Overridden[i].Policy)
		assert.Equal(t, before.Overridden[i].Reason, after.Overridden[i].Reason)
		assert.True(t, before.Overridden[i].Next.Equal(after.Overridden[i].Next))
	}
	n := 0
	for _, r := range g.r.GoNoGo().Decided().Reasons {
		if r.Source == "quarter-close" {
			n++
			assert.Contains(t, r.Text, "(overridden)", "a denial in a GO's reasons says it was overridden")
		}
	}
	assert.Equal(t, 1, n, "%s", g.r.GoNoGo().Decided())
	require.NoError(t, g.p.Close())
}
