package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/rickar/cal/v2"
)

// Holiday is a named day off.
type Holiday struct {
	Date Date   `json:"date"`
	Name string `json:"name"` // e.g. "Noël"
}

// HolidaySource gives the holidays of a year: the seam through which a
// team's own calendar plugs into [HolidayCalendar]. A calendar calls it a
// few times per year at most, under its own lock, so a source used by one
// calendar need not be safe for concurrent use. A source given to several
// calendars may be called by them at the same time and must then be safe
// for concurrent use, as every source of this package is. A source may
// return days just outside the year asked (an observed day moved across
// the new year): they count.
type HolidaySource interface {
	Holidays(year int) []Holiday
}

// HolidayFunc adapts a function to a [HolidaySource].
type HolidayFunc func(year int) []Holiday

// Holidays returns f(year).
func (f HolidayFunc) Holidays(year int) []Holiday { return f(year) }

// Holidays returns a calendar that blocks the public holidays of country,
// 00:00 to 24:00 local time in loc, and with eve also the day before each
// holiday: rule R11 as common practice extends it, like the calendars of
// [HolidayCalendar]. Its name is "holidays-" and the code, e.g.
// "holidays-FR".
//
// country is an ISO 3166-1 code of a country that rickar/cal/v2 covers
// ("FR", "DE", "US", "GB", "JP", ...), a region code where it has regional
// lists ("DE-BY", "CH-ZH", "AU-NSW": Australia has only states), or "ECB";
// [Countries] lists them all. Observed days (a Sunday holiday moved to
// Monday, say) are blocked as well as the holidays themselves. An unknown
// code is an error wrapping [ErrCountry]. To add local days, such as Good
// Friday and 26 December in Alsace-Moselle, build the calendar with
// [HolidayCalendar] and [JoinHolidays].
func Holidays(country string, loc *time.Location, eve bool) (Calendar, error) {
	src, err := CountryHolidays(country)
	if err != nil {
		return nil, err
	}
	if loc == nil {
		return nil, fmtInvalid("Holidays " + country + ": nil *time.Location")
	}
	return HolidayCalendar("holidays-"+strings.ToUpper(country), src, loc, eve), nil
}

// Countries returns the codes [Holidays] accepts, sorted.
func Countries() []string { return countryCodes() }

// CountryHolidays returns the public holidays of a country or region from
// rickar/cal/v2, by code as for [Holidays] (case does not matter).
func CountryHolidays(country string) (HolidaySource, error) {
	code := strings.ToUpper(strings.TrimSpace(country))
	hs, ok := countryHolidays(code)
	if !ok {
		if code == "AU" {
			return nil, fmt.Errorf("policy: holidays %q: Australia's holidays are by state, use AU-ACT, AU-NSW, AU-NT, AU-QLD, AU-SA, AU-TAS, AU-VIC or AU-WA: %w", country, ErrCountry)
		}
		return nil, fmt.Errorf("policy: holidays %q: not one of %s: %w", country, strings.Join(countryCodes(), " "), ErrCountry)
	}
	return calSource{code: code, hs: hs}, nil
}

// calSource is a HolidaySource backed by rickar/cal/v2 definitions, which it
// only reads.
type calSource struct {
	code string
	hs   []*cal.Holiday
}

func (s calSource) Holidays(year int) []Holiday {
	var out []Holiday
	for _, h := range s.hs {
		actual, observed := h.Calc(year)
		if actual.IsZero() {
			continue
		}
		out = append(out, Holiday{DateOf(actual), h.Name + " (" + s.code + ")"})
		if o := DateOf(observed); !observed.IsZero() && o != DateOf(actual) {
			out = append(out, Holiday{o, h.Name + " (" + s.code + ", observed)"})
		}
	}
	return out
}

// Annual returns a source of one holiday on the same date every year, such
// as 26 December. In years without that date (29 February) it has none.
func Annual(name string, month time.Month, day int) HolidaySource {
	return HolidayFunc(func(year int) []Holiday {
		t := time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
		if t.Month() != month {
			return nil
		}
		return []Holiday{{DateOf(t), name}}
	})
}

// Easter returns a source of one holiday a fixed number of days from
// Western Easter Sunday: -2 for Good Friday, 1 for Easter Monday, 39 for
// Ascension.
func Easter(name string, days int) HolidaySource {
	h := &cal.Holiday{Name: name, Offset: days, Func: cal.CalcEasterOffset}
	return HolidayFunc(func(year int) []Holiday {
		actual, _ := h.Calc(year)
		return []Holiday{{DateOf(actual), name}}
	})
}

