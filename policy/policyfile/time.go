package policyfile

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ParseTime reads an RFC 3339 time as a policy file writes it, such as
// 2026-11-27T20:30:00+01:00: a four-digit year (0000 to 9999), "T",
// seconds with an optional fraction of at most nine digits after ".",
// and "Z" or an offset of hours and minutes from -23:59 to +23:59. It is
// stricter than time.Parse with time.RFC3339, which reads +24:00 as a
// whole day's offset; a program reading times for a policy file's
// changes (a planned start, say) uses it to agree with the file.
func ParseTime(s string) (time.Time, error) {
	t, why := parseTime(s)
	if why != "" {
		return time.Time{}, errors.New("policyfile: time " + strconv.Quote(s) + ": " + why)
	}
	return t, nil
}

// timeForm is the problem of a value that is not written as a time.
const timeForm = "want 2006-01-02T15:04:05 followed by Z or an offset such as +01:00"

// parseTime is ParseTime with the problem as text, "" when there is none.
func parseTime(s string) (time.Time, string) {
	bad := func(msg string) (time.Time, string) { return time.Time{}, msg }
	const form = timeForm
	lead := 0
	for lead < len(s) && isDigit(s[lead]) {
		lead++
	}
	switch {
	case strings.HasPrefix(s, "+"), strings.HasPrefix(s, "-"), lead > 4:
		return bad("the year is not four digits, 0000 to 9999")
	case len(s) < len("2006-01-02T15:04:05Z") || lead != 4 || s[4] != '-':
		return bad(form)
	}
	if !digits(s[5:7]) || s[7] != '-' || !digits(s[8:10]) || s[10] != 'T' ||
		!digits(s[11:13]) || s[13] != ':' || !digits(s[14:16]) || s[16] != ':' || !digits(s[17:19]) {
		return bad(form)
	}
	rest := s[19:]
	if strings.HasPrefix(rest, ".") {
		n := 1
		for n < len(rest) && isDigit(rest[n]) {
			n++
		}
		switch {
		case n == 1:
			return bad("a fraction needs digits after the dot; " + form)
		case n > 10:
			return bad("a fraction finer than a nanosecond (more than nine digits)")
		}
		rest = rest[n:]
	}
	switch {
	case rest == "Z":
	case len(rest) == 6 && (rest[0] == '+' || rest[0] == '-') && digits(rest[1:3]) && rest[3] == ':' && digits(rest[4:6]):
		if rest[1:3] > "23" || rest[4:6] > "59" {
			return bad("the offset " + rest + " is out of range: RFC 3339 offsets run from -23:59 to +23:59")
		}
	default:
		return bad("want Z or an offset of hours and minutes from -23:59 to +23:59, such as +01:00, at the end")
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		var pe *time.ParseError
		if errors.As(err, &pe) && pe.Message != "" {
			return bad(strings.TrimPrefix(pe.Message, ": "))
		}
		return bad(form)
	}
	return t, ""
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

// digits reports whether s is all ASCII digits.
func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return len(s) > 0
}
