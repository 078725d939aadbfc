package mep

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mepkit/mepkit/timeline"
)

// Outage periods of centuries, as a forged or mistyped record can hold,
// add up to the longest duration, never to a negative outage that passes
// every limit on it.
func TestTotalSaturates(t *testing.T) {
	y := func(year int) time.Time { return time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC) }
	periods := []timeline.Period{{Start: y(1), End: y(3000)}, {Start: y(3000), End: y(6000)}, {Start: y(6000), End: y(9999)}}
	assert.Equal(t, time.Duration(math.MaxInt64), total(periods))
	assert.Equal(t, 2*time.Hour, total([]timeline.Period{{Start: y(2026), End: y(2026).Add(time.Hour)}, {Start: y(2027), End: y(2027).Add(time.Hour)}}))
	assert.Zero(t, total(nil))
}
