package checklist_test

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
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
			{ID: "old-hardware", Title: "Old hardware verified against the checklist", Section: "hardware", Owner: "ops", Deadline: -time.Hour, Purpose: checklist.HardwareVerified},
			{ID: "new-hardware", Title: "New hardware installed and verified, offline", Section: "hardware", Owner: "ops", Deadline: -time.Hour, Offline: true},
			{ID: "config-backup", Title: "Every impacted configuration backed up", Section: "configuration", Owner: "ops", Deadline: -time.Hour, DependsOn: []string{"old-hardware"}, Purpose: checklist.ConfigBackup},
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
		name      string
		src       string
		msg       string // in the message
		line, col int
		item      string
		field     string
	}{
		{"unknown item field", "items:\n  - id: a\n    title: A\n    colour: red\n", "unknown field: want one of id, title", 4, 0, "a", "colour"},
		{"unknown list field", "name: x\nversion: 2\n", "unknown field", 2, 0, "", "version"},
		{"bad deadline", "items:\n  - id: a\n    title: A\n  - title: B\n    id: b\n    deadline: 1 hour\n", `want a duration such as "-1h" or "-30m", got "1 hour"`, 6, 0, "b", "deadline"},
		{"bad bool", "items:\n  - id: a\n    title: A\n    optional: yes\n", `want true or false, got "yes"`, 4, 0, "a", "optional"},
		{"bad mode", "mode: sometimes\n", `unknown mode "sometimes"`, 1, 0, "", "mode"},
		{"field twice", "items:\n  - id: a\n    title: A\n    title: B\n", "field given twice", 4, 0, "a", "title"},
		{"depends_on not a list", "items:\n  - id: a\n    title: A\n    depends_on: b\n", "want a list of item IDs", 4, 0, "a", "depends_on"},
		{"duplicate id", "items:\n  - id: a\n    title: A\n  - id: a\n    title: A again\n", "duplicate item ID: also item #1", 4, 0, "a", "id"},
		{"empty title", "items:\n  - id: a\n    title: A\n  - id: b\n", "empty title", 4, 0, "b", "title"},
		{"unknown dependency", "items:\n  - id: a\n    title: A\n    depends_on:\n      - zz\n", `unknown dependency: "zz"`, 5, 0, "a", "depends_on"},
		{"cycle", "items:\n  - id: a\n    title: A\n    depends_on: [b]\n  - id: b\n    title: B\n    depends_on: [a]\n", `dependency cycle "a" -> "b" -> "a"`, 4, 0, "a", "depends_on"}, // reported where the cycle starts
		{"syntax", "name: x\nitems: []\nmode: read-do\n  ordered: true\n", "syntax error: mapping values are not allowed", 4, 0, "", ""},
		{"json syntax", "{\n  \"name\": \"x\",\n  \"items\": [,]\n}\n", "syntax error: invalid character ','", 3, 13, "", ""},
		{"json cut short", "{\n  \"name\": \"x\",\n  \"items\": [\n", "syntax error: unexpected end of JSON input: the array opened at line 3, column 12 is not closed", 4, 1, "", ""},
		{"json unknown field", "{\"items\": [\n\t{\"id\": \"a\", \"title\": \"A\",\n\t \"due\": \"-1h\"}]}", "unknown field", 3, 0, "a", "due"},
		{"json tab in a string", "{\"items\": [\n  {\"id\": \"a\",\n   \"title\": \"A\tB\"}]}", `syntax error: invalid character '\t' in string literal`, 3, 15, "", ""},
		{"json NUL in a string", "{\"items\": [\n  {\"id\": \"a\x00\", \"title\": \"A\"}]}", `syntax error: invalid character '\x00' in string literal`, 2, 12, "", ""},
		{"json number for a string", "{\"items\": [\n  {\"id\": 1, \"title\": \"A\"}]}", "want a string, got a number, 1: quote it", 2, 0, "", "id"},
		{"json bool for a string", "{\"items\": [\n  {\"id\": \"a\",\n   \"title\": true}]}", "want a string, got a boolean", 3, 0, "a", "title"},
		{"yaml number for a string", "items:\n  - id: a\n    title: A\n    owner: 42\n", "got a number, 42: quote it", 4, 0, "a", "owner"},
		{"yaml number in depends_on", "items:\n  - id: a\n    title: A\n    depends_on: [1]\n", "got a number", 4, 0, "a", "depends_on"},
		{"yaml bool for the name", "name: true\n", "got a boolean", 1, 0, "", "name"},
		{"yaml NUL", "name: x\nitems:\n  - id: a\n    title: A\x00B\n", "syntax error: control character U+0000 is not allowed", 4, 13, "", ""},
		{"yaml escape sequence", "name: x\nitems:\n  - id: a\n    title: \x1b[1mA\n", "control character U+001B", 4, 12, "", ""},
		{"yaml invalid UTF-8", "name: caf\xe9\n", "syntax error: invalid UTF-8 (byte 0xE9)", 1, 10, "", ""},
		{"yaml error on the first line", `"0`, "syntax error: found unexpected end of stream", 1, 0, "", ""},
		{"yaml parser error", "name: x\nitems:\n  - id: a\n    title: [b\n", "syntax error: did not find expected ',' or ']'", 4, 0, "", ""},
		{"yaml parser error, block", "name: x\nitems:\n  - id: a\n  title: b\n", "syntax error: did not find expected '-' indicator", 3, 0, "", ""}, // where the list starts
		{"yaml unknown anchor", "name: x\nitems:\n  - id: a\n    title: *nope\n", "syntax error: unknown anchor 'nope' referenced", 4, 0, "", ""},
		{"empty", "", "empty document", 1, 0, "", ""},
		{"two documents", "name: a\n---\nname: b\n", "a second document", 2, 0, "", ""},
		{"not a mapping", "- a\n- b\n", "want a mapping with name and items", 1, 0, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := parseErr(t, tt.src)
			assert.ErrorIs(t, e, checklist.ErrInvalid)
			assert.Contains(t, e.Error(), tt.msg)
			assert.Equal(t, tt.line, e.Line, "line")
			assert.Equal(t, tt.col, e.Column, "column")
			assert.Equal(t, tt.item, e.Item, "item")
			assert.Equal(t, tt.field, e.Field, "field")
			if tt.line > 0 {
				assert.Contains(t, e.Error(), fmt.Sprintf("line %d", tt.line))
			}
			if tt.col > 0 {
				assert.Contains(t, e.Error(), fmt.Sprintf("line %d, column %d: ", tt.line, tt.col))
			}
			if tt.item != "" {
				assert.Contains(t, e.Error(), `"`+tt.item+`"`)
			}
		})
	}
}

