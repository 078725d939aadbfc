package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestUpcomingText(t *testing.T) {
	r := gateRun(t, "upcoming", "-policy", "deploy-policy.yaml", "-days", "7", "-now", "2026-11-24 09:00")
	require.Equal(t, exitAllowed, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "go-live calendar, Tue 2026-11-24 09:00 CET to Tue 2026-12-01 09:00 CET (Europe/Paris):\n"), r.stdout)
	assert.Contains(t, r.stdout, "Fri 2026-11-27 00:00 CET friday-freeze closes until Sat 2026-11-28 00:00 CET: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET\n")
	assert.Contains(t, r.stdout, "Sat 2026-11-28 00:00 CET friday-freeze opens (closed since Fri 2026-11-27 00:00 CET); still blocked by another calendar\n")
	assert.Contains(t, r.stdout, "Mon 2026-11-30 20:00 CET evening-window opens (closed since Thu 2026-11-26 23:30 CET)\n")
}

func TestUpcomingClockAndZone(t *testing.T) {
	// Without -now, from the clock, in the zone of the file.
	r := gateRun(t, "upcoming", "-policy", "deploy-policy.yaml", "-days", "1")
	require.Equal(t, exitAllowed, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "go-live calendar, Tue 2026-11-24 17:00 CET to Wed 2026-11-25 17:00 CET (Europe/Paris):\n"), r.stdout)
}

func TestUpcomingJSON(t *testing.T) {
	r := gateRun(t, "upcoming", "-policy", "deploy-policy.yaml", "-days", "14", "-now", "2026-12-14T09:00:00+01:00", "-format", "json")
	require.Equal(t, exitAllowed, r.code, r.stderr)
	var got struct {
		From        time.Time `json:"from"`
		Transitions []struct {
			At      time.Time `json:"at"`
			Edge    string    `json:"edge"`
			Policy  string    `json:"policy"`
			Index   int       `json:"index"`
			Rule    string    `json:"rule"`
			Blocked struct {
				Start, End time.Time
			} `json:"blocked"`
			Reason string `json:"reason"`
			Free   bool   `json:"free"`
		} `json:"transitions"`
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &got), r.stdout)
	require.NotEmpty(t, got.Transitions)
	var yearEnd bool
	for _, x := range got.Transitions {
		if x.Policy == "year-end" {
			yearEnd = true
			assert.Equal(t, "closes", x.Edge)
			assert.Equal(t, 4, x.Index)
			assert.Empty(t, x.Rule)
			assert.Equal(t, "2026-12-18T00:00:00+01:00", x.At.Format(time.RFC3339))
			assert.False(t, x.Free)
		}
		if x.Policy == "friday-freeze" {
			assert.Equal(t, "R11", x.Rule)
		}
	}
	assert.True(t, yearEnd, r.stdout)
	assert.Contains(t, r.stdout, `"blocked": {`)
}

func TestUpcomingICS(t *testing.T) {
	r := gateRun(t, "upcoming", "-policy", "deploy-policy.yaml", "-days", "7", "-now", "2026-11-24 09:00", "-format", "ics")
	require.Equal(t, exitAllowed, r.code, r.stderr)
	assert.True(t, strings.HasPrefix(r.stdout, "BEGIN:VCALENDAR\r\n"), r.stdout)
	assert.Contains(t, r.stdout, "SUMMARY:No go-live: friday-freeze\r\n")
	assert.Contains(t, r.stdout, "DTSTAMP:20261124T080000Z\r\n", "stamped with -now: reproducible")
}

func TestUpcomingBadInput(t *testing.T) {
	for _, args := range [][]string{
		{"upcoming"},
		{"upcoming", "-policy", "deploy-policy.yaml", "-days", "0"},
		{"upcoming", "-policy", "deploy-policy.yaml", "-days", "x"},
		{"upcoming", "-policy", "deploy-policy.yaml", "-format", "pdf"},
		{"upcoming", "-policy", "deploy-policy.yaml", "extra"},
		{"upcoming", "-policy", "deploy-policy.yaml", "-now", "tomorrow"},
		{"upcoming", "-policy", "missing.yaml"},
	} {
		r := gateRun(t, args...)
		assert.Equal(t, exitUsage, r.code, "%v", args)
		assert.Empty(t, r.stdout, "%v", args)
		assert.Contains(t, r.stderr, "gate upcoming: ", "%v", args)
	}
	r := gateRun(t, "upcoming", "-help")
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stdout, "usage: gate upcoming")
}
