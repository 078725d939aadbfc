package policy

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/adhocore/gronx"

	"github.com/mepkit/mepkit/internal/timespan"
)

// maxCronDuration bounds the length of one recurring freeze.
const maxCronDuration = 366 * 24 * time.Hour

// Cron returns a recurring freeze: it starts at every tick of the cron
// expression expr, local time in loc, and lasts d on the local wall clock
// (so a freeze from 22:00 for 8h ends at 06:00 local time even across a
// clock change). d is rounded up to whole seconds and must be positive and
// at most 366 days.
//
// expr has the five classic fields (minute, hour, day of month, month, day
// of week) or is a descriptor such as "@daily", as gronx reads them
// ("L", "W" and "#" included). Seconds and years are not accepted. An
// expression that is invalid (hour 24, say) or never fires (30 February) is
// an error: a *[CronError]. An expression that fires only in some years (a
// fifth Monday in February, in 2016 and 2044) is a freeze like any other.
//
// Clock changes follow the package's rule for bounds in a skipped hour. A
// tick at a local time that a clock change skips fires at the first instant
// after the gap, and the freeze lasts d on the wall clock from there: "30 2
// * * *" for 20m blocks 03:00 to 03:20 on the night Paris skips 02:00-03:00.
// A freeze that covers a repeated hour blocks every instant whose local time
// is within it, on both passes: a tick in the repeated hour starts the
// freeze at the first pass.
func Cron(name, expr string, d time.Duration, loc *time.Location) (Calendar, error) {
	if loc == nil {
		return nil, fmtInvalid("Cron " + name + ": nil *time.Location")
	}
	r, err := newCronRule(expr, d)
	if err != nil {
		return nil, err
	}
	r.loc = loc
	return newWallCalendar(name, loc, r, "the operation is outside the recurring freeze "+r.what+" in "+loc.String()), nil
}

// cronRule blocks [tick, tick+d) on the wall clock for every tick of a cron
// expression. gronx decides which days and which times of day are due; the
// rule caches the due days of each year. A tick in a wall time that loc
// skips moves to the end of the gap.
type cronRule struct {
	loc     *time.Location // nil: no gaps (UTC)
	expr    string
	what    string   // e.g. `"0 22 * * 5" for 8h0m0s`
	dur     int64    // seconds
	daySegs []string // gronx segments that match any time of a due day
	times   []int64  // due times of day, in seconds from 00:00, sorted
	cache   yearCache[[]bool]
}

func newCronRule(expr string, d time.Duration) (*cronRule, error) {
	fail := func(msg string) error { return &CronError{Expr: expr, Msg: msg} }
	e := strings.TrimSpace(expr)
	if f := strings.Fields(e); !(len(f) == 5 || (len(f) == 1 && strings.HasPrefix(f[0], "@"))) {
		return nil, fail("want five fields (minute hour day-of-month month day-of-week) or a descriptor such as @daily")
	}
	if !gronx.IsValid(e) {
		return nil, fail("not a valid cron expression (fields out of range, such as hour 24, or bad syntax)")
	}
	segs, err := gronx.Segments(e)
	if err != nil || len(segs) != 6 || segs[0] != "0" {
		return nil, fail("seconds and years are not supported")
	}
	if d <= 0 || d > maxCronDuration {
		return nil, fail("duration " + d.String() + " must be positive and at most 366 days")
	}
	r := &cronRule{
		expr:    e,
		what:    `"` + e + `" for ` + timespan.Short(d),
		dur:     int64((d + time.Second - 1) / time.Second),
		daySegs: []string{"0", "0", "0", segs[3], segs[4], segs[5]},
	}
	// Times of day: each hour and each minute field checked on its own.
	hours, err := dueValues(segs[2], 2, 24)
	if err != nil {
		return nil, fail("hour field: " + err.Error())
	}
	minutes, err := dueValues(segs[1], 1, 60)
	if err != nil {
		return nil, fail("minute field: " + err.Error())
	}
	r.times = make([]int64, 0, len(hours)*len(minutes))
	for _, h := range hours {
		for _, m := range minutes {
			r.times = append(r.times, h*3600+m*60)
		}
	}
	if len(r.times) == 0 {
		return nil, fail("never fires: no hour and minute match")
	}
	if !r.firesSomeDay() {
		return nil, fail("never fires: no day matches (e.g. 30 February)")
	}
	return r, nil
}

// dueValues returns the values of [0, n) that gronx finds due in the
// field seg at position pos (1 for minutes, 2 for hours): for * and ?, all
// of them, for a number, itself; the other forms are asked of gronx, one
// value at a time.
func dueValues(seg string, pos, n int) ([]int64, error) {
	if v, err := strconv.Atoi(seg); err == nil && !strings.ContainsAny(seg, "-/") && v >= 0 && v < n {
		return []int64{int64(v)}, nil
	}
	var out []int64
	if seg == "*" || seg == "?" {
		out = make([]int64, n)
		for v := range out {
			out[v] = int64(v)
		}
		return out, nil
	}
	var chk gronx.SegmentChecker
	for v := range n {
		ref := time.Date(2000, 1, 1, 0, v, 0, 0, time.UTC)
		if pos == 2 {
			ref = time.Date(2000, 1, 1, v, 0, 0, 0, time.UTC)
		}
		chk.SetRef(ref)
		ok, err := chk.CheckDue(seg, pos)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, int64(v))
		}
	}
	return out, nil
}

// firstCycleYear and cycleYears are a cycle of years in which every kind
// of month occurs (see firesSomeDay): 28 years from a leap year, with no
// century year that is not a leap year in between.
const (
	firstCycleYear = 2000
	cycleYears     = 28
)

