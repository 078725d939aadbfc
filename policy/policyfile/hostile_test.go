package policyfile_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy/policyfile"
)

// problem parses src, requires one problem and returns it.
func problem(t *testing.T, src string) *policyfile.Error {
	t.Helper()
	_, err := policyfile.Parse([]byte(src))
	require.Error(t, err)
	var le *policyfile.ListError
	require.True(t, errors.As(err, &le), "got %T %v", err, err)
	require.Len(t, le.Problems, 1, "%v", err)
	return le.Problems[0]
}

func TestEasterOffsetIsWholeDays(t *testing.T) {
	for _, v := range []string{"-2.5", "1.0", "-3.7", "1e2", ".inf", "'2'", "[1]"} {
		e := problem(t, "zone: Europe/Paris\npolicies:\n  - kind: holidays\n    country: FR\n    extra:\n      - {name: x, easter: "+v+"}\n")
		assert.Equal(t, 6, e.Line, v)
		assert.Equal(t, "policies[0].extra[0].easter", e.Field, v)
	}
	_, err := policyfile.Parse([]byte("zone: Europe/Paris\npolicies:\n  - kind: holidays\n    country: FR\n    extra: [{name: x, easter: -366}, {name: y, easter: +39}]\n"))
	assert.NoError(t, err)
}

// A policy file spells every value out: an alias is named as such, at
// its line and column, rather than reported as a value of the wrong kind
// ("want a string", "want a list of policies").
func TestAliasesAreNamed(t *testing.T) {
	for src, want := range map[string]string{
		"zone: &z Europe/Paris\npolicies:\n  - kind: freeze\n    zone: *z\n    from: 2026-01-01\n    to: 2026-01-02\n": "line 4, column 11: syntax error: alias *z",
		"x: &p [{kind: friday-freeze}]\npolicies: *p\nzone: UTC\n":                                                     "line 2, column 11: syntax error: alias *p",
		"zone: UTC\npolicies:\n  - &f {kind: freeze, from: 2026-01-01, to: 2026-01-02}\n  - <<: *f\n    name: b\n":     "line 4, column 9: syntax error: alias *f",
	} {
		_, err := policyfile.Parse([]byte(src))
		require.Error(t, err, src)
		var le *policyfile.ListError
		require.True(t, errors.As(err, &le), "got %T %v", err, err)
		assert.Contains(t, err.Error(), want, src)
		assert.Contains(t, err.Error(), "a policy file writes each value out", src)
		assert.NotContains(t, err.Error(), "want a", src)
	}
}

// envFile returns a file that lists n environments and scopes a policy
// to them, to m more that it does not list, and to n again in another
// case.
func envFile(n, m int) []byte {
	var b strings.Builder
	b.WriteString("zone: UTC\nenvironments: [")
	for i := range n {
		fmt.Fprintf(&b, "env-%d, ", i)
	}
	b.WriteString("prod]\npolicies:\n  - kind: friday-freeze\n    scope: {environments: [")
	for i := range n {
		fmt.Fprintf(&b, "ENV-%d, ", i)
	}
	for i := range m {
		fmt.Fprintf(&b, "other-%d, ", i)
	}
	b.WriteString("prod]}\n")
	return []byte(b.String())
}

// Lists of environments are checked in time linear in their length: a
// file of 40,000 environments took half a minute, comparing each name
// with every other one, and each unknown name's problem spelt out the
// whole list.
func TestManyEnvironments(t *testing.T) {
	start := time.Now()
	f, err := policyfile.ParseWith(envFile(40_000, 0), nil)
	require.NoError(t, err)
	assert.Len(t, f.Environments, 40_001)
	assert.Len(t, f.ScopedEnvironments, 40_001)
	assert.NoError(t, f.CheckEnvironment("Env-39999"))

	_, err = policyfile.ParseWith(envFile(20_000, 20_000), nil)
	elapsed := time.Since(start)
	var le *policyfile.ListError
	require.True(t, errors.As(err, &le), "got %T %v", err, err)
	assert.Equal(t, 20_000, len(le.Problems)+le.More)
	assert.Contains(t, le.Problems[0].Error(), `"other-0" is not one of the environments the file lists: env-0, env-1,`)
	assert.Less(t, len(le.Problems[0].Error()), 1000, "the problem names a few of the environments, not all")
	assert.Less(t, elapsed, 5*time.Second)
}

// maxWatchers is the most fit and announce policies a file may hold.
const maxWatchers = 100

// Each fit or announce policy watches every other policy of the file, so
// that their number is bounded: 200 KB of them, with as many freezes,
// took 300 MB to parse and a megabyte would take gigabytes, and each
// evaluation as many calendar checks.
func TestWatchersAreBounded(t *testing.T) {
	var b strings.Builder
	b.WriteString("zone: UTC\npolicies:\n")
	for range 3000 {
		b.WriteString("  - kind: friday-freeze\n")
	}
	for range 3000 {
		b.WriteString("  - {kind: announce, lead: 1h}\n  - {kind: fit}\n")
	}
	_, err := policyfile.Parse([]byte(b.String()))
	var le *policyfile.ListError
	require.True(t, errors.As(err, &le), "got %T %v", err, err)
	assert.Equal(t, 6000-maxWatchers, len(le.Problems)+le.More)
	first := le.Problems[0]
	assert.Equal(t, 3000+maxWatchers+3, first.Line)
	assert.Equal(t, fmt.Sprintf("policies[%d].kind", 3000+maxWatchers), first.Field)
	assert.Contains(t, first.Error(), "more than 100 fit and announce policies")

	// Up to the bound, they are read.
	var ok strings.Builder
	ok.WriteString("zone: UTC\npolicies:\n  - kind: friday-freeze\n")
	for range maxWatchers / 2 {
		ok.WriteString("  - {kind: announce, lead: 1h}\n  - {kind: fit, quantile: p95}\n")
	}
	set, err := policyfile.Parse([]byte(ok.String()))
	require.NoError(t, err)
	assert.Len(t, set, 1+maxWatchers)
}

// A zone given as an offset is refused with the reason: a zone has
// rules (daylight saving time), an offset has none.
func TestZoneGivenAsAnOffset(t *testing.T) {
	for _, zone := range []string{"+01:00", "-0530", "+5", "UTC+1", "GMT-05:00", "utc+05:30", "Z+1"} {
		e := problem(t, "zone: '"+zone+"'\npolicies:\n  - kind: friday-freeze\n")
		assert.Equal(t, 1, e.Line)
		assert.Equal(t, "zone", e.Field)
		assert.Contains(t, e.Error(), `"`+zone+`" is an offset from UTC, not a time zone: name an IANA zone such as Europe/Paris`, zone)
	}
	e := problem(t, "zone: Europe/Pariss\npolicies:\n  - kind: friday-freeze\n")
	assert.Contains(t, e.Error(), `unknown time zone "Europe/Pariss"`)
}
