package timespan

import (
	"strings"
	"time"
)

// Short prints d as time.Duration.String does, without its zero units:
// "1h", "30m", "1h30m", "-1h", "45s", but "1h0m5s". time.ParseDuration
// reads the result back.
func Short(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = s[:len(s)-2]
	}
	if strings.HasSuffix(s, "h0m") {
		s = s[:len(s)-2]
	}
	return s
}
