package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
)

// newChange returns the change the flags describe, its times read in loc.
func newChange(o *options, clock func() time.Time, loc *time.Location) (policy.Change, error) {
	var err error
	c := policy.Change{
		Name:        o.name,
		Environment: o.env,
		Location:    loc, // every reason in the file's zone, whatever the runner's clock

		Duration:    o.duration,
		Approvals:   o.approvals,
		Outage:      o.outage,
		OutageKnown: o.outageKnown,
	}
	if o.now == "" {
		c.Now = clock().Round(0)
	} else if c.Now, err = parseTime("now", o.now, loc); err != nil {
		return c, err
	}
	if o.start == "now" {
		c.Start = c.Now // the deployment runs right after the gate
	} else if c.Start, err = parseTime("start", o.start, loc); err != nil {
		return c, err
	}
	if o.readyAt != "" {
		if c.ReadyAt, err = parseTime("ready-at", o.readyAt, loc); err != nil {
			return c, err
		}
	}

	return c, nil
}

// parseTime reads an RFC 3339 time, as a policy file reads its own
// (policyfile.ParseTime: offsets within ±23:59), or a local
// "2006-01-02 15:04" in loc. A local time that loc skips, or passes twice
// when the clocks go back, is bad input: either instant could be meant.
func parseTime(name, s string, loc *time.Location) (time.Time, error) {
	t, err := policyfile.ParseTime(s)
	if err == nil {
		return t, nil
	}
	if strings.ContainsRune(s, 'T') {
		// RFC 3339 meant (the local form has no T), and refused: say why
		// (an offset of a day, say).
		why := strings.TrimPrefix(err.Error(), "policyfile: time "+strconv.Quote(s)+": ")
		return time.Time{}, badf("-%s %q: %s", name, s, why)
	}
	t, err = time.ParseInLocation(localLayout, s, loc)
	if err != nil {
		return time.Time{}, badf("-%s %q: want RFC 3339 (2026-11-24T20:30:00+01:00) or %q in %s", name, s, localLayout, loc)
	}
	if t.Format(localLayout) != s {
		return time.Time{}, badf("-%s %q: that local time does not exist in %s (the clocks change); give it in RFC 3339", name, s, loc)
	}
	if u, ok := twin(t, loc); ok {
		first, second := t, u
		if u.Before(t) {
			first, second = u, t
		}
		return time.Time{}, badf("-%s %q: that local time comes twice in %s (the clocks go back): give it in RFC 3339, %s or %s",
			name, s, loc, first.Format(time.RFC3339), second.Format(time.RFC3339))
	}
	return t, nil
}

// twin returns the other instant that reads as the same wall clock as t
// in loc, when the clocks go back around t, and whether there is one.
func twin(t time.Time, loc *time.Location) (time.Time, bool) {
	_, before := t.Add(-12 * time.Hour).In(loc).Zone()
	_, after := t.Add(12 * time.Hour).In(loc).Zone()
	if before == after {
		return time.Time{}, false
	}
	d := time.Duration(before-after) * time.Second
	wall := t.In(loc).Format(localLayout)
	for _, u := range []time.Time{t.Add(d), t.Add(-d)} {
		if u.In(loc).Format(localLayout) == wall {
			return u, true
		}
	}
	return time.Time{}, false
}
