package ical

import (
	"errors"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var stamp = time.Date(2026, 3, 2, 9, 30, 0, 0, time.UTC)

func TestEncodeGolden(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	c := Calendar{
		ProdID: "-//mepkit//test//EN",
		Name:   "Go-live",
		Stamp:  stamp,
		Events: []Event{
			{
				UID:         "meeting-1@mepkit",
				Start:       time.Date(2026, 3, 3, 10, 0, 0, 0, paris),
				End:         time.Date(2026, 3, 3, 11, 0, 0, 0, paris),
				Summary:     "Planning, week 10",
				Description: "Agenda:\n- backups; DNS\n- C:\\deploy",
				Categories:  []string{"meeting", "", "go,live"},
			},
			{
				UID:     "action-7@mepkit",
				Start:   time.Date(2026, 3, 10, 0, 0, 0, 0, paris),
				AllDay:  true,
				Summary: "Due: backup the router",
			},
		},
	}
	got, err := c.Marshal()
	require.NoError(t, err)
	want := strings.Join([]string{
		"BEGIN:VCALENDAR",
		"VERSION:2.0",
		"PRODID:-//mepkit//test//EN",
		"CALSCALE:GREGORIAN",
		"X-WR-CALNAME:Go-live",
		"BEGIN:VEVENT",
		"UID:meeting-1@mepkit",
		"DTSTAMP:20260302T093000Z",
		"DTSTART:20260303T090000Z",
		"DTEND:20260303T100000Z",
		`SUMMARY:Planning\, week 10`,
		`DESCRIPTION:Agenda:\n- backups\; DNS\n- C:\\deploy`,
		`CATEGORIES:meeting,go\,live`,
		"END:VEVENT",
		"BEGIN:VEVENT",
		"UID:action-7@mepkit",
		"DTSTAMP:20260302T093000Z",
		"DTSTART;VALUE=DATE:20260310",
		"SUMMARY:Due: backup the router",
		"END:VEVENT",
		"END:VCALENDAR",
		"",
	}, "\r\n")
	assert.Equal(t, want, string(got))

	again, err := c.Marshal()
	require.NoError(t, err)
	assert.Equal(t, got, again, "same calendar, same bytes")
}

func TestTextHostile(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"plain", "plain"},
		{`a\b`, `a\\b`},
		{"a;b,c", `a\;b\,c`},
		{"l1\r\nl2\rl3\nl4", `l1\nl2\nl3\nl4`},
		{"tab\there", "tab\there"},
		{"bell\a nul\x00 esc\x1b del\x7f", "bell nul esc del"},
		{"bad\xffutf8", "bad\uFFFDutf8"},
		{"END:VCALENDAR\r\nBEGIN:VEVENT", `END:VCALENDAR\nBEGIN:VEVENT`},
		{"élan, 東京", `élan\, 東京`},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, Text(tt.in), "Text(%q)", tt.in)
	}
}

func TestHostileSummaryCannotInjectProperties(t *testing.T) {
	c := Calendar{ProdID: "p", Stamp: stamp, Events: []Event{{
		UID:     "x\r\nBEGIN:VEVENT",
		Start:   stamp,
		Summary: "hi\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:evil",
	}}}
	got, err := c.Marshal()
	require.NoError(t, err)
	lines := strings.Split(strings.TrimSuffix(string(got), "\r\n"), "\r\n")
	assert.Equal(t, 1, countLines(lines, "BEGIN:VEVENT"))
	assert.Equal(t, 1, countLines(lines, "END:VEVENT"))
	for _, l := range lines {
		assert.NotContains(t, l, "\n")
		assert.NotContains(t, l, "\r")
	}
}

func TestFold(t *testing.T) {
	long := strings.Repeat("é", 100) + strings.Repeat("a", 50) + strings.Repeat("😀", 40)
	c := Calendar{ProdID: "p", Stamp: stamp, Events: []Event{{UID: "u", Start: stamp, Description: long}}}
	got, err := c.Marshal()
	require.NoError(t, err)
	s := string(got)
	require.True(t, strings.HasSuffix(s, "\r\n"))
	physical := strings.Split(strings.TrimSuffix(s, "\r\n"), "\r\n")
	folded := 0
	for _, l := range physical {
		assert.LessOrEqual(t, len(l), 75, "line %q is longer than 75 octets", l)
		assert.True(t, utf8.ValidString(l), "line %q splits a UTF-8 sequence", l)
		if strings.HasPrefix(l, " ") {
			folded++
		}
	}
	assert.Greater(t, folded, 3)
	assert.Contains(t, unfold(s), "DESCRIPTION:"+long+"\r\n")
}

