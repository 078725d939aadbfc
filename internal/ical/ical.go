// Package ical writes iCalendar (RFC 5545) files: one VCALENDAR holding
// VEVENT components, with escaped text, folded lines and CRLF line ends.
//
// The output is deterministic: it depends only on the Calendar value (the
// DTSTAMP comes from [Calendar.Stamp], never from the clock), so the same
// calendar always encodes to the same bytes.
package ical

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"
	"unicode/utf8"
)

// ErrInvalid is the sentinel that every validation error wraps.
var ErrInvalid = errors.New("ical: invalid calendar")

// FieldError reports a missing or invalid field. Event is the index of the
// event in [Calendar.Events], or -1 for a field of the calendar itself.
type FieldError struct {
	Event  int
	Field  string
	Reason string
}

func (e *FieldError) Error() string {
	if e.Event < 0 {
		return fmt.Sprintf("ical: calendar %s: %s", e.Field, e.Reason)
	}
	return fmt.Sprintf("ical: event %d: %s: %s", e.Event, e.Field, e.Reason)
}

// Unwrap returns [ErrInvalid].
func (e *FieldError) Unwrap() error { return ErrInvalid }

// Calendar is a VCALENDAR object.
type Calendar struct {
	// ProdID identifies the product that wrote the file (PRODID), for
	// instance "-//mepkit//mep//EN". Required.
	ProdID string
	// Name, if not empty, is written as X-WR-CALNAME, the name most
	// calendar programs show for a subscribed or imported calendar.
	Name string
	// Stamp is the DTSTAMP of every event: when the file was produced.
	// Required; written in UTC.
	Stamp time.Time
	// Events are written in order.
	Events []Event
}

// Event is a VEVENT component.
type Event struct {
	// UID identifies the event across exports, so that a calendar program
	// updates it instead of adding a copy. Required and unique within the
	// calendar.
	UID string
	// Start is DTSTART. Required. A timed event is written in UTC; an
	// all-day event uses Start's calendar date in Start's own location.
	Start time.Time
	// End is DTEND. Zero: no DTEND (a timed event lasts no time; an all-day
	// event lasts one day). A timed End must not be before Start. For an
	// all-day event, End is the exclusive end date in End's location and
	// must be after Start's date.
	End time.Time
	// AllDay makes DTSTART and DTEND DATE values instead of DATE-TIME.
	AllDay bool
	// Summary is the title (SUMMARY); Description the body (DESCRIPTION).
	// Empty values are omitted.
	Summary, Description string
	// Categories are written as one CATEGORIES property; empty strings are
	// dropped.
	Categories []string
}

const (
	utcLayout  = "20060102T150405Z"
	dateLayout = "20060102"
	maxOctets  = 75
)

// Validate reports the first missing or invalid field as a *FieldError.
func (c *Calendar) Validate() error {
	if strings.TrimSpace(c.ProdID) == "" {
		return &FieldError{Event: -1, Field: "ProdID", Reason: "empty"}
	}
	if c.Stamp.IsZero() {
		return &FieldError{Event: -1, Field: "Stamp", Reason: "zero time"}
	}
	seen := make(map[string]int, len(c.Events))
	for i := range c.Events {
		e := &c.Events[i]
		if strings.TrimSpace(e.UID) == "" {
			return &FieldError{Event: i, Field: "UID", Reason: "empty"}
		}
		if j, dup := seen[e.UID]; dup {
			return &FieldError{Event: i, Field: "UID", Reason: fmt.Sprintf("%q already used by event %d", e.UID, j)}
		}
		seen[e.UID] = i
		if e.Start.IsZero() {
			return &FieldError{Event: i, Field: "Start", Reason: "zero time"}
		}
		if e.End.IsZero() {
			continue
		}
		if e.AllDay {
			if !dateOf(e.End).After(dateOf(e.Start)) {
				return &FieldError{Event: i, Field: "End", Reason: "all-day end date must be after the start date"}
			}
		} else if e.End.Before(e.Start) {
			return &FieldError{Event: i, Field: "End", Reason: "before Start"}
		}
	}
	return nil
}

