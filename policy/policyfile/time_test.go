package policyfile_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy/policyfile"
)

func TestParseTime(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want time.Time
	}{
		{"2026-01-01T00:00:00+23:59", time.Date(2025, 12, 31, 0, 1, 0, 0, time.UTC)},
		{"2026-01-01T00:00:00-23:59", time.Date(2026, 1, 1, 23, 59, 0, 0, time.UTC)},
		{"2026-01-01T00:00:00Z", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-01-01T00:00:00-00:00", time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"2026-11-27T20:30:00.5+01:00", time.Date(2026, 11, 27, 19, 30, 0, 5e8, time.UTC)},
		{"0000-01-01T00:00:00Z", time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{"9999-12-31T23:59:59.999999999Z", time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)},
	} {
		got, err := policyfile.ParseTime(tt.in)
		require.NoError(t, err, tt.in)
		assert.True(t, tt.want.Equal(got), "%s: got %s, want %s", tt.in, got, tt.want)
	}
	for _, tt := range []struct{ in, msg string }{
		{"2026-01-01T00:00:00+24:00", "offset +24:00 is out of range"},
		{"2026-01-01T00:00:00-24:00", "offset -24:00 is out of range"},
		{"2026-01-01T00:00:00+23:60", "offset +23:60 is out of range"},
		{"2026-01-01T00:00:00+99:99", "out of range"},
		{"2026-01-01T00:00:00+01:00:30", "offset"},
		{"2026-01-01T00:00:00+0100", "offset"},
		{"2026-01-01T00:00:00+1:00", "offset"},
		{"2026-01-01T00:00:00", "offset"},
		{"10000-01-01T00:00:00Z", "year"},
		{"-001-01-01T00:00:00Z", "year"},
		{"+2026-01-01T00:00:00Z", "year"},
		{"2026-01-01T00:00:00,5Z", "offset"},
		{"2026-01-01T00:00:00.1234567891Z", "nanosecond"},
		{"2026-01-01T00:00:00.Z", "offset"},
		{"2026-02-30T00:00:00Z", "day out of range"},
		{"2026-01-01T24:00:00Z", "hour out of range"},
		{"2026-01-01 00:00:00Z", "2006-01-02T15:04:05"},
		{"", "2006-01-02T15:04:05"},
		{"2026-01-01T00:00:00Z\n", "offset"},
	} {
		_, err := policyfile.ParseTime(tt.in)
		require.Error(t, err, tt.in)
		assert.Contains(t, err.Error(), tt.msg, tt.in)
		assert.Regexp(t, `^policyfile: time "`, err.Error(), tt.in)
	}
}

// A freeze bound with an offset of a day or more is refused with its line
// and field, not read a day off.
func TestFreezeTimeOffsets(t *testing.T) {
	for _, tt := range []struct {
		bound, field string
		line         int
	}{
		{"from: \"2026-01-01T00:00:00+24:00\"\n    to: 2026-02-01\n", "policies[0].from", 4},
		{"from: 2025-12-01\n    to: \"2026-01-01T00:00:00+24:00\"\n", "policies[0].to", 5},
		{"from: \"2026-01-01T00:00:00-24:00\"\n    to: 2026-02-01\n", "policies[0].from", 4},
		{"from: \"2026-01-01T00:00:00+01:00:30\"\n    to: 2026-02-01\n", "policies[0].from", 4},
		{"from: \"10000-01-01T00:00:00Z\"\n    to: 2026-02-01\n", "policies[0].from", 4},
		{"from: 10000-01-01\n    to: 2026-02-01\n", "policies[0].from", 4},
	} {
		_, err := policyfile.Parse([]byte("zone: UTC\npolicies:\n  - kind: freeze\n    " + tt.bound))
		var pe *policyfile.Error
		require.ErrorAs(t, err, &pe, tt.bound)
		assert.Equal(t, tt.line, pe.Line, err.Error())
		assert.Equal(t, tt.field, pe.Field, err.Error())
	}
	_, err := policyfile.Parse([]byte("zone: UTC\npolicies:\n  - kind: freeze\n    from: \"2026-01-01T00:00:00+24:00\"\n    to: 2026-02-01\n"))
	assert.EqualError(t, err, `policyfile: line 4: policies[0].from: time "2026-01-01T00:00:00+24:00": the offset +24:00 is out of range: RFC 3339 offsets run from -23:59 to +23:59; want a date (2006-01-02) or an RFC 3339 time (2006-01-02T15:04:05+01:00)`)

	set, err := policyfile.Parse([]byte("zone: UTC\npolicies:\n  - kind: freeze\n    from: \"2026-01-01T00:00:00+23:59\"\n    to: 2026-02-01\n"))
	require.NoError(t, err)
	b := set.Blocked(time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC))
	require.Len(t, b, 1)
	assert.Equal(t, time.Date(2025, 12, 31, 0, 1, 0, 0, time.UTC), b[0].Start.UTC())
}