func TestFoldBoundary(t *testing.T) {
	// "SUMMARY:" is 8 octets; 67 more make exactly 75: no fold. One more folds.
	for _, n := range []int{66, 67, 68, 67 + 74, 67 + 75} {
		c := Calendar{ProdID: "p", Stamp: stamp, Events: []Event{{UID: "u", Start: stamp, Summary: strings.Repeat("x", n)}}}
		got, err := c.Marshal()
		require.NoError(t, err)
		for _, l := range strings.Split(string(got), "\r\n") {
			assert.LessOrEqual(t, len(l), 75)
		}
		assert.Equal(t, n > 67, strings.Contains(string(got), "\r\n "), "n=%d", n)
		assert.Contains(t, unfold(string(got)), "SUMMARY:"+strings.Repeat("x", n)+"\r\n")
	}
}

func countLines(lines []string, want string) int {
	n := 0
	for _, l := range lines {
		if l == want {
			n++
		}
	}
	return n
}

// unfold undoes RFC 5545 folding.
func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

func TestValidate(t *testing.T) {
	ok := Event{UID: "u", Start: stamp}
	tests := []struct {
		name  string
		c     Calendar
		event int
		field string
	}{
		{"no prodid", Calendar{Stamp: stamp}, -1, "ProdID"},
		{"no stamp", Calendar{ProdID: "p"}, -1, "Stamp"},
		{"no uid", Calendar{ProdID: "p", Stamp: stamp, Events: []Event{{Start: stamp}}}, 0, "UID"},
		{"dup uid", Calendar{ProdID: "p", Stamp: stamp, Events: []Event{ok, ok}}, 1, "UID"},
		{"no start", Calendar{ProdID: "p", Stamp: stamp, Events: []Event{{UID: "u"}}}, 0, "Start"},
		{"end before start", Calendar{ProdID: "p", Stamp: stamp, Events: []Event{{UID: "u", Start: stamp, End: stamp.Add(-time.Minute)}}}, 0, "End"},
		{"all-day same day", Calendar{ProdID: "p", Stamp: stamp, Events: []Event{{UID: "u", Start: stamp, End: stamp.Add(time.Hour), AllDay: true}}}, 0, "End"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := tt.c.Marshal()
			require.Error(t, err)
			assert.True(t, errors.Is(err, ErrInvalid))
			var fe *FieldError
			require.True(t, errors.As(err, &fe))
			assert.Equal(t, tt.event, fe.Event)
			assert.Equal(t, tt.field, fe.Field)
			assert.Contains(t, err.Error(), tt.field)
		})
	}
}

func TestAllDayEnd(t *testing.T) {
	c := Calendar{ProdID: "p", Stamp: stamp, Events: []Event{{
		UID: "u", AllDay: true,
		Start: time.Date(2026, 12, 24, 0, 0, 0, 0, time.UTC),
		End:   time.Date(2026, 12, 27, 0, 0, 0, 0, time.UTC),
	}}}
	got, err := c.Marshal()
	require.NoError(t, err)
	assert.Contains(t, string(got), "DTSTART;VALUE=DATE:20261224\r\nDTEND;VALUE=DATE:20261227\r\n")
}

type failWriter struct{}

func (failWriter) Write([]byte) (int, error) { return 0, errors.New("disk full") }

func TestEncodeWriteError(t *testing.T) {
	c := Calendar{ProdID: "p", Stamp: stamp}
	assert.EqualError(t, c.Encode(failWriter{}), "disk full")
}

func FuzzText(f *testing.F) {
	for _, s := range []string{"", "a,b;c\\d", "x\r\ny", "\xff\xfe", strings.Repeat("é", 80)} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if len(s) > 256 {
			// Folding works 75 octets at a time; longer strings only
			// make the engine's minimisation of new inputs stand still.
			t.Skip("long input")
		}
		c := Calendar{ProdID: "p", Stamp: stamp, Events: []Event{{UID: "u", Start: stamp, Summary: s, Description: s, Categories: []string{s}}}}
		got, err := c.Marshal()
		require.NoError(t, err)
		out := string(got)
		require.True(t, strings.HasSuffix(out, "END:VCALENDAR\r\n"))
		lines := strings.Split(strings.TrimSuffix(out, "\r\n"), "\r\n")
		for _, l := range lines {
			require.LessOrEqual(t, len(l), 75)
			require.True(t, utf8.ValidString(l))
			require.NotContains(t, l, "\n")
			require.NotContains(t, l, "\r")
		}
		require.Equal(t, 1, countLines(lines, "BEGIN:VEVENT"))
		if s != "" {
			require.Contains(t, unfold(out), "SUMMARY:"+Text(s)+"\r\n")
		}
	})
}
