package checklist_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

func exampleList() checklist.List {
	return checklist.List{
		Name:    "preparation",
		Mode:    checklist.ReadDo,
		Ordered: true,
		Items: []checklist.Item{
			{ID: "old-hardware", Title: "Old hardware verified against the checklist", Section: "hardware", Owner: "ops", Deadline: -time.Hour},
			{ID: "new-hardware", Title: "New hardware installed and verified, offline", Section: "hardware", Owner: "ops", Deadline: -time.Hour, Offline: true},
			{ID: "config-backup", Title: "Every impacted configuration backed up", Section: "configuration", Owner: "ops", Deadline: -time.Hour, DependsOn: []string{"old-hardware"}},
			{ID: "coffee", Title: "Coffee for the night shift", Owner: "lead", Optional: true},
		},
	}
}

func TestParseExampleFiles(t *testing.T) {
	for _, name := range []string{"testdata/example.yaml", "testdata/example.json"} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(name)
			require.NoError(t, err)
			l, err := checklist.Parse(data)
			require.NoError(t, err)
			assert.Equal(t, exampleList(), l)
		})
	}
}

// parseErr parses src, which must fail, and returns the first *Error.
func parseErr(t *testing.T, src string) *checklist.Error {
	t.Helper()
	_, err := checklist.Parse([]byte(src))
	require.Error(t, err)
	var e *checklist.Error
	require.True(t, errors.As(err, &e), "got %T %v, want a *checklist.Error", err, err)
	assert.True(t, strings.HasPrefix(err.Error(), "checklist: "), "message %q", err.Error())
	return e
}

func TestParseErrorsNameLineItemField(t *testing.T) {
	tests := []struct {
		name  string
		src   string
		want  error
		line  int
		item  string
		field string
	}{
		{"unknown item field", "items:\n  - id: a\n    title: A\n    colour: red\n", checklist.ErrUnknownField, 4, "a", "colour"},
		{"unknown list field", "name: x\nversion: 2\n", checklist.ErrUnknownField, 2, "", "version"},
		{"bad deadline", "items:\n  - id: a\n    title: A\n  - title: B\n    id: b\n    deadline: 1 hour\n", checklist.ErrInvalidValue, 6, "b", "deadline"},
		{"bad bool", "items:\n  - id: a\n    title: A\n    optional: yes\n", checklist.ErrInvalidValue, 4, "a", "optional"},
		{"bad mode", "mode: sometimes\n", checklist.ErrInvalidMode, 1, "", "mode"},
		{"field twice", "items:\n  - id: a\n    title: A\n    title: B\n", checklist.ErrDuplicateKey, 4, "a", "title"},
		{"depends_on not a list", "items:\n  - id: a\n    title: A\n    depends_on: b\n", checklist.ErrInvalidValue, 4, "a", "depends_on"},
		{"duplicate id", "items:\n  - id: a\n    title: A\n  - id: a\n    title: A again\n", checklist.ErrDuplicateID, 4, "a", "id"},
		{"empty title", "items:\n  - id: a\n    title: A\n  - id: b\n", checklist.ErrEmptyTitle, 4, "b", "title"},
		{"unknown dependency", "items:\n  - id: a\n    title: A\n    depends_on:\n      - zz\n", checklist.ErrUnknownDependency, 5, "a", "depends_on"},
		{"cycle", "items:\n  - id: a\n    title: A\n    depends_on: [b]\n  - id: b\n    title: B\n    depends_on: [a]\n", checklist.ErrCycle, 4, "a", "depends_on"}, // reported where the cycle starts
		{"syntax", "name: x\nitems: []\nmode: read-do\n  ordered: true\n", checklist.ErrSyntax, 4, "", ""},
		{"json syntax", "{\n  \"name\": \"x\",\n  \"items\": [,]\n}\n", checklist.ErrSyntax, 3, "", ""},
		{"json unknown field", "{\"items\": [\n\t{\"id\": \"a\", \"title\": \"A\",\n\t \"due\": \"-1h\"}]}", checklist.ErrUnknownField, 3, "a", "due"},
		{"json tab in a string", "{\"items\": [\n  {\"id\": \"a\",\n   \"title\": \"A\tB\"}]}", checklist.ErrSyntax, 3, "", ""},
		{"json number for a string", "{\"items\": [\n  {\"id\": 1, \"title\": \"A\"}]}", checklist.ErrInvalidValue, 2, "", "id"},
		{"json bool for a string", "{\"items\": [\n  {\"id\": \"a\",\n   \"title\": true}]}", checklist.ErrInvalidValue, 3, "a", "title"},
		{"yaml number for a string", "items:\n  - id: a\n    title: A\n    owner: 42\n", checklist.ErrInvalidValue, 4, "a", "owner"},
		{"yaml number in depends_on", "items:\n  - id: a\n    title: A\n    depends_on: [1]\n", checklist.ErrInvalidValue, 4, "a", "depends_on"},
		{"yaml bool for the name", "name: true\n", checklist.ErrInvalidValue, 1, "", "name"},
		{"empty", "", checklist.ErrEmptyDocument, 1, "", ""},
		{"two documents", "name: a\n---\nname: b\n", checklist.ErrSyntax, 2, "", ""},
		{"not a mapping", "- a\n- b\n", checklist.ErrInvalidValue, 1, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseErr(t, tt.src)
			assert.ErrorIs(t, e, tt.want)
			assert.Equal(t, tt.line, e.Line, "line")
			assert.Equal(t, tt.item, e.Item, "item")
			assert.Equal(t, tt.field, e.Field, "field")
			if tt.line > 0 {
				assert.Contains(t, e.Error(), "line ")
			}
			if tt.item != "" {
				assert.Contains(t, e.Error(), `"`+tt.item+`"`)
			}
		})
	}
}

