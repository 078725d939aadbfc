package policyfile_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
)

var ctx = context.Background()

func TestQuorum(t *testing.T) {
	set, err := policyfile.Parse([]byte("zone: UTC\npolicies:\n  - {kind: require-go, role: operations, quorum: 2}\n  - {kind: require-go, role: dba}\n"))
	require.NoError(t, err)
	q, ok := policy.As[*policy.Quorum](set[0])
	require.True(t, ok)
	assert.Equal(t, 2, q.Count)
	assert.Equal(t, "operations", q.Role)
	q, ok = policy.As[*policy.Quorum](set[1])
	require.True(t, ok)
	assert.Equal(t, 1, q.Count, "one GO by default")

	start := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	d := set[0].Evaluate(ctx, policy.Change{Start: start, Now: start.Add(-time.Hour),
		Approvals: []policy.Approval{{Role: "operations", By: "ann", Go: true}}})
	assert.Equal(t, policy.Warn, d.Verdict)
	assert.Equal(t, "waiting: 1 of the 2 GOs from operations still missing (GO so far by ann)", d.Reason)

	for _, bad := range []string{"0", "-1", "two", "1.5", "1001", "[2]", `"2"`} {
		_, err := policyfile.Parse([]byte("zone: UTC\npolicies:\n  - kind: require-go\n    role: operations\n    quorum: " + bad + "\n"))
		var pe *policyfile.Error
		require.ErrorAs(t, err, &pe, bad)
		assert.Equal(t, 5, pe.Line, bad)
		assert.Equal(t, "policies[0].quorum", pe.Field, bad)
		assert.Contains(t, err.Error(), "want a number of GOs from distinct people", bad)
	}
}

func TestReadinessLead(t *testing.T) {
	for _, tt := range []struct {
		file string
		want time.Duration
	}{
		{"policies:\n  - kind: readiness\n", time.Hour},
		{"policies:\n  - kind: readiness\n    lead: 1h\n", time.Hour},
		{"policies:\n  - kind: readiness\n    lead: 2h30m\n", 150 * time.Minute},
	} {
		set, err := policyfile.Parse([]byte(tt.file))
		require.NoError(t, err, tt.file)
		r, ok := policy.As[*policy.Readiness](set[0])
		require.True(t, ok)
		assert.Equal(t, tt.want, r.Lead)
	}
	for _, lead := range []string{"30m", "59m59s", "0s"} {
		_, err := policyfile.Parse([]byte("zone: UTC\npolicies:\n  - kind: friday-freeze\n  - kind: readiness\n    lead: " + lead + "\n"))
		var pe *policyfile.Error
		require.ErrorAs(t, err, &pe, lead)
		assert.Equal(t, 5, pe.Line)
		assert.Equal(t, "policies[1].lead", pe.Field)
		assert.Contains(t, err.Error(), fmt.Sprintf("%q is below the minimum of 1h", lead))
		assert.Contains(t, err.Error(), "rule R7")
	}
}

