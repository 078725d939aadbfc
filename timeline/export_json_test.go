package timeline_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// jsonRoundTrip marshals v, reads it back into a new T and checks that it
// marshals to the same text; it returns the text and the value read back.
func jsonRoundTrip[T any](t *testing.T, v T) (string, T) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(b, &back), "%s", b)
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	require.JSONEq(t, string(b), string(b2))
	return string(b), back
}

// What a tool logs or sends marshals as the rest of the module: snake_case
// fields, enums as text, durations in seconds; and it reads back.
func TestJSONIsSnakeCaseWithSecondsAndTextEnums(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	now := t0
	j := timeline.New(&timeline.Options{Now: func() time.Time { return now }})
	_, err := j.Start("dns", "alice", timeline.Outage)
	require.NoError(t, err)
	now = now.Add(90*time.Minute + 500*time.Millisecond)
	_, err = j.End("dns", "alice", timeline.Failed)
	require.NoError(t, err)
	s := timeline.Summarize(j.Entries())

	text, back := jsonRoundTrip(t, s)
	assert.JSONEq(t, `{"start":"2026-11-24T20:00:00Z","end":"2026-11-24T21:30:00.5Z","duration":5400.5,"outage":5400.5,"disruption":0,
		"steps":[{"step":"dns","attempt":1,"actor":"alice","start":"2026-11-24T20:00:00Z","end":"2026-11-24T21:30:00.5Z",
		"duration":5400.5,"impact":"outage","outcome":"failed","start_seq":1,"end_seq":2}],"entries":2,"open":0}`, text)
	assert.Equal(t, s.Duration, back.Duration)
	assert.Equal(t, s.Steps[0].Outcome, back.Steps[0].Outcome)

	text, _ = jsonRoundTrip(t, s.StepTotals())
	assert.JSONEq(t, `[{"step":"dns","attempts":1,"elapsed":5400.5,"outage":5400.5,"disruption":0,"impact":"outage","outcome":"failed"}]`, text)
	text, _ = jsonRoundTrip(t, s.Periods(timeline.Outage))
	assert.JSONEq(t, `[{"start":"2026-11-24T20:00:00Z","end":"2026-11-24T21:30:00.5Z"}]`, text)
	text, _ = jsonRoundTrip(t, timeline.Compare(s, s))
	assert.JSONEq(t, `{"duration":{"baseline":5400.5,"actual":5400.5},"outage":{"baseline":5400.5,"actual":5400.5},
		"disruption":{"baseline":0,"actual":0},"steps":[{"step":"dns","baseline":5400.5,"actual":5400.5}]}`, text)
	text, _ = jsonRoundTrip(t, timeline.Estimate(s))
	assert.JSONEq(t, `{"runs":1,"duration":{"n":1,"min":5400.5,"median":5400.5,"max":5400.5},"outage":{"n":1,"min":5400.5,"median":5400.5,"max":5400.5},
		"disruption":{"n":1,"min":0,"median":0,"max":0},"steps":[{"step":"dns","impact":"outage","runs":1,
		"elapsed":{"n":1,"min":5400.5,"median":5400.5,"max":5400.5},"outage":{"n":1,"min":5400.5,"median":5400.5,"max":5400.5},"disruption":{"n":1,"min":0,"median":0,"max":0}}]}`, text)
	text, _ = jsonRoundTrip(t, timeline.Recovery{TornBytes: 12, TornLine: 3})
	assert.JSONEq(t, `{"torn_bytes":12,"torn_line":3}`, text)

	var bad timeline.Summary
	assert.Error(t, json.Unmarshal([]byte(`{"duration":"90m"}`), &bad), "durations are seconds")
}

// A duration that is not a number of seconds is refused with the package
// prefix once, however deep the value that holds it.
func TestJSONDurationErrorText(t *testing.T) {
	const want = `timeline: duration "90m": want a number of seconds within ±292 years`
	var sp timeline.Span
	assert.EqualError(t, json.Unmarshal([]byte(`{"step":"a","duration":"90m"}`), &sp), want)
	var s timeline.Summary
	assert.EqualError(t, json.Unmarshal([]byte(`{"steps":[{"step":"a","duration":"90m"}]}`), &s), want)
	assert.EqualError(t, json.Unmarshal([]byte(`{"outage":"90m"}`), &s), want)
	var f timeline.Forecast
	err := json.Unmarshal([]byte(`{"steps":[{"step":"a","elapsed":{"min":"90m"}}]}`), &f)
	assert.EqualError(t, err, want)
}
