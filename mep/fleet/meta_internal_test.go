package fleet

import (
	"bytes"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

func TestRolloutMeta(t *testing.T) {
	e := &timeline.Entry{Seq: 4, Kind: "mep.rollout", Attrs: map[string]string{
		"rollout": "v3", "spec": `{"environment":"prod","labels":{"team":"Ops-2"},"runbook":[{"id":"a"}]}`}}
	name, m, ok, err := rolloutMeta(e)
	require.NoError(t, err)
	require.True(t, ok)
	assert.Equal(t, "v3", name)
	assert.Equal(t, meta{Environment: "prod", Labels: map[string]string{"team": "Ops-2"}}, m)

	e.Kind = "x-mep.rollout"
	_, _, ok, err = rolloutMeta(e)
	require.NoError(t, err)
	assert.True(t, ok, "the legacy prefix")

	e.Attrs["spec"] = `{"environment":3}`
	_, _, ok, err = rolloutMeta(e)
	assert.False(t, ok)
	assert.ErrorContains(t, err, `entry 4: the spec of rollout "v3"`)

	for _, k := range []string{"mep.vote", "rollout", "mep.rollouts"} {
		_, _, ok, err = rolloutMeta(&timeline.Entry{Kind: k, Attrs: e.Attrs})
		assert.False(t, ok, k)
		assert.NoError(t, err, k)
	}
	_, _, ok, err = rolloutMeta(&timeline.Entry{Seq: 9, Kind: "mep.rollout"})
	assert.False(t, ok)
	assert.ErrorContains(t, err, "entry 9: a rollout without a name")
}

// FuzzRolloutMeta: any entry reads as a rollout's environment and
// labels, or not, or is an error; never a panic.
func FuzzRolloutMeta(f *testing.F) {
	f.Add("mep.rollout", "v3", `{"environment":"prod","labels":{"team":"Ops"}}`)
	f.Add("x-mep.rollout", "", `{}`)
	f.Add("mep.rollout", "r", `{"labels":null}`)
	f.Add("mep.rollout", "r", `[`)
	f.Fuzz(func(t *testing.T, kind, name, spec string) {
		e := &timeline.Entry{Kind: kind, Attrs: map[string]string{"rollout": name, "spec": spec}}
		got, _, ok, err := rolloutMeta(e)
		if ok && (err != nil || got == "" || got != name) {
			t.Fatalf("ok with name %q, err %v", got, err)
		}
	})
}

// FuzzFileTail: any file content loads as entries or an error, never a
// panic, and only up to its last newline.
func FuzzFileTail(f *testing.F) {
	f.Add([]byte(`{"seq":1,"at":"2026-03-02T09:00:00Z","kind":"note","hash":"x"}` + "\n" + `{"seq":2`))
	f.Add([]byte("\n\n"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		path := t.TempDir() + "/record.jsonl"
		require.NoError(t, os.WriteFile(path, data, 0o600))
		ft := &fileTail{path: path}
		_, err := ft.Load()
		if err == nil {
			assert.Equal(t, int64(bytes.LastIndexByte(data, '\n')+1), ft.off)
		}
	})
}
