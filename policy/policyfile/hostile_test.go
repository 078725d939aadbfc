package policyfile_test

import (
	"errors"
	"testing"

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
