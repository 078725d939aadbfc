package policyfile

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

// The checks decided from the fields agree with policy.Cron and with the
// blocked intervals of five years, on every expression of the table, for
// durations and zones that make each case go both ways.
func TestCronChecksAgree(t *testing.T) {
	exprs := []string{
		"0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 30-31 2 *", "0 0 29 2 *", "0 0 30W 2 *", "0 0 29W 2 *",
		"0 0 31 */2 *", "0 0 31 2-6/2 *", "0 0 31 4/2 *", "0 0 31 1 *", "0 0 5/10 2 *", "0 0 L 2 *",
		"0 0 31 2 1", "0 0 31 2 ?", "0 0 1 1 *", "30 17 L * *", "0 22 * * 5", "0 0 * * *", "0 2 * * *",
		"*/30 * * * *", "0 0,12 * * *", "0 9-17 * * 1-5", "@daily", "@weekly", "0 0 */2 * *",
		"0 0 * * 0L", "0 0 * * 5#5", "0 2 * 3 0L", "0 0 1 * 1", "0 0 15W * *", "* * * * *", "0 0 31 * *",
	}
	durations := []time.Duration{time.Minute, 8 * time.Hour, 22 * time.Hour, 23*time.Hour + 30*time.Minute,
		24 * time.Hour, 30 * time.Hour, 32 * 24 * time.Hour, 366 * 24 * time.Hour}
	var zones []*time.Location
	for _, name := range []string{"Europe/Paris", "Australia/Lord_Howe", "UTC"} {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		zones = append(zones, loc)
	}
	if testing.Short() {
		durations, zones = durations[:4], zones[:1]
	}
	for _, expr := range exprs {
		_, err := policy.Cron("c", expr, time.Hour, time.UTC)
		var ce *policy.CronError
		never := errors.As(err, &ce) && strings.Contains(ce.Msg, "never fires")
		if cronNeverFires(expr) {
			assert.True(t, never, "%s: never fires from its fields, but policy.Cron reads it: %v", expr, err)
		}
		if err != nil {
			continue
		}
		for _, loc := range zones {
			for _, d := range durations {
				cal, err := policy.Cron("c", expr, d, loc)
				require.NoError(t, err)
				free, known := cronFree(expr, d, loc)
				if known {
					assert.Equal(t, !blocksEverything(cal, loc), free, "%s for %s in %s", expr, d, loc)
				}
			}
		}
	}
	// The forms it reads, decided from the fields.
	for _, expr := range []string{"0 0 30 2 *", "0 0 31 4,6,9,11 *", "0 0 30W 2 *", "0 0 31 2-6/2 *"} {
		assert.True(t, cronNeverFires(expr), expr)
	}
	for _, expr := range []string{"0 0 29 2 *", "0 0 31 */2 *", "0 0 L 2 *", "0 0 31 2 1", "0 24 30 2 *"} {
		assert.False(t, cronNeverFires(expr), expr)
	}
	// The usual freezes are settled in a few days.
	for _, tt := range []struct {
		expr string
		d    time.Duration
		free bool
	}{
		{"30 17 L * *", 30 * time.Hour, true},
		{"0 22 * * *", 8 * time.Hour, true},
		{"0 2 * * *", 23*time.Hour + 30*time.Minute, true},
		{"0 0 * * *", 24 * time.Hour, false},
		{"* * * * *", time.Minute, false},
	} {
		free, known := cronFree(tt.expr, tt.d, zones[len(zones)-1])
		assert.True(t, known, tt.expr)
		assert.Equal(t, tt.free, free, tt.expr)
	}
}
