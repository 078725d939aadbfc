package timespan

// JSON. Durations are JSON numbers of seconds, exactly up to the
// nanosecond (5400 for 1h30m, 0.5 for 500ms), the form every package of
// the module uses for durations in JSON.

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"
)

// ErrSeconds is the error of [Parse] for what is not a number of seconds
// that a time.Duration can hold.
var ErrSeconds = errors.New("want a number of seconds within ±292 years")

// Seconds is a duration that marshals as a JSON number of seconds, as
// [Append] writes it, and unmarshals from one, as [Parse] reads it. JSON
// null leaves it unchanged.
type Seconds time.Duration

// MarshalJSON writes s as a number of seconds.
func (s Seconds) MarshalJSON() ([]byte, error) { return Append(nil, time.Duration(s)), nil }

// UnmarshalJSON reads a number of seconds; anything else is a [*Error].
func (s *Seconds) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	d, err := Parse(b)
	if err != nil {
		return &Error{JSON: string(b)}
	}
	*s = Seconds(d)
	return nil
}

// Error is the error of [Seconds.UnmarshalJSON]: the JSON value that is
// not a number of seconds. It wraps [ErrSeconds]. It has no package
// prefix: the package whose JSON holds the duration adds its own.
type Error struct {
	JSON string // the value as it was written, quotes included
}

func (e *Error) Error() string { return fmt.Sprintf("duration %s: %v", e.JSON, ErrSeconds) }

// Unwrap returns [ErrSeconds].
func (e *Error) Unwrap() error { return ErrSeconds }

// Append appends d as a JSON number of seconds, with no more fraction
// digits than d needs.
func Append(b []byte, d time.Duration) []byte {
	u := uint64(d)
	if d < 0 {
		b = append(b, '-')
		u = -u
	}
	b = strconv.AppendUint(b, u/1e9, 10)
	if frac := u % 1e9; frac != 0 {
		f := strconv.AppendUint(nil, frac+1e9, 10)[1:] // nine digits
		b = append(append(b, '.'), strings.TrimRight(string(f), "0")...)
	}
	return b
}

// Parse reads a JSON number of seconds as Append writes it, or any JSON
// number (exponents, more than nine fraction digits: rounded to the
// nanosecond). It returns [ErrSeconds] for anything else.
func Parse(b []byte) (time.Duration, error) {
	str := string(b)
	neg := strings.HasPrefix(str, "-")
	str = strings.TrimPrefix(str, "-")
	whole, frac, _ := strings.Cut(str, ".")
	if strings.ContainsAny(str, "eE+") || whole == "" || len(frac) > 9 {
		// Exponents and sub-nanosecond digits: go through a float.
		f, err := strconv.ParseFloat(string(b), 64)
		if err != nil || math.Abs(f) >= float64(math.MaxInt64)/1e9 {
			return 0, ErrSeconds
		}
		return time.Duration(math.Round(f * 1e9)), nil
	}
	w, err := strconv.ParseUint(whole, 10, 64)
	if err != nil || w > uint64(math.MaxInt64)/1e9 {
		return 0, ErrSeconds
	}
	var n uint64
	if frac != "" {
		if n, err = strconv.ParseUint(frac+strings.Repeat("0", 9-len(frac)), 10, 64); err != nil {
			return 0, ErrSeconds
		}
	}
	d := int64(w*1e9 + n)
	if d < 0 {
		return 0, ErrSeconds
	}
	if neg {
		d = -d
	}
	return time.Duration(d), nil
}
