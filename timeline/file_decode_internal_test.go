package timeline

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fast decoder must accept only what encoding/json decodes to the same
// entry, and only lines that are exactly the canonical encoding of that
// entry: the readers skip the canonical check of what it accepts.
func FuzzDecodeFastAgreesWithJSON(f *testing.F) {
	f.Add([]byte(`{"seq":1,"at":"0001-01-01T00:00:00Z","kind":"note","hash":""}`))
	f.Add([]byte(`{"seq":4,"at":"2026-11-24T20:00:00.500Z","kind":"note","hash":"ab"}`))
	f.Add([]byte(`{"seq":5,"at":"2026-11-24T20:00:00+00:00","kind":"note","hash":"ab"}`))
	f.Add([]byte(`{"seq":6,"at":"2026-11-24T20:00:00Z","kind":"note","step":"","hash":"ab"}`))
	f.Add([]byte(`{"seq":7,"at":"2026-11-24T20:00:00Z","kind":"note","impact":"none","outcome":"done","hash":"ab"}`))
	f.Add([]byte(`{"seq":8,"at":"2026-11-24T20:00:00Z","kind":"note","attrs":{"b":"1","a":"2"},"hash":"ab"}`))
	f.Add([]byte(`{"seq":9,"at":"2026-11-24T20:00:00Z","kind":"note","text":"a<b & \u2028","hash":"ab"}`))
	f.Add([]byte(`{"seq":1,"at":"2026-11-24T20:00:00+01:00","kind":"note","hash":"ab"}`))
	f.Add([]byte(`{"seq":12,"at":"2026-11-24T20:00:00.5Z","kind":"start","step":"s","actor":"a","text":"t","impact":"outage","attrs":{"a":"1","b":""},"hash":"ab"}`))
	f.Add([]byte(`{"seq":2,"at":"2026-11-24T20:00:00Z","kind":"end","step":"s","outcome":"failed","attrs":{},"hash":""}`))
	f.Add([]byte(`{"seq":01,"at":"2026-11-24T20:00:00Z","kind":"note","hash":"ab"}`))
	f.Add([]byte(`{"seq":3,"at":"2026-11-24T20:00:00Z","kind":"x-\u00e9","text":"caf\u00e9","hash":"ab"}`))
	f.Add([]byte(`{"seq":3,"at":"2026-11-24T20:00:00Z","kind":"mep.vote","text":"a\"b\\c\nd\u0001\u003c\u2028","attrs":{"list":"[\"x\",\"y\"]"},"hash":"ab"}`))
	f.Fuzz(func(t *testing.T, line []byte) {
		fast, ok := decodeFast(string(line))
		if !ok {
			return
		}
		slow, err := decodeSlow(line)
		require.NoError(t, err, "fast path accepted what encoding/json refuses: %q", line)
		assert.True(t, fast.At.Equal(slow.At))
		canon, err := appendEntry(nil, &fast)
		require.NoError(t, err)
		require.Equal(t, string(line), string(canon), "fast path accepted a line that is not canonical")
		fast.At = slow.At
		assert.Equal(t, slow, fast)
	})
}

func TestDecodeFastTakesTheCanonicalLayout(t *testing.T) {
	j := New(nil)
	_, _ = j.Record(Entry{Kind: KindStart, Step: "s", Actor: "a", Text: "t", Impact: Outage, Attrs: map[string]string{"k": "v", "a": "b"}})
	_, _ = j.End("s", "a", Failed)
	// Strings with every escape the canonical encoding makes: a JSON
	// value kept in an attribute, as mep keeps lists and decisions.
	_, err := j.Record(Entry{Kind: "mep.decision", Actor: "Olga", Text: "a \"quote\", a \\ and\nlines\r\t\b\f\x01\x1f <b> & \u2028\u2029 café",
		Attrs: map[string]string{"reasons": `[{"source":"vote","text":"GO from \"ops\""}]`, "é\"key": "v"}})
	require.NoError(t, err)
	require.Equal(t, 3, j.Len())
	for _, e := range j.Entries() {
		line, err := appendLine(nil, &e)
		require.NoError(t, err)
		got, ok := decodeFast(string(line[:len(line)-1]))
		require.True(t, ok, "%s", line)
		assert.True(t, got.At.Equal(e.At))
		got.At = e.At
		assert.Equal(t, e, got)
	}
}

// Every spelling of an entry but the canonical one leaves the fast path,
// so that the canonical check refuses it.
func TestDecodeFastRefusesOtherSpellings(t *testing.T) {
	const canon = `{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"t","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`
	_, ok := decodeFast(canon)
	require.True(t, ok)
	for _, line := range []string{
		`{"seq":1,"at":"2026-11-24T20:00:00.50+01:00","kind":"note","step":"s","text":"t","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T19:00:00.5+00:00","kind":"note","step":"s","text":"t","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24t20:00:00.5+01:00","kind":"note","step":"s","text":"t","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"","text":"t","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"\u0074","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"<t>","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"\/t","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"\u000a","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"\u001F","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"\u003C","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"\ufffd","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"\u00e9","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"t\","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"t\u00","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"t","impact":"Outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"t","impact":"outage","outcome":"done","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"t","impact":"outage","attrs":{"b":"2","a":"1"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"t","impact":"outage","attrs":{"a":"1","a":"2"},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"t","impact":"outage","attrs":{},"hash":"ab"}`,
		`{"seq":1,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"t","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"} `,
		`{"seq":01,"at":"2026-11-24T20:00:00.5+01:00","kind":"note","step":"s","text":"t","impact":"outage","attrs":{"a":"1","b":"2"},"hash":"ab"}`,
	} {
		_, ok := decodeFast(line)
		assert.False(t, ok, "%s", line)
		_, _, err := decodeLine(line, nil)
		assert.Error(t, err, "%s", line)
	}
}

// What a file store loads is what Read reads from the complete lines: the
// same entries, or the same error.
func FuzzDecodeLinesAgreesWithRead(f *testing.F) {
	f.Add([]byte(`{"seq":1,"at":"2026-11-24T20:00:00+01:00","kind":"note","hash":"ab"}` + "\n"))
	f.Add([]byte(`{"seq":1,"at":"2026-11-24T20:00:00Z","kind":"note","text":"a\u003cb","hash":"ab"}` + "\n\n"))
	f.Add([]byte("x\n" + `{"seq":1,"at":"2026-11-24T20:00:00Z","kind":"note","hash":"ab"}` + "\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		data = data[:bytes.LastIndexByte(data, '\n')+1]
		got, err := decodeLines(data)
		want, rerr := Read(bytes.NewReader(data))
		if rerr != nil {
			require.Error(t, err)
			assert.Equal(t, rerr.Error(), err.Error())
			assert.Equal(t, len(want), len(got), "the entries before the bad line")
			return
		}
		require.NoError(t, err)
		if len(want) == 0 {
			assert.Empty(t, got)
			return
		}
		assert.Equal(t, want, got)
	})
}
