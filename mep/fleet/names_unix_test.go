//go:build unix

package fleet_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
	"unicode"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/policy"
)

// oneLine asserts that s prints as it reads: no control character, no
// line separator.
func oneLine(t *testing.T, s string) {
	t.Helper()
	assert.Equal(t, -1, strings.IndexFunc(s, func(r rune) bool { return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' }),
		"one printable line: %q", s)
}

// A record whose directory or file name holds a line break, a carriage
// return or an escape sequence is reported with its path quoted: such a
// name used to print raw in the errors of the snapshot (and in what
// programs print of them), and could forge a line of their output or
// rewrite the terminal.
func TestRecordNamesWithControlCharacters(t *testing.T) {
	dir, _ := billingStore(t, "Ops")
	forged := "evil\n\x1b[32mfleet: every record read"
	require.NoError(t, os.Mkdir(filepath.Join(dir, forged), 0o700))
	require.NoError(t, os.WriteFile(filepath.Join(dir, forged, mep.RecordFile), []byte("not a record\n"), 0o600))
	pipe := "pipe\r\x1b[2K.jsonl"
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, pipe), 0o600))
	loop := "loop\u2028"
	require.NoError(t, os.Mkdir(filepath.Join(dir, loop), 0o700))
	require.NoError(t, os.Symlink(mep.RecordFile, filepath.Join(dir, loop, mep.RecordFile)))

	done := make(chan *fleet.Schedule, 1)
	go func() {
		s, err := fleet.OpenDir(bg, dir, nil)
		assert.NoError(t, err)
		done <- s
	}()
	var s *fleet.Schedule
	select {
	case s = <-done:
		require.NotNil(t, s)
	case <-time.After(10 * time.Second):
		t.Fatal("the scan waits on the FIFO")
	}
	defer s.Close()
	snap := s.Snapshot()
	require.Len(t, snap.Entries, 1, "billing still reads")
	errs := map[string]error{}
	for _, e := range snap.Errors {
		errs[e.Record] = e
		oneLine(t, e.Error())
	}
	require.Len(t, errs, 3)
	require.Contains(t, errs, forged, "the record keeps its name as data")
	assert.Contains(t, errs[forged].Error(), strconv.Quote(filepath.Join(dir, forged, mep.RecordFile)))
	require.Contains(t, errs, "pipe\r\x1b[2K")
	assert.Contains(t, errs["pipe\r\x1b[2K"].Error(), strconv.Quote(filepath.Join(dir, pipe))+": not a regular file")
	require.Contains(t, errs, loop)
	var pe *fs.PathError
	require.ErrorAs(t, errs[loop], &pe, "the error of the os package is still there")
	assert.Equal(t, filepath.Join(dir, loop, mep.RecordFile), pe.Path, "with its path as it is")
	assert.Contains(t, errs[loop].Error(), "stat "+strconv.Quote(pe.Path)+": ")
}

// An ordinary path is named as it is: quoting is for names that would
// not print safely.
func TestOrdinaryRecordNamesAsTheyAre(t *testing.T) {
	dir, _ := billingStore(t, "Ops")
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "Büro 2.jsonl"), 0o600))
	s, err := fleet.OpenDir(bg, dir, nil)
	require.NoError(t, err)
	defer s.Close()
	errs := s.Snapshot().Errors
	require.Len(t, errs, 1)
	assert.Contains(t, errs[0].Error(), "fleet: "+filepath.Join(dir, "Büro 2.jsonl")+": not a regular file")

	_, err = fleet.OpenDir(bg, filepath.Join(dir, "absent"), nil)
	require.ErrorIs(t, err, fs.ErrNotExist)
	assert.Contains(t, err.Error(), "fleet: open "+filepath.Join(dir, "absent")+": ")
	_, err = fleet.OpenDir(bg, filepath.Join(dir, "absent\x1b[0m"), nil)
	require.ErrorIs(t, err, fs.ErrNotExist)
	oneLine(t, err.Error())
}

// Two records holding the same rollout, one of them named with an
// escape sequence: the policy's reason, which gate and other programs
// print, names it quoted.
func TestAmbiguousRecordNamesQuoted(t *testing.T) {
	dir, c := billingStore(t, "Ops")
	payments := project(t, dir, "payments", c, "Max")
	rollout(t, payments, "v7", "Pay", "prod", at(paris, 2026, 3, 10, 21, 0), runbook(30, 60))
	require.NoError(t, payments.Close())
	forged := "aaa\x1b[8m"
	require.NoError(t, os.Mkdir(filepath.Join(dir, forged), 0o700))
	p, err := mep.CreateFile(filepath.Join(dir, forged), "payments", &mep.Options{Now: c.now, NoSync: true, RolloutsOnly: true, CreatedBy: "Eve", RolloutsOnlyReason: "in production"})
	require.NoError(t, err)
	require.NoError(t, p.Team().Add(mep.Member{Name: "Eve", Roles: []mep.Role{mep.RoleOperations}}))
	require.NoError(t, p.Team().Choose("Eve", "Eve"))
	rollout(t, p, "v7", "Pay", "", at(paris, 2026, 3, 10, 20, 0), runbook(1, 1))
	require.NoError(t, p.Close())

	s, err := fleet.OpenDir(bg, dir, &fleet.Options{Now: c.now, Trials: 100})
	require.NoError(t, err)
	defer s.Close()
	snap := s.Snapshot()
	require.Empty(t, snap.Errors)
	d := snap.Policy("payments", "v7", fleet.Rules{}, policy.Deny).Evaluate(bg, policy.Change{Start: at(paris, 2026, 3, 10, 21, 0), Duration: time.Hour})
	assert.Contains(t, d.Reason, "payments/v7 is in 2 records of the store ("+strconv.Quote(forged)+", payments)")
	oneLine(t, d.Reason)
	_, err = snap.Risk("payments", "v7", at(paris, 2026, 3, 10, 21, 0), 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), strconv.Quote(forged))
	oneLine(t, err.Error())
}
