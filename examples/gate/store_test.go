package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

// storeProject creates the record dir/name of a project that runs
// rollouts only, run by person, with one rollout at t0 of two steps
// (30 and 60 minutes) for team, touching the resources given as
// "kind:name".
func storeProject(t *testing.T, dir, name, person, rollout, team string, t0 time.Time, resources ...string) {
	t.Helper()
	opts := projectOptions(person)
	require.NoError(t, os.Mkdir(filepath.Join(dir, name), 0o700))
	p, err := mep.CreateFile(filepath.Join(dir, name), name, opts)
	require.NoError(t, err)
	defer func() { require.NoError(t, p.Close()) }()
	fillProject(t, p, person, rollout, team, t0, resources...)
}

// projectOptions are the options of the projects of the tests' stores.
func projectOptions(person string) *mep.Options {
	created := time.Date(2026, 11, 16, 9, 0, 0, 0, paris)
	return &mep.Options{Now: func() time.Time { return created }, NoSync: true, RolloutsOnly: true,
		CreatedBy: person, RolloutsOnlyReason: "the product is in production"}
}

// fillProject gives p, run by person, a rollout at t0 of two steps (30
// and 60 minutes) for team, touching the resources given as
// "kind:name".
func fillProject(t *testing.T, p *mep.Project, person, rollout, team string, t0 time.Time, resources ...string) {
	t.Helper()
	require.NoError(t, p.Team().Add(mep.Member{Name: person, Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO, mep.RoleBuild}}))
	require.NoError(t, p.Team().Choose(person, person))
	require.NoError(t, p.Team().SetMCOContact(person))
	r, err := p.NewRollout(mep.RolloutOptions{Name: rollout, T0: t0, Environment: "production", Labels: map[string]string{"team": team},
		Runbook: []mep.Step{
			{ID: "stop", Title: "Stop", Expected: 30 * time.Minute, Rollback: "start again"},
			{ID: "migrate", Title: "Migrate", Expected: 60 * time.Minute, Rollback: "restore the backup"},
		}})
	require.NoError(t, err)
	for _, s := range resources {
		res, err := mep.ParseResource(s)
		require.NoError(t, err)
		require.NoError(t, r.Resources().Declare(res.Kind, res.Name, person, "touched by the cutover"))
	}
}

// billingStore is a directory of two records: billing/v3 on the
// billing database on Tuesday 24 November at 21:00 in Paris, and
// payments/v7, the change the gate judges, on the same database.
func billingStore(t *testing.T) string {
	dir := t.TempDir()
	storeProject(t, dir, "billing", "Olga", "v3", "Ops-2", time.Date(2026, 11, 24, 21, 0, 0, 0, paris), "database:billing")
	storeProject(t, dir, "payments", "Max", "v7", "Pay", time.Date(2026, 11, 24, 20, 30, 0, 0, paris), "database:billing", "network:core")
	return dir
}

