package mep_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

func TestWriteICS(t *testing.T) {
	paris := load(t, "Europe/Paris")
	p, err := mep.New("Billing v2, site A", &mep.Options{Location: paris, Cadence: mep.Cadence{Days: 7}})
	require.NoError(t, err)
	at := time.Date(2026, 3, 24, 10, 0, 0, 0, paris)
	_, err = p.Tracker().Hold(mep.Minutes{
		At: at, Title: "Planning; week 13", Attendees: []string{"Bea", "Otto"},
		Decisions: []string{"cutover on 31/03, 21:00"},
		Actions: []mep.ActionSpec{
			{Title: "back up the router", Owner: "Otto"},
			{Title: "late-night check", Owner: "Bea", Due: time.Date(2026, 3, 26, 23, 30, 0, 0, paris)},
		},
	})
	require.NoError(t, err)
	require.NoError(t, p.Tracker().Cancel(2, "Bea", at.Add(time.Hour), "not needed"))

	var b bytes.Buffer
	stamp := time.Date(2026, 3, 25, 8, 0, 0, 0, time.UTC)
	require.NoError(t, p.WriteICS(&b, mep.ICSOptions{Stamp: stamp}))
	out := b.String()
	unfolded := strings.ReplaceAll(out, "\r\n ", "")
	assert.True(t, strings.HasPrefix(out, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"))
	assert.Contains(t, out, "X-WR-CALNAME:Billing v2\\, site A\r\n")
	assert.Contains(t, out, "UID:meeting-1@billing-v2-site-a.mepkit\r\n")
	assert.Contains(t, out, "DTSTAMP:20260325T080000Z\r\n")
	assert.Contains(t, out, "DTSTART:20260324T090000Z\r\nDTEND:20260324T100000Z\r\n")
	assert.Contains(t, out, "SUMMARY:Planning\\; week 13\r\n")
	assert.Contains(t, unfolded, "Decision: cutover on 31/03\\, 21:00")
	// The next meeting, a week later at 10:00 Paris time, now summer time.
	assert.Contains(t, unfolded, "UID:meeting-2@billing-v2-site-a.mepkit\r\nDTSTAMP:20260325T080000Z\r\nDTSTART:20260331T080000Z\r\n")
	assert.Contains(t, unfolded, "Carried over:\\n#1 back up the router (Otto\\, due 2026-03-31)")
	// Open action: all-day on its due date in Paris.
	assert.Contains(t, unfolded, "UID:action-1@billing-v2-site-a.mepkit\r\nDTSTAMP:20260325T080000Z\r\nDTSTART;VALUE=DATE:20260331\r\nSUMMARY:Due: back up the router (Otto)\r\n")
	assert.NotContains(t, out, "action-2@", "closed actions are left out by default")

	b.Reset()
	require.NoError(t, p.WriteICS(&b, mep.ICSOptions{Stamp: stamp, Closed: true, Domain: "example.org"}))
	unfolded = strings.ReplaceAll(b.String(), "\r\n ", "")
	assert.Contains(t, unfolded, "UID:action-2@example.org\r\nDTSTAMP:20260325T080000Z\r\nDTSTART;VALUE=DATE:20260326\r\nSUMMARY:Cancelled: late-night check (Bea)\r\n")

	again := bytes.Buffer{}
	require.NoError(t, p.WriteICS(&again, mep.ICSOptions{Stamp: stamp, Closed: true, Domain: "example.org"}))
	assert.Equal(t, b.String(), again.String(), "deterministic")

	for _, l := range strings.Split(b.String(), "\r\n") {
		assert.LessOrEqual(t, len(l), 75)
	}
	assert.ErrorIs(t, p.WriteICS(&b, mep.ICSOptions{}), mep.ErrInvalid)
	assert.ErrorIs(t, p.WriteICS(&b, mep.ICSOptions{Stamp: stamp, MeetingLength: -time.Minute}), mep.ErrInvalid)
}

func TestTrackerWriteICSEmpty(t *testing.T) {
	var tr mep.Tracker
	var b bytes.Buffer
	require.NoError(t, tr.WriteICS(&b, mep.ICSOptions{Stamp: utc(2026, 1, 1, 0, 0)}))
	assert.Equal(t, "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//mepkit//mep//EN\r\nCALSCALE:GREGORIAN\r\nEND:VCALENDAR\r\n", b.String())
}

// TestICSDomainOfNamesWithoutASCII checks that projects whose names have
// no ASCII letter or digit still get UIDs of their own, stable from one
// export to the next.
func TestICSDomainOfNamesWithoutASCII(t *testing.T) {
	stamp := utc(2026, 3, 25, 8, 0)
	uid := func(name string) string {
		t.Helper()
		p, err := mep.New(name, nil)
		require.NoError(t, err)
		_, err = p.Tracker().Hold(mep.Minutes{At: stamp, Attendees: []string{"Bea"}, NoActions: true})
		require.NoError(t, err)
		var b strings.Builder
		require.NoError(t, p.WriteICS(&b, mep.ICSOptions{Stamp: stamp}))
		for line := range strings.SplitSeq(b.String(), "\r\n") {
			if strings.HasPrefix(line, "UID:meeting-1@") {
				return line
			}
		}
		t.Fatalf("no UID in %q", b.String())
		return ""
	}
	seen := map[string]string{}
	for _, name := range []string{"請求システム", "決済システム", "Ελλάδα", "Россия", "--", "ß"} {
		got := uid(name)
		assert.Regexp(t, `^UID:meeting-1@project-[0-9a-f]{8}\.mepkit$`, got, name)
		assert.Equal(t, got, uid(name), "stable")
		if other, dup := seen[got]; dup {
			t.Errorf("%q and %q share %s", name, other, got)
		}
		seen[got] = name
	}
	assert.Equal(t, "UID:meeting-1@billing-v2.mepkit", uid("Billing v2"))
}
