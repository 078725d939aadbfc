package timespan_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mepkit/mepkit/internal/timespan"
)

func TestAdd(t *testing.T) {
	const maxD, minD = time.Duration(math.MaxInt64), time.Duration(math.MinInt64)
	for _, tt := range []struct{ a, b, want time.Duration }{
		{time.Hour, time.Minute, time.Hour + time.Minute},
		{maxD, 1, maxD},
		{maxD, maxD, maxD},
		{maxD - 1, 1, maxD},
		{minD, -1, minD},
		{minD, minD, minD},
		{maxD, minD, -1},
		{-time.Hour, time.Hour, 0},
	} {
		assert.Equal(t, tt.want, timespan.Add(tt.a, tt.b), "%v + %v", tt.a, tt.b)
		assert.Equal(t, tt.want, timespan.Add(tt.b, tt.a), "%v + %v", tt.b, tt.a)
	}
}