// deniedForBilling asserts that payments/v7 at 20:30 on 24 November was
// denied for its conflict with billing/v3 on the billing database.
func deniedForBilling(t *testing.T, r result) {
	t.Helper()
	require.Equal(t, exitDenied, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Regexp(t, `\nDENY  fleet-conflicts: conflicts with billing/v3 \(team Ops-2\) on database:billing, Tue 24 Nov 21:00-2\d:\d\d CET\n`, r.stdout)
	assert.Contains(t, r.stdout, "denied by fleet-conflicts\n")
	// The evening window cannot hold 90 minutes after billing's P90 end:
	// the next slot is the next evening.
	assert.Contains(t, r.stdout, "next allowed slot: Wed 2026-11-25 20:00 CET (-start 2026-11-25T20:00:00+01:00)\n")
}

func TestStoreConflictDenies(t *testing.T) {
	dir := billingStore(t)
	r := gateRun(t, change("2026-11-24 20:30", "-store", dir, "-project", "payments", "-rollout", "v7")...)
	deniedForBilling(t, r)

	// The slot it offers passes.
	r = gateRun(t, change("2026-11-25 20:00", "-store", dir, "-project", "payments", "-rollout", "v7")...)
	require.Equal(t, exitAllowed, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "ALLOW fleet-conflicts: ")

	// Warned only, with -conflicts warn; -strict denies the warning.
	r = gateRun(t, change("2026-11-24 20:30", "-store", dir, "-project", "payments", "-rollout", "v7", "-conflicts", "warn")...)
	require.Equal(t, exitAllowed, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "WARN  fleet-conflicts: conflicts with billing/v3 (team Ops-2) on database:billing")
	r = gateRun(t, change("2026-11-24 20:30", "-store", dir, "-project", "payments", "-rollout", "v7", "-conflicts", "warn", "-strict")...)
	assert.Equal(t, exitDenied, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
}

func TestStoreJSONAndExclusive(t *testing.T) {
	dir := t.TempDir()
	storeProject(t, dir, "billing", "Olga", "v3", "Ops-2", time.Date(2026, 11, 24, 21, 0, 0, 0, paris), "site:lyon")
	storeProject(t, dir, "payments", "Max", "v7", "Pay", time.Date(2026, 11, 24, 20, 30, 0, 0, paris), "site:paris")
	args := change("2026-11-24 20:30", "-store", dir, "-project", "payments", "-rollout", "v7", "-json")
	r := gateRun(t, args...)
	require.Equal(t, exitAllowed, r.code, "nothing shared: stdout: %s\nstderr: %s", r.stdout, r.stderr)

	r = gateRun(t, append(args, "-exclusive", "staging,production")...)
	require.Equal(t, exitDenied, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	var d decision
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &d))
	last := d.Decisions[len(d.Decisions)-1]
	assert.Equal(t, "fleet-conflicts", last.Policy)
	assert.Equal(t, "deny", last.Verdict)
	assert.Contains(t, last.Reason, "conflicts with billing/v3 (team Ops-2) on exclusive environment production, Tue 24 Nov 21:00-")
	require.NotNil(t, last.Next, "the end of billing/v3")
	require.NotNil(t, d.NextSlot)
	assert.True(t, d.NextSlot.After(*last.Next))
}

func TestStoreBadInput(t *testing.T) {
	dir := billingStore(t)
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a rollout the store does not hold", []string{"-store", dir, "-project", "payments", "-rollout", "v8"},
			"-project payments -rollout v8: no such rollout in the store"},
		{"no rollout", []string{"-store", dir, "-project", "payments"}, "-store needs -project NAME and -rollout NAME"},
		{"no store", []string{"-project", "payments", "-rollout", "v7"}, "-project, -rollout and -exclusive need -store DIR"},
		{"a store that does not read", []string{"-store", filepath.Join(dir, "nowhere"), "-project", "payments", "-rollout", "v7"},
			"-store " + filepath.Join(dir, "nowhere") + ": "},
		{"a verdict", []string{"-store", dir, "-project", "payments", "-rollout", "v7", "-conflicts", "refuse"},
			`-conflicts "refuse": want deny or warn`},
		{"an empty environment", []string{"-store", dir, "-project", "payments", "-rollout", "v7", "-exclusive", "prod,"},
			"want environment names separated by commas"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := gateRun(t, change("2026-11-24 20:30", tc.args...)...)
			assert.Equal(t, exitUsage, r.code, "stdout: %s", r.stdout)
			assert.Contains(t, r.stderr, tc.want)
			assert.Empty(t, r.stdout)
		})
	}
}

func TestStoreUnreadRecordWarns(t *testing.T) {
	dir := billingStore(t)
	require.NoError(t, os.WriteFile(filepath.Join(dir, "broken.jsonl"), []byte("not a record\n"), 0o600))
	r := gateRun(t, change("2026-11-25 20:00", "-store", dir, "-project", "payments", "-rollout", "v7")...)
	require.Equal(t, exitAllowed, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "WARN  fleet-store: records of the store left out: fleet: record \"broken\": ")
	r = gateRun(t, change("2026-11-25 20:00", "-store", dir, "-project", "payments", "-rollout", "v7", "-strict")...)
	assert.Equal(t, exitDenied, r.code)
}

