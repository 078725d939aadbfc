package policy

import (
	"fmt"
	"time"
)

// Date is a day of the civil calendar, without a time zone. The zero Date
// normalises, as in time.Date, to 30 November of year -1.
type Date struct {
	Year  int
	Month time.Month
	Day   int
}

// DateOf returns the date of t in t's location.
func DateOf(t time.Time) Date {
	y, m, d := t.Date()
	return Date{y, m, d}
}

// ParseDate parses "2006-01-02".
func ParseDate(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return Date{}, fmt.Errorf("policy: date %q: want YYYY-MM-DD: %w", s, ErrInvalid)
	}
	return DateOf(t), nil
}

// String returns the date as "2006-01-02".
func (d Date) String() string {
	return time.Date(d.Year, d.Month, d.Day, 0, 0, 0, 0, time.UTC).Format(time.DateOnly)
}

// In returns the first instant of the day d in loc: local midnight, or, in
// the zones that skip midnight on the day daylight saving time begins, the
// first instant after the gap. It panics if loc is nil.
func (d Date) In(loc *time.Location) time.Time {
	return firstAtOrAfter(civilDay(d.Year, d.Month, d.Day)*secondsPerDay, loc)
}

// firstAtOrAfter returns the first instant whose wall time in loc is at or
// after wall time w, looking within a day around w: for a skipped wall time,
// the end of the gap; for a repeated one, its first pass.
func firstAtOrAfter(w int64, loc *time.Location) time.Time {
	from := time.Unix(w-15*3600, 0)
	to := time.Unix(w+15*3600, 0)
	var sb [4]zoneSeg
	for _, s := range zoneSegs(sb[:0], loc, from, to) {
		a := time.Unix(w-s.off, 0)
		if a.Before(s.e) {
			if a.Before(s.s) {
				a = s.s
			}
			return a.In(loc)
		}
	}
	return time.Unix(w, 0).In(loc) // unreachable for real zones
}
