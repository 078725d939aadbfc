package report

import (
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mepkit/mepkit/timeline"
)

// timeLayout is how Markdown and HTML print instants.
const timeLayout = "2006-01-02 15:04:05 MST"

// clean returns s as valid UTF-8 without the characters that XML forbids
// or that no reader can see (control characters other than tab, newline
// and carriage return, U+FFFE, U+FFFF): each becomes U+FFFD. It allocates
// only when s needs a change.
func clean(s string) string {
	if !needsClean(s) {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s { // invalid UTF-8 ranges as utf8.RuneError
		if !xmlChar(r) {
			r = utf8.RuneError
		}
		b.WriteRune(r)
	}
	return b.String()
}

func needsClean(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c == 0x7f {
			return true
		}
		if c >= utf8.RuneSelf {
			if !utf8.ValidString(s[i:]) {
				return true
			}
			for _, r := range s[i:] {
				if !xmlChar(r) {
					return true
				}
			}
			return false
		}
	}
	return false
}

// xmlChar reports whether r is a character XML 1.0 allows and a reader can
// see (DEL is allowed by XML but is no text).
func xmlChar(r rune) bool {
	switch {
	case r == '\t', r == '\n', r == '\r':
		return true
	case r < 0x20, r == 0x7f:
		return false
	case r <= 0xD7FF:
		return true
	case r >= 0xE000 && r <= 0xFFFD, r >= 0x10000 && r <= 0x10FFFF:
		return true
	}
	return false
}

// when prints t in the report's location; zero prints "".
func (r *Report) when(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if r.Location != nil {
		t = t.In(r.Location)
	}
	return t.Format(timeLayout)
}

// cell prints t for a table cell: without the zone when the report has a
// Location (its details say which), and without the date on the day of
// the cutover (T0's day, else the first step's, in that location), so
// that tables stay narrow enough to read on a phone. Zero prints "".
func (r *Report) cell(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	if r.Location == nil {
		return r.when(t)
	}
	t = t.In(r.Location)
	day := r.T0
	if day.IsZero() {
		day = r.Actual.Start
	}
	if !day.IsZero() {
		day = day.In(r.Location)
		if t.Year() == day.Year() && t.YearDay() == day.YearDay() {
			return t.Format("15:04:05")
		}
	}
	return t.Format("2006-01-02 15:04:05")
}

// dur prints d as timeline.FormatDuration does.
func dur(d time.Duration) string { return timeline.FormatDuration(d) }

// signed prints d with a sign: "+5m", "-30s", "0s".
func signed(d time.Duration) string {
	s := timeline.FormatDuration(d)
	if d.Round(time.Second) > 0 {
		return "+" + s
	}
	return s
}

// percent prints the difference of d as a signed percentage, or "" when
// the baseline is zero.
func percent(d timeline.Delta) string {
	p, ok := d.Percent()
	if !ok {
		return ""
	}
	return fmt.Sprintf("%+.1f%%", p)
}
