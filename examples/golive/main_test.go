package main

import (
	"bytes"
	"context"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/mepkit/mepkit/mep/fleet"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var update = flag.Bool("update", false, "rewrite testdata/golive.golden")

func TestGoliveDefaultScenario(t *testing.T) {
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run(nil, &out, &errOut), errOut.String())
	if *update {
		require.NoError(t, os.WriteFile("testdata/golive.golden", out.Bytes(), 0o644))
	}
	want, err := os.ReadFile("testdata/golive.golden")
	require.NoError(t, err)
	assert.Equal(t, string(want), out.String(), "the demonstration is deterministic")

	got := out.String()
	for _, want := range []string{
		"gate validation -> rehearsal refused, 2 unmet",
		"planned go-live Tue 2026-11-10 20:30 refused by the policies",
		"eve of Armistice de 1918",
		"slot Thu 2026-11-12 20:00 taken by another team",
		"conflicts with Payments v3 at ACME/payments-v3 (team Ops-2) on database:db-billing, Thu 12 Nov 19:30-21:03 CET",
		"conflict check across the store's projects turned on by Olga",
		"T0 moved to Thu 2026-11-12 21:03",
		"fleet-conflicts: no conflict with the other planned rollout of the store",
		"go/no-go: GO",
		"rollback rehearsal of 2026-10-13 (preprod): 16m",
		"a rollback would take 16m",
		"migrate-database failed after 9m",
		"drift: 8m late",
		"next deployment billing-v2-site-2: 1 lesson(s) to apply",
		"industrialization → operations (Marc)",
		"## Go/no-go",
		"| Outage | 38m | 45m | +7m | +18.4% |",
	} {
		assert.Contains(t, got, want)
	}
	assert.Empty(t, errOut.String())
}

func TestGoliveHTML(t *testing.T) {
	path := filepath.Join(t.TempDir(), "report.html")
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"-html", path}, &out, &errOut), errOut.String())
	html, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(string(html), "<!DOCTYPE html>"))
	assert.Contains(t, string(html), `<div class="chart`)
	assert.NotContains(t, string(html), "<script")
}

func TestGoliveBadInput(t *testing.T) {
	dir := t.TempDir()
	write := func(name, text string) string {
		p := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(p, []byte(text), 0o600))
		return p
	}
	unknownField := write("unknown.yaml", strings.Replace(string(defaultScenario), "project:", "projet: x\nproject:", 1))
	badZone := write("zone.yaml", strings.Replace(string(defaultScenario), "zone: Europe/Paris\ncountry", "zone: Mars/Olympus\ncountry", 1))
	badRole := write("role.yaml", strings.Replace(string(defaultScenario), "roles: [mco]", "roles: [wizard]", 1))
	badTime := write("time.yaml", strings.Replace(string(defaultScenario), "created: 2026-01-05 09:00", "created: next tuesday", 1))
	typo := write("typo.yaml", strings.Replace(string(defaultScenario), "    switch-dns: [5m]", "    swich-dns: [5m]", 1))
	badDir := write("dir.yaml", strings.Replace(string(defaultScenario), "dir: payments", "dir: ../payments", 1))
	badResource := write("resource.yaml", strings.Replace(string(defaultScenario), "[database:db-billing, service:billing]", "[disk:db-billing]", 1))
	noConflictsBy := write("conflictsby.yaml", strings.Replace(string(defaultScenario), "  conflicts_by: Olga", "", 1))
	localZone := write("local.yaml", strings.Replace(string(defaultScenario), "zone: Europe/Paris\ncountry", "zone: Local\ncountry", 1))
	skipped := write("skipped.yaml", strings.Replace(string(defaultScenario), "created: 2026-01-05 09:00", "created: 2026-03-29 02:30", 1))
	twice := write("twice.yaml", strings.Replace(string(defaultScenario), "  planning: {at: 2026-10-14 09:00, by: Olga}", "  planning: {at: 2026-10-25 02:30, by: Olga}", 1))
	manyUnknown := write("many.yaml", string(defaultScenario)+"k0: 1\nk1: 1\nk2: 1\n")
	taken := t.TempDir()
	require.NoError(t, os.Mkdir(filepath.Join(taken, "payments"), 0o755))
	noPhase := write("phase.yaml", strings.Replace(string(defaultScenario), "  review: {at: 2026-11-13 10:00, by: Olga}\n", "", 1))
	tests := []struct {
		name string
		args []string
		want string
	}{
		{"unknown flag", []string{"-nope"}, "flag provided but not defined"},
		{"extra argument", []string{"now"}, "unexpected argument"},
		{"missing file", []string{"-scenario", filepath.Join(dir, "none.yaml")}, "no such file"},
		{"unknown field", []string{"-scenario", unknownField}, "line 4: field projet not found"},
		{"unknown zone", []string{"-scenario", badZone}, "Mars/Olympus"},
		{"unknown role", []string{"-scenario", badRole}, "wizard"},
		{"bad time", []string{"-scenario", badTime}, "not a time written 2006-01-02 15:04"},
		{"unknown fields", []string{"-scenario", manyUnknown}, "golive: scenario: line 167: field k0 not found (and 2 more)\n"},
		{"zone of the machine", []string{"-scenario", localZone}, `zone: "Local" is the zone of the machine`},
		{"skipped local time", []string{"-scenario", skipped}, `line 7: "2026-03-29 02:30" does not exist (the clocks go forward) in Europe/Paris`},
		{"repeated local time", []string{"-scenario", twice}, `line 35: "2026-10-25 02:30" comes twice (the clocks go back) in Europe/Paris`},
		{"step typo", []string{"-scenario", typo}, `cutover.steps: "swich-dns" is not in the runbook`},
		{"missing phase date", []string{"-scenario", noPhase}, "phases.review: missing"},
		{"neighbour outside the store", []string{"-scenario", badDir}, `neighbours[0].dir: "../payments" is not a plain directory name`},
		{"unknown resource kind", []string{"-scenario", badResource}, "disk"},
		{"no one turns the conflict check on", []string{"-scenario", noConflictsBy}, "cutover.conflicts_by: missing"},
		{"store holding a project", []string{"-store", taken}, "payments is there already"},
		{"html to a directory", []string{"-html", taken}, "-html " + taken + ": is a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut bytes.Buffer
			assert.Equal(t, 2, run(tt.args, &out, &errOut))
			assert.Contains(t, errOut.String(), tt.want)
		})
	}
}

