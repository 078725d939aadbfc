package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/demo.golden")

// result is what one run of the program printed and returned.
type result struct {
	code           int
	stdout, stderr string
}

// clock is the default -now of the tests: Tuesday 2026-11-24 17:00 in Paris.
var clock = time.Date(2026, 11, 24, 16, 0, 0, 0, time.UTC)

func gateRun(t *testing.T, args ...string) result {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(args, &stdout, &stderr, func() time.Time { return clock })
	return result{code, stdout.String(), stderr.String()}
}

// writeFile writes a policy file into a temporary directory.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), name)
	require.NoError(t, os.WriteFile(path, []byte(content), 0o644))
	return path
}

// change returns the flags of a change against deploy-policy.yaml that
// every policy allows when start is a Monday to Thursday evening.
func change(start string, extra ...string) []string {
	return append([]string{"-policy", "deploy-policy.yaml", "-start", start, "-duration", "90m",
		"-env", "production", "-ready-at", "2026-11-01T00:00:00Z", "-approve", "operations:alice", "-outage", "20m"}, extra...)
}

func TestAllowed(t *testing.T) {
	r := gateRun(t, change("2026-11-24 20:30")...)
	require.Equal(t, exitAllowed, r.code, "stderr: %s", r.stderr)
	assert.Empty(t, r.stderr)
	assert.Contains(t, r.stdout, "change: to production, Tue 2026-11-24 20:30 CET to Tue 2026-11-24 22:00 CET (1h30m)\n")
	assert.Contains(t, r.stdout, "ALLOW friday-freeze: no Friday in Europe/Paris during the operation\n")
	assert.Contains(t, r.stdout, "ALLOW require-go:operations: GO from operations by alice\n")
	assert.True(t, strings.HasSuffix(r.stdout, "allowed: the change may run\n"), r.stdout)
	assert.NotContains(t, r.stdout, "DENY")
}

func TestAllowedWithWarnings(t *testing.T) {
	// Not ready yet and no GO, two hours before the deadline: warnings.
	r := gateRun(t, "-policy", "deploy-policy.yaml", "-start", "2026-11-24 21:00", "-duration", "1h")
	require.Equal(t, exitAllowed, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stdout, "WARN  readiness: not ready yet; everything must be ready by Tue 2026-11-24 20:00 CET")
	assert.Contains(t, r.stdout, "WARN  require-go:operations: waiting for the GO from operations\n")
	assert.Contains(t, r.stdout, "decided: Tue 2026-11-24 17:00 CET\n") // the clock, in the file's zone
	assert.True(t, strings.HasSuffix(r.stdout, "allowed, with warnings: the change may run\n"), r.stdout)
}

func TestFridayDenied(t *testing.T) {
	r := gateRun(t, change("2026-11-27 20:30")...)
	require.Equal(t, exitDenied, r.code, "stderr: %s", r.stderr)
	assert.Empty(t, r.stderr)
	assert.Contains(t, r.stdout, "DENY  friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET\n")
	assert.Contains(t, r.stdout, "denied by friday-freeze, evening-window\n")
	assert.Contains(t, r.stdout, "next allowed slot: Mon 2026-11-30 20:00 CET (-start 2026-11-30T20:00:00+01:00)\n")
}

func TestDeniedBeyondTheCalendar(t *testing.T) {
	// A No-Go does not depend on the start: no slot is proposed.
	r := gateRun(t, change("2026-11-24 20:30", "-reject", "operations:bob:backup not verified")...)
	require.Equal(t, exitDenied, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stdout, "DENY  require-go:operations: No-Go from operations by bob: backup not verified\n")
	assert.NotContains(t, r.stdout, "next allowed slot")
	assert.Contains(t, r.stdout, "the calendars allow this start; moving it does not clear require-go:operations\n")

	// On a Friday with too long an outage: a slot, and what it leaves.
	r = gateRun(t, change("2026-11-27 20:30", "-outage", "45m")...)
	require.Equal(t, exitDenied, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stdout, "next allowed slot: Mon 2026-11-30 20:00 CET")
	assert.Contains(t, r.stdout, "moving the start does not clear max-outage\n")
}

