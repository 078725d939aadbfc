package timespan_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/timespan"
)

func TestShort(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Hour: "1h", 30 * time.Minute: "30m", 90 * time.Minute: "1h30m", 45 * time.Second: "45s",
		time.Hour + 5*time.Second: "1h0m5s", 0: "0s", 26 * time.Hour: "26h", 1500 * time.Millisecond: "1.5s",
		-time.Hour: "-1h", -30 * time.Minute: "-30m",
	} {
		got := timespan.Short(d)
		assert.Equal(t, want, got, "%v", d)
		back, err := time.ParseDuration(got)
		require.NoError(t, err)
		assert.Equal(t, d, back, "reads back")
	}
}

func ExampleShort() {
	fmt.Println(timespan.Short(90*time.Minute), timespan.Short(-time.Hour))
	// Output: 1h30m -1h
}
