package mep

import (
	"strings"

	"github.com/mepkit/mepkit/timeline"
)

// String says the estimate in one line: the total and the outage, the
// rehearsal they come from, the rehearsed rollback, the steps without an
// estimate and the warning, if any. For example:
//
//	40m, 25m of outage, from the production-like rehearsal in preprod of 2026-11-16 20:00 CET; a rollback takes 18m
func (e Estimate) String() string {
	var b strings.Builder
	b.WriteString(timeline.FormatDuration(e.Total))
	b.WriteString(", " + timeline.FormatDuration(e.Outage) + " of outage")
	if rh := e.Basis; rh != nil {
		b.WriteString(", from the production-like rehearsal")
		if rh.Environment != "" {
			b.WriteString(" in " + rh.Environment)
		}
		if !rh.Summary.Start.IsZero() {
			b.WriteString(" of " + rh.Summary.Start.Format("2006-01-02 15:04 MST"))
		}
	}
	if e.Rollback > 0 {
		b.WriteString("; a rollback takes " + timeline.FormatDuration(e.Rollback))
	}
	if len(e.Unknown) > 0 {
		b.WriteString("; no estimate for " + strings.Join(e.Unknown, ", "))
	}
	if e.Warning != "" {
		b.WriteString("; " + e.Warning)
	}
	return b.String()
}

// String says the proposal in one line: what must fit, the starts that
// fit, and why the requested start was refused. For example:
//
//	44m to fit; starts: Tue 2026-11-24 20:30 CET, Mon 2026-11-30 20:00 CET; the requested start is refused: friday-freeze: ...
func (p Proposal) String() string {
	var b strings.Builder
	b.WriteString(timeline.FormatDuration(p.Duration) + " to fit; ")
	if len(p.Slots) == 0 {
		b.WriteString("no start fits")
	} else {
		b.WriteString("starts: ")
		for i, t := range p.Slots {
			if i > 0 {
				b.WriteString(", ")
			}
			b.WriteString(t.Format("Mon 2006-01-02 15:04 MST"))
		}
	}
	if len(p.Refused) > 0 {
		b.WriteString("; the requested start is refused: ")
		for i, d := range p.Refused {
			if i > 0 {
				b.WriteString("; ")
			}
			b.WriteString(d.String())
		}
	}
	return b.String()
}