// listErr parses src, which must fail, and returns its *ListError.
func listErr(t *testing.T, src string, opts *checklist.ParseOptions) *checklist.ListError {
	t.Helper()
	_, err := checklist.ParseWith([]byte(src), opts)
	require.Error(t, err)
	var le *checklist.ListError
	require.True(t, errors.As(err, &le), "got %T %v, want a *checklist.ListError", err, err)
	require.NotEmpty(t, le.Problems)
	return le
}

// TestParseReportsEveryProblemAtOnce checks that a file with problems of
// every kind is reported whole, in file order, in one error.
func TestParseReportsEveryProblemAtOnce(t *testing.T) {
	src := `name: release
mode: sometimes
colour: red
items:
  - id: a
    title: A
    deadline: one hour
  - id: a
    title: A again
    colour: blue
  - id: b
    depends_on: [ghost]
  - id: 7
    title: Seven
  - just a string
  - id: c
    title: C
    optional: yes
    optional: no
`
	le := listErr(t, src, nil)
	type want struct {
		line  int
		item  string
		field string
		msg   string
	}
	var got []want
	for _, p := range le.Problems {
		got = append(got, want{p.Line, p.Item, p.Field, trimLoc(p)})
		assert.ErrorIs(t, p, checklist.ErrInvalid)
	}
	assert.Equal(t, []want{
		{2, "", "mode", `unknown mode "sometimes" (want read-do or do-confirm)`},
		{3, "", "colour", "unknown field: want name, mode, ordered, waive_required or items"},
		{7, "a", "deadline", `invalid value: want a duration such as "-1h" or "-30m", got "one hour"`},
		{8, "a", "id", "duplicate item ID: also item #1"},
		{10, "a", "colour", "unknown field: want one of id, title, section, owner, optional, deadline, depends_on, offline, purpose"},
		{11, "b", "title", "empty title"},
		{12, "b", "depends_on", `unknown dependency: "ghost"`},
		{13, "", "id", "invalid value: want a string, got a number, 7: quote it"},
		{15, "", "", "invalid value: want a mapping with id and title"},
		{18, "c", "optional", `invalid value: want true or false, got "yes"`},
		{19, "c", "optional", "field given twice"},
	}, got)
	assert.Zero(t, le.More)
	// The message has one line per problem.
	assert.Len(t, strings.Split(le.Error(), "\n"), len(got))
	assert.True(t, errors.Is(le, checklist.ErrInvalid))
}