func TestScope(t *testing.T) {
	set, err := policyfile.Parse([]byte(`
zone: Europe/Paris
policies:
  - kind: friday-freeze
    scope: {environments: [production], labels: {tier: gold}}
  - kind: readiness
    scope:
      environments: [production, staging]
    mandatory: true
`))
	require.NoError(t, err)
	require.Len(t, set, 2)
	assert.Equal(t, "friday-freeze", set[0].Name())
	assert.True(t, policy.IsMandatory(set[1]))
	_, ok := policy.As[*policy.Readiness](set[1])
	assert.True(t, ok)

	friday := at(2026, 11, 27, 10, 0)
	gold := policy.Change{Start: friday, Duration: time.Hour, Environment: "production", Labels: map[string]string{"tier": "gold"}, ReadyAt: at(2026, 11, 26, 0, 0)}
	r := set.Evaluate(ctx, gold)
	assert.Equal(t, policy.Deny, r.Decisions[0].Verdict)
	assert.Contains(t, r.Decisions[0].Reason, "[scope: environment production, label tier=gold]")
	assert.Contains(t, r.Decisions[1].Reason, "[scope: environments production or staging]")
	next, err := set.NextSlot(ctx, gold, 30*24*time.Hour)
	require.NoError(t, err)
	assert.True(t, next.Equal(at(2026, 11, 28, 0, 0)), "next %v", next)

	dev := gold
	dev.Environment = "dev"
	r = set.Evaluate(ctx, dev)
	assert.True(t, r.Allowed())
	assert.Equal(t, "out of scope: the change is for dev [scope: environment production, label tier=gold]", r.Decisions[0].Reason)
	next, err = set.NextSlot(ctx, dev, 30*24*time.Hour)
	require.NoError(t, err)
	assert.True(t, next.Equal(friday), "out of scope: the start stays (%v)", next)

	for _, tt := range []struct{ scope, field, msg string }{
		{"{}", "policies[0].scope", "an empty scope"},
		{"{environment: [prod]}", "policies[0].scope.environment", "unknown field"},
		{"{environments: production}", "policies[0].scope.environments", "want a list of environments"},
		{"{environments: []}", "policies[0].scope.environments", "want a list of environments"},
		{"{environments: [\" \"]}", "policies[0].scope.environments[0]", "the environment is empty"},
		{"{environments: [\"prod \"]}", "policies[0].scope.environments[0]", `"prod " has spaces around it`},
		{"{labels: [tier]}", "policies[0].scope.labels", "want a mapping of labels"},
		{"{labels: {tier: [gold]}}", "policies[0].scope.labels.tier", "want a string"},
		{"{labels: {tier: gold, tier: silver}}", "policies[0].scope.labels.tier", "given twice"},
		{"production", "policies[0].scope", "want a mapping"},
	} {
		_, err := policyfile.Parse([]byte("zone: UTC\npolicies:\n  - kind: friday-freeze\n    scope: " + tt.scope + "\n"))
		var pe *policyfile.Error
		require.ErrorAs(t, err, &pe, tt.scope)
		assert.Equal(t, 4, pe.Line, tt.scope)
		assert.Equal(t, tt.field, pe.Field, tt.scope)
		assert.Contains(t, err.Error(), tt.msg, tt.scope)
	}
}

// A runner whose clock is UTC reads a Paris file: every reason of the set
// is in Paris time, as gate -start now does.
func TestReasonsInTheFileZone(t *testing.T) {
	set, err := policyfile.Parse([]byte(`
zone: Europe/Paris
policies:
  - kind: friday-freeze
  - kind: readiness
  - kind: require-go
    role: operations
  - kind: readiness
    name: readiness-ny
    zone: America/New_York
`))
	require.NoError(t, err)
	now := time.Date(2026, 11, 24, 8, 9, 0, 0, time.UTC) // a Tuesday, 09:09 in Paris
	c := policy.Change{Start: now, Now: now, Duration: time.Hour,
		Approvals: []policy.Approval{{Role: "operations", By: "bob", At: now.Add(-time.Hour), Reason: "disk"}}}
	r := set.Evaluate(ctx, c)
	require.Len(t, r.Decisions, 4)
	assert.Equal(t, "not ready at the deadline Tue 2026-11-24 08:09 CET (1h before the start); the earliest start is 1h after readiness", r.Decisions[1].Reason)
	assert.Equal(t, "No-Go from operations by bob at Tue 2026-11-24 08:09 CET: disk", r.Decisions[2].Reason)
	assert.Contains(t, r.Decisions[3].Reason, "02:09 EST", "a policy's own zone speaks for it")
	assert.NotContains(t, r.String(), "UTC")
	_, ok := policy.As[*policy.Readiness](set[1])
	assert.True(t, ok, "the zone wrapper hides nothing from As")
}

func TestNULAndControlCharacters(t *testing.T) {
	for _, tt := range []struct {
		name      string
		file      string
		line, col int
		msg       string
	}{
		{"NUL in a value", "zone: UTC\npolicies:\n  - kind: friday\x00-freeze\n", 3, 17, "control character U+0000"},
		{"NUL at the end", "zone: UTC\npolicies:\n  - kind: friday-freeze\n\x00", 4, 1, "U+0000"},
		{"NUL in a quoted string", "zone: UTC\npolicies:\n  - kind: \"a\x00\"\n", 3, 13, "U+0000"},
		{"escape", "zone: UTC\n\x1b[31m", 2, 1, "U+001B"},
		{"DEL", "zone: UTC\npolicies: \x7f\n", 2, 11, "U+007F"},
		{"C1 control", "zone: é\u0080\n", 1, 8, "U+0080"},
		{"invalid UTF-8", "zone: UTC\npolicies:\n  - kind: \xff\n", 3, 11, "invalid UTF-8"},
		{"NUL in JSON", "{\"zone\": \"UTC\",\n \"policies\": [\x00]}", 2, 15, "invalid character"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policyfile.Parse([]byte(tt.file))
			var pe *policyfile.Error
			require.ErrorAs(t, err, &pe)
			assert.ErrorIs(t, err, policyfile.ErrSyntax)
			assert.Equal(t, tt.line, pe.Line, err.Error())
			assert.Equal(t, tt.col, pe.Column, err.Error())
			assert.Contains(t, err.Error(), tt.msg)
			assert.Contains(t, err.Error(), fmt.Sprintf("line %d, column %d: syntax error", tt.line, tt.col), "the message names the line and column")
		})
	}
	// YAML in UTF-16, with its byte order mark, is YAML.
	utf16 := []byte{0xff, 0xfe}
	for _, r := range "zone: UTC\npolicies:\n  - kind: friday-freeze\n" {
		utf16 = append(utf16, byte(r), 0)
	}
	set, err := policyfile.Parse(utf16)
	require.NoError(t, err)
	assert.Len(t, set, 1)

	// Characters YAML allows pass.
	_, err = policyfile.Parse([]byte("zone: UTC\npolicies:\n  - kind: require-go\n    role: \"équipe\tnuit \u0085 \U0001F600\"\n"))
	assert.NoError(t, err)
}

