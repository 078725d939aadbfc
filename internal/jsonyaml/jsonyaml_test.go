package jsonyaml_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/internal/jsonyaml"
)

func TestIs(t *testing.T) {
	for data, want := range map[string]bool{
		`{}`:             true,
		" \n\t[1]":       true,
		"\xef\xbb\xbf{}": true,
		"a: 1":           false,
		"":               false,
		"# {":            false,
	} {
		assert.Equal(t, want, jsonyaml.Is([]byte(data)), "%q", data)
	}
}

// TestPrepareStrings checks that YAML reads the prepared JSON to the
// strings that encoding/json reads.
func TestPrepareStrings(t *testing.T) {
	for _, s := range []string{
		`"a\/b"`,
		`"\ud83d\ude00"`,
		`"\uD83D\uDE00 and \u00e9"`,
		`"lone \ud83d surrogate"`,
		`"lone \ude00 low"`,
		`"\ud83d\u0041"`,
		`"\" \\ \b \f \n \r \t \u0000"`,
		"\"raw \u0085 \u2028 \u2029 \ufeff \uffff \u0080 \x7f\"",
		"\"bad \xff utf-8\"",
		"\"\U0001F600 raw\"",
	} {
		data := []byte("{\"k\": [\n\t" + s + "\n]}")
		require.True(t, json.Valid(data), s)
		var want map[string][]string
		require.NoError(t, json.Unmarshal(data, &want), s)
		out, err := jsonyaml.Prepare(data)
		require.NoError(t, err, s)
		var got map[string][]string
		require.NoError(t, yaml.Unmarshal(out, &got), "%s\n%s", s, out)
		assert.Equal(t, want, got, "%s\n%s", s, out)
		assert.Equal(t, strings.Count(string(data), "\n"), strings.Count(string(out), "\n"), "lines kept")
	}
}

func TestPrepareUnchanged(t *testing.T) {
	for _, s := range []string{"a: 1\n", "{\"a\": \"b\"}\n", "[1, 2]"} {
		out, err := jsonyaml.Prepare([]byte(s))
		require.NoError(t, err)
		assert.Equal(t, s, string(out))
	}
}

func TestPrepareLines(t *testing.T) {
	// A node's line in the prepared text is its line in the JSON text.
	data := []byte("{\r\n\t\"a\": \"x\",\r\n\t\"b\":\r\"y\\/z\"\n}")
	out, err := jsonyaml.Prepare(data)
	require.NoError(t, err)
	var doc yaml.Node
	require.NoError(t, yaml.Unmarshal(out, &doc))
	m := doc.Content[0]
	assert.Equal(t, 2, m.Content[0].Line)
	assert.Equal(t, 3, m.Content[3].Line)
	assert.Equal(t, "y/z", m.Content[3].Value)
}

func TestPrepareSyntaxError(t *testing.T) {
	for _, tt := range []struct {
		data      string
		line, col int
		msg       string
	}{
		{"{\n  \"a\": 1,\n  \"b\": 2,\n}", 4, 1, "invalid character '}'"},
		{"{\n\"a\": \"tab\there\"}", 2, 10, "invalid character '\\t' in string literal"},
		{"{\"a\": 1}\n{\"b\": 2}", 2, 1, "after top-level value"},
		{"\xef\xbb\xbf[1,]", 1, 4, "invalid character ']'"},
		{"{\"été\": 1 2}", 1, 11, "invalid character '2' after object key:value pair"},
		{"[\n  {\"a\": \"x\x00\"}]", 2, 11, `invalid character '\x00' in string literal`},
		// Cut short: the message says what is left open, and where.
		{"{\n\"a\": ", 2, 6, "unexpected end of JSON input: the object opened at line 1, column 1 is not closed"},
		{"{\"items\": [\n  {\"id\": \"a\"},\n", 3, 1, "unexpected end of JSON input: the array opened at line 1, column 11 is not closed"},
		{"{\"a\": [1, {\"b\": \"x\\\"y", 1, 22, "unexpected end of JSON input: the string opened at line 1, column 17 is not closed"},
		{"[tru", 1, 5, "unexpected end of JSON input: literal true (expecting 'e'); the array opened at line 1, column 1 is not closed"},
	} {
		_, err := jsonyaml.Prepare([]byte(tt.data))
		var se *jsonyaml.SyntaxError
		require.True(t, errors.As(err, &se), "%q: %v", tt.data, err)
		assert.Equal(t, tt.line, se.Line, "line of %q", tt.data)
		assert.Equal(t, tt.col, se.Column, "column of %q", tt.data)
		assert.Contains(t, se.Msg, tt.msg, tt.data)
		assert.NotContains(t, se.Error(), "json: ")
		assert.Contains(t, se.Error(), fmt.Sprintf("line %d, column %d: ", tt.line, tt.col))
	}
}