// firesSomeDay reports whether the expression's day fields are due on some
// day of some year. Whether gronx finds a day due depends only on the
// day's number, its month, its weekday and the length of its month: on
// the day's number and the kind of its month (its number, its length and
// the weekday of its first day). In 2000-2027 every month starts on each
// weekday, and February of 29 days too (the leap years, every fourth,
// move it by five weekdays), so the search looks there, one month of each
// kind, skipping the months the month field excludes, and stops at the
// first due day. When neither the weekday field nor a "W" in the
// day-of-month field is given, the weekday does not matter, and one month
// of each number and length is enough.
func (r *cronRule) firesSomeDay() bool {
	dom, month, dow := r.daySegs[3], r.daySegs[4], r.daySegs[5]
	byWeekday := (dow != "*" && dow != "?") || strings.Contains(dom, "W")
	g := gronx.New()
	var monthDue [13]int8   // by month: 0 not yet known, 1 due, -1 not
	var seen [12][7][2]bool // by month, weekday of the 1st, 29 days
	first := civilDay(firstCycleYear, time.January, 1)
	for y := firstCycleYear; y < firstCycleYear+cycleYears; y++ {
		for m := time.January; m <= time.December; m++ {
			n := daysInMonth(y, m)
			day := first
			first += int64(n)
			if monthDue[m] == 0 {
				monthDue[m] = -1
				g.C.SetRef(time.Date(y, m, 1, 0, 0, 0, 0, time.UTC))
				if ok, err := g.C.CheckDue(month, 4); ok && err == nil {
					monthDue[m] = 1
				}
			}
			wd, leap := 0, 0
			if byWeekday {
				wd = int(weekdayOf(day))
			}
			if n == 29 {
				leap = 1
			}
			if monthDue[m] < 0 || seen[m-1][wd][leap] {
				continue
			}
			seen[m-1][wd][leap] = true
			for d := range n {
				g.C.SetRef(time.Date(y, m, 1+d, 0, 0, 0, 0, time.UTC))
				if ok, err := g.SegmentsDue(r.daySegs); ok && err == nil {
					return true
				}
			}
		}
	}
	return false
}

// daysInMonth returns the number of days of month m of year y.
func daysInMonth(y int, m time.Month) int {
	switch m {
	case time.February:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case time.April, time.June, time.September, time.November:
		return 30
	}
	return 31
}

// year returns, for each day of year y (index 0 is 1 January), whether the
// expression's day fields are due. A year too far from ours for time.Date
// to count its days has none due.
func (r *cronRule) year(y int) []bool {
	return r.cache.get(y, func(y int) []bool {
		g := gronx.New()
		n := int(civilDay(y+1, 1, 1) - civilDay(y, 1, 1))
		if n != 365 && n != 366 {
			return make([]bool, 366)
		}
		due := make([]bool, n)
		for i := range due {
			g.C.SetRef(time.Date(y, 1, 1+i, 0, 0, 0, 0, time.UTC))
			ok, err := g.SegmentsDue(r.daySegs)
			due[i] = ok && err == nil
		}
		return due
	})
}

func (r *cronRule) appendWall(dst []span, lo, hi int64) []span {
	// Ticks t with t < hi and t+dur > lo, a tick in a gap moved to its end;
	// the move is shorter than a day.
	first := dayOf(max(lo, math.MinInt64+r.dur)-r.dur) - 1 // lo-r.dur, not below the range
	var gb [4]span
	gaps := wallGaps(gb[:0], r.loc, first*secondsPerDay, hi)
	g := 0
	var due []bool // the due days of year y
	y := 0
	for d := first; d*secondsPerDay < hi; d++ {
		t := wallTime(d * secondsPerDay)
		if t.Year() != y || due == nil {
			y = t.Year()
			due = r.year(y)
		}
		if !due[t.YearDay()-1] {
			continue
		}
		base := d * secondsPerDay
		for _, tod := range r.times {
			a := base + tod
			for g < len(gaps) && gaps[g].b <= a {
				g++
			}
			if g < len(gaps) && gaps[g].a <= a {
				a = gaps[g].b
			}
			if a >= hi {
				break
			}
			b := a + r.dur
			if b <= lo {
				continue
			}
			if n := len(dst); n > 0 && dst[n-1].b >= a {
				dst[n-1].b = max(dst[n-1].b, b)
				continue
			}
			dst = append(dst, span{a, b})
		}
	}
	return dst
}

// wallGaps appends the wall spans that loc skips (the hour lost when
// daylight saving time begins) between wall times lo and hi, sorted.
func wallGaps(dst []span, loc *time.Location, lo, hi int64) []span {
	if loc == nil {
		return dst
	}
	// Real instants whose wall times are in [lo, hi), with room for any
	// offset from UTC.
	to := time.Unix(hi+26*3600, 0)
	for t := time.Unix(lo-26*3600, 0); t.Before(to); {
		lt := t.In(loc)
		_, off := lt.Zone()
		_, end := lt.ZoneBounds()
		if end.IsZero() || !end.After(t) || !end.Before(to) {
			break
		}
		if _, next := end.In(loc).Zone(); next > off {
			dst = append(dst, span{end.Unix() + int64(off), end.Unix() + int64(next)})
		}
		t = end
	}
	return dst
}

func (r *cronRule) appendDescribe(b []byte, w int64) []byte {
	b = appendWallDay(b, w, true)
	b = append(b, " is in the recurring freeze "...)
	return append(b, r.what...)
}
