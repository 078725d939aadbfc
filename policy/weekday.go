package policy

import "time"

// FridayFreeze returns the Friday freeze of rule R11: no operation may touch
// a Friday, 00:00 to 24:00 local time in loc. Its name is "friday-freeze".
// It panics if loc is nil.
func FridayFreeze(loc *time.Location) Calendar {
	return weekdayFreeze("friday-freeze", loc, time.Friday)
}

// WeekendFreeze returns a freeze of Saturdays and Sundays, from Saturday
// 00:00 to Monday 00:00 local time in loc: rule R11 as common practice
// extends it. Its name is "weekend-freeze". It panics if loc is nil.
func WeekendFreeze(loc *time.Location) Calendar {
	return weekdayFreeze("weekend-freeze", loc, time.Saturday, time.Sunday)
}

func weekdayFreeze(name string, loc *time.Location, days ...time.Weekday) Calendar {
	if loc == nil {
		panic("policy: " + name + " with a nil *time.Location")
	}
	r := &weekdayRule{}
	what := ""
	for i, d := range days {
		r.days[d] = true
		if i > 0 {
			what += " or "
		}
		what += d.String()
	}
	c := newWallCalendar(name, loc, r, "no "+what+" in "+loc.String()+" during the operation")
	c.cites = R11
	return c
}

// weekdayRule blocks whole local days by weekday.
type weekdayRule struct {
	days [7]bool
}

func (r *weekdayRule) appendWall(dst []span, lo, hi int64) []span {
	for d := dayOf(lo); d*secondsPerDay < hi; d++ {
		if !r.days[weekdayOf(d)] {
			continue
		}
		dst = appendDay(dst, d)
	}
	return dst
}

func (r *weekdayRule) appendDescribe(b []byte, w int64) []byte {
	b = appendWallDay(b, w, false)
	b = append(b, " is a "...)
	return append(b, weekdayOf(dayOf(w)).String()...)
}
