package timeline_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// Impacts and outcomes read in any case, around spaces trimmed, and every
// spelling accepted before still reads to the same value.
func TestParseImpactAndOutcomeSpellings(t *testing.T) {
	for s, want := range map[string]timeline.Impact{
		"": timeline.NoImpact, "none": timeline.NoImpact, "disruption": timeline.Disruption, "outage": timeline.Outage,
		"Outage": timeline.Outage, " DISRUPTION\n": timeline.Disruption, "None": timeline.NoImpact, "  ": timeline.NoImpact,
	} {
		got, err := timeline.ParseImpact(s)
		require.NoError(t, err, "%q", s)
		assert.Equal(t, want, got, "%q", s)
	}
	for s, want := range map[string]timeline.Outcome{
		"": timeline.Done, "done": timeline.Done, "failed": timeline.Failed, "skipped": timeline.Skipped,
		"FAILED": timeline.Failed, " Skipped ": timeline.Skipped,
	} {
		got, err := timeline.ParseOutcome(s)
		require.NoError(t, err, "%q", s)
		assert.Equal(t, want, got, "%q", s)
	}
}

func TestImpactAndOutcomeErrors(t *testing.T) {
	_, err := timeline.ParseImpact("total")
	assert.ErrorIs(t, err, timeline.ErrInvalid)
	assert.EqualError(t, err, `timeline: unknown impact "total" (want none, disruption or outage)`)
	_, err = timeline.ParseOutcome("meh")
	assert.ErrorIs(t, err, timeline.ErrInvalid)
	assert.EqualError(t, err, `timeline: unknown outcome "meh" (want done, failed or skipped)`)

	_, err = timeline.Impact(9).MarshalText()
	assert.ErrorIs(t, err, timeline.ErrInvalid)
	assert.EqualError(t, err, "timeline: invalid impact 9")
	_, err = timeline.Outcome(3).MarshalText()
	assert.EqualError(t, err, "timeline: invalid outcome 3")

	var sp timeline.Span
	err = json.Unmarshal([]byte(`{"step":"a","impact":"total"}`), &sp)
	assert.ErrorIs(t, err, timeline.ErrInvalid, "JSON fails closed on an unknown impact")
	assert.Equal(t, timeline.Span{}, sp)
}
