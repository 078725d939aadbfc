package policy

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// Windows returns an allow-list calendar: operations may run only within
// the windows of spec, local time in loc; everything else is blocked.
//
// A spec is one or more ranges separated by commas. A range is an optional
// day or day range, then a time range:
//
//	Mon-Thu 20:00-23:30
//	Sat 08:00-12:00, Sun 08:00-12:00
//	Fri 22:00-02:00        (crosses midnight: Friday 22:00 to Saturday 02:00)
//	Fri-Mon 00:00-24:00    (day ranges may wrap around the week)
//	06:00-07:00            (no day: every day)
//
// Days are English names or their first three letters, in any case. Times
// are H:MM or HH:MM, 00:00 to 23:59; "24:00" may end a range. A range whose
// end is before its start ends on the next day. On days when the clocks
// change, a window covers the instants whose local time is within it (see
// the package doc). Errors are *[SpecError] naming the range and the column.
func Windows(name, spec string, loc *time.Location) (Calendar, error) {
	if loc == nil {
		return nil, fmtInvalid("Windows " + name + ": nil *time.Location")
	}
	r, err := parseWindows(spec)
	if err != nil {
		return nil, err
	}
	c := newWallCalendar(name, loc, r, "the operation is within the windows "+strconv.Quote(r.spec)+" in "+loc.String())
	if r.longest < 7*secondsPerDay {
		c.longest = r.longest
		c.never = "; an operation this long never fits: the longest window lasts " + timespan.Short(time.Duration(r.longest)*time.Second)
	}
	return c, nil
}

// windowRule blocks everything outside its windows.
type windowRule struct {
	spec    string
	outside string      // ` is outside the windows "spec"`
	byDay   [7][]window // by the weekday the window starts on, sorted by start
	// longest is the longest run of wall time the windows allow, in
	// seconds, windows that overlap or touch taken together; at least a
	// week when they allow all the time.
	longest int64
	perDay  int // the most blocked spans a day may have
}

// window is a time range of one weekday, in seconds from the day's 00:00;
// end may pass 24:00 when the range crosses midnight.
type window struct{ start, end int64 }

func (r *windowRule) appendWall(dst []span, lo, hi int64) []span {
	t := lo // start of the current gap between windows
days:
	for d := dayOf(lo) - 1; d*secondsPerDay < hi; d++ {
		base := d * secondsPerDay
		for _, w := range r.byDay[weekdayOf(d)] {
			a, b := base+w.start, base+w.end
			if a >= hi {
				break days
			}
			if b <= t {
				continue
			}
			if a > t {
				dst = append(dst, span{t, a})
			}
			t = b
		}
	}
	if t < hi {
		dst = append(dst, span{t, hi})
	}
	return dst
}

func (r *windowRule) appendDescribe(b []byte, w int64) []byte {
	b = appendWallDay(b, w, true)
	return append(b, r.outside...)
}

var dayNames = [7]string{"sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"}

// parseWindows parses a window spec.
func parseWindows(spec string) (*windowRule, error) {
	r := &windowRule{spec: strings.TrimSpace(spec)}
	r.outside = " is outside the windows " + strconv.Quote(r.spec)
	if r.spec == "" {
		return nil, &SpecError{Spec: spec, Range: 1, Column: 1, Msg: "empty spec"}
	}
	off := 0
	for i, part := range strings.Split(spec, ",") {
		if err := r.parseRange(spec, part, i+1, off); err != nil {
			return nil, err
		}
		off += len(part) + 1
	}
	n := 0
	for d := range r.byDay {
		slices.SortFunc(r.byDay[d], func(a, b window) int { return cmp.Compare(a.start, b.start) })
		n += len(r.byDay[d])
		r.perDay = max(r.perDay, len(r.byDay[d])+1)
	}
	// The longest run: the windows of two weeks in a row, merged, so that
	// runs across the end of the week count whole.
	all := make([]window, 0, 2*n)
	for week := range int64(2) {
		for d, ws := range r.byDay {
			base := (week*7 + int64(d)) * secondsPerDay
			for _, w := range ws {
				all = append(all, window{base + w.start, base + w.end})
			}
		}
	}
	slices.SortFunc(all, func(a, b window) int { return cmp.Compare(a.start, b.start) })
	for i := 0; i < len(all); {
		run := all[i]
		for i++; i < len(all) && all[i].start <= run.end; i++ {
			run.end = max(run.end, all[i].end)
		}
		r.longest = max(r.longest, run.end-run.start)
	}
	return r, nil
}