// TestPrepareRefusesYAMLControlCharacters checks that the characters the
// YAML decoder refuses without a line are reported with their place.
func TestPrepareRefusesYAMLControlCharacters(t *testing.T) {
	for _, tt := range []struct {
		data      string
		line, col int
		msg       string
	}{
		{"a: 1\nb: x\x00y\n", 2, 5, "control character U+0000 is not allowed"},
		{"a: \x1b[31m\n", 1, 4, "control character U+001B"},
		{"a: é\x7f\n", 1, 5, "control character U+007F"},
		{"# ok\n\n  c: \u0090\n", 3, 6, "control character U+0090"},
		{"a: \xff\n", 1, 4, "invalid UTF-8 (byte 0xFF)"},
		{"a: \"\uffff\"", 1, 5, "character U+FFFF is not allowed"},
	} {
		_, err := jsonyaml.Prepare([]byte(tt.data))
		var se *jsonyaml.SyntaxError
		require.True(t, errors.As(err, &se), "%q: %v", tt.data, err)
		assert.Equal(t, tt.line, se.Line, "line of %q", tt.data)
		assert.Equal(t, tt.col, se.Column, "column of %q", tt.data)
		assert.Contains(t, se.Msg, tt.msg, tt.data)
		// The YAML decoder refuses it too, without saying where.
		var v any
		assert.Error(t, yaml.Unmarshal([]byte(tt.data), &v), "%q", tt.data)
	}
	// What YAML accepts is left as it is: tabs, CR LF, NEL, BOM, UTF-16.
	for _, s := range []string{"a:\tb\r\n", "a: \u0085 \u00a0 \ufeff \U0001F600\n", "\xef\xbb\xbfa: 1", "\xff\xfea\x00:\x00 \x001\x00"} {
		out, err := jsonyaml.Prepare([]byte(s))
		require.NoError(t, err, "%q", s)
		assert.Equal(t, s, string(out))
	}
}

// FuzzPrepare checks that YAML reads any valid JSON, once prepared, to the
// values encoding/json reads, with its lines.
func FuzzPrepare(f *testing.F) {
	f.Add([]byte(`{"a": "\/\ud83d\ude00", "b": [1, 2.5, true, null, "\u2028"]}`))
	f.Add([]byte("[\n\t\"\\ud800\",\r\n\t-0.5e3\n]"))
	f.Add([]byte("a: 1\nb: \x00\n"))
	f.Add([]byte("a: \xc3\n"))
	f.Add([]byte("{\"a\": [1, {\"b\": \"x"))
	f.Add([]byte("[nul"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			// The engine minimises each new input by trying to remove
			// every range of its bytes: on long inputs it stands still.
			t.Skip("long input")
		}
		out, err := jsonyaml.Prepare(data)
		if !jsonyaml.Is(data) {
			if err != nil {
				// Refused only what the YAML decoder refuses too.
				var se *jsonyaml.SyntaxError
				require.True(t, errors.As(err, &se), "%v", err)
				assert.Positive(t, se.Line)
				assert.Positive(t, se.Column)
				dec := yaml.NewDecoder(bytes.NewReader(data))
				for {
					var v yaml.Node
					derr := dec.Decode(&v)
					if derr == io.EOF {
						t.Fatalf("refused %q (%v), which YAML reads", data, err)
					}
					if derr != nil {
						break
					}
				}
				return
			}
			assert.Equal(t, data, out)
			return
		}
		var want any
		if jerr := json.Unmarshal(data, &want); jerr != nil {
			var se *jsonyaml.SyntaxError
			if json.Valid(data) {
				return // valid but not representable, e.g. 1e999
			}
			require.True(t, errors.As(err, &se), "%v", err)
			assert.Positive(t, se.Line)
			assert.Positive(t, se.Column)
			return
		}
		require.NoError(t, err)
		var got any
		if yerr := yaml.Unmarshal(out, &got); yerr != nil {
			if strings.Contains(yerr.Error(), "already defined") || strings.Contains(yerr.Error(), "depth") {
				return // duplicate keys, which JSON lets the last win; deep nesting
			}
			t.Fatalf("%v\n%q\n%q", yerr, data, out)
		}
		if !same(want, got) {
			t.Fatalf("json %#v\nyaml %#v\n%q\n%q", want, got, data, out)
		}
		assert.Equal(t, strings.Count(string(data), "\n"), strings.Count(string(out), "\n"))
	})
}

// same compares a value decoded by encoding/json with one decoded by YAML:
// numbers by value.
func same(j, y any) bool {
	switch j := j.(type) {
	case map[string]any:
		ym, ok := y.(map[string]any)
		if !ok || len(ym) != len(j) {
			return false
		}
		for k, v := range j {
			if !same(v, ym[k]) {
				return false
			}
		}
		return true
	case []any:
		ys, ok := y.([]any)
		if !ok || len(ys) != len(j) {
			return false
		}
		for i := range j {
			if !same(j[i], ys[i]) {
				return false
			}
		}
		return true
	case float64:
		switch y := y.(type) {
		case int:
			return float64(y) == j
		case uint64:
			return float64(y) == j
		case float64:
			return y == j || math.Abs(y-j) <= 1e-9*math.Abs(j)
		}
		return false
	}
	return j == y
}