// dateOf returns t's calendar date at midnight UTC, for comparisons.
func dateOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// Encode validates c and writes it to w.
func (c *Calendar) Encode(w io.Writer) error {
	if err := c.Validate(); err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	lw := lineWriter{w: bw}
	lw.line("BEGIN:VCALENDAR")
	lw.line("VERSION:2.0")
	lw.line("PRODID:" + Text(c.ProdID))
	lw.line("CALSCALE:GREGORIAN")
	if c.Name != "" {
		lw.line("X-WR-CALNAME:" + Text(c.Name))
	}
	stamp := c.Stamp.UTC().Format(utcLayout)
	for i := range c.Events {
		e := &c.Events[i]
		lw.line("BEGIN:VEVENT")
		lw.line("UID:" + Text(e.UID))
		lw.line("DTSTAMP:" + stamp)
		if e.AllDay {
			lw.line("DTSTART;VALUE=DATE:" + e.Start.Format(dateLayout))
			if !e.End.IsZero() {
				lw.line("DTEND;VALUE=DATE:" + e.End.Format(dateLayout))
			}
		} else {
			lw.line("DTSTART:" + e.Start.UTC().Format(utcLayout))
			if !e.End.IsZero() {
				lw.line("DTEND:" + e.End.UTC().Format(utcLayout))
			}
		}
		if e.Summary != "" {
			lw.line("SUMMARY:" + Text(e.Summary))
		}
		if e.Description != "" {
			lw.line("DESCRIPTION:" + Text(e.Description))
		}
		if cats := categories(e.Categories); cats != "" {
			lw.line("CATEGORIES:" + cats)
		}
		lw.line("END:VEVENT")
	}
	lw.line("END:VCALENDAR")
	if lw.err != nil {
		return lw.err
	}
	return bw.Flush()
}

// Marshal returns the encoded calendar.
func (c *Calendar) Marshal() ([]byte, error) {
	var b bytes.Buffer
	if err := c.Encode(&b); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

func categories(cs []string) string {
	var b strings.Builder
	for _, c := range cs {
		if c == "" {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte(',')
		}
		b.WriteString(Text(c))
	}
	return b.String()
}

// Text escapes s as an RFC 5545 TEXT value: backslash, semicolon and comma
// are escaped with a backslash, a line break (CRLF, CR or LF) becomes "\n",
// other control characters are dropped, and invalid UTF-8 becomes U+FFFD.
func Text(s string) string {
	var b strings.Builder
	b.Grow(len(s) + 8)
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		i += size
		switch {
		case r == '\\', r == ';', r == ',':
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '\r':
			if i < len(s) && s[i] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\t':
			b.WriteByte('\t')
		case r < 0x20 || r == 0x7f:
			// CONTROL characters are not allowed in TEXT values.
		default:
			b.WriteRune(r) // utf8.RuneError for invalid bytes: U+FFFD
		}
	}
	return b.String()
}

// lineWriter writes content lines folded at 75 octets (RFC 5545 §3.1),
// never inside a UTF-8 sequence, each ended with CRLF. It keeps the first
// write error.
type lineWriter struct {
	w   *bufio.Writer
	err error
}

func (lw *lineWriter) line(s string) {
	if lw.err != nil {
		return
	}
	limit := maxOctets
	for len(s) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(s[cut]) {
			cut--
		}
		if cut == 0 { // not UTF-8: cut anywhere rather than loop
			cut = limit
		}
		lw.write(s[:cut])
		lw.write("\r\n ")
		s = s[cut:]
		limit = maxOctets - 1 // the leading space counts
	}
	lw.write(s)
	lw.write("\r\n")
}

func (lw *lineWriter) write(s string) {
	if lw.err != nil {
		return
	}
	_, lw.err = lw.w.WriteString(s)
}
