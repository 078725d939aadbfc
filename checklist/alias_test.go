package checklist_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// aliasBomb returns a list of n items, each an alias of the first, whose
// dependencies are an anchored list of n IDs: about 7n bytes that would
// decode to n*n dependencies.
func aliasBomb(n int) []byte {
	var b strings.Builder
	b.WriteString("name: bomb\nitems:\n  - &item {id: a, title: A, depends_on: &deps [a")
	b.WriteString(strings.Repeat(", a", n-1))
	b.WriteString("]}\n")
	b.WriteString(strings.Repeat("  - *item\n", n))
	return []byte(b.String())
}

func TestParseRefusesAliasBomb(t *testing.T) {
	data := aliasBomb(3000) // 39 KB for nine million dependencies
	allocs := testing.AllocsPerRun(1, func() {
		_, err := checklist.Parse(data)
		require.Error(t, err)
	})
	_, err := checklist.Parse(data)
	var le *checklist.ListError
	require.True(t, errors.As(err, &le), "got %T %v", err, err)
	require.Len(t, le.Problems, 1, "%v", err)
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	lines := strings.Split(string(data), "\n")
	require.Positive(t, le.Problems[0].Line)
	assert.Equal(t, "  - *item", lines[le.Problems[0].Line-1], "the line of the alias that passes the limit")
	assert.Contains(t, err.Error(), "alias *item expands the document")
	assert.Less(t, allocs, float64(200_000), "decoding followed the aliases")
}

func TestParseRefusesAliasToItsOwnNode(t *testing.T) {
	_, err := checklist.Parse([]byte("name: loop\nitems: &l\n  - {id: a, title: A}\n  - *l\n"))
	require.Error(t, err)
	var le *checklist.ListError
	require.True(t, errors.As(err, &le), "got %T %v", err, err)
	assert.Equal(t, 4, le.Problems[0].Line)
	assert.Contains(t, err.Error(), "alias *l refers to a node that holds it")
}

func TestParseKeepsModestAliases(t *testing.T) {
	// Every item shares one owner and one list of dependencies: the
	// aliases add far less than the document holds.
	var b strings.Builder
	b.WriteString("items:\n  - {id: a, title: A, owner: &o ops}\n  - {id: b, title: B, owner: *o, depends_on: &d [a]}\n")
	for i := range 500 {
		b.WriteString("  - {id: c" + strings.Repeat("x", i) + ", title: C, owner: *o, depends_on: *d}\n")
	}
	l, err := checklist.Parse([]byte(b.String()))
	require.NoError(t, err)
	require.Len(t, l.Items, 502)
	assert.Equal(t, []string{"a"}, l.Items[501].DependsOn)
}
