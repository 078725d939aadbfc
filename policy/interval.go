package policy

import (
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// Interval is a half-open interval of real time, [Start, End). The zero
// Interval is empty.
type Interval struct{ Start, End time.Time }

// Contains reports whether t is in [Start, End).
func (iv Interval) Contains(t time.Time) bool {
	return !t.Before(iv.Start) && t.Before(iv.End)
}

// Overlaps reports whether iv and o share an instant.
func (iv Interval) Overlaps(o Interval) bool {
	return iv.Start.Before(o.End) && o.Start.Before(iv.End)
}

// Duration returns End - Start.
func (iv Interval) Duration() time.Duration { return iv.End.Sub(iv.Start) }

// String formats the interval as "[start, end)" in RFC 3339.
func (iv Interval) String() string {
	return "[" + iv.Start.Format(time.RFC3339) + ", " + iv.End.Format(time.RFC3339) + ")"
}

// normalize sorts ivs[from:] by Start and merges intervals that overlap or
// touch, in place; it drops empty intervals.
func normalize(ivs []Interval, from int) []Interval {
	return ivs[:from+len(timespan.Merge(ivs[from:]))]
}

// complement returns the parts of [from, to) not covered by the sorted,
// merged intervals blocked.
func complement(blocked []Interval, from, to time.Time) []Interval {
	var out []Interval
	t := from
	for _, iv := range blocked {
		if !iv.End.After(t) {
			continue
		}
		if !iv.Start.Before(to) {
			break
		}
		if iv.Start.After(t) {
			out = append(out, Interval{t, iv.Start})
		}
		t = iv.End
	}
	if t.Before(to) {
		out = append(out, Interval{t, to})
	}
	return out
}
