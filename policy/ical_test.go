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

// uids returns the UIDs of the events of an iCalendar file, in order.
func uids(t *testing.T, set policy.Set, from, to time.Time) []string {
	t.Helper()
	var buf bytes.Buffer
	require.NoError(t, set.WriteICS(&buf, from, to, &policy.ICSOptions{Stamp: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}))
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(buf.String(), "\r\n ", ""), "\r\n") {
		if uid, ok := strings.CutPrefix(line, "UID:"); ok {
			out = append(out, uid)
		}
	}
	return out
}

func TestWriteICSStableUIDs(t *testing.T) {
	hol, err := policy.Holidays("FR", paris, true)
	require.NoError(t, err)
	set := policy.Set{
		policy.FridayFreeze(paris),
		hol,
		policy.Freeze("year-end", at(2026, 12, 18, 0, 0), at(2027, 1, 4, 0, 0)),
	}
	whole := uids(t, set, at(2026, 12, 14, 0, 0), at(2026, 12, 28, 0, 0))
	// The same holidays, the same Friday and the same freeze, exported
	// from the middle of each of them.
	part := uids(t, set, at(2026, 12, 25, 12, 0), at(2026, 12, 28, 0, 0))
	assert.Equal(t, []string{
		"friday-freeze-20261224T230000Z@mepkit",
		"holidays-FR-20261223T230000Z@mepkit",
		"year-end-20261217T230000Z@mepkit",
	}, part)
	for _, uid := range part {
		assert.Contains(t, whole, uid)
	}
	// The event itself starts at from.
	var buf bytes.Buffer
	require.NoError(t, policy.Set{hol}.WriteICS(&buf, at(2026, 12, 25, 12, 0), at(2026, 12, 28, 0, 0), &policy.ICSOptions{Stamp: time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)}))
	assert.Contains(t, buf.String(), "DTSTART:20261225T110000Z\r\n")
}
