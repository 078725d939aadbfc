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