func TestReadinessMovesTheSlot(t *testing.T) {
	// Not ready at the deadline: the slot is at least an hour after now.
	clock := time.Date(2026, 11, 24, 21, 0, 0, 0, time.UTC) // 22:00 in Paris
	var stdout, stderr bytes.Buffer
	code := run([]string{"-policy", "deploy-policy.yaml", "-start", "2026-11-24 20:30", "-duration", "30m",
		"-approve", "operations:alice"}, &stdout, &stderr, func() time.Time { return clock })
	require.Equal(t, exitDenied, code, "stderr: %s", stderr.String())
	assert.Contains(t, stdout.String(), "DENY  readiness: not ready at the deadline Tue 2026-11-24 19:30 CET")
	// 23:00 Tuesday is still in the window, and 30 minutes fit before 23:30.
	assert.Contains(t, stdout.String(), "next allowed slot: Tue 2026-11-24 23:00 CET")
}

func TestNoSlotWithinHorizon(t *testing.T) {
	r := gateRun(t, change("2026-12-21 20:30", "-horizon", "5d")...)
	require.Equal(t, exitDenied, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stdout, "DENY  year-end:")
	assert.Contains(t, r.stdout, "no allowed slot within 5d of the start\n")

	r = gateRun(t, change("2026-12-21 20:30")...) // the default 90 days
	require.Equal(t, exitDenied, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stdout, "next allowed slot: Mon 2027-01-04 20:00 CET")
}