// The go-live and its neighbour are records of one store: the schedule
// across projects reads both, and the go-live, moved off the neighbour's
// slot, conflicts with nothing.
func TestGoliveStoreKeepsTheRecords(t *testing.T) {
	store := filepath.Join(t.TempDir(), "records")
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"-store", store}, &out, &errOut), errOut.String())
	sched, err := fleet.OpenDir(context.Background(), store, &fleet.Options{Now: func() time.Time {
		return time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC) // before both cutovers
	}})
	require.NoError(t, err)
	defer sched.Close()
	snap := sched.Snapshot()
	require.Empty(t, snap.Errors)
	billing, ok := snap.Find("Billing v2 at ACME", "billing-v2-go-live")
	require.True(t, ok)
	payments, ok := snap.Find("Payments v3 at ACME", "payments-v3")
	require.True(t, ok)
	assert.Equal(t, "Billing", billing.Team)
	assert.Equal(t, "Ops-2", payments.Team)
	assert.False(t, billing.T0.Before(payments.End()), "the go-live starts once the neighbour's P90 end is past")
	assert.Empty(t, snap.Conflicts(fleet.Rules{}))

	// Played again into the same store, nothing is overwritten.
	out.Reset()
	errOut.Reset()
	assert.Equal(t, 2, run([]string{"-store", store}, &out, &errOut))
	assert.Contains(t, errOut.String(), "golive is there already")
}

func TestGoliveHTMLBadDirFailsFirst(t *testing.T) {
	var out, errOut bytes.Buffer
	code := run([]string{"-html", filepath.Join(t.TempDir(), "no", "such", "dir", "report.html")}, &out, &errOut)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut.String(), "golive: -html ")
	assert.Empty(t, out.String(), "nothing was played")
}

func TestGoliveHTMLLeavesNoTemporaryFile(t *testing.T) {
	dir := t.TempDir()
	var out, errOut bytes.Buffer
	require.Equal(t, 0, run([]string{"-html", filepath.Join(dir, "report.html")}, &out, &errOut), errOut.String())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "report.html", entries[0].Name())

	// A scenario that cannot be played leaves neither a report nor a
	// temporary file.
	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("project: [\n"), 0o600))
	other := filepath.Join(dir, "other.html")
	assert.Equal(t, 2, run([]string{"-scenario", bad, "-html", other}, &out, &errOut))
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2, "report.html and bad.yaml")
}
