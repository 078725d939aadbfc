package timespan_test

import (
	"encoding/json"
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/timespan"
)

func TestAppendAndParse(t *testing.T) {
	for d, want := range map[time.Duration]string{
		0: "0", 90 * time.Minute: "5400", 500 * time.Millisecond: "0.5", -time.Nanosecond: "-0.000000001",
		time.Duration(math.MaxInt64): "9223372036.854775807", time.Duration(math.MinInt64 + 1): "-9223372036.854775807",
	} {
		assert.Equal(t, want, string(timespan.Append(nil, d)))
		back, err := timespan.Parse([]byte(want))
		require.NoError(t, err, want)
		assert.Equal(t, d, back)
	}
	d, err := timespan.Parse([]byte("1.5e3"))
	require.NoError(t, err)
	assert.Equal(t, 1500*time.Second, d)
	for _, bad := range []string{`"90m"`, "1e300", "99999999999", "", "-", ".5.5", "9223372037"} {
		_, err := timespan.Parse([]byte(bad))
		assert.ErrorIs(t, err, timespan.ErrSeconds, bad)
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
		back, err := timespan.Parse(timespan.Append(nil, time.Duration(n)))
		require.NoError(t, err)
		assert.Equal(t, time.Duration(n), back)
	})
}

func TestSecondsJSON(t *testing.T) {
	type doc struct {
		Lead timespan.Seconds `json:"lead"`
	}
	b, err := json.Marshal(doc{timespan.Seconds(90*time.Minute + 500*time.Millisecond)})
	require.NoError(t, err)
	assert.JSONEq(t, `{"lead":5400.5}`, string(b))

	var got doc
	require.NoError(t, json.Unmarshal(b, &got))
	assert.Equal(t, 90*time.Minute+500*time.Millisecond, time.Duration(got.Lead))

	got = doc{timespan.Seconds(time.Hour)}
	require.NoError(t, json.Unmarshal([]byte(`{"lead":null}`), &got))
	assert.Equal(t, time.Hour, time.Duration(got.Lead), "null leaves the value unchanged")
}

func TestSecondsJSONError(t *testing.T) {
	for _, bad := range []string{`"90m"`, `1e300`, `true`, `{}`} {
		var s timespan.Seconds
		err := json.Unmarshal([]byte(`{"lead":`+bad+`}`), &struct {
			Lead *timespan.Seconds `json:"lead"`
		}{&s})
		require.Error(t, err, bad)
		var de *timespan.Error
		require.ErrorAs(t, err, &de, bad)
		assert.Equal(t, bad, de.JSON)
		assert.ErrorIs(t, err, timespan.ErrSeconds)
		assert.Equal(t, "duration "+bad+": want a number of seconds within ±292 years", err.Error())
		assert.Zero(t, s, "a bad value leaves the duration unchanged")
	}
}

func ExampleSeconds() {
	b, _ := json.Marshal(map[string]timespan.Seconds{"outage": timespan.Seconds(90 * time.Minute)})
	fmt.Println(string(b))
	var back map[string]timespan.Seconds
	err := json.Unmarshal([]byte(`{"outage":"90m"}`), &back)
	fmt.Println(err)
	// Output:
	// {"outage":5400}
	// duration "90m": want a number of seconds within ±292 years
}
