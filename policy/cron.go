package policy

import (
	"math"
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
// an error: a *[CronError].
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
	var chk gronx.SegmentChecker
	var hours, minutes []int64
	for h := range 24 {
		chk.SetRef(time.Date(2000, 1, 1, h, 0, 0, 0, time.UTC))
		ok, err := chk.CheckDue(segs[2], 2)
		if err != nil {
			return nil, fail("hour field: " + err.Error())
		}
		if ok {
			hours = append(hours, int64(h))
		}
	}
	for m := range 60 {
		chk.SetRef(time.Date(2000, 1, 1, 0, m, 0, 0, time.UTC))
		ok, err := chk.CheckDue(segs[1], 1)
		if err != nil {
			return nil, fail("minute field: " + err.Error())
		}
		if ok {
			minutes = append(minutes, int64(m))
		}
	}
	for _, h := range hours {
		for _, m := range minutes {
			r.times = append(r.times, h*3600+m*60)
		}
	}
	if len(r.times) == 0 {
		return nil, fail("never fires: no hour and minute match")
	}
	// A five-field expression that fires at all fires within any eight
	// years that contain a leap year: look in 2000-2008.
	fires := false
	for y := 2000; y <= 2008 && !fires; y++ {
		for _, due := range r.year(y) {
			if due {
				fires = true
				break
			}
		}
	}
	if !fires {
		return nil, fail("never fires: no day matches (e.g. 30 February)")
	}
	return r, nil
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
