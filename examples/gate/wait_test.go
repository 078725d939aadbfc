package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var paris, _ = time.LoadLocation("Europe/Paris")

// fakeSys is a process on a fake clock: each sleep advances the clock at
// once and counts as a wake-up; onWake runs after each.
type fakeSys struct {
	now    time.Time
	wakes  []time.Time
	env    map[string]string
	onWake func(time.Time)
}

func (f *fakeSys) system() *system {
	return &system{
		now: func() time.Time { return f.now },
		after: func(d time.Duration) <-chan time.Time {
			f.now = f.now.Add(d)
			f.wakes = append(f.wakes, f.now)
			if f.onWake != nil {
				f.onWake(f.now)
			}
			ch := make(chan time.Time, 1)
			ch <- f.now
			return ch
		},
		getenv: func(k string) string { return f.env[k] },
	}
}

func (f *fakeSys) run(args ...string) result {
	var stdout, stderr bytes.Buffer
	code := runSys(args, &stdout, &stderr, f.system())
	return result{code, stdout.String(), stderr.String()}
}

// waitArgs are the flags of a deployment that waits, against
// deploy-policy.yaml, ready and with the GO.
func waitArgs(extra ...string) []string {
	return append([]string{"-policy", "deploy-policy.yaml", "-wait", "-duration", "90m", "-env", "production",
		"-ready-at", "2026-11-01T00:00:00Z", "-approve", "operations:alice", "-outage", "20m"}, extra...)
}

func TestWaitAcrossTheWeekend(t *testing.T) {
	f := &fakeSys{now: time.Date(2026, 11, 27, 22, 0, 0, 0, paris)} // Friday
	r := f.run(waitArgs()...)
	require.Equal(t, exitAllowed, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	require.Len(t, f.wakes, 1, "one wake-up, at the first window after the weekend")
	assert.True(t, f.wakes[0].Equal(time.Date(2026, 11, 30, 20, 0, 0, 0, paris)))
	assert.Contains(t, r.stdout, "waiting for the change to be allowed, at most 72h (until Mon 2026-11-30 22:00 CET)\n")
	assert.Contains(t, r.stdout, "Fri 2026-11-27 22:00 CET: denied by friday-freeze, evening-window; waiting until Mon 2026-11-30 20:00 CET\n")
	assert.Contains(t, r.stdout, "  friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris")
	assert.Contains(t, r.stdout, "change: to production, Mon 2026-11-30 20:00 CET to Mon 2026-11-30 21:30 CET (1h30m)\n")
	assert.True(t, strings.HasSuffix(r.stdout, "allowed: the change may run\n"), r.stdout)
}

func TestWaitPastMax(t *testing.T) {
	f := &fakeSys{now: time.Date(2026, 11, 27, 17, 0, 0, 0, paris)}
	r := f.run(waitArgs("-max", "48h")...)
	assert.Equal(t, exitWaited, r.code, r.stdout)
	assert.Len(t, f.wakes, 1, "it sleeps until -max at once")
	assert.True(t, f.now.Equal(time.Date(2026, 11, 29, 17, 0, 0, 0, paris)))
	assert.Contains(t, r.stdout, "denied by weekend-freeze, evening-window\n")
	assert.Contains(t, r.stdout, "waited 48h, past -max 48h: still denied\n")
	assert.Contains(t, r.stdout, "next allowed slot: Mon 2026-11-30 20:00 CET")

	f = &fakeSys{now: time.Date(2026, 11, 27, 17, 0, 0, 0, paris)}
	r = f.run(waitArgs("-max", "48h", "-json")...)
	assert.Equal(t, exitWaited, r.code)
	var got decision
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), "stdout is one JSON object: %s", r.stdout)
	assert.True(t, got.WaitedPast)
	assert.Equal(t, "48h", got.Waited)
	assert.False(t, got.Allowed)
	assert.Contains(t, r.stderr, "waiting until", "the progress goes to stderr with -json")
}