// trimLoc returns a problem's message without the package, line, item and
// field.
func trimLoc(e *checklist.Error) string {
	return strings.TrimPrefix(e.Err.Error(), "checklist: ")
}

func TestParseCapsTheProblems(t *testing.T) {
	var sb strings.Builder
	sb.WriteString("items:\n")
	for i := range 50 {
		fmt.Fprintf(&sb, "  - {id: i%d, title: T, due: -1h}\n", i)
	}
	le := listErr(t, sb.String(), nil)
	assert.Len(t, le.Problems, checklist.DefaultMaxProblems)
	assert.Equal(t, 30, le.More)
	assert.Equal(t, 2, le.Problems[0].Line)
	assert.True(t, strings.HasSuffix(le.Error(), "\nchecklist: and 30 more problems"), le.Error())

	le = listErr(t, sb.String(), &checklist.ParseOptions{MaxProblems: 100})
	assert.Len(t, le.Problems, 50)
	assert.Zero(t, le.More)
	assert.NotContains(t, le.Error(), "more problem")
}

func TestParseRefusesInputOverTheLimit(t *testing.T) {
	data := bigYAML(2000)
	require.Greater(t, len(data), 100_000)
	_, err := checklist.ParseWith(data, &checklist.ParseOptions{MaxBytes: 100_000})
	require.ErrorIs(t, err, checklist.ErrTooLarge)
	assert.NotErrorIs(t, err, checklist.ErrInvalid)
	assert.Contains(t, err.Error(), "bytes, more than the limit of 100,000 bytes (ParseOptions.MaxBytes)")

	l, err := checklist.ParseWith(data, &checklist.ParseOptions{MaxBytes: len(data)})
	require.NoError(t, err)
	assert.Len(t, l.Items, 2000)

	// The default limit, even for input that is not a checklist at all.
	huge := make([]byte, checklist.DefaultMaxBytes+1)
	_, err = checklist.Parse(huge)
	require.ErrorIs(t, err, checklist.ErrTooLarge)
	_, err = checklist.Parse(huge[:checklist.DefaultMaxBytes])
	require.ErrorIs(t, err, checklist.ErrInvalid, "at the limit: read, and refused for what it is")
}

func TestParseFile(t *testing.T) {
	l, err := checklist.ParseFile("testdata/example.yaml", nil)
	require.NoError(t, err)
	assert.Equal(t, exampleList(), l)

	_, err = checklist.ParseFile("testdata/missing.yaml", nil)
	assert.ErrorIs(t, err, fs.ErrNotExist)

	dir := t.TempDir()
	big := filepath.Join(dir, "big.yaml")
	require.NoError(t, os.WriteFile(big, bigYAML(2000), 0o600))
	_, err = checklist.ParseFile(big, &checklist.ParseOptions{MaxBytes: 1000})
	assert.ErrorIs(t, err, checklist.ErrTooLarge)
	l, err = checklist.ParseFile(big, &checklist.ParseOptions{MaxBytes: 1 << 20})
	require.NoError(t, err)
	assert.Len(t, l.Items, 2000)

	bad := filepath.Join(dir, "bad.yaml")
	require.NoError(t, os.WriteFile(bad, []byte("items:\n  - id: a\n    title: A\n    colour: red\n"), 0o600))
	_, err = checklist.ParseFile(bad, nil)
	var e *checklist.Error
	require.True(t, errors.As(err, &e))
	assert.Equal(t, 4, e.Line)
}

func TestParseFileOverTheLimitIsNotRead(t *testing.T) {
	// A file that is not regular (a pipe, a device) has no size to stat:
	// reading stops one byte past the limit.
	if _, err := os.Stat("/dev/zero"); err != nil {
		t.Skip("no /dev/zero")
	}
	_, err := checklist.ParseFile("/dev/zero", &checklist.ParseOptions{MaxBytes: 1 << 10})
	assert.ErrorIs(t, err, checklist.ErrTooLarge)
	assert.Contains(t, err.Error(), "more than the limit of 1,024 bytes")
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
	assert.ErrorIs(t, err, checklist.ErrInvalid)
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
