package mep_test

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// TestMain lets the test binary play a writer that the kill test kills.
func TestMain(m *testing.M) {
	if dir := os.Getenv("MEP_KILL_WRITER"); dir != "" {
		writeForever(dir)
		return
	}
	os.Exit(m.Run())
}

// writeForever appends facts to the project in dir until killed.
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
	}
}

// TestKillLoop: a writer killed at any point leaves a record that opens,
// with every fact recorded before the torn one, and no stray file.
func TestKillLoop(t *testing.T) {
	if testing.Short() {
		t.Skip("kills a process 30 times")
	}
	dir := t.TempDir()
	p, err := mep.CreateFile(dir, "kill", nil)
	require.NoError(t, err)
	require.NoError(t, p.Close())
	last := 0
	for round := range 30 {
		cmd := exec.Command(os.Args[0], "-test.run=^$")
		cmd.Env = append(os.Environ(), "MEP_KILL_WRITER="+dir)
		require.NoError(t, cmd.Start())
		time.Sleep(time.Duration(20+round*7%40) * time.Millisecond)
		require.NoError(t, cmd.Process.Kill())
		_ = cmd.Wait()

		q, err := mep.OpenFile(dir, nil)
		require.NoError(t, err, "round %d", round)
		n := len(q.Tracker().Actions())
		assert.GreaterOrEqual(t, n, last, "round %d: facts lost", round)
		last = n
		require.NoError(t, timeline.Verify(q.Record().Entries(), nil))
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
	assert.ErrorIs(t, err, mep.ErrOldFormat)
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