func TestEveryProblemAtOnce(t *testing.T) {
	file := `zone: Europe/Paris
policies:
  - kind: friday-freeze
    mandatory: yes
  - kind: windows
    spec: Mon-Thu 20:00-23:70
  - kind: saturday-freeze
  - kind: readiness
    lead: 30m
    colour: red
  - kind: cron
    duration: 0s
  - kind: require-go
    role: operations
`
	_, err := policyfile.Parse([]byte(file))
	var list *policyfile.ListError
	require.ErrorAs(t, err, &list)
	var got []string
	for _, e := range list.Problems {
		got = append(got, fmt.Sprintf("%d %s", e.Line, e.Field))
	}
	assert.Equal(t, []string{
		"4 policies[0].mandatory", "6 policies[1].spec", "7 policies[2].kind",
		"9 policies[3].lead", "10 policies[3].colour", "11 policies[4].cron", "12 policies[4].duration",
	}, got)
	assert.Equal(t, 0, list.More)
	assert.True(t, strings.HasPrefix(err.Error(), "policyfile: 7 problems:\n\tline 4: policies[0].mandatory: want true or false"), err.Error())
	var se *policy.SpecError
	assert.ErrorAs(t, err, &se, "the causes unwrap")

	// Beyond DefaultMaxProblems, the rest are counted.
	var b strings.Builder
	b.WriteString("zone: UTC\npolicies:\n")
	for range 30 {
		b.WriteString("  - kind: nothing\n")
	}
	_, err = policyfile.Parse([]byte(b.String()))
	require.ErrorAs(t, err, &list)
	assert.Len(t, list.Problems, policyfile.DefaultMaxProblems)
	assert.Equal(t, 10, list.More)
	assert.True(t, strings.HasSuffix(err.Error(), "\n\tand 10 more"), err.Error())
	assert.Equal(t, 3, list.Problems[0].Line)
	assert.Equal(t, 22, list.Problems[19].Line)

	// MaxProblems keeps more.
	_, err = policyfile.ParseWith([]byte(b.String()), &policyfile.ParseOptions{MaxProblems: 50})
	require.ErrorAs(t, err, &list)
	assert.Len(t, list.Problems, 30)
	assert.Zero(t, list.More)
	_, err = policyfile.Parse([]byte(b.String()))
	require.ErrorAs(t, err, &list)

	js, err := json.Marshal(list)
	require.NoError(t, err)
	assert.Contains(t, string(js), `{"problems":[{"line":3,"column":11,"field":"policies[0].kind","message":"unknown kind: \"nothing\" is not one of`)
	assert.Contains(t, string(js), `"more":10}`)
}

