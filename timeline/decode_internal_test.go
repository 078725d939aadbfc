package timeline

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fast decoder must accept only what encoding/json decodes to the same
// entry.
func FuzzDecodeFastAgreesWithJSON(f *testing.F) {
	f.Add([]byte(`{"seq":1,"at":"2026-11-24T20:00:00+01:00","kind":"note","hash":"ab"}`))
	f.Add([]byte(`{"seq":12,"at":"2026-11-24T20:00:00.5Z","kind":"start","step":"s","actor":"a","text":"t","impact":"outage","attrs":{"a":"1","b":""},"hash":"ab"}`))
	f.Add([]byte(`{"seq":2,"at":"2026-11-24T20:00:00Z","kind":"end","step":"s","outcome":"failed","attrs":{},"hash":""}`))
	f.Add([]byte(`{"seq":01,"at":"2026-11-24T20:00:00Z","kind":"note","hash":"ab"}`))
	f.Add([]byte(`{"seq":3,"at":"2026-11-24T20:00:00Z","kind":"x-\u00e9","text":"caf\u00e9","hash":"ab"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		fast, ok := decodeFast(line)
		if !ok {
			return
		}
		slow, err := decodeSlow(line)
		require.NoError(t, err, "fast path accepted what encoding/json refuses: %q", line)
		assert.True(t, fast.At.Equal(slow.At))
		fast.At = slow.At
		assert.Equal(t, slow, fast)
	})
}

func TestDecodeFastTakesTheWrittenLayout(t *testing.T) {
	j := New(nil)
	_, _ = j.Record(Entry{Kind: KindStart, Step: "s", Actor: "a", Text: "t", Impact: Outage, Attrs: map[string]string{"k": "v", "a": "b"}})
	_, _ = j.End("s", "a", Failed)
	for _, e := range j.Entries() {
		line, err := appendLine(nil, &e)
		require.NoError(t, err)
		got, ok := decodeFast(line[:len(line)-1])
		require.True(t, ok, "%s", line)
		assert.True(t, got.At.Equal(e.At))
		got.At = e.At
		assert.Equal(t, e, got)
	}
}