func TestJSON(t *testing.T) {
	r := gateRun(t, change("2026-11-27 20:30", "-json", "-name", "billing 4.2")...)
	require.Equal(t, exitDenied, r.code, "stderr: %s", r.stderr)
	var got struct {
		Change struct {
			Name, Environment, Duration, Zone string
			Start, End                        time.Time
		}
		Allowed   bool
		Verdict   string
		Decisions []struct {
			Policy, Verdict, Reason string
			Next                    *time.Time
		}
		NextSlot *time.Time `json:"next_slot"`
		Note     string
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
	assert.Equal(t, "billing 4.2", got.Change.Name)
	assert.Equal(t, "production", got.Change.Environment)
	assert.Equal(t, "1h30m", got.Change.Duration)
	assert.Equal(t, "Europe/Paris", got.Change.Zone)
	assert.False(t, got.Allowed)
	assert.Equal(t, "deny", got.Verdict)
	require.Len(t, got.Decisions, 8)
	assert.Equal(t, "friday-freeze", got.Decisions[0].Policy)
	assert.Equal(t, "deny", got.Decisions[0].Verdict)
	require.NotNil(t, got.Decisions[0].Next)
	assert.True(t, got.Decisions[0].Next.Equal(time.Date(2026, 11, 27, 23, 0, 0, 0, time.UTC)), "next %v", got.Decisions[0].Next)
	assert.Nil(t, got.Decisions[1].Next)
	require.NotNil(t, got.NextSlot)
	assert.True(t, got.NextSlot.Equal(time.Date(2026, 11, 30, 19, 0, 0, 0, time.UTC)), "next slot %v", got.NextSlot)
	assert.Empty(t, got.Note)
}

func TestStartZone(t *testing.T) {
	// No top-level zone: a local -start is read in UTC.
	noZone := writeFile(t, "policy.yaml", `
policies:
  - kind: friday-freeze
    zone: Europe/Paris
`)
	// Thursday 23:30 UTC is Friday 00:30 in Paris.
	r := gateRun(t, "-policy", noZone, "-start", "2026-11-26 23:30", "-duration", "10m", "-json")
	require.Equal(t, exitDenied, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stdout, `"start": "2026-11-26T23:30:00Z"`)
	assert.Contains(t, r.stdout, `"zone": "UTC"`)

	// With a zone, in JSON: the same local time is Thursday in Paris.
	withZone := writeFile(t, "policy.json", "{\n\t\"zone\": \"Europe/Paris\",\n\t\"policies\": [{\"kind\": \"friday-freeze\"}]\n}\n")
	r = gateRun(t, "-policy", withZone, "-start", "2026-11-26 23:30", "-duration", "10m", "-json")
	require.Equal(t, exitAllowed, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stdout, `"start": "2026-11-26T23:30:00+01:00"`)

	// RFC 3339 is taken as given.
	r = gateRun(t, "-policy", withZone, "-start", "2026-11-26T23:30:00Z", "-duration", "10m")
	require.Equal(t, exitDenied, r.code, "stderr: %s", r.stderr)
	assert.Contains(t, r.stdout, "change: Fri 2026-11-27 00:30 CET to Fri 2026-11-27 00:40 CET (10m)\n")
}

func TestBadPolicyFile(t *testing.T) {
	path := writeFile(t, "policy.yaml", `zone: Europe/Paris
policies:
  - kind: friday-freeze
  - kind: windows
    spec: Mon-Thu 20h-23h
`)
	r := gateRun(t, "-policy", path, "-start", "2026-11-24 20:30", "-duration", "90m")
	require.Equal(t, exitUsage, r.code)
	assert.Empty(t, r.stdout)
	assert.Contains(t, r.stderr, "policyfile: "+path+": line 5: policies[1].spec: window spec")
	assert.Contains(t, r.stderr, `bad time "20h", want HH:MM`)
}

func TestBadInput(t *testing.T) {
	unknownZone := writeFile(t, "zone.yaml", "zone: Europe/Atlantis\npolicies:\n  - kind: friday-freeze\n")
	tests := []struct {
		name string
		args []string
		want string // in stderr
	}{
		{"unknown flag", []string{"-bogus"}, "flag provided but not defined: -bogus"},
		{"no policy", []string{"-start", "2026-11-24 20:30", "-duration", "1h"}, "-policy FILE is required"},
		{"no start", []string{"-policy", "deploy-policy.yaml", "-duration", "1h"}, "-start TIME is required"},
		{"no duration", []string{"-policy", "deploy-policy.yaml", "-start", "2026-11-24 20:30"}, "-duration is required"},
		{"bad duration", []string{"-duration", "90 minutes"}, `invalid value "90 minutes" for flag -duration`},
		{"bad start", change("24/11/2026 20:30"), `-start "24/11/2026 20:30": want RFC 3339`},
		{"skipped local time", change("2027-03-28 02:30"), "does not exist in Europe/Paris"},
		{"repeated local time", change("2026-10-25 02:30"), `-start "2026-10-25 02:30": that local time comes twice in Europe/Paris (the clocks go back): give it in RFC 3339, 2026-10-25T02:30:00+02:00 or 2026-10-25T02:30:00+01:00`},
		{"repeated local ready-at", change("2026-11-24 20:30", "-ready-at", "2026-10-25 02:00"), `-ready-at "2026-10-25 02:00": that local time comes twice`},
		{"bad now", change("2026-11-24 20:30", "-now", "tomorrow"), `-now "tomorrow"`},
		{"bad ready-at", change("2026-11-24 20:30", "-ready-at", "soon"), `-ready-at "soon"`},
		{"bad approve", change("2026-11-24 20:30", "-approve", "alice"), "want ROLE:NAME"},
		{"reject without reason", change("2026-11-24 20:30", "-reject", "operations:bob"), "want ROLE:NAME:REASON"},
		{"bad horizon", change("2026-11-24 20:30", "-horizon", "0d"), "want a number of days"},
		{"argument", append(change("2026-11-24 20:30"), "now"), `unexpected argument "now"`},
		{"missing file", []string{"-policy", "no-such-file.yaml", "-start", "2026-11-24 20:30", "-duration", "1h"}, "no-such-file.yaml"},
		{"unknown zone", []string{"-policy", unknownZone, "-start", "2026-11-24 20:30", "-duration", "1h"}, `line 1: zone: unknown time zone "Europe/Atlantis"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := gateRun(t, tt.args...)
			assert.Equal(t, exitUsage, r.code)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, tt.want)
		})
	}
}

func TestHelp(t *testing.T) {
	r := gateRun(t, "-help")
	assert.Equal(t, exitUsage, r.code, "help decides nothing: a pipeline must not go on")
	assert.Equal(t, usage, r.stdout)
	assert.Contains(t, r.stdout, `read in the zone of the policy`)

	r = gateRun(t, append(change("2026-11-27 20:30"), "-h")...)
	assert.Equal(t, exitUsage, r.code, "a Friday change followed by -h is not allowed")
}

func TestNoArgumentsStopsThePipeline(t *testing.T) {
	r := gateRun(t)
	assert.Equal(t, exitUsage, r.code, "an empty $ARGS must not read as allowed")
	assert.Empty(t, r.stdout)
	assert.Equal(t, usage, r.stderr)
}

func TestStrictAndNow(t *testing.T) {
	// The deploy step runs at 10:00 on Tuesday, outside the evening window,
	// with no GO and no readiness: planned for 20:30 it only warns, but as
	// a deployment that starts now it is denied.
	ten := "2026-11-24T10:00:00+01:00"
	planned := gateRun(t, "-policy", "deploy-policy.yaml", "-start", "2026-11-24 20:30", "-duration", "90m", "-now", ten)
	assert.Equal(t, exitAllowed, planned.code, planned.stdout)
	r := gateRun(t, "-policy", "deploy-policy.yaml", "-start", "now", "-duration", "90m", "-now", ten)
	assert.Equal(t, exitDenied, r.code, r.stdout)
	assert.Contains(t, r.stdout, "change: Tue 2026-11-24 10:00 CET")
	assert.Contains(t, r.stdout, "DENY  evening-window")

	// In the window, with only warnings left, -strict denies.
	eve := "2026-11-24T20:30:00+01:00"
	lax := gateRun(t, "-policy", "deploy-policy.yaml", "-start", "2026-11-24 21:00", "-duration", "1h", "-now", "2026-11-24T17:00:00+01:00")
	require.Equal(t, exitAllowed, lax.code, lax.stdout)
	strict := gateRun(t, "-policy", "deploy-policy.yaml", "-start", "2026-11-24 21:00", "-duration", "1h", "-now", "2026-11-24T17:00:00+01:00", "-strict")
	assert.Equal(t, exitDenied, strict.code, strict.stdout)
	assert.Contains(t, strict.stdout, "require-go:operations (a warning, denied by -strict)")

	ok := gateRun(t, "-policy", "deploy-policy.yaml", "-start", "now", "-now", eve, "-duration", "1h", "-strict",
		"-ready-at", "2026-11-24T18:00:00+01:00", "-approve", "operations:alice", "-outage", "0s")
	assert.Equal(t, exitAllowed, ok.code, ok.stdout)
	// Without -outage the outage is unknown: a warning, which -strict denies.
	unknown := gateRun(t, "-policy", "deploy-policy.yaml", "-start", "now", "-now", eve, "-duration", "1h", "-strict",
		"-ready-at", "2026-11-24T18:00:00+01:00", "-approve", "operations:alice")
	assert.Equal(t, exitDenied, unknown.code, unknown.stdout)
	assert.Contains(t, unknown.stdout, "WARN  max-outage: expected outage unknown (the limit is 30m)")
}

// A runner whose clock is UTC checks a deployment that starts now against
// a Paris file: every time of the answer is in Paris time.
func TestStartNowOnAUTCRunner(t *testing.T) {
	require.Equal(t, time.UTC, clock.Location())
	r := gateRun(t, "-policy", "deploy-policy.yaml", "-start", "now", "-duration", "1h", "-approve", "operations:bob")
	require.Equal(t, exitDenied, r.code, r.stderr)
	assert.Contains(t, r.stdout, "change: Tue 2026-11-24 17:00 CET to Tue 2026-11-24 18:00 CET (1h)\n")
	assert.Contains(t, r.stdout, "DENY  readiness: not ready at the deadline Tue 2026-11-24 16:00 CET (1h before the start)")
	assert.Contains(t, r.stdout, "DENY  evening-window: Tue 2026-11-24 17:00 is outside the windows")
	assert.Contains(t, r.stdout, "next allowed slot: Tue 2026-11-24 20:00 CET")
	assert.NotContains(t, r.stdout, "UTC")
}

func TestDemo(t *testing.T) {
	r := gateRun(t, "demo")
	require.Equal(t, exitAllowed, r.code, "stderr: %s", r.stderr)
	assert.Empty(t, r.stderr)
	if *update {
		require.NoError(t, os.WriteFile("testdata/demo.golden", []byte(r.stdout), 0o644))
	}
	want, err := os.ReadFile("testdata/demo.golden")
	require.NoError(t, err)
	assert.Equal(t, string(want), r.stdout)
}

func TestShellQuote(t *testing.T) {
	got := shellQuote([]string{"-start", "2026-11-24 20:30", "-reject", "ops:bob:it's $late", ""})
	assert.Equal(t, `-start "2026-11-24 20:30" -reject 'ops:bob:it'\''s $late' ""`, got)
}

// failingWriter fails every write, as a closed pipe would.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, os.ErrClosed }

func TestOutputFails(t *testing.T) {
	// An answer that could not be written is not an allow.
	for _, extra := range [][]string{nil, {"-json"}} {
		var stderr bytes.Buffer
		code := run(change("2026-11-24 20:30", extra...), failingWriter{}, &stderr, func() time.Time { return clock })
		assert.Equal(t, exitDenied, code)
		assert.Contains(t, stderr.String(), "file already closed")
	}
}

func TestApproveWithoutName(t *testing.T) {
	// The README's CI recipe before anyone gave the GO: GO_BY is empty.
	args := []string{"-policy", "deploy-policy.yaml", "-start", "2026-11-24 20:30", "-duration", "90m",
		"-env", "production", "-ready-at", "2026-11-01T00:00:00Z", "-approve", "operations:"}
	r := gateRun(t, args...)
	require.Equal(t, exitAllowed, r.code, "a GO still to come is a warning before the deadline: %s", r.stderr)
	assert.Contains(t, r.stdout, `note: -approve "operations:" names nobody: no GO counted`)
	assert.Contains(t, r.stdout, "WARN  require-go:operations")
	assert.NotContains(t, r.stdout, "GO from operations by")

	r = gateRun(t, append(args, "-strict")...)
	assert.Equal(t, exitDenied, r.code, "-strict: no GO yet denies")

	r = gateRun(t, append(args, "-json")...)
	require.Equal(t, exitAllowed, r.code)
	var got map[string]any
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.Equal(t, []any{"operations:"}, got["ignored_approvals"])

	r = gateRun(t, change("2026-11-24 20:30", "-approve", ":alice")...)
	assert.Equal(t, exitUsage, r.code, "a name without a role is still bad input")
}

func TestEmptyName(t *testing.T) {
	for _, name := range []string{"", "  "} {
		r := gateRun(t, change("2026-11-24 20:30", "-name", name)...)
		require.Equal(t, exitAllowed, r.code, r.stderr)
		assert.Contains(t, r.stdout, "change: to production, Tue 2026-11-24 20:30 CET")
		assert.NotContains(t, r.stdout, "change:  ")
	}
	r := gateRun(t, change("2026-11-24 20:30", "-name", "billing 4.2")...)
	assert.Contains(t, r.stdout, "change: billing 4.2 to production, Tue 2026-11-24 20:30 CET")
}

func TestDemoEndsWithoutUsage(t *testing.T) {
	r := gateRun(t, "demo")
	require.Equal(t, exitAllowed, r.code, r.stderr)
	assert.NotContains(t, r.stdout, "usage:")
	assert.NotContains(t, r.stdout, "Flags:")
}

// scopedFile is a policy file whose Friday freeze applies to prod only.
const scopedFile = `zone: Europe/Paris
policies:
  - kind: friday-freeze
    scope: {environments: [prod]}
  - kind: max-outage
    limit: 30m
`

// fridayChange is a change on a Friday evening, with the given flags.
func fridayChange(path string, extra ...string) []string {
	return append([]string{"-policy", path, "-start", "2026-11-27 20:30", "-duration", "1h", "-outage", "10m"}, extra...)
}

// A change to an environment that no scope of the file names is refused
// (exit 2), even without -strict: "production" for "prod" must not pass
// the Friday freeze.
func TestUnknownEnvironmentFailsClosed(t *testing.T) {
	path := writeFile(t, "scoped.yaml", scopedFile)
	for _, strict := range []bool{false, true} {
		args := fridayChange(path, "-env", "production")
		if strict {
			args = append(args, "-strict")
		}
		r := gateRun(t, args...)
		assert.Equal(t, exitUsage, r.code, r.stdout)
		assert.Empty(t, r.stdout)
		assert.Contains(t, r.stderr, `-env: policyfile: unknown environment "production": the environments the scopes of the policy file name are prod`)
	}
	r := gateRun(t, fridayChange(path, "-env", "PROD")...)
	assert.Equal(t, exitDenied, r.code, r.stderr)
	assert.Contains(t, r.stdout, "DENY  friday-freeze: Fri 2026-11-27 is a Friday")
}

// A file that lists its environments refuses the others, scoped or not.
func TestListedEnvironments(t *testing.T) {
	path := writeFile(t, "listed.yaml", "environments: [prod, staging]\n"+scopedFile)
	r := gateRun(t, fridayChange(path, "-env", "production")...)
	assert.Equal(t, exitUsage, r.code, r.stdout)
	assert.Contains(t, r.stderr, `unknown environment "production": the environments the policy file lists are prod, staging`)

	// staging is listed; no policy of the file scopes it: the freeze does
	// not apply, by the file's own word.
	r = gateRun(t, fridayChange(path, "-env", "staging", "-strict")...)
	assert.Equal(t, exitAllowed, r.code, r.stdout+r.stderr)
	assert.Contains(t, r.stdout, "ALLOW friday-freeze: out of scope: the change is for staging")

	// A scope outside the list is a problem of the file.
	bad := writeFile(t, "bad.yaml", "environments: [staging]\n"+scopedFile)
	r = gateRun(t, fridayChange(bad, "-env", "staging")...)
	assert.Equal(t, exitUsage, r.code, r.stdout)
	assert.Contains(t, r.stderr, `line 5: policies[0].scope.environments[0]: "prod" is not one of the environments the file lists: staging`)
}

// A change without -env against scoped policies: a warning, which -strict
// denies.
func TestNoEnvironmentWithScopedPolicies(t *testing.T) {
	path := writeFile(t, "scoped.yaml", scopedFile)
	r := gateRun(t, fridayChange(path)...)
	assert.Equal(t, exitAllowed, r.code, r.stderr)
	assert.Contains(t, r.stdout, "WARN  environment: the change names no environment (-env), and policies of the file apply only to prod: they were not applied\n")
	assert.Contains(t, r.stdout, "allowed, with warnings: the change may run\n")

	r = gateRun(t, fridayChange(path, "-strict")...)
	assert.Equal(t, exitDenied, r.code, r.stderr)
	assert.Contains(t, r.stdout, "denied by environment (a warning, denied by -strict)\n")

	r = gateRun(t, fridayChange(path, "-strict", "-json")...)
	assert.Equal(t, exitDenied, r.code, r.stderr)
	var got decision
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got))
	assert.False(t, got.Allowed)
	assert.Contains(t, got.Decisions, decisionJSON{Policy: "environment", Index: 2, Verdict: "warn",
		Reason: "the change names no environment (-env), and policies of the file apply only to prod: they were not applied"})

	// No scoped policy: no environment is needed.
	r = gateRun(t, "-policy", "deploy-policy.yaml", "-start", "2026-11-24 21:00", "-duration", "1h", "-strict",
		"-ready-at", "2026-11-24T18:00:00+01:00", "-approve", "operations:alice", "-outage", "0s", "-now", "2026-11-24T17:00:00+01:00")
	assert.Equal(t, exitAllowed, r.code, r.stdout)
	assert.NotContains(t, r.stdout, "environment")
}

// The times of the flags are read as the policy file reads its own: an
// offset of a day or more is refused, not read a day off.
func TestFlagTimesStrict(t *testing.T) {
	for _, flagName := range []string{"-start", "-now", "-ready-at"} {
		for _, v := range []string{"2026-11-24T20:30:00+24:00", "2026-11-24T20:30:00-24:00", "2026-11-24T20:30:00+01:00:30", "10000-11-24T20:30:00Z"} {
			args := change("2026-11-24 20:30")
			args = append(args, flagName, v)
			r := gateRun(t, args...)
			assert.Equal(t, exitUsage, r.code, "%s %s: %s", flagName, v, r.stdout)
			assert.Contains(t, r.stderr, flagName+` "`+v+`": `, v)
		}
	}
	r := gateRun(t, change("2026-11-24 20:30", "-start", "2026-11-24T20:30:00+24:00")...)
	assert.Contains(t, r.stderr, `gate: -start "2026-11-24T20:30:00+24:00": the offset +24:00 is out of range: RFC 3339 offsets run from -23:59 to +23:59`)
}

// TestPolicyProblemsOnOneLine: a policy file with several problems fails
// on one line that lists them all, for the job's log.
func TestPolicyProblemsOnOneLine(t *testing.T) {
	data, err := os.ReadFile("deploy-policy.yaml")
	require.NoError(t, err)
	path := writeFile(t, "policy.yaml", string(data)+"k0: 1\nk1: 2\n")
	r := gateRun(t, "-policy", path, "-start", "2026-11-24 20:30", "-duration", "90m")
	assert.Equal(t, exitUsage, r.code)
	assert.Regexp(t, `^gate: policyfile: .*policy.yaml: 2 problems: line \d+: k0: unknown field: .*; line \d+: k1: unknown field: [^\n]*\n$`, r.stderr)
}
