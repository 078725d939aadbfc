package policy_test

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/mepkit/mepkit/policy"
)

// TestConcurrentUse shares one set between goroutines while the holiday
// and cron caches fill (run under -race).
func TestConcurrentUse(t *testing.T) {
	set := policy.Set{}
	for _, c := range standardCalendars(t, paris) {
		set = append(set, c)
	}
	set = append(set, policy.ReadinessWindow(time.Hour), policy.RequireGo("operations"))
	var wg sync.WaitGroup
	results := make([][]bool, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for y := 2026; y < 2040; y++ {
				c := policy.Change{Start: at(y, 12, 24, 21, 0), Duration: time.Hour}
				results[g] = append(results[g], set.Evaluate(ctx, c).Allowed())
				_, _ = set.NextSlot(ctx, c, 60*24*time.Hour)
			}
		}()
	}
	wg.Wait()
	for g := 1; g < 8; g++ {
		assert.Equal(t, results[0], results[g])
	}
	assert.NotContains(t, results[0], true, "Christmas Eve is always blocked")
}

// TestConcurrentBuckets evaluates, from several goroutines, changes over
// more years than a calendar keeps buckets for, so buckets are built,
// dropped and built again meanwhile; every goroutine must see what one
// goroutine alone sees on fresh calendars.
func TestConcurrentBuckets(t *testing.T) {
	years := 120
	if testing.Short() {
		years = 70
	}
	eval := func(set policy.Set, y int) policy.Decision {
		return set.Evaluate(ctx, policy.Change{Start: at(y, 3, 3, 10, 0), Duration: 4 * time.Hour}).Decisions[4]
	}
	fresh := standardSet(t)
	want := make([]policy.Decision, years)
	for i := range want {
		want[i] = eval(fresh, 1980+i)
	}
	shared := standardSet(t)
	var wg sync.WaitGroup
	got := make([][]policy.Decision, 4)
	for g := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range years {
				y := 1980 + (i+g*31)%years
				got[g] = append(got[g], eval(shared, y))
			}
		}()
	}
	wg.Wait()
	for g := range got {
		for i, d := range got[g] {
			w := want[(i+g*31)%years]
			assert.Equal(t, w.Reason, d.Reason)
			assert.True(t, w.Next.Equal(d.Next))
		}
	}
}