func TestWaitTheGoArrivesInTheFactsFile(t *testing.T) {
	facts := filepath.Join(t.TempDir(), "facts.json")
	start := time.Date(2026, 11, 24, 20, 30, 0, 0, paris) // Tuesday, in the window
	f := &fakeSys{now: start}
	f.onWake = func(now time.Time) {
		if now.Equal(start.Add(3 * time.Minute)) {
			require.NoError(t, os.WriteFile(facts, []byte(`{"approvals": [{"role": "operations", "by": "bob", "go": true}]}`), 0o644))
		}
	}
	r := f.run("-policy", "deploy-policy.yaml", "-wait", "-duration", "60m", "-env", "production",
		"-ready-at", "2026-11-01T00:00:00Z", "-outage", "20m", "-facts", facts)
	require.Equal(t, exitAllowed, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Len(t, f.wakes, 3, "polled every minute until the GO")
	assert.Contains(t, r.stdout, "denied by require-go:operations; waiting until Tue 2026-11-24 20:31 CET\n")
	assert.Contains(t, r.stdout, "ALLOW require-go:operations: GO from operations by bob\n")
	assert.Equal(t, 1, strings.Count(r.stdout, "waiting until"), "one line per change of the reasons, not per poll")
}

func TestWaitBadFacts(t *testing.T) {
	facts := writeFile(t, "facts.json", `{"approvals": [{"role": "operations", "by": "bob", "go": true}], "typo": 1}`)
	f := &fakeSys{now: time.Date(2026, 11, 24, 20, 30, 0, 0, paris)}
	r := f.run(waitArgs("-facts", facts)...)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "-facts")
	assert.Contains(t, r.stderr, "typo")
}

func TestWaitFlags(t *testing.T) {
	f := &fakeSys{now: time.Date(2026, 11, 24, 20, 30, 0, 0, paris)}
	for _, args := range [][]string{
		waitArgs("-start", "2026-11-24 20:30"),
		waitArgs("-now", "2026-11-24 20:30"),
		waitArgs("-max", "0s"),
		waitArgs("-poll", "-1m"),
		waitArgs("-announce", "-1h"),
	} {
		r := f.run(args...)
		assert.Equal(t, exitUsage, r.code, "%v: %s", args, r.stdout)
	}
	assert.Empty(t, f.wakes)
	// -start now is what -wait means.
	r := f.run(waitArgs("-start", "now")...)
	assert.Equal(t, exitAllowed, r.code, r.stderr)
}

func TestAnnounceFlag(t *testing.T) {
	r := gateRun(t, change("2026-11-26 20:30", "-now", "2026-11-26T19:00:00+01:00", "-announce", "3h")...)
	assert.Equal(t, exitAllowed, r.code, r.stderr)
	assert.Contains(t, r.stdout, "WARN  announce: evening-window blocks go-lives from Thu 2026-11-26 23:30 CET, in 4h30m, 1h30m after the planned end of the operation")
	r = gateRun(t, change("2026-11-26 20:30", "-now", "2026-11-26T19:00:00+01:00", "-announce", "3h", "-strict")...)
	assert.Equal(t, exitDenied, r.code, "-strict denies the warning")
}

func TestJSONRuleAndIndex(t *testing.T) {
	r := gateRun(t, change("2026-11-27 20:30", "-json")...)
	assert.Equal(t, exitDenied, r.code)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	ds := got["decisions"].([]any)
	first := ds[0].(map[string]any)
	assert.Equal(t, "friday-freeze", first["policy"])
	assert.Equal(t, "R11", first["rule"])
	assert.EqualValues(t, 0, first["index"])
	assert.Equal(t, "deny", first["verdict"])
	window := ds[3].(map[string]any)
	assert.EqualValues(t, 3, window["index"])
	assert.NotContains(t, window, "rule", "a window enforces no rule of the method")
	assert.Equal(t, "2026-11-30T20:00:00+01:00", got["next_slot"])
}

