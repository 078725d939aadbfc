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
