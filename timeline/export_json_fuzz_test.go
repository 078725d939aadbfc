package timeline_test

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// FuzzJSON checks the JSON decoders of what a tool logs or sends: whatever
// they accept marshals again and reads back to the same text.
func FuzzJSON(f *testing.F) {
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.FixedZone("", 3600))
	now := t0
	j := timeline.New(&timeline.Options{Now: func() time.Time { return now }})
	_, err := j.Start("dns", "alice", timeline.Outage)
	require.NoError(f, err)
	now = now.Add(90*time.Minute + 500*time.Millisecond)
	_, err = j.End("dns", "alice", timeline.Failed)
	require.NoError(f, err)
	s := timeline.Summarize(j.Entries())
	for _, v := range []any{s, timeline.Compare(s, s), timeline.Estimate(s, s)} {
		b, err := json.Marshal(v)
		require.NoError(f, err)
		f.Add(b)
	}
	f.Add([]byte(`{"duration":-0.000000001,"steps":[{"impact":"none","outcome":"done"}]}`))
	f.Add([]byte(`{"duration":9223372036.854775807}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 1024 {
			// The engine minimises each new input by trying to remove
			// every range of its bytes: on long inputs it stands still.
			t.Skip("long input")
		}
		var s timeline.Summary
		if json.Unmarshal(data, &s) == nil {
			stable(t, s)
		}
		var c timeline.Comparison
		if json.Unmarshal(data, &c) == nil {
			stable(t, c)
		}
		var fc timeline.Forecast
		if json.Unmarshal(data, &fc) == nil {
			stable(t, fc)
		}
	})
}

// stable marshals v, reads it back and checks the text is the same.
func stable[T any](t *testing.T, v T) {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		return // e.g. an impact out of range, refused on the way out
	}
	var back T
	require.NoError(t, json.Unmarshal(b, &back), "%s does not read back", b)
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	require.True(t, bytes.Equal(b, b2), "unstable: %s then %s", b, b2)
}
