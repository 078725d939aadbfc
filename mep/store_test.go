package mep_test

import (
	"bufio"
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/fuzzing"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// TestMain lets the test binary play a writer that the kill test kills.
func TestMain(m *testing.M) {
	if dir := os.Getenv("MEP_KILL_WRITER"); dir != "" {
		writeForever(dir)
		return
	}
	// FuzzReplay, whose seed is a whole record, stalls without the bound.
	fuzzing.BoundMinimization()
	os.Exit(m.Run())
}

// writeForever appends facts to the project in dir until killed, and
// prints a line to standard output once each is durable.
func writeForever(dir string) {
	p, err := mep.OpenFile(dir, nil)
	if errors.Is(err, mep.ErrNoProject) {
		os.Exit(3)
	}
	if err != nil {
		os.Exit(4)
	}
	for i := 0; ; i++ {
		if _, err := p.Tracker().Assign(mep.ActionSpec{Title: "action " + strconv.Itoa(i), Owner: "Ann", Due: time.Now().Add(time.Hour)}, "Ann", time.Time{}); err != nil {
			os.Exit(5)
		}
		os.Stdout.WriteString("acked\n")
	}
}

// TestKillLoop: a writer killed in the middle of writing leaves a record
// that opens, with every fact it acknowledged, and no stray file. The
// writer is killed after a number of acknowledgements, not after a
// delay, so that each round kills it while it writes whatever the load.
func TestKillLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a process 30 times")
	}
	dir := t.TempDir()
	p, err := mep.CreateFile(dir, "kill", nil)
	require.NoError(t, err)
	require.NoError(t, p.Team().Add(mep.Member{Name: "Ann", Roles: []mep.Role{mep.RoleBuild}})) // who owns the actions
	require.NoError(t, p.Close())
	last := 0
	for round := range 30 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "MEP_KILL_WRITER="+dir)
		out, err := cmd.StdoutPipe()
		require.NoError(t, err)
		require.NoError(t, cmd.Start())
		acked, want := 0, 1+round%7
		sc := bufio.NewScanner(out)
		for acked < want && sc.Scan() {
			acked++
		}
		require.NoError(t, cmd.Process.Kill())
		_ = cmd.Wait()
		require.Equal(t, want, acked, "round %d: the writer stopped before it was killed", round)

		q, err := mep.OpenFile(dir, nil)
		require.NoError(t, err, "round %d", round)
		n := len(q.Tracker().Actions())
		assert.GreaterOrEqual(t, n, last+acked, "round %d: acknowledged facts lost", round)
		last = n
		require.NoError(t, timeline.Verify(q.Record(), nil))
		require.NoError(t, q.Close())
		files, err := os.ReadDir(dir)
		require.NoError(t, err)
		for _, f := range files {
			assert.Contains(t, []string{mep.RecordFile, mep.RecordFile + ".lock", ".lock"}, f.Name(), "round %d: stray file", round)
		}
	}
	assert.Positive(t, last)
}

// TestOpenFile: a project written to a directory reads back; an empty
// store, a second project and the old format are refused clearly.
func TestOpenFile(t *testing.T) {
	dir := t.TempDir()
	c := newClock(utc(2026, 3, 2, 9, 0))
	p, err := mep.CreateFile(dir, "billing", &mep.Options{Now: c.now, NoSync: true})
	require.NoError(t, err)
	staff(t, p)
	require.NoError(t, p.Close())

	_, err = mep.CreateFile(dir, "again", nil)
	assert.ErrorIs(t, err, mep.ErrExists)

	q, err := mep.OpenFile(filepath.Join(dir, mep.RecordFile), nil)
	require.NoError(t, err)
	assert.Equal(t, "billing", q.Name())
	assert.Equal(t, []string{"Sam", "Bea", "Vic", "Otto", "Mia"}, q.Team().Chosen())
	require.NoError(t, q.Close())

	_, err = mep.OpenFile(filepath.Join(t.TempDir(), "none.jsonl"), nil)
	assert.ErrorIs(t, err, mep.ErrNoProject)

	_, err = mep.OpenFile("testdata/project", nil)
	assert.ErrorIs(t, err, timeline.ErrOldFormat)
	assert.Contains(t, err.Error(), "project.json")
}

// TestOpenTampered: a record changed by hand does not open.
func TestOpenTampered(t *testing.T) {
	dir := t.TempDir()
	p, err := mep.CreateFile(dir, "billing", &mep.Options{NoSync: true})
	require.NoError(t, err)
	staff(t, p)
	require.NoError(t, p.Close())
	path := filepath.Join(dir, mep.RecordFile)
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	data = []byte(replaceOnce(string(data), `"Otto"`, `"Ott0"`))
	require.NoError(t, os.WriteFile(path, data, 0o600))
	_, err = mep.OpenFile(dir, nil)
	assert.ErrorIs(t, err, timeline.ErrTampered)
}

func replaceOnce(s, old, new string) string {
	for i := 0; i+len(old) <= len(s); i++ {
		if s[i:i+len(old)] == old {
			return s[:i] + new + s[i+len(old):]
		}
	}
	return s
}