func TestWaitStrictWaitsForTheWarningsToClear(t *testing.T) {
	// Thursday 20:00, in the window: -announce warns that the window
	// closes within 3h of the end. Without -strict the wait ends at once,
	// with the warning.
	f := &fakeSys{now: time.Date(2026, 11, 26, 20, 0, 0, 0, paris)}
	r := f.run(waitArgs("-announce", "3h")...)
	require.Equal(t, exitAllowed, r.code, r.stdout)
	assert.Empty(t, f.wakes)
	assert.Contains(t, r.stdout, "allowed, with warnings")

	// With -strict the announcement denies: the gate polls, and gives up
	// at -max, still warned of the closing window.
	f = &fakeSys{now: time.Date(2026, 11, 26, 20, 0, 0, 0, paris)}
	r = f.run(waitArgs("-announce", "3h", "-strict", "-max", "10m", "-poll", "5m")...)
	assert.Equal(t, exitWaited, r.code, r.stdout)
	assert.Len(t, f.wakes, 2)
	assert.Contains(t, r.stdout, "denied by announce; waiting until Thu 2026-11-26 20:05 CET\n")
	assert.Contains(t, r.stdout, "DENY  announce: a warning, denied by -strict: evening-window blocks go-lives")

	// Readiness arriving through -facts ends a strict wait.
	facts := filepath.Join(t.TempDir(), "facts.json")
	start := time.Date(2026, 11, 24, 20, 30, 0, 0, paris)
	f = &fakeSys{now: start, onWake: func(now time.Time) {
		if now.Equal(start.Add(2 * time.Minute)) {
			require.NoError(t, os.WriteFile(facts, []byte(`{"ready_at": "2026-11-01T00:00:00Z"}`), 0o644))
		}
	}}
	r = f.run("-policy", "deploy-policy.yaml", "-wait", "-strict", "-duration", "60m", "-env", "production",
		"-approve", "operations:alice", "-outage", "20m", "-facts", facts)
	require.Equal(t, exitAllowed, r.code, r.stdout)
	assert.Len(t, f.wakes, 2)
}

// FuzzFacts checks that any -facts file either adds its facts or is bad
// input (exit 2 at the gate), never a panic.
func FuzzFacts(f *testing.F) {
	for _, s := range []string{
		`{"ready_at": "2026-11-01T00:00:00Z", "approvals": [{"role": "operations", "by": "bob", "go": true}]}`,
		`{}`, ``, `[`, `{"ready_at": "yesterday"}`, `{"approvals": null}`, `{"typo": 1}`, `{} {}`,
	} {
		f.Add(s)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, s string) {
		path := filepath.Join(dir, "facts.json")
		require.NoError(t, os.WriteFile(path, []byte(s), 0o644))
		p := &plan{facts: path}
		c, err := p.refresh(t.Context())
		if err != nil {
			var bad *badInput
			assert.ErrorAs(t, err, &bad)
			return
		}
		again, err := p.refresh(t.Context())
		require.NoError(t, err)
		assert.Equal(t, c, again, "the same file gives the same facts")
	})
}

func TestFactsTrailingData(t *testing.T) {
	p := &plan{facts: writeFile(t, "facts.json", `{"ready_at": "2026-11-01T00:00:00Z"} {"approvals": []}`)}
	_, err := p.refresh(t.Context())
	var bad *badInput
	require.ErrorAs(t, err, &bad)
	assert.Contains(t, err.Error(), "one JSON object")

	// A file not written yet adds nothing.
	p = &plan{facts: filepath.Join(t.TempDir(), "later.json")}
	c, err := p.refresh(t.Context())
	require.NoError(t, err)
	assert.True(t, c.ReadyAt.IsZero())
}

// TestFactsReadAsTheFlags: a -facts file's ready_at is read as -ready-at
// is, so an offset of +24:00 (which time.Parse takes for a whole day) is
// bad input naming the field; and a -facts that is a named pipe is refused
// at once, where the gate blocked on its open, past -max.
func TestFactsReadAsTheFlags(t *testing.T) {
	p := &plan{facts: writeFile(t, "facts.json", `{"ready_at": "2026-11-01T00:00:00+24:00"}`)}
	_, err := p.refresh(t.Context())
	var bad *badInput
	require.ErrorAs(t, err, &bad)
	assert.Contains(t, err.Error(), "ready_at: time \"2026-11-01T00:00:00+24:00\"")

	fifo := filepath.Join(t.TempDir(), "facts.json")
	require.NoError(t, syscall.Mkfifo(fifo, 0o600))
	done := make(chan error, 1)
	go func() {
		_, err := (&plan{facts: fifo}).refresh(t.Context())
		done <- err
	}()
	select {
	case err := <-done:
		require.ErrorAs(t, err, &bad)
		assert.Contains(t, err.Error(), "-facts "+fifo+": not a regular file")
	case <-time.After(5 * time.Second):
		t.Fatal("-facts on a named pipe: still blocked after 5s")
	}
}
