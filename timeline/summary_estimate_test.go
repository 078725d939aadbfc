package timeline_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

func TestEstimate(t *testing.T) {
	r1 := runOf(t, at(2026, 11, 1, 20, 0), 10, 20, 30)
	r2 := runOf(t, at(2026, 11, 8, 20, 0), 12, 24, 30)
	r3 := runOf(t, at(2026, 11, 15, 20, 0), 8, 30, 20, 5)
	f := timeline.Estimate(r1, r2, r3)
	assert.Equal(t, 3, f.Runs)
	assert.Equal(t, timeline.Stats{N: 3, Min: 60 * time.Minute, Median: 63 * time.Minute, Max: 66 * time.Minute}, f.Duration)
	assert.Equal(t, timeline.Stats{N: 3, Min: 20 * time.Minute, Median: 24 * time.Minute, Max: 30 * time.Minute}, f.Outage)
	assert.Equal(t, timeline.Stats{N: 3, Min: 20 * time.Minute, Median: 30 * time.Minute, Max: 30 * time.Minute}, f.Disruption)
	require.Len(t, f.Steps, 4)
	b, ok := f.Step("b")
	require.True(t, ok)
	assert.Equal(t, timeline.Outage, b.Impact)
	assert.Equal(t, 24*time.Minute, b.Elapsed.Median)
	assert.Equal(t, 24*time.Minute, b.Outage.Median)
	d, _ := f.Step("d")
	assert.Equal(t, 1, d.Runs)
	_, ok = f.Step("nope")
	assert.False(t, ok)

	even := timeline.Estimate(r1, r2)
	assert.Equal(t, 63*time.Minute, even.Duration.Median, "mean of the two middle values")
	assert.Zero(t, timeline.Estimate().Duration)
}
