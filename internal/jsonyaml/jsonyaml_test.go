package jsonyaml_test

import (
	"encoding/json"
	"errors"
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
		data string
		line int
		msg  string
	}{
		{"{\n  \"a\": 1,\n  \"b\": 2,\n}", 4, "invalid character '}'"},
		{"{\n\"a\": \"tab\there\"}", 2, "invalid character '\\t' in string literal"},
		{"{\"a\": 1}\n{\"b\": 2}", 2, "after top-level value"},
		{"{\n\"a\": ", 2, "unexpected end of JSON input"},
		{"\xef\xbb\xbf[1,]", 1, "invalid character ']'"},
	} {
		_, err := jsonyaml.Prepare([]byte(tt.data))
		var se *jsonyaml.SyntaxError
		require.True(t, errors.As(err, &se), "%q: %v", tt.data, err)
		assert.Equal(t, tt.line, se.Line, tt.data)
		assert.Contains(t, se.Msg, tt.msg, tt.data)
		assert.NotContains(t, se.Error(), "json: ")
	}
}

// FuzzPrepare checks that YAML reads any valid JSON, once prepared, to the
// values encoding/json reads, with its lines.
func FuzzPrepare(f *testing.F) {
	f.Add([]byte(`{"a": "\/\ud83d\ude00", "b": [1, 2.5, true, null, "\u2028"]}`))
	f.Add([]byte("[\n\t\"\\ud800\",\r\n\t-0.5e3\n]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		out, err := jsonyaml.Prepare(data)
		if !jsonyaml.Is(data) {
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
