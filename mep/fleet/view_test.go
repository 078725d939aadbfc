package fleet_test

import (
	"bytes"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/browser"
	"github.com/mepkit/mepkit/mep/fleet"
)

func TestWriteJSON(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, evening().WriteJSON(&b, fleet.View{Location: paris, Rules: fleet.Rules{Exclusive: []string{"prod"}}}))
	var got struct {
		Location string `json:"location"`
		Rollouts []struct {
			Project   string `json:"project"`
			T0        string `json:"t0"`
			P90       string `json:"p90"`
			Status    string `json:"status"`
			Resources []struct{ Kind, Name string }
		} `json:"rollouts"`
		Conflicts []struct {
			Kind, A, B, On, Start, End, Text string
		} `json:"conflicts"`
	}
	require.NoError(t, json.Unmarshal(b.Bytes(), &got), b.String())
	assert.Equal(t, "Europe/Paris", got.Location)
	require.Len(t, got.Rollouts, 2)
	assert.Equal(t, "2026-03-10T21:00:00+01:00", got.Rollouts[0].T0)
	assert.Equal(t, "2026-03-10T22:40:00+01:00", got.Rollouts[0].P90)
	assert.Equal(t, "planned", got.Rollouts[0].Status)
	assert.Equal(t, "database", got.Rollouts[1].Resources[0].Kind)
	require.Len(t, got.Conflicts, 2)
	assert.Equal(t, "shared resource", got.Conflicts[0].Kind)
	assert.Equal(t, "billing/v3", got.Conflicts[0].A)
	assert.Equal(t, "payments/v7", got.Conflicts[0].B)
	assert.Equal(t, "2026-03-10T22:30:00+01:00", got.Conflicts[0].Start)

	b.Reset()
	require.NoError(t, (&fleet.Snapshot{}).WriteJSON(&b, fleet.View{}))
	assert.Contains(t, b.String(), `"rollouts": []`)
	assert.Contains(t, b.String(), `"conflicts": []`)
}

func TestWriteICalPerTeam(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, evening().WriteICal(&b, fleet.View{Team: "Pay", Title: "Pay's cutovers"}))
	s := strings.ReplaceAll(b.String(), "\r\n ", "") // unfold
	assert.Equal(t, 1, strings.Count(s, "BEGIN:VEVENT"), s)
	assert.Contains(t, s, "UID:payments/v7@mepkit-fleet\r\n")
	assert.Contains(t, s, "DTSTART:20260310T213000Z\r\n")
	assert.Contains(t, s, "DTEND:20260310T221000Z\r\n", "the P90 end")
	assert.Contains(t, s, "CATEGORIES:Pay,database:billing,service:payments\r\n")
	assert.Contains(t, s, `Conflict: billing/v3 (team Ops-2) and payments/v7 (team Pay): shared resource database:billing`)
	assert.Contains(t, s, "X-WR-CALNAME:Pay's cutovers\r\n")
}

func TestWriteMarkdownEscapesCells(t *testing.T) {
	snap := evening()
	snap.Entries[0].Rollout = "v3|evil\nline"
	var b bytes.Buffer
	require.NoError(t, snap.WriteMarkdown(&b, fleet.View{}))
	assert.Contains(t, b.String(), `| v3\|evil line |`)
}

func TestWriteHTMLInBrowser(t *testing.T) {
	var b bytes.Buffer
	snap := evening()
	snap.Entries[1].Rollout = "v7-with-a-very-long-name-that-must-wrap-on-a-phone-screen"
	require.NoError(t, snap.WriteHTML(&b, fleet.View{Location: paris, Rules: fleet.Rules{Exclusive: []string{"prod"}}, Title: "Tonight's cutovers"}))
	page := b.Bytes()
	assert.Contains(t, string(page), "shared resource database:billing with payments/v7-with")
	assert.Equal(t, 2, strings.Count(string(page), `<tr class="conflict">`))
	if dir := os.Getenv(browser.ShotsEnv); dir != "" {
		require.NoError(t, os.WriteFile(dir+"/fleet-schedule.html", page, 0o600))
	}
	br := browser.Require(t)
	for _, w := range []int{browser.Phone, browser.A4Width, browser.Desktop} {
		l, err := br.Measure(bg, page, w, false)
		require.NoError(t, err)
		assert.LessOrEqual(t, l.ScrollWidth, l.Viewport+0.5, "at %d px the page scrolls sideways", w)
		assert.Empty(t, l.Overflowing, "at %d px", w)
	}
}

// Two records holding a rollout of the same project and name are two
// events of their own in a calendar (a calendar keeps one per UID), and
// the conflict of one is not shown on the other, in iCalendar or HTML.
func TestViewsSameNamesInTwoRecords(t *testing.T) {
	snap := evening()
	snap.Entries[0].Record, snap.Entries[1].Record = "billing", "payments"
	cp := snap.Entries[1]
	cp.Record, cp.T0, cp.P50, cp.P90, cp.Resources = "copy", cp.T0.Add(3*time.Hour), cp.P50.Add(3*time.Hour), cp.P90.Add(3*time.Hour), nil
	snap.Entries = append(snap.Entries, cp)

	var b bytes.Buffer
	require.NoError(t, snap.WriteICal(&b, fleet.View{}))
	s := strings.ReplaceAll(b.String(), "\r\n ", "") // unfold
	assert.Equal(t, 3, strings.Count(s, "BEGIN:VEVENT"), s)
	assert.Contains(t, s, "UID:billing/v3@mepkit-fleet\r\n")
	assert.Contains(t, s, "UID:payments/payments/v7@mepkit-fleet\r\n")
	assert.Contains(t, s, "UID:copy/payments/v7@mepkit-fleet\r\n")
	assert.Equal(t, 2, strings.Count(s, "Conflict: billing/v3"), "on billing/v3 and the payments/v7 it shares the database with: %s", s)

	b.Reset()
	require.NoError(t, snap.WriteHTML(&b, fleet.View{}))
	assert.Equal(t, 2, strings.Count(b.String(), `<tr class="conflict">`))

	// A project named after another's record and its project.
	odd := cp
	odd.Record, odd.Project = "x", "copy/payments"
	snap.Entries = append(snap.Entries, odd)
	b.Reset()
	require.NoError(t, snap.WriteICal(&b, fleet.View{}))
	assert.Contains(t, strings.ReplaceAll(b.String(), "\r\n ", ""), "UID:copy/payments/v7#2@mepkit-fleet\r\n")
}
