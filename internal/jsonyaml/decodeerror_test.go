package jsonyaml_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/internal/jsonyaml"
)

// decodeError decodes data as YAML documents until the decoder fails and
// returns its error as DecodeError reads it.
func decodeError(t *testing.T, data string) *jsonyaml.SyntaxError {
	t.Helper()
	dec := yaml.NewDecoder(bytes.NewReader([]byte(data)))
	for range 3 {
		var n yaml.Node
		if err := dec.Decode(&n); err != nil {
			return jsonyaml.DecodeError(err, []byte(data))
		}
	}
	require.FailNow(t, "no decoder error", "%q", data)
	return nil
}

func TestDecodeError(t *testing.T) {
	for _, tt := range []struct {
		name, data string
		line       int
		msg        string
	}{
		{"scanner error", "name: x\nitems: []\nmode: read-do\n  ordered: true\n", 4, "mapping values are not allowed in this context"},
		{"first line", `"0`, 1, "found unexpected end of stream"},
		{"parser error", "name: x\nitems:\n  - id: a\n  title: b\n", 3, "did not find expected '-' indicator"},
		{"parser error at the end", "name: x\nitems:\n  - id: a\n    title: [b\n", 4, "did not find expected ',' or ']'"},
		{"never past the last line", "zone: UTC\n---\nzone: [\n", 3, "did not find expected node content"},
		{"never past the last line, CRLF", "a: 1\r\nzone: [\r\n", 2, "did not find expected node content"},
		{"never past the last line, no final newline", "a: 1\nzone: [", 2, "did not find expected node content"},
		{"unknown anchor", "a: 1\nb: 2\nc: *nowhere\n", 3, "unknown anchor 'nowhere' referenced"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			se := decodeError(t, tt.data)
			assert.Equal(t, tt.line, se.Line, se.Msg)
			assert.Zero(t, se.Column, "the decoder gives no column")
			assert.Equal(t, tt.msg, se.Msg)
		})
	}
}

func ExampleDecodeError() {
	data := []byte("zone: UTC\npolicies:\n  - kind: [friday-freeze\n")
	var n yaml.Node
	err := yaml.Unmarshal(data, &n)
	fmt.Println(err)
	fmt.Println(jsonyaml.DecodeError(err, data))
	// The decoder names the line before the one where the flow sequence in
	// error starts.
	// Output:
	// yaml: line 2: did not find expected ',' or ']'
	// line 3: did not find expected ',' or ']'
}