// keyedProject writes a staffed project chained with key in a new
// directory, closes it and returns the directory.
func keyedProject(t *testing.T, key []byte) string {
	t.Helper()
	dir := t.TempDir()
	p, err := mep.CreateFile(dir, "billing", &mep.Options{Key: key, NoSync: true})
	require.NoError(t, err)
	staff(t, p)
	require.NoError(t, p.Close())
	return dir
}

// TestOpenWithKey: a record written with an HMAC key opens with that key
// only.
func TestOpenWithKey(t *testing.T) {
	key := []byte("a secret of the team")
	dir := keyedProject(t, key)
	_, err := mep.OpenFile(dir, &mep.Options{Key: []byte("another"), NoSync: true})
	assert.ErrorIs(t, err, timeline.ErrWrongKey)
	_, err = mep.OpenFile(dir, nil)
	assert.ErrorIs(t, err, timeline.ErrWrongKey)
	q, err := mep.OpenFile(dir, &mep.Options{Key: key})
	require.NoError(t, err)
	assert.Len(t, q.Team().Members(), 5)
	require.NoError(t, q.Close())
}

// TestGoldenRecords: a record written by today's format opens and states
// the go-live it recorded: a project walked through every phase, its
// rollout decided GO by Otto and run to the end, its lesson applied. A
// record of the first version of the record (kinds "x-mep.…", hashes
// that do not cover UTC offsets) is refused with a clear error, and left
// as it was.
func TestGoldenRecords(t *testing.T) {
	copyRecord := func(t *testing.T, name string) (string, []byte) {
		path := filepath.Join(t.TempDir(), name) // opening may repair; never the original
		data, err := os.ReadFile(filepath.Join("testdata", "records", name))
		require.NoError(t, err)
		require.NoError(t, os.WriteFile(path, data, 0o600))
		return path, data
	}
	t.Run("first version", func(t *testing.T) {
		path, data := copyRecord(t, "golive-x-mep.jsonl")
		_, err := mep.OpenFile(path, &mep.Options{Location: paris, NoSync: true})
		require.ErrorIs(t, err, timeline.ErrOldFormat)
		assert.Contains(t, err.Error(), "older version")
		after, err := os.ReadFile(path)
		require.NoError(t, err)
		assert.Equal(t, data, after)
	})
	for _, name := range []string{"golive.jsonl"} {
		t.Run(name, func(t *testing.T) {
			path, _ := copyRecord(t, name)
			p, err := mep.OpenFile(path, &mep.Options{Location: paris, NoSync: true})
			require.NoError(t, err)
			defer p.Close()

			assert.Equal(t, "billing v2", p.Name())
			assert.Equal(t, mep.Operations, p.Phase())
			assert.Len(t, p.Transitions(), 9)
			assert.Equal(t, []string{"Sam", "Bea", "Vic", "Otto", "Mia"}, p.Team().Chosen())
			assert.Equal(t, "Bea", p.Team().MCOContact())
			assert.Len(t, p.Tracker().Meetings(), 2)
			assert.Equal(t, []string{"go-live"}, p.Rollouts())
			r, ok := p.Rollout("go-live")
			require.True(t, ok)
			d := r.GoNoGo().Decided()
			assert.Equal(t, mep.Go, d.Verdict)
			assert.Equal(t, "Otto", d.By)
			assert.True(t, d.T0.Equal(goliveT0))
			s := r.Cutover().Summary()
			assert.Equal(t, 40*time.Minute, s.Duration)
			assert.Equal(t, 25*time.Minute, s.Outage)
			assert.Equal(t, 40*time.Minute, r.Estimate().Total)
			ls := p.Lessons().All()
			require.Len(t, ls, 1)
			require.Len(t, ls[0].Applied, 1)
			assert.Equal(t, "go-live", ls[0].Applied[0].Rollout)
			require.NoError(t, timeline.Verify(p.Record(), nil))

			// The project goes on, in today's format.
			require.NoError(t, r.Cutover().Note("Otto", "still running fine"))
		})
	}
}

// TestOpenTamperedReportsTheJournal: when the record is refused by the
// journal (a line removed, another key) and its facts would not fold
// either, Open reports the journal's error, not the fold's, and leaves no
// fold running.
func TestOpenTamperedReportsTheJournal(t *testing.T) {
	key := []byte("0123456789abcdef0123456789abcdef")
	dir := keyedProject(t, key)
	path := filepath.Join(dir, mep.RecordFile)
	data, err := os.ReadFile(path)
	require.NoError(t, err)

	// Without its project event, the record folds to nothing either.
	headless := data[bytes.IndexByte(data, '\n')+1:]
	require.NoError(t, os.WriteFile(path, headless, 0o600))
	_, err = mep.OpenFile(dir, &mep.Options{Key: key})
	require.Error(t, err)
	assert.ErrorIs(t, err, timeline.ErrTampered)
	var re *mep.RecordError
	assert.False(t, errors.As(err, &re), "the fold's error: %v", err)

	require.NoError(t, os.WriteFile(path, data, 0o600))
	_, err = mep.OpenFile(dir, &mep.Options{Key: []byte("another key, 32 bytes long.....!")})
	assert.ErrorIs(t, err, timeline.ErrWrongKey)
	q, err := mep.OpenFile(dir, &mep.Options{Key: key})
	require.NoError(t, err)
	require.NoError(t, q.Close())
}
