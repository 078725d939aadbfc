package policy

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/adhocore/gronx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every kind of month (its number, its length, the weekday of its first
// day) occurs in the cycle of years that firesSomeDay searches: 12 × 7
// kinds, and 7 of February with 29 days.
func TestCronCycleHasEveryMonthKind(t *testing.T) {
	kinds := map[[3]int]bool{}
	for y := firstCycleYear; y < firstCycleYear+cycleYears; y++ {
		for m := time.January; m <= time.December; m++ {
			first := time.Date(y, m, 1, 0, 0, 0, 0, time.UTC)
			kinds[[3]int{int(m), int(first.Weekday()), first.AddDate(0, 1, -1).Day()}] = true
		}
	}
	assert.Len(t, kinds, 12*7+7)
	for m := time.January; m <= time.December; m++ {
		for wd := range 7 {
			n := time.Date(2001, m+1, 0, 0, 0, 0, 0, time.UTC).Day()
			assert.True(t, kinds[[3]int{int(m), wd, n}], "%v starting on %v", m, time.Weekday(wd))
		}
	}
	for wd := range 7 {
		assert.True(t, kinds[[3]int{2, wd, 29}], "February of 29 days starting on %v", time.Weekday(wd))
	}
}

// firesIn reports whether r's day fields are due on some day of years
// [from, to), looking at every day.
func firesIn(r *cronRule, from, to int) bool {
	for y := from; y < to; y++ {
		for _, due := range r.year(y) {
			if due {
				return true
			}
		}
	}
	return false
}

// cronDayFields are day fields that gronx reads in ways of its own: L, W,
// # and ranges, steps and lists, on their own and together.
var (
	cronDoms   = []string{"*", "?", "1", "15", "28", "29", "30", "31", "L", "1W", "15W", "30W", "31W", "1-7", "*/2", "29,30", "30-31", "5/10"}
	cronMonths = []string{"*", "2", "4", "2,4", "1-3", "*/5", "11", "2,4,6,9,11", "FEB"}
	cronDows   = []string{"*", "?", "1", "0", "7", "1#5", "5#5", "0#5", "1L", "6L", "0-6", "1-5", "*/3", "3#1", "5#4", "7#5", "1#6"}
)

// firesSomeDay, which looks at one month of each kind in 28 years and
// stops at the first due day, agrees with a look at every day of a whole
// Gregorian cycle of 400 years, for day fields in every combination
// (sampled, for the look at every day) and for the rare ones: a fifth
// Monday in February happens once in 28 years.
func TestCronFiresAsEveryDay(t *testing.T) {
	rare := [][3]string{
		{"*", "2", "1#5"}, {"*", "2", "0#5"}, {"*", "2", "7#5"}, {"*", "FEB", "5#5"}, {"29", "2", "*"}, {"L", "2", "*"},
		{"30", "2", "*"}, {"30W", "2", "*"}, {"31", "2,4,6,9,11", "*"}, {"*", "*", "1#6"}, {"31W", "*", "*"},
		{"29", "2", "?"}, {"29,30", "2", "*"}, {"*/2", "2", "1#5"}, {"L", "2", "1#5"},
	}
	rng := rand.New(rand.NewPCG(28, 400))
	var all [][3]string
	for _, dom := range cronDoms {
		for _, month := range cronMonths {
			for _, dow := range cronDows {
				all = append(all, [3]string{dom, month, dow})
			}
		}
	}
	// Looking at every day is slow: a sample of the combinations, the
	// rare ones always.
	sample400, sample9 := 20, 300
	if testing.Short() {
		sample400, sample9 = 5, 50
	}
	for i, f := range append(rare, all...) {
		expr := "0 0 " + f[0] + " " + f[1] + " " + f[2]
		r, err := newCronRule(expr, time.Hour)
		var ce *CronError
		if err != nil {
			require.ErrorAs(t, err, &ce, expr)
			if ce.Msg != "never fires: no day matches (e.g. 30 February)" {
				continue // an invalid expression
			}
			r = &cronRule{expr: expr, daySegs: []string{"0", "0", "0", f[0], f[1], f[2]}}
			if f[1] == "FEB" {
				r.daySegs[4] = "2"
			}
		}
		fires := r.firesSomeDay()
		assert.Equal(t, fires, err == nil, expr)
		if rng.IntN(len(all)) < sample9 && firesIn(r, 2000, 2009) {
			assert.True(t, fires, "%s fires in 2000-2008", expr)
		}
		if i < len(rare) || rng.IntN(len(all)) < sample400 {
			assert.Equal(t, firesIn(r, 2000, 2400), fires, "%s in 2000-2399", expr)
		}
	}
}

// Building a cron rule looks at one day when the first day of 2000 is
// due, and keeps no year of due days.
func TestCronFiresStopsAtFirstDay(t *testing.T) {
	r, err := newCronRule("0 22 * * *", time.Hour)
	require.NoError(t, err)
	assert.Nil(t, r.cache.m.Load(), "no year computed")
	allocs := testing.AllocsPerRun(20, func() {
		if _, err := newCronRule("0 22 1 * *", time.Hour); err != nil {
			t.Fatal(err)
		}
	})
	assert.Less(t, allocs, 400.0, "allocations of a whole year of due days")
}

// dueValues reads the minute and hour fields as gronx does, value by
// value, whether it reads the field itself (*, ?, a number) or asks gronx.
func TestCronDueValuesAsGronx(t *testing.T) {
	for _, seg := range []string{"*", "?", "0", "5", "05", "+5", "23", "59", "*/15", "0/20", "1-5", "5-59/7", "1,2,30", "22,*", "-1"} {
		for _, pc := range []struct{ pos, n int }{{1, 60}, {2, 24}} {
			var want []int64
			var wantErr error
			var chk gronx.SegmentChecker
			for v := range pc.n {
				ref := time.Date(2000, 1, 1, 0, v, 0, 0, time.UTC)
				if pc.pos == 2 {
					ref = time.Date(2000, 1, 1, v, 0, 0, 0, time.UTC)
				}
				chk.SetRef(ref)
				ok, err := chk.CheckDue(seg, pc.pos)
				if err != nil {
					want, wantErr = nil, err
					break
				}
				if ok {
					want = append(want, int64(v))
				}
			}
			got, err := dueValues(seg, pc.pos, pc.n)
			assert.Equal(t, wantErr, err, "%q at %d", seg, pc.pos)
			assert.Equal(t, want, got, "%q at %d", seg, pc.pos)
		}
	}
}

// daysInMonth counts as time.Date does, over a whole Gregorian cycle.
func TestDaysInMonth(t *testing.T) {
	for y := 1900; y < 2300; y++ {
		for m := time.January; m <= time.December; m++ {
			require.Equal(t, time.Date(y, m+1, 0, 0, 0, 0, 0, time.UTC).Day(), daysInMonth(y, m), "%d-%02d", y, m)
		}
	}
}
