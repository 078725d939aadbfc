package policy_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

func TestWriteICS(t *testing.T) {
	hol, err := policy.Holidays("FR", paris, true)
	require.NoError(t, err)
	set := policy.Set{
		policy.FridayFreeze(paris),
		hol,
		policy.Freeze("release-freeze", at(2026, 12, 21, 18, 0), at(2026, 12, 23, 9, 0)),
		policy.MaxOutage(time.Hour), // not a calendar: no events
	}
	var buf bytes.Buffer
	err = set.WriteICS(&buf, at(2026, 12, 14, 0, 0), at(2026, 12, 28, 0, 0), &policy.ICSOptions{Stamp: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)})
	require.NoError(t, err)
	out := buf.String()
	assert.True(t, strings.HasPrefix(out, "BEGIN:VCALENDAR\r\n"))
	assert.True(t, strings.HasSuffix(out, "END:VCALENDAR\r\n"))
	assert.Equal(t, 4, strings.Count(out, "BEGIN:VEVENT"), out) // 2 Fridays, Christmas eve and day, the freeze
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	assert.Contains(t, unfolded, "DTSTART;VALUE=DATE:20261218\r\nDTEND;VALUE=DATE:20261219\r\nSUMMARY:No go-live: friday-freeze\r\n")
	assert.Contains(t, unfolded, "DTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261226\r\n")
	assert.Contains(t, unfolded, "DTSTART:20261221T170000Z\r\nDTEND:20261223T080000Z\r\n")
	assert.Contains(t, unfolded, `DESCRIPTION:Fri 2026-12-18 is a Friday in Europe/Paris\; allowed again from Sat 2026-12-19 00:00 CET`)
	assert.Contains(t, unfolded, "UID:friday-freeze-20261217T230000Z@mepkit\r\n")
	for _, line := range strings.Split(out, "\r\n") {
		assert.LessOrEqual(t, len(line), 75, line)
	}
}
