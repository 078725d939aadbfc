// Package duration writes durations for people ("1h30m") and for JSON (a
// number of seconds, 5400 for 1h30m): the one implementation behind
// timeline.FormatDuration and the JSON of timeline and policy, for the
// packages that must not import one another.
package duration

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