// A policy file that asks for the conflict check (kind: conflicts) gets
// the store's schedule with -store, with its own exclusive environments
// and warning; without -store it fails closed.
func TestStoreConflictsAskedByTheFile(t *testing.T) {
	policyText, err := os.ReadFile("deploy-policy.yaml")
	require.NoError(t, err)
	withConflicts := func(entry string) string {
		return writeFile(t, "policy.yaml", string(policyText)+"\n  - "+entry+"\n")
	}
	args := func(file, start string, extra ...string) []string {
		a := change(start, extra...)
		a[1] = file // -policy
		return a
	}
	dir := t.TempDir()
	storeProject(t, dir, "billing", "Olga", "v3", "Ops-2", time.Date(2026, 11, 24, 21, 0, 0, 0, paris), "site:lyon")
	storeProject(t, dir, "payments", "Max", "v7", "Pay", time.Date(2026, 11, 24, 20, 30, 0, 0, paris), "site:paris")

	file := withConflicts("{kind: conflicts, exclusive: [production]}")
	r := gateRun(t, args(file, "2026-11-24 20:30")...)
	require.Equal(t, exitDenied, r.code, "no schedule: stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "DENY  conflicts: no schedule of the other changes was given to check this one against")

	r = gateRun(t, args(file, "2026-11-24 20:30", "-store", dir, "-project", "payments", "-rollout", "v7")...)
	require.Equal(t, exitDenied, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "DENY  conflicts: conflicts with billing/v3 (team Ops-2) on exclusive environment production, Tue 24 Nov 21:00-")
	assert.NotContains(t, r.stdout, "fleet-conflicts", "the file's check stands for -conflicts")

	warn := withConflicts("{kind: conflicts, exclusive: [production], warn: true}")
	r = gateRun(t, args(warn, "2026-11-24 20:30", "-store", dir, "-project", "payments", "-rollout", "v7")...)
	require.Equal(t, exitAllowed, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "WARN  conflicts: conflicts with billing/v3")

	plain := withConflicts("{kind: conflicts}")
	r = gateRun(t, args(plain, "2026-11-24 20:30", "-store", dir, "-project", "payments", "-rollout", "v7")...)
	require.Equal(t, exitAllowed, r.code, "nothing shared, production not exclusive: stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "ALLOW conflicts: no conflict with the other planned rollout of the store")
}

// TestStoreURLPasswordParameterNotShown: a password given as the URL's
// password parameter, as PostgreSQL's drivers take it, is kept out of
// the messages like one in the URL's user part.
func TestStoreURLPasswordParameterNotShown(t *testing.T) {
	store := "postgres://bob@127.0.0.1:1/test?password=s3cret&sslmode=bogus"
	r := gateRun(t, change("2026-11-24 20:30", "-store", store, "-project", "payments", "-rollout", "v7")...)
	assert.Equal(t, exitUsage, r.code, "stdout: %s", r.stdout)
	assert.Contains(t, r.stderr, "-store postgres://")
	assert.NotContains(t, r.stderr, "s3cret")
}

// TestStoreConnectionStringNotShown: a -store that is no postgres://
// URL but holds a password all the same (a keyword/value connection
// string, a scheme in capitals, a space before it) is bad input whose
// message keeps the password out.
func TestStoreConnectionStringNotShown(t *testing.T) {
	for _, store := range []string{
		"host=127.0.0.1 user=bob password=s3cret dbname=test",
		"POSTGRES://bob:s3cret@127.0.0.1/test",
		" postgres://bob:s3cret@127.0.0.1/test",
		"postgres:/bob:s3cret@127.0.0.1/test",
	} {
		r := gateRun(t, change("2026-11-24 20:30", "-store", store, "-project", "payments", "-rollout", "v7")...)
		assert.Equal(t, exitUsage, r.code, "%q: stdout: %s", store, r.stdout)
		assert.Contains(t, r.stderr, "-store: not a directory (no such file or directory), nor a PostgreSQL URL", store)
		assert.NotContains(t, r.stderr, "s3cret", store)
	}
}

// A file's conflicts entry scoped to another environment does not take
// the gate's own check away from this one: the store's conflicts are
// still checked (-conflicts), as when the file asks for none.
func TestStoreConflictsEntryScopedElsewhere(t *testing.T) {
	policyText, err := os.ReadFile("deploy-policy.yaml")
	require.NoError(t, err)
	file := writeFile(t, "policy.yaml", string(policyText)+"\n  - {kind: conflicts, scope: {environments: [staging]}}\n")
	dir := t.TempDir()
	storeProject(t, dir, "billing", "Olga", "v3", "Ops-2", time.Date(2026, 11, 24, 21, 0, 0, 0, paris), "database:billing")
	storeProject(t, dir, "payments", "Max", "v7", "Pay", time.Date(2026, 11, 24, 20, 30, 0, 0, paris), "database:billing")
	args := change("2026-11-24 20:30", "-store", dir, "-project", "payments", "-rollout", "v7")
	args[1] = file
	r := gateRun(t, args...)
	require.Equal(t, exitDenied, r.code, "stdout: %s\nstderr: %s", r.stdout, r.stderr)
	assert.Contains(t, r.stdout, "DENY  fleet-conflicts: conflicts with billing/v3 (team Ops-2) on database:billing")
}

// TestStoreUnreachable: a -store URL whose server refuses the connection
// fails the job in seconds, on one line naming the server; the gate used
// to retry for the whole 30s of storeTimeout.
func TestStoreUnreachable(t *testing.T) {
	began := time.Now()
	r := gateRun(t, change("2026-11-24 20:30", "-store", "postgres://postgres:s3cret@127.0.0.1:1/test?sslmode=disable", "-project", "payments", "-rollout", "v7")...)
	assert.Less(t, time.Since(began), 10*time.Second)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "127.0.0.1:1")
	assert.NotContains(t, r.stderr, "s3cret")
	assert.Equal(t, 1, strings.Count(r.stderr, "\n"), "one line: %q", r.stderr)
	assert.Empty(t, r.stdout)
}
