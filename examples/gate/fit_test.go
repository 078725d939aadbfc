package main

import (
	"encoding/json"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// fitPolicy is a policy file that requires the operation to end within
// its evening window at P90.
const fitPolicy = `zone: Europe/Paris
policies:
  - kind: windows
    name: evenings
    spec: Mon-Thu 20:00-23:30
  - kind: fit
`

// writeRehearsal writes the journal of a rehearsal on day of November
// 2026, from 20:00 in Paris: stop (10m, outage), migrate (outage) and
// check (20m), and returns its path.
func writeRehearsal(t *testing.T, day int, migrate time.Duration) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "rehearsal.jsonl")
	at := time.Date(2026, 11, day, 20, 0, 0, 0, paris)
	j, err := timeline.Open(path, &timeline.Options{Now: func() time.Time { return at }, NoSync: true})
	require.NoError(t, err)
	for _, st := range []struct {
		id     string
		impact timeline.Impact
		d      time.Duration
	}{{"stop", timeline.Outage, 10 * time.Minute}, {"migrate", timeline.Outage, migrate}, {"check", timeline.NoImpact, 20 * time.Minute}} {
		_, err = j.Start(st.id, "bea", st.impact)
		require.NoError(t, err)
		at = at.Add(st.d)
		_, err = j.End(st.id, "bea", timeline.Done)
		require.NoError(t, err)
	}
	require.NoError(t, j.Close())
	return path
}

// A policy file that requires a fit at P90 fails closed without the
// rehearsals: the gate says what it needs instead of letting the change
// through on a warning.
func TestFitNeedsTheRehearsals(t *testing.T) {
	file := writeFile(t, "fit.yaml", fitPolicy)
	r := gateRun(t, "-policy", file, "-start", "2026-11-24 20:30", "-duration", "90m")
	assert.Equal(t, exitUsage, r.code, "stdout: %s", r.stdout)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "gate: the policy file requires the operation to end within its window at P90 (policy fit-p90), "+
		"and the gate cannot know the P90 without the timed rehearsals: give -rehearsal FILE")

	p95 := writeFile(t, "fit95.yaml", fitPolicy+"    quantile: p95\n")
	r = gateRun(t, "-policy", p95, "-start", "2026-11-24 20:30", "-duration", "90m", "-json")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "at P95 (policy fit-p95)")
}

// With the rehearsals, the fit policy judges the P90 end that the gate
// simulates from them: within the window at 20:30, past it at 21:50,
// where -duration alone still fits; the next slot is where the P90 fits.
func TestFitFromTheRehearsals(t *testing.T) {
	file := writeFile(t, "fit.yaml", fitPolicy)
	one, two := writeRehearsal(t, 10, 60*time.Minute), writeRehearsal(t, 17, 70*time.Minute)
	args := func(start string) []string {
		return []string{"-policy", file, "-start", start, "-duration", "90m", "-rehearsal", one, "-rehearsal", two}
	}
	r := gateRun(t, args("2026-11-24 20:30")...)
	require.Equal(t, exitAllowed, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Regexp(t, `ALLOW fit-p90: P90 end 22:\d\d CET, window ends 23:30 CET \(evenings\); \d+% chance to overrun`, r.stdout)

	r = gateRun(t, args("2026-11-24 21:50")...)
	require.Equal(t, exitDenied, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "ALLOW evenings:")
	assert.Regexp(t, `DENY  fit-p90: P90 end 23:\d\d CET, window ends 23:30 CET \(evenings\); \d+% chance to overrun`, r.stdout)
	assert.Contains(t, r.stdout, "denied by fit-p90\n")
	assert.Contains(t, r.stdout, "next allowed slot: Wed 2026-11-25 20:00 CET")

	again := gateRun(t, args("2026-11-24 21:50")...)
	assert.Equal(t, r.stdout, again.stdout, "the same rehearsals give the same figures")
}

// One rehearsal is thin data: the gate says so, and a journal it cannot
// read, or that times no step, is bad input that names the file.
func TestFitRehearsalFiles(t *testing.T) {
	file := writeFile(t, "fit.yaml", fitPolicy)
	one := writeRehearsal(t, 10, 60*time.Minute)
	r := gateRun(t, "-policy", file, "-start", "2026-11-24 20:30", "-duration", "90m", "-rehearsal", one)
	require.Equal(t, exitAllowed, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stdout, "note: rehearsals: overrun: timed by one rehearsal only, so taken with a log-spread of 0.25 around that timing: stop, migrate, check\n")

	r = gateRun(t, "-policy", file, "-start", "2026-11-24 20:30", "-duration", "90m", "-rehearsal", one, "-json")
	require.Equal(t, exitAllowed, r.code, "stderr: %s", r.stderr)
	var out struct {
		Warnings []string `json:"rehearsal_warnings"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &out))
	assert.Contains(t, out.Warnings, "overrun: timed by one rehearsal only, so taken with a log-spread of 0.25 around that timing: stop, migrate, check")

	bad := writeFile(t, "bad.jsonl", "not a journal\n")
	r = gateRun(t, "-policy", file, "-start", "2026-11-24 20:30", "-duration", "90m", "-rehearsal", bad)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "gate: -rehearsal "+bad+": ")

	empty := writeFile(t, "empty.jsonl", "")
	r = gateRun(t, "-policy", file, "-start", "2026-11-24 20:30", "-duration", "90m", "-rehearsal", empty)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "gate: -rehearsal "+empty+": the journal times no step")

	r = gateRun(t, "-policy", file, "-start", "2026-11-24 20:30", "-duration", "90m", "-rehearsal", "")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "want a file name")
}