// Dates returns a source of one-off days off, such as a bridge day.
func Dates(name string, dates ...Date) HolidaySource {
	ds := slices.Clone(dates)
	return HolidayFunc(func(year int) []Holiday {
		var out []Holiday
		for _, d := range ds {
			if d.Year == year {
				out = append(out, Holiday{d, name})
			}
		}
		return out
	})
}

// JoinHolidays returns a source with the holidays of every source.
func JoinHolidays(srcs ...HolidaySource) HolidaySource {
	srcs = slices.Clone(srcs)
	return HolidayFunc(func(year int) []Holiday {
		var out []Holiday
		for _, s := range srcs {
			if s != nil {
				out = append(out, s.Holidays(year)...)
			}
		}
		return out
	})
}

// HolidayCalendar returns a calendar named name that blocks the days of
// src, 00:00 to 24:00 local time in loc, and with eve also the day before
// each. It asks src for each year once, when first needed, and keeps the
// answer. Its decisions enforce rule R11. It panics if src or loc is nil.
func HolidayCalendar(name string, src HolidaySource, loc *time.Location, eve bool) Calendar {
	if src == nil || loc == nil {
		panic("policy: HolidayCalendar " + name + " with a nil source or location")
	}
	what := "no holiday"
	if eve {
		what = "no holiday or holiday eve"
	}
	c := newWallCalendar(name, loc, &holidayRule{src: src, eve: eve}, what+" in "+loc.String()+" during the operation")
	c.cites = R11
	return c
}

// holidayRule blocks holidays and, with eve, the days before them.
type holidayRule struct {
	src   HolidaySource
	eve   bool
	cache yearCache[[]hday]
}

// hday is a blocked day of a year's list.
type hday struct {
	day  int64 // civil day number
	name string
	eve  bool // the day before the holiday name
}

// year returns the blocked days that fall in year y, sorted, one per day.
func (r *holidayRule) year(y int) []hday {
	return r.cache.get(y, r.compute)
}

func (r *holidayRule) compute(y int) []hday {
	first, next := civilDay(y, 1, 1), civilDay(y+1, 1, 1)
	var out []hday
	add := func(hs []Holiday) {
		for _, h := range hs {
			d := civilDay(h.Date.Year, h.Date.Month, h.Date.Day)
			if d >= first && d < next {
				out = append(out, hday{day: d, name: h.Name})
			}
			if r.eve && d-1 >= first && d-1 < next {
				out = append(out, hday{day: d - 1, name: h.Name, eve: true})
			}
		}
	}
	// Neighbouring years too: an observed day or an eve may cross the new
	// year (1 January 2022, a Saturday, was observed on 31 December 2021
	// in the United States).
	add(r.src.Holidays(y - 1))
	add(r.src.Holidays(y))
	add(r.src.Holidays(y + 1))
	// One entry per day; a holiday wins over an eve, then the first given.
	slices.SortStableFunc(out, func(a, b hday) int {
		switch {
		case a.day != b.day:
			return int(a.day - b.day)
		case a.eve != b.eve:
			if a.eve {
				return 1
			}
			return -1
		}
		return 0
	})
	return slices.CompactFunc(out, func(a, b hday) bool { return a.day == b.day })
}

func (r *holidayRule) appendWall(dst []span, lo, hi int64) []span {
	y0, y1 := wallTime(lo).Year(), wallTime(hi-1).Year()
	for y := y0; y <= y1; y++ {
		days := r.year(y)
		i, _ := slices.BinarySearchFunc(days, dayOf(lo), func(h hday, d int64) int { return int(h.day - d) })
		for _, h := range days[i:] {
			if h.day*secondsPerDay >= hi {
				break
			}
			dst = appendDay(dst, h.day)
		}
	}
	return dst
}

func (r *holidayRule) appendDescribe(b []byte, w int64) []byte {
	d := dayOf(w)
	b = appendWallDay(b, w, false)
	days := r.year(wallTime(w).Year())
	if i, ok := slices.BinarySearchFunc(days, d, func(h hday, d int64) int { return int(h.day - d) }); ok {
		if days[i].eve {
			b = append(b, " is the eve of "...)
		} else {
			b = append(b, " is "...)
		}
		return append(b, days[i].name...)
	}
	return append(b, " is a holiday"...)
}
