package policyfile

import (
	"strconv"
	"strings"
	"time"

	"github.com/adhocore/gronx"

	"github.com/mepkit/mepkit/policy"
)

func (s *spec) cron() policy.Policy {
	p := s.p
	v, okC := s.required("cron")
	dn, okD := s.required("duration")
	zoned := s.needZone()
	var expr string
	if okC {
		expr, okC = p.str(v, s.field("cron"))
	}
	var d time.Duration
	if okD {
		if d, okD = p.duration(dn, s.field("duration")); okD && (d <= 0 || d > maxCronDuration) {
			p.failf(dn, s.field("duration"), "%q: a recurring freeze lasts more than zero and at most 366 days", dn.Value)
			okD = false
		}
	}
	if !zoned || !okC || !okD {
		return nil
	}
	name := s.name
	if name == "" {
		name = "cron"
	}
	if cronNeverFires(expr) {
		// Decided from the fields, before policy.Cron looks for a day
		// over years of them.
		p.fail(v, s.field("cron"), &policy.CronError{Expr: expr, Msg: "never fires: no day matches (e.g. 30 February)"})
		return nil
	}
	pol, err := policy.Cron(name, expr, d, s.loc)
	if err != nil {
		p.fail(v, s.field("cron"), err)
		return nil
	}
	if !s.stand && p.cronBlocksEverything(pol, expr, d, s.loc) {
		p.failf(dn, s.field("duration"), "the freeze %q for %s blocks every instant: no operation could ever run", expr, dn.Value)
		return nil
	}
	return pol
}

// The checks of a cron freeze that cost in proportion to the rule: which
// days of a month its fields can name, and the ticks of a few days, rather
// than the blocked intervals of whole years.

// cronNeverFires reports whether a valid five-field expression never
// fires because no month of its month field has a day of its day-of-month
// field (30 February, 31 April): the only way a valid expression never
// fires. It decides only the forms it reads (numbers, ranges and steps in
// both fields, a day-of-week of * or ?); for the others it reports false
// and leaves the question to [policy.Cron].
func cronNeverFires(expr string) bool {
	e := strings.TrimSpace(expr)
	if len(strings.Fields(e)) != 5 {
		return false
	}
	segs, err := gronx.Segments(e)
	if err != nil || len(segs) != 6 || (segs[5] != "*" && segs[5] != "?") {
		return false
	}
	first, ok := firstOf(segs[3], 1, 31) // the first day the field names
	if !ok {
		return false
	}
	months, ok := setOf(segs[4], 1, 12)
	if !ok {
		return false
	}
	for m := 1; m <= 12; m++ {
		if months[m] && first <= daysIn(time.Month(m)) {
			return false
		}
	}
	// An invalid field elsewhere (hour 24) is policy.Cron's to report.
	return gronx.IsValid(e)
}

