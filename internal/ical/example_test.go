package ical_test

import (
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/internal/ical"
)

func ExampleCalendar_Marshal() {
	c := ical.Calendar{
		ProdID: "-//mepkit//example//EN",
		Stamp:  time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC),
		Events: []ical.Event{{
			UID:     "freeze-1@example.org",
			Start:   time.Date(2026, 12, 18, 0, 0, 0, 0, time.UTC),
			End:     time.Date(2026, 12, 19, 0, 0, 0, 0, time.UTC),
			AllDay:  true,
			Summary: "Year-end freeze; no go-live, no change",
		}},
	}
	b, err := c.Marshal()
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(strings.ReplaceAll(string(b), "\r\n", "\n")) // CRLF on the wire
	// Output:
	// BEGIN:VCALENDAR
	// VERSION:2.0
	// PRODID:-//mepkit//example//EN
	// CALSCALE:GREGORIAN
	// BEGIN:VEVENT
	// UID:freeze-1@example.org
	// DTSTAMP:20261120T090000Z
	// DTSTART;VALUE=DATE:20261218
	// DTEND;VALUE=DATE:20261219
	// SUMMARY:Year-end freeze\; no go-live\, no change
	// END:VEVENT
	// END:VCALENDAR
}
