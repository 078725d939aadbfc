package timeline_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// An error that holds another of the package's errors writes the package
// prefix once, at the front, and still wraps the sentinels.
func TestErrorTextsHaveOnePrefix(t *testing.T) {
	_, err := timeline.Read(strings.NewReader(`{"seq":1,"at":"2026-11-27T20:00:00Z","kind":"start","step":"a","impact":"total","hash":"x"}` + "\n"))
	require.Error(t, err)
	assert.ErrorIs(t, err, timeline.ErrInvalid)
	assert.Equal(t, `timeline: line 1: unknown impact "total" (want none, disruption or outage)`, err.Error())

	_, err = timeline.Read(strings.NewReader(`{"seq":1,`))
	require.Error(t, err)
	assert.ErrorIs(t, err, timeline.ErrTornWrite)
	assert.True(t, strings.HasPrefix(err.Error(), "timeline: line 1: torn last line: "), err.Error())

	j := timeline.New(nil)
	_, err = j.Start("a", "ann", timeline.Impact(7))
	assert.ErrorIs(t, err, timeline.ErrInvalid)
	assert.Equal(t, `timeline: entry 1 (step "a"): invalid entry: impact out of range`, err.Error())

	if runtime.GOOS != "windows" {
		path := filepath.Join(t.TempDir(), "j.jsonl")
		held, err := timeline.Open(path, &timeline.Options{NoSync: true})
		require.NoError(t, err)
		defer held.Close()
		_, err = timeline.Open(path, nil)
		assert.ErrorIs(t, err, timeline.ErrLocked)
		assert.Equal(t, "timeline: "+path+": journal file in use", err.Error())
	}

	path := filepath.Join(t.TempDir(), "bad.jsonl")
	require.NoError(t, os.WriteFile(path, []byte("{}\n{}\n"), 0o600))
	_, err = timeline.Open(path, &timeline.Options{NoSync: true})
	require.Error(t, err)
	assert.Equal(t, 1, strings.Count(err.Error(), "timeline: "), err.Error())
	assert.True(t, strings.HasPrefix(err.Error(), "timeline: opening "+path+": line 1: "), err.Error())
}