func TestSizeLimit(t *testing.T) {
	big := []byte("zone: UTC\npolicies:\n  - kind: friday-freeze\n" + strings.Repeat("# padding\n", policyfile.DefaultMaxBytes/10))
	_, err := policyfile.Parse(big)
	assert.ErrorIs(t, err, policyfile.ErrTooLarge)
	assert.Contains(t, err.Error(), fmt.Sprintf("over the limit of %d bytes", policyfile.DefaultMaxBytes))
	f, err := policyfile.ParseWith(big, &policyfile.ParseOptions{MaxBytes: 2 << 20})
	require.NoError(t, err, "the limit can be raised")
	assert.Len(t, f.Set, 1)
	_, err = policyfile.ParseWith([]byte("zone: UTC\npolicies:\n  - kind: friday-freeze\n"), &policyfile.ParseOptions{MaxBytes: 10})
	assert.ErrorIs(t, err, policyfile.ErrTooLarge)

	dir := t.TempDir()
	path := filepath.Join(dir, "big.yaml")
	require.NoError(t, os.WriteFile(path, big, 0o644))
	_, err = policyfile.ParseFile(path, nil)
	assert.ErrorIs(t, err, policyfile.ErrTooLarge)
	assert.Contains(t, err.Error(), path)
	f, err = policyfile.ParseFile(path, &policyfile.ParseOptions{MaxBytes: len(big)})
	require.NoError(t, err)
	assert.Len(t, f.Set, 1)

	if runtime.GOOS == "linux" {
		// An endless file is refused once the limit is passed.
		_, err = policyfile.ParseFile("/dev/zero", nil)
		assert.ErrorIs(t, err, policyfile.ErrTooLarge)
		assert.Contains(t, err.Error(), fmt.Sprintf("more than %d bytes", policyfile.DefaultMaxBytes))
	}
}

func TestParseFile(t *testing.T) {
	f, err := policyfile.ParseFile("testdata/standard.yaml", nil)
	require.NoError(t, err)
	assert.Equal(t, "Europe/Paris", f.Zone.String())
	assert.Len(t, f.Set, 9)

	_, err = policyfile.ParseFile(filepath.Join(t.TempDir(), "missing.yaml"), nil)
	assert.ErrorIs(t, err, fs.ErrNotExist)
	assert.True(t, strings.HasPrefix(err.Error(), "policyfile: open "), err.Error())

	path := filepath.Join(t.TempDir(), "bad.yaml")
	require.NoError(t, os.WriteFile(path, []byte("zone: UTC\npolicies:\n  - kind: nothing\n"), 0o644))
	_, err = policyfile.ParseFile(path, nil)
	var list *policyfile.ListError
	require.ErrorAs(t, err, &list)
	assert.Equal(t, path, list.Path)
	assert.Equal(t, "policyfile: "+path+": line 3: policies[0].kind: unknown kind: \"nothing\" is not one of "+
		"friday-freeze, weekend-freeze, holidays, freeze, windows, cron, readiness, require-go, max-outage, fit, announce, conflicts", err.Error())
	assert.False(t, errors.Is(err, policyfile.ErrSyntax))
}

// An unknown zone is one problem among the others: the policies that need
// it are left out, and their fields that do not depend on it are checked
// like every other policy's.
func TestBadZoneHidesNothing(t *testing.T) {
	for _, tt := range []struct {
		name, file string
		want       []string
	}{
		{"the file's zone", `zone: Europe/Pariss
policies:
  - kind: friday-freeze
  - kind: readiness
    lead: 30m
  - kind: freeze
    from: tomorrow
    to: 2027-01-04
  - kind: cron
    cron: 0 0 30 2 *
    duration: 1h
  - kind: windows
    spec: Mon-Thu 20:00-23:70
  - kind: max-outage
    limit: x
`, []string{
			`line 1: zone: unknown time zone "Europe/Pariss"`,
			`line 5: policies[1].lead: "30m" is below the minimum of 1h`,
			`line 7: policies[2].from: "tomorrow"`,
			`line 10: policies[3].cron: cron "0 0 30 2 *": never fires`,
			`line 13: policies[4].spec: `,
			`line 15: policies[5].limit: "x" is not a duration`,
		}},
		{"a policy's zone", `zone: UTC
policies:
  - kind: freeze
    zone: Mars/Olympus
    from: 2027-01-04
    to: 2026-12-18
  - kind: holidays
    country: XX
  - kind: require-go
    role: " "
`, []string{
			`line 4: policies[0].zone: unknown time zone "Mars/Olympus"`,
			`line 6: policies[0].to: the freeze ends`,
			`line 8: policies[1].country: `,
			`line 10: policies[2].role: the role is empty`,
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policyfile.Parse([]byte(tt.file))
			var list *policyfile.ListError
			require.ErrorAs(t, err, &list)
			require.Len(t, list.Problems, len(tt.want), err.Error())
			for i, w := range tt.want {
				assert.Contains(t, list.Problems[i].Error(), w)
			}
		})
	}
	// The policies that need the zone are left out, not built in UTC.
	_, err := policyfile.Parse([]byte("zone: Nowhere/Land\npolicies:\n  - kind: friday-freeze\n"))
	var pe *policyfile.Error
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "zone", pe.Field)
}
