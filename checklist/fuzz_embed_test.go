package checklist_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/checklist"
)

// FuzzUnmarshalYAML checks that a list embedded in a larger YAML
// document reads as Parse reads the same YAML on its own: the same list,
// or an error for the same input, and never a panic.
func FuzzUnmarshalYAML(f *testing.F) {
	f.Add([]byte("name: p\nmode: do-confirm\nitems:\n  - {id: a, title: A, deadline: -1h, depends_on: [b]}\n  - {id: b, title: B, purpose: hardware-verified}\n"))
	f.Add([]byte("items:\n  - &i {id: a, title: A, owner: &o ops}\n  - {id: b, title: B, owner: *o}\n  - *i\n"))
	f.Add([]byte("items: &l\n  - *l\n"))
	f.Add([]byte("name: [x]\ncolour: red\nitems: 7\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			t.Skip("long input") // as for FuzzParse
		}
		want, perr := checklist.Parse(data)
		var doc struct {
			List checklist.List `yaml:"list"`
		}
		var wrapped bytes.Buffer
		wrapped.WriteString("list:\n")
		for _, line := range bytes.SplitAfter(data, []byte("\n")) {
			wrapped.WriteString("  ")
			wrapped.Write(line)
		}
		err := yaml.Unmarshal(wrapped.Bytes(), &doc)
		if err != nil {
			var le *checklist.ListError
			if errors.As(err, &le) {
				assert.ErrorIs(t, err, checklist.ErrInvalid)
				assert.Error(t, perr, "Parse accepts what UnmarshalYAML refuses: %v", err)
			}
			return
		}
		if perr != nil {
			return // YAML that Parse refuses before decoding, indented into another meaning
		}
		assert.Equal(t, want.Clone(), doc.List.Clone())
	})
}

// FuzzItemJSON checks that Item.UnmarshalJSON never panics, that its
// errors are typed, and that an item it reads writes back the same.
func FuzzItemJSON(f *testing.F) {
	f.Add([]byte(`{"id":"a","title":"A","section":"s","owner":"o","optional":true,"deadline":"-1h30m","depends_on":["b"],"offline":true,"purpose":"config-backup"}`))
	f.Add([]byte(`{"id":"a","deadline":"1e300h"}`))
	f.Add([]byte(`{"id":"a","purpose":"unknown"}`))
	f.Add([]byte(`{"id":"a","due":"1h"}`))
	f.Add([]byte(`{"id":"a"} {"id":"b"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var it checklist.Item
		if err := it.UnmarshalJSON(data); err != nil {
			var e *checklist.Error
			assert.True(t, errors.As(err, &e), "got %T %v", err, err)
			assert.ErrorIs(t, err, checklist.ErrInvalid)
			return
		}
		out, err := json.Marshal(it)
		require.NoError(t, err)
		var back checklist.Item
		require.NoError(t, back.UnmarshalJSON(out), "%s", out)
		assert.Equal(t, it, back)
	})
}