// daysIn returns the most days month m has: 29 for February.
func daysIn(m time.Month) int {
	return time.Date(2000, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
}

// firstOf returns the smallest value a day-of-month field names, reading
// N, A-B, A-B/S, N/S and NW items; false for any other form.
func firstOf(field string, lo, hi int) (int, bool) {
	first := hi + 1
	for item := range strings.SplitSeq(field, ",") {
		item = strings.TrimSuffix(item, "W")
		if i := strings.IndexByte(item, '/'); i >= 0 {
			item = item[:i]
		}
		if i := strings.IndexByte(item, '-'); i >= 0 {
			item = item[:i]
		}
		n, err := strconv.Atoi(item)
		if err != nil || n < lo || n > hi {
			return 0, false
		}
		first = min(first, n)
	}
	return first, true
}

// setOf returns the values a month field names, reading *, N, A-B, A-B/S,
// */S and N/S items as gronx does; false for any other form.
func setOf(field string, lo, hi int) ([]bool, bool) {
	set := make([]bool, hi+1)
	for item := range strings.SplitSeq(field, ",") {
		from, to, step := lo, hi, 1
		rng, st, hasStep := strings.Cut(item, "/")
		if hasStep {
			s, err := strconv.Atoi(st)
			if err != nil || s <= 0 {
				return nil, false
			}
			step = s
		}
		if rng != "*" {
			a, b, isRange := strings.Cut(rng, "-")
			x, err := strconv.Atoi(a)
			if err != nil || x < lo || x > hi {
				return nil, false
			}
			from, to = x, x
			if isRange || hasStep {
				to = hi
			}
			if isRange {
				y, err := strconv.Atoi(b)
				if err != nil || y < x || y > hi {
					return nil, false
				}
				to = y
			}
		}
		for v := from; v <= to; v += step {
			set[v] = true
		}
	}
	return set, true
}

// cronDSTMargin bounds how far a clock change moves a tick or hides a
// free stretch: no zone's change in the years probed exceeds two hours.
const cronDSTMargin = 3 * 3600

// cronWalkDays bounds the days that cronFree looks at before it leaves the
// question to the blocked intervals themselves.
const cronWalkDays = 400

// cronFree decides, from the fields of expr and the ticks of a few days
// after the probe day, whether a freeze of d at each tick leaves an
// instant free (free true) or none (free false); known is false when the
// few days do not settle it.
//
// In wall time the freeze blocks [tick, tick+d) for every tick. A clock
// change moves a tick in a skipped hour to the end of the gap, which never
// opens a free stretch and closes at most one shorter than the gap; away
// from clock changes, wall time is time.
func cronFree(expr string, d time.Duration, loc *time.Location) (free, known bool) {
	segs, err := gronx.Segments(strings.TrimSpace(expr))
	if err != nil || len(segs) != 6 {
		return false, false
	}
	ticks := cronTicks(segs)
	if len(ticks) == 0 {
		return false, false
	}
	dur := int64((d + time.Second - 1) / time.Second)
	// The longest stretch between two ticks of a day, or from the last
	// tick of a day to the first of the next.
	gap := 86400 - ticks[len(ticks)-1] + ticks[0]
	for i := 1; i < len(ticks); i++ {
		gap = max(gap, ticks[i]-ticks[i-1])
	}
	everyDay := (segs[3] == "*" || segs[3] == "?") && segs[4] == "*" && (segs[5] == "*" || segs[5] == "?")
	if everyDay && gap <= dur {
		return false, true // each tick's freeze reaches the next
	}
	span := ticks[len(ticks)-1] - ticks[0] // from the first to the last tick of a day
	g := gronx.New()
	daySegs := []string{"0", "0", "0", segs[3], segs[4], segs[5]}
	from := probeDay.In(time.UTC)
	lastDue, run := -1, 0 // the last due day; the non-due days since
	for i := range cronWalkDays {
		day := from.AddDate(0, 0, i)
		g.C.SetRef(day)
		if due, err := g.SegmentsDue(daySegs); err != nil || !due {
			run++
			// So many days without a tick that whatever came before ends
			// more than the margin before the last of them ends.
			if int64(run-1)*86400-dur > cronDSTMargin {
				return true, true
			}
			continue
		}
		margin := int64(0)
		if changesNear(loc, day, max(i-lastDue, 1)) {
			margin = cronDSTMargin
		}
		// Within the day, or after it when the next day is due too.
		if gap-dur > margin {
			return true, true
		}
		// Between the last due day and this one.
		if lastDue >= 0 && int64(i-lastDue)*86400-span-dur > margin {
			return true, true
		}
		lastDue, run = i, 0
	}
	return false, false
}

// changesNear reports whether loc changes its offset between back days
// before the wall day and two days after it.
func changesNear(loc *time.Location, day time.Time, back int) bool {
	y, m, dd := day.Date()
	t := time.Date(y, m, dd, 12, 0, 0, 0, loc)
	start, end := t.ZoneBounds()
	lo := time.Date(y, m, dd-back-1, 0, 0, 0, 0, loc)
	hi := time.Date(y, m, dd+3, 0, 0, 0, 0, loc)
	return (!start.IsZero() && start.After(lo)) || (!end.IsZero() && end.Before(hi))
}

// cronTicks returns the times of day of the expression's ticks, in seconds
// from midnight, sorted, as [policy.Cron] reads the hour and minute fields.
func cronTicks(segs []string) []int64 {
	var chk gronx.SegmentChecker
	var hours, minutes []int64
	for h := range 24 {
		chk.SetRef(time.Date(2000, 1, 1, h, 0, 0, 0, time.UTC))
		if ok, err := chk.CheckDue(segs[2], 2); err == nil && ok {
			hours = append(hours, int64(h))
		}
	}
	for m := range 60 {
		chk.SetRef(time.Date(2000, 1, 1, 0, m, 0, 0, time.UTC))
		if ok, err := chk.CheckDue(segs[1], 1); err == nil && ok {
			minutes = append(minutes, int64(m))
		}
	}
	ticks := make([]int64, 0, len(hours)*len(minutes))
	for _, h := range hours {
		for _, m := range minutes {
			ticks = append(ticks, h*3600+m*60)
		}
	}
	return ticks
}

// cronKey names a cron freeze's check, for the memo of a file's parse.
type cronKey struct {
	expr string
	d    time.Duration
	zone string
}

// cronBlocksEverything reports whether the cron freeze cal (expr for d in
// loc) leaves no instant free, as [blocksEverything] does, deciding from
// the rule where it can and remembering the answer for the same rule.
func (p *parser) cronBlocksEverything(cal policy.Calendar, expr string, d time.Duration, loc *time.Location) bool {
	k := cronKey{strings.Join(strings.Fields(expr), " "), d, loc.String()}
	if all, ok := p.cronMemo[k]; ok {
		return all
	}
	free, known := cronFree(expr, d, loc)
	all := !free
	if !known {
		all = blocksEverything(cal, loc)
	}
	if p.cronMemo == nil {
		p.cronMemo = make(map[cronKey]bool)
	}
	p.cronMemo[k] = all
	return all
}
