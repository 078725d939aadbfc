package policyfile_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy/policyfile"
)

// The YAML decoder's errors name the line where the problem is, as in a
// checklist file: the first line for an error there, the line of the
// construct in error for a parser error, never a line past the end.
func TestParseYAMLSyntaxErrorLines(t *testing.T) {
	for _, tt := range []struct {
		name, file string
		line       int
		msg        string
	}{
		{"first line", `"zone`, 1, "policyfile: line 1: syntax error: found unexpected end of stream"},
		{"parser error", "zone: UTC\npolicies:\n  - kind: [friday-freeze\n", 3, "policyfile: line 3: syntax error: did not find expected ',' or ']'"},
		{"parser error inside", "zone: UTC\npolicies:\n  - kind: friday-freeze\n  zone: UTC\n", 3, "policyfile: line 3: syntax error: did not find expected '-' indicator"},
		{"unknown anchor", "zone: UTC\npolicies:\n  - *nowhere\n", 3, "policyfile: line 3: syntax error: unknown anchor 'nowhere' referenced"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policyfile.Parse([]byte(tt.file))
			require.Error(t, err)
			var pe *policyfile.Error
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			assert.Equal(t, tt.line, pe.Line)
			assert.ErrorIs(t, err, policyfile.ErrSyntax)
			assert.Equal(t, tt.msg, err.Error())
		})
	}
}
