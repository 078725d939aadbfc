package policy_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func mustLoad(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	require.NoError(t, err)
	return loc
}

var (
	paris, _   = time.LoadLocation("Europe/Paris")
	newYork, _ = time.LoadLocation("America/New_York")
	sydney, _  = time.LoadLocation("Australia/Sydney")
	kolkata, _ = time.LoadLocation("Asia/Kolkata")
)

// at returns a local time in Paris.
func at(y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, paris)
}

func atIn(loc *time.Location, y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, loc)
}
