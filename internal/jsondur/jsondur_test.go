package jsondur_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/jsondur"
)

func TestAppendAndParse(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0", 90 * time.Minute: "5400", 500 * time.Millisecond: "0.5", -time.Nanosecond: "-0.000000001",
		time.Duration(math.MaxInt64): "9223372036.854775807", time.Duration(math.MinInt64 + 1): "-9223372036.854775807",
	} {
		assert.Equal(t, want, string(jsondur.Append(nil, d)))
		back, err := jsondur.Parse([]byte(want))
		require.NoError(t, err, want)
		assert.Equal(t, d, back)
	}
	d, err := jsondur.Parse([]byte("1.5e3"))
	require.NoError(t, err)
	assert.Equal(t, 1500*time.Second, d)
	for _, bad := range []string{`"90m"`, "1e300", "99999999999", "", "-", ".5.5", "9223372037"} {
		_, err := jsondur.Parse([]byte(bad))
		assert.ErrorIs(t, err, jsondur.ErrSeconds, bad)
	}
}

// FuzzRoundTrip checks that every duration reads back from what Append
// writes.
func FuzzRoundTrip(f *testing.F) {
	for _, d := range []int64{0, 1, -1, 1500000000, math.MaxInt64, math.MinInt64 + 1} {
		f.Add(d)
	}
	f.Fuzz(func(t *testing.T, n int64) {
		if n == math.MinInt64 {
			t.Skip("no positive counterpart")
		}
		back, err := jsondur.Parse(jsondur.Append(nil, time.Duration(n)))
		require.NoError(t, err)
		assert.Equal(t, time.Duration(n), back)
	})
}
