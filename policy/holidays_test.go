package policy_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

func TestHolidaysFrance(t *testing.T) {
	h, err := policy.Holidays("FR", paris, true)
	require.NoError(t, err)
	assert.Equal(t, "holidays-FR", h.Name())
	tests := []struct {
		name  string
		start time.Time
		want  policy.Verdict
		why   string
	}{
		{"christmas", at(2026, 12, 25, 10, 0), policy.Deny, "Fri 2026-12-25 is Noël (FR)"},
		{"christmas eve", at(2026, 12, 24, 10, 0), policy.Deny, "Thu 2026-12-24 is the eve of Noël (FR)"},
		{"26 december is not national", at(2026, 12, 26, 10, 0), policy.Allow, ""},
		{"new year's eve, eve of the next year's holiday", at(2026, 12, 31, 22, 0), policy.Deny, "Thu 2026-12-31 is the eve of Nouvel an (FR)"},
		{"bastille day eve on a Monday", at(2026, 7, 13, 9, 0), policy.Deny, "Mon 2026-07-13 is the eve of Fête Nationale (FR)"},
		{"eve on a Sunday (Easter Monday 2027)", at(2027, 3, 28, 9, 0), policy.Deny, "Sun 2027-03-28 is the eve of Lundi de Pâques (FR)"},
		{"easter monday", at(2027, 3, 29, 9, 0), policy.Deny, "Mon 2027-03-29 is Lundi de Pâques (FR)"},
		{"ordinary tuesday", at(2026, 11, 17, 9, 0), policy.Allow, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d := h.Evaluate(context.Background(), policy.Change{Start: tt.start, Duration: time.Hour})
			assert.Equal(t, tt.want, d.Verdict, d.Reason)
			if tt.why != "" {
				assert.Contains(t, d.Reason, tt.why+" in Europe/Paris; allowed again from ")
			}
		})
	}
}

func TestHolidaysEveAndHolidayMerge(t *testing.T) {
	h, err := policy.Holidays("FR", paris, true)
	require.NoError(t, err)
	// 24-25 December are one blocked stretch; the next slot is the 26th.
	d := h.Evaluate(context.Background(), policy.Change{Start: at(2026, 12, 24, 10, 0), Duration: time.Hour})
	assert.True(t, at(2026, 12, 26, 0, 0).Equal(d.Next), "got %v", d.Next)
	assertIntervals(t, []policy.Interval{{at(2026, 12, 24, 0, 0), at(2026, 12, 26, 0, 0)}},
		h.Blocked(at(2026, 12, 20, 0, 0), at(2026, 12, 27, 0, 0)))
}

func TestHolidaysWithoutEve(t *testing.T) {
	h, err := policy.Holidays("fr", paris, false)
	require.NoError(t, err)
	d := h.Evaluate(context.Background(), policy.Change{Start: at(2026, 12, 24, 10, 0), Duration: time.Hour})
	assert.Equal(t, policy.Allow, d.Verdict)
}

func TestHolidaysAlsaceMoselle(t *testing.T) {
	fr, err := policy.CountryHolidays("FR")
	require.NoError(t, err)
	src := policy.JoinHolidays(fr,
		policy.Easter("Vendredi saint", -2),
		policy.Annual("Saint-Étienne", time.December, 26),
		policy.Dates("Pont de l'Ascension", policy.Date{Year: 2027, Month: time.May, Day: 7}),
	)
	h := policy.HolidayCalendar("holidays-FR-57", src, paris, false)
	for _, c := range []struct {
		start time.Time
		why   string
	}{
		{at(2026, 4, 3, 10, 0), "Fri 2026-04-03 is Vendredi saint"},
		{at(2026, 12, 26, 10, 0), "Sat 2026-12-26 is Saint-Étienne"},
		{at(2027, 5, 7, 10, 0), "Fri 2027-05-07 is Pont de l'Ascension"},
	} {
		d := h.Evaluate(context.Background(), policy.Change{Start: c.start, Duration: time.Hour})
		assert.Equal(t, policy.Deny, d.Verdict, c.start)
		assert.Contains(t, d.Reason, c.why)
	}
}

