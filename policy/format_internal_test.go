package policy

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestFormatDuration(t *testing.T) {
	for d, want := range map[time.Duration]string{
		time.Hour: "1h", 30 * time.Minute: "30m", 90 * time.Minute: "1h30m", 45 * time.Second: "45s",
		time.Hour + 5*time.Second: "1h0m5s", 0: "0s", 26 * time.Hour: "26h", 1500 * time.Millisecond: "1.5s",
	} {
		assert.Equal(t, want, formatDuration(d), "%v", d)
	}
}
