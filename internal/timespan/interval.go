package timespan

// Intervals. Half-open intervals of time, [Start, End), are merged here
// for the packages of the module that keep their own interval types.

import (
	"slices"
	"time"
)

// Span is the shape of the interval types that Merge accepts: any struct
// type made of exactly the fields Start and End, such as policy.Interval
// and timeline.Period.
type Span = struct{ Start, End time.Time }

// Merge sorts ivs by Start and merges, in place, the intervals that overlap
// or touch; it drops empty ones (End not after Start). It returns the
// merged prefix of ivs: sorted, disjoint, not touching. Sorted input is
// merged in linear time without sorting.
func Merge[T ~struct{ Start, End time.Time }](ivs []T) []T {
	if !slices.IsSortedFunc(ivs, cmpStart[T]) {
		slices.SortFunc(ivs, cmpStart[T])
	}
	out := ivs[:0]
	for _, x := range ivs {
		iv := Span(x)
		if !iv.Start.Before(iv.End) {
			continue
		}
		if n := len(out); n > 0 && !iv.Start.After(Span(out[n-1]).End) {
			if last := Span(out[n-1]); iv.End.After(last.End) {
				last.End = iv.End
				out[n-1] = T(last)
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

func cmpStart[T ~struct{ Start, End time.Time }](a, b T) int {
	return Span(a).Start.Compare(Span(b).Start)
}