// field is a whitespace-separated token and its 0-based byte offset in the spec.
type field struct {
	s   string
	off int
}

func (r *windowRule) parseRange(spec, part string, n, off int) error {
	var fs []field
	for i := 0; i < len(part); {
		if part[i] == ' ' || part[i] == '\t' {
			i++
			continue
		}
		j := i
		for j < len(part) && part[j] != ' ' && part[j] != '\t' {
			j++
		}
		fs = append(fs, field{part[i:j], off + i})
		i = j
	}
	fail := func(f field, msg string) error {
		return &SpecError{Spec: spec, Range: n, Column: f.off + 1, Msg: msg}
	}
	var days [7]bool
	switch len(fs) {
	case 0:
		return &SpecError{Spec: spec, Range: n, Column: off + 1, Msg: "empty range"}
	case 1:
		days = [7]bool{true, true, true, true, true, true, true}
	case 2:
		var err error
		if days, err = parseDays(fs[0].s); err != nil {
			return fail(fs[0], err.Error())
		}
	default:
		return fail(fs[2], "unexpected "+quoteExcerpt(fs[2].s, 0)+", want a day range and a time range, e.g. \"Mon-Thu 20:00-23:30\"")
	}
	tf := fs[len(fs)-1]
	from, to, ok := strings.Cut(tf.s, "-")
	if !ok {
		return fail(tf, "time range "+quoteExcerpt(tf.s, 0)+" needs a dash, e.g. 20:00-23:30")
	}
	start, err := parseClock(from, false)
	if err != nil {
		return fail(tf, err.Error())
	}
	end, err := parseClock(to, true)
	if err != nil {
		return fail(field{to, tf.off + len(from) + 1}, err.Error())
	}
	if end == start {
		return fail(tf, "empty time range "+quoteExcerpt(tf.s, 0))
	}
	if end < start {
		end += secondsPerDay
	}
	for d, on := range days {
		if on {
			r.byDay[d] = append(r.byDay[d], window{start, end})
		}
	}
	return nil
}

type specMsg string

func (m specMsg) Error() string { return string(m) }

// parseDays parses "Mon", "monday" or "Fri-Mon".
func parseDays(s string) ([7]bool, error) {
	var days [7]bool
	from, to, isRange := strings.Cut(s, "-")
	a, ok := parseDay(from)
	if !ok {
		return days, specMsg("unknown day " + quoteExcerpt(from, 0))
	}
	b := a
	if isRange {
		if b, ok = parseDay(to); !ok {
			return days, specMsg("unknown day " + quoteExcerpt(to, 0))
		}
	}
	for d := a; ; d = (d + 1) % 7 {
		days[d] = true
		if d == b {
			break
		}
	}
	return days, nil
}

func parseDay(s string) (int, bool) {
	s = strings.ToLower(s)
	for i, n := range dayNames {
		if s == n || s == n[:3] {
			return i, true
		}
	}
	return 0, false
}

// parseClock parses "H:MM" or "HH:MM" to seconds from 00:00; "24:00" only
// when end is true.
func parseClock(s string, end bool) (int64, error) {
	h, m, ok := strings.Cut(s, ":")
	if !ok || len(h) < 1 || len(h) > 2 || len(m) != 2 || !digits(h) || !digits(m) {
		return 0, specMsg("bad time " + quoteExcerpt(s, 0) + ", want HH:MM")
	}
	hh, _ := strconv.Atoi(h)
	mm, _ := strconv.Atoi(m)
	switch {
	case mm > 59:
		return 0, specMsg("bad minutes in " + quoteExcerpt(s, 0))
	case hh == 24 && mm == 0 && end:
		return secondsPerDay, nil
	case hh > 23:
		return 0, specMsg("bad hour in " + quoteExcerpt(s, 0) + " (24:00 may only end a range)")
	}
	return int64(hh*3600 + mm*60), nil
}

func digits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