func TestHolidaysCountries(t *testing.T) {
	codes := policy.Countries()
	assert.Contains(t, codes, "FR")
	assert.Contains(t, codes, "DE-BY")
	assert.Contains(t, codes, "AU-NSW")
	assert.GreaterOrEqual(t, len(codes), 45)
	for _, code := range codes {
		h, err := policy.Holidays(code, time.UTC, true)
		require.NoError(t, err, code)
		// Every calendar has at least one holiday in 2027.
		b := h.Blocked(time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2028, 1, 1, 0, 0, 0, 0, time.UTC))
		assert.NotEmpty(t, b, code)
	}
}

func TestHolidaysUnknownCountry(t *testing.T) {
	for _, code := range []string{"XX", "", "AU", "FRA"} {
		_, err := policy.Holidays(code, paris, false)
		assert.ErrorIs(t, err, policy.ErrCountry, code)
	}
	_, err := policy.Holidays("AU", paris, false)
	assert.ErrorContains(t, err, "AU-NSW")
}

func TestHolidaysObservedAcrossNewYear(t *testing.T) {
	h, err := policy.Holidays("US", newYork, false)
	require.NoError(t, err)
	// 1 January 2022 was a Saturday, observed on Friday 31 December 2021.
	d := h.Evaluate(context.Background(), policy.Change{Start: atIn(newYork, 2021, 12, 31, 12, 0), Duration: time.Hour})
	assert.Equal(t, policy.Deny, d.Verdict, d.Reason)
	assert.Contains(t, d.Reason, "observed")
}

func TestHolidaysUSObserved(t *testing.T) {
	h, err := policy.Holidays("US", newYork, false)
	require.NoError(t, err)
	// 4 July 2026 is a Saturday: observed on Friday 3 July; both are blocked.
	for _, day := range []int{3, 4} {
		d := h.Evaluate(context.Background(), policy.Change{Start: atIn(newYork, 2026, 7, day, 12, 0), Duration: time.Hour})
		assert.Equal(t, policy.Deny, d.Verdict, day)
	}
}

// TestHolidaySourceCalls checks the promise of HolidaySource: one calendar
// never calls its source from two goroutines at once, and the sources of
// the package can be shared by calendars used concurrently (run under
// -race).
func TestHolidaySourceCalls(t *testing.T) {
	var inFlight, most atomic.Int32
	unsafeSrc := policy.HolidayFunc(func(year int) []policy.Holiday {
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for {
			m := most.Load()
			if n <= m || most.CompareAndSwap(m, n) {
				break
			}
		}
		time.Sleep(100 * time.Microsecond)
		return []policy.Holiday{{Date: policy.Date{Year: year, Month: time.May, Day: 1}, Name: "May Day"}}
	})
	fr, err := policy.CountryHolidays("FR")
	require.NoError(t, err)
	shared := policy.JoinHolidays(fr, policy.Annual("Saint-Étienne", time.December, 26), policy.Easter("Vendredi saint", -2),
		policy.Dates("Pont", policy.Date{Year: 2027, Month: time.May, Day: 7}))
	one := policy.HolidayCalendar("one", unsafeSrc, paris, true)
	a := policy.HolidayCalendar("a", shared, paris, false)
	b := policy.HolidayCalendar("b", shared, paris, true)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for y := 2026 + g%2; y < 2060; y += 2 {
				for _, c := range []policy.Calendar{one, a, b} {
					c.Blocked(at(y, 4, 1, 0, 0), at(y, 6, 1, 0, 0))
				}
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(1), most.Load(), "one calendar called its source concurrently")
	assert.Len(t, one.Blocked(at(2040, 4, 30, 0, 0), at(2040, 5, 3, 0, 0)), 1, "30 April and 1 May")
}