// TestParseJSONEscapes checks that valid JSON reads as encoding/json reads
// it, escapes YAML does not know included.
func TestParseJSONEscapes(t *testing.T) {
	src := "{\"name\": \"a\\/b \\ud83d\\ude00\",\n \"items\": [{\"id\": \"x\", \"title\": \"\\u00e9t\\u00e9 \\/ \\uD83D\\uDE80\"}]}"
	l, err := checklist.Parse([]byte(src))
	require.NoError(t, err)
	assert.Equal(t, "a/b \U0001F600", l.Name)
	assert.Equal(t, "été / \U0001F680", l.Items[0].Title)
	// A string that looks like a number is a string.
	l, err = checklist.Parse([]byte("{\"items\": [{\"id\": \"1\", \"title\": \"true\"}]}"))
	require.NoError(t, err)
	assert.Equal(t, "1", l.Items[0].ID)
	assert.Equal(t, "true", l.Items[0].Title)
}

func TestParseCycleNamesTheCycle(t *testing.T) {
	src := `
items:
  - {id: a, title: A, depends_on: [b]}
  - {id: b, title: B, depends_on: [c]}
  - {id: c, title: C, depends_on: [a]}
`
	_, err := checklist.Parse([]byte(src))
	var ce *checklist.CycleError
	require.True(t, errors.As(err, &ce), "got %v", err)
	assert.Equal(t, []string{"a", "b", "c", "a"}, ce.Path)
	assert.Contains(t, err.Error(), `"a" -> "b" -> "c" -> "a"`)
}

func TestParseReportsEveryValidationProblem(t *testing.T) {
	src := "items:\n  - id: a\n  - id: a\n    title: A\n    depends_on: [x]\n"
	_, err := checklist.Parse([]byte(src))
	require.Error(t, err)
	assert.ErrorIs(t, err, checklist.ErrEmptyTitle)
	assert.ErrorIs(t, err, checklist.ErrDuplicateID)
	assert.ErrorIs(t, err, checklist.ErrUnknownDependency)
}

func TestParseDefaultsAndNulls(t *testing.T) {
	l, err := checklist.Parse([]byte("name: n\nitems:\n  - id: a\n    title: A\n    deadline: ~\n    depends_on: []\n"))
	require.NoError(t, err)
	assert.Equal(t, checklist.ReadDo, l.Mode)
	assert.False(t, l.Ordered)
	require.Len(t, l.Items, 1)
	assert.Zero(t, l.Items[0].Deadline)

	l, err = checklist.Parse([]byte("mode: DO-CONFIRM\nitems:\n"))
	require.NoError(t, err)
	assert.Equal(t, checklist.DoConfirm, l.Mode)
	assert.Empty(t, l.Items)
}

func TestParseAnchorsAndAliases(t *testing.T) {
	src := "items:\n  - {id: a, title: A, owner: &o ops}\n  - {id: b, title: B, owner: *o, depends_on: &d [a]}\n  - {id: c, title: C, depends_on: *d}\n"
	l, err := checklist.Parse([]byte(src))
	require.NoError(t, err)
	assert.Equal(t, "ops", l.Items[1].Owner)
	assert.Equal(t, []string{"a"}, l.Items[2].DependsOn)
}

func TestParseDeadlines(t *testing.T) {
	for src, want := range map[string]time.Duration{
		"-1h": -time.Hour, "-30m": -30 * time.Minute, "-1h30m": -90 * time.Minute, "0": 0, "2h": 2 * time.Hour,
	} {
		l, err := checklist.Parse([]byte("items:\n  - id: a\n    title: A\n    deadline: \"" + src + "\"\n"))
		require.NoError(t, err, src)
		assert.Equal(t, want, l.Items[0].Deadline, src)
	}
}

// bigYAML returns a checklist file of n items.
func bigYAML(n int) []byte {
	var sb strings.Builder
	sb.WriteString("name: big\nmode: read-do\nordered: true\nitems:\n")
	for i := range n {
		fmt.Fprintf(&sb, "  - id: item-%04d\n    title: Verify the thing number %d\n    section: s%03d\n    owner: ops\n    deadline: -1h\n", i, i, i/9)
		if i > 0 {
			fmt.Fprintf(&sb, "    depends_on: [item-%04d]\n", i-1)
		}
	}
	return []byte(sb.String())
}

// BenchmarkParse reads a 1,000-item YAML file.
func BenchmarkParse(b *testing.B) {
	data := bigYAML(1000)
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := checklist.Parse(data); err != nil {
			b.Fatal(err)
		}
	}
}

func TestParseBigFile(t *testing.T) {
	l, err := checklist.Parse(bigYAML(1000))
	require.NoError(t, err)
	assert.Len(t, l.Items, 1000)
	assert.Equal(t, []string{"item-0998"}, l.Items[999].DependsOn)
}
