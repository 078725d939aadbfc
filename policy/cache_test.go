package policy

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestYearCacheFull(t *testing.T) {
	var c yearCache[int]
	calls := 0
	fn := func(y int) int { calls++; return y }
	for y := range maxCachedYears {
		c.get(1000+y, fn)
	}
	require.Equal(t, maxCachedYears, calls)
	// A year that does not fit is computed once, then kept.
	assert.Equal(t, 2026, c.get(2026, fn))
	assert.Equal(t, 2026, c.get(2026, fn))
	assert.Equal(t, maxCachedYears+1, calls)
	assert.LessOrEqual(t, len(*c.m.Load()), maxCachedYears)
}

// TestCronYearLookups checks that a cron calendar looks its year up once
// per year it passes, not once per day, even when its cache is full.
func TestCronYearLookups(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	cal, err := Cron("c", "0 22 * * 5", 8*time.Hour, paris)
	require.NoError(t, err)
	r := cal.(*wallCalendar).rule.(*cronRule)
	for y := range maxCachedYears {
		r.year(3000 + y)
	}
	lo := civilDay(2026, 1, 1) * secondsPerDay
	hi := civilDay(2026, 3, 1) * secondsPerDay
	allocs := testing.AllocsPerRun(10, func() {
		r.appendWall(make([]span, 0, 64), lo, hi)
	})
	assert.LessOrEqual(t, allocs, 2.0)
}
