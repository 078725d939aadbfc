package policy

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/mepkit/mepkit/internal/ical"
)

// ICSOptions configures [Set.WriteICS]. A nil *ICSOptions means the zero
// value.
type ICSOptions struct {
	// Name is the calendar's name in calendar programs (X-WR-CALNAME);
	// empty: "Go-live freezes".
	Name string
	// Stamp is the DTSTAMP of every event, when the file is produced; zero:
	// time.Now. Set it for reproducible files.
	Stamp time.Time
}

// WriteICS writes the intervals that the Set's calendars block within
// [from, to) to w as an iCalendar (RFC 5545) file, one event per policy and
// interval, so that teams see their freezes in their calendars. An interval
// that runs from local midnight to local midnight in its calendar's zone is
// an all-day event; others are timed, in UTC. Each event's description is
// the policy's own explanation, and its UID is stable across exports of
// overlapping ranges, so a calendar program updates events instead of
// duplicating them: it names the policy and the start of the whole blocked
// interval, even when that start is before from (WriteICS looks up to five
// years back for it). Intervals are clipped to [from, to).
func (s Set) WriteICS(w io.Writer, from, to time.Time, opts *ICSOptions) error {
	var o ICSOptions
	if opts != nil {
		o = *opts
	}
	if o.Name == "" {
		o.Name = "Go-live freezes"
	}
	if o.Stamp.IsZero() {
		o.Stamp = time.Now()
	}
	cal := ical.Calendar{ProdID: "-//mepkit//policy//EN", Name: o.Name, Stamp: o.Stamp}
	ctx := context.Background()
	for _, p := range s {
		c, ok := p.(Calendar)
		if !ok {
			continue
		}
		for _, iv := range blockedFrom(c, from, to) {
			uid := fmt.Sprintf("%s-%s@mepkit", c.Name(), iv.Start.UTC().Format("20060102T150405Z"))
			if iv.Start.Before(from) {
				iv.Start = from.In(iv.Start.Location())
			}
			d := c.Evaluate(ctx, Change{Start: iv.Start})
			e := ical.Event{
				UID:         uid,
				Start:       iv.Start,
				End:         iv.End,
				Summary:     "No go-live: " + c.Name(),
				Description: d.Reason,
				Categories:  []string{"go-live freeze", c.Name()},
			}
			if allDay(iv) {
				e.AllDay = true
			}
			cal.Events = append(cal.Events, e)
		}
	}
	if err := cal.Encode(w); err != nil {
		return fmt.Errorf("policy: writing iCalendar: %w", err)
	}
	return nil
}

// blockedFrom returns the intervals that c blocks within [from, to), each
// with its own start even when that is before from: the interval that
// holds from is fetched from further back, doubling the look-back up to
// nextHorizon while it still starts where the look-back does.
func blockedFrom(c Calendar, from, to time.Time) []Interval {
	from, to = from.Round(0), to.Round(0)
	if !from.Before(to) {
		return nil
	}
	back := 7 * 24 * time.Hour
	for {
		lo := from.Add(-back)
		ivs := c.Blocked(lo, to)
		for len(ivs) > 0 && !ivs[0].End.After(from) {
			ivs = ivs[1:]
		}
		if len(ivs) == 0 || !ivs[0].Start.Equal(lo) || back >= nextHorizon {
			return ivs
		}
		back = min(2*back, nextHorizon)
	}
}

// allDay reports whether iv runs from a local midnight to a later one in
// the location of its start.
func allDay(iv Interval) bool {
	loc := iv.Start.Location()
	s, e := iv.Start, iv.End.In(loc)
	return s.Equal(DateOf(s).In(loc)) && e.Equal(DateOf(e).In(loc)) && DateOf(e) != DateOf(s)
}
