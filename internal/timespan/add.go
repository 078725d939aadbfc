package timespan

import (
	"math"
	"time"
)

// Add returns a+b, saturated at the bounds of time.Duration instead of
// wrapped around: spans that add up to more than 292 years give the
// longest duration, never a negative one.
func Add(a, b time.Duration) time.Duration {
	s := a + b
	switch {
	case a > 0 && b > 0 && s < 0:
		return math.MaxInt64
	case a < 0 && b < 0 && s >= 0:
		return math.MinInt64
	}
	return s
}
