package timeline

import (
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// Span is one attempt of one step: from its start entry to its end entry.
// The zero Span is no attempt of no step.
type Span struct {
	Step     string
	Attempt  int       // 1 for the first start of Step, 2 after a restart, ...
	Actor    string    // who started it
	Start    time.Time // At of the start entry
	End      time.Time // At of the end entry; zero while Open
	Duration time.Duration
	Impact   Impact  // from the start entry
	Outcome  Outcome // from the end entry; meaningless while Open
	Open     bool    // started and not ended: End, Duration and Outcome are not known
	StartSeq uint64
	EndSeq   uint64 // 0 while Open
}

// Summary is what a journal says about an operation as a whole.
//
// The span of an operation (Start, End, Duration) is that of its steps
// only: from the earliest step start to the latest step end (or, for a
// step still open, its start, or the instant of [SummarizeAt]). Notes and
// entries of other kinds never widen it: a note written before the first
// step or after the last one is not part of the operation. This is the one
// definition of the span of a cutover. The zero Summary is that of a
// journal without steps.
type Summary struct {
	Start, End time.Time     // first step start, last step end; zero without steps
	Duration   time.Duration // End - Start
	Outage     time.Duration // union of the Outage spans (overlaps count once)
	Disruption time.Duration // union of the Disruption spans, minus Outage time
	Steps      []Span        // one per attempt, in start order
	Entries    int           // number of entries summarised
	Open       int           // spans still open
	Ongoing    bool          // made by SummarizeAt with open spans counted up to its instant
}

// IsComplete reports whether every step that started has ended.
func (s Summary) IsComplete() bool { return s.Open == 0 }

// Summarize computes per-step spans and totals from entries in sequence
// order. Open spans are reported with Open set and count in no duration:
// their end is never guessed. Entries that a journal would refuse (an end
// without a running start) are ignored.
func Summarize(entries []Entry) Summary {
	return summarize(entries, time.Time{})
}

// SummarizeAt is Summarize as things stand at instant at, during an
// operation: entries after at are left out, and steps still open at at
// count up to at: their spans have End at and the Duration so far, keep
// Open set, count in the outage and disruption totals and the span of the
// operation, and the summary is marked Ongoing. A zero at is Summarize.
func SummarizeAt(entries []Entry, at time.Time) Summary {
	return summarize(entries, at)
}

func summarize(entries []Entry, at time.Time) Summary {
	var s Summary
	type run struct {
		span     int // index in s.Steps of the running attempt; -1: none
		attempts int
	}
	runs := make(map[string]*run)
	widen := func(t time.Time) {
		if s.Start.IsZero() || t.Before(s.Start) {
			s.Start = t
		}
		if t.After(s.End) {
			s.End = t
		}
	}
	for i := range entries {
		e := &entries[i]
		if !at.IsZero() && e.At.After(at) {
			continue
		}
		s.Entries++
		switch e.Kind {
		case KindStart:
			r := runs[e.Step]
			if r == nil {
				r = &run{span: -1}
				runs[e.Step] = r
			}
			if r.span >= 0 {
				continue
			}
			r.attempts++
			r.span = len(s.Steps)
			widen(e.At)
			s.Steps = append(s.Steps, Span{
				Step: e.Step, Attempt: r.attempts, Actor: e.Actor, Start: e.At,
				Impact: e.Impact, Open: true, StartSeq: e.Seq,
			})
		case KindEnd:
			r := runs[e.Step]
			if r == nil || r.span < 0 {
				continue
			}
			sp := &s.Steps[r.span]
			sp.End, sp.EndSeq, sp.Outcome, sp.Open = e.At, e.Seq, e.Outcome, false
			sp.Duration = sp.End.Sub(sp.Start)
			r.span = -1
			widen(e.At)
		}
	}
	for i := range s.Steps {
		sp := &s.Steps[i]
		if !sp.Open {
			continue
		}
		s.Open++
		if !at.IsZero() {
			sp.End, sp.Duration = at, at.Sub(sp.Start)
			s.Ongoing = true
			widen(at)
		}
	}
	s.Duration = s.End.Sub(s.Start)
	outage, disruption := s.periods()
	s.Outage, s.Disruption = total(outage), total(disruption)
	return s
}

// Period is a half-open interval of time, [Start, End). The zero Period is
// empty.
type Period struct{ Start, End time.Time }

// Periods returns the merged, sorted periods during which users suffered
// impact: for Outage, the union of the ended Outage attempts (and, in an
// Ongoing summary, of the open ones up to its instant); for Disruption,
// the same of the Disruption attempts minus the outage
// periods (the same figures as Summary.Outage and Summary.Disruption);
// nil for NoImpact. Use them to shade a chart.
func (s Summary) Periods(impact Impact) []Period {
	outage, disruption := s.periods()
	switch impact {
	case Outage:
		return outage
	case Disruption:
		return disruption
	}
	return nil
}

// periods computes the outage periods and the disruption periods outside
// them.
func (s Summary) periods() (outage, disruption []Period) {
	for _, sp := range s.Steps {
		if sp.Open && sp.End.IsZero() {
			continue
		}
		switch sp.Impact {
		case Outage:
			outage = append(outage, Period{sp.Start, sp.End})
		case Disruption:
			disruption = append(disruption, Period{sp.Start, sp.End})
		}
	}
	outage = union(outage)
	return outage, subtract(union(disruption), outage)
}

// union sorts and merges periods; empty ones are dropped.
func union(in []Period) []Period { return timespan.Merge(in) }

// subtract returns the parts of a not covered by b; both are merged lists.
func subtract(a, b []Period) []Period {
	var out []Period
	j := 0
	for _, iv := range a {
		start := iv.Start
		for j < len(b) && !b[j].End.After(start) {
			j++
		}
		for k := j; k < len(b) && b[k].Start.Before(iv.End); k++ {
			if b[k].Start.After(start) {
				out = append(out, Period{start, b[k].Start})
			}
			if b[k].End.After(start) {
				start = b[k].End
			}
		}
		if iv.End.After(start) {
			out = append(out, Period{start, iv.End})
		}
	}
	return out
}

func total(in []Period) time.Duration {
	var d time.Duration
	for _, iv := range in {
		d = timespan.Add(d, iv.End.Sub(iv.Start))
	}
	return d
}

// In returns a copy of s with every time in loc, for printing: entries read
// back from a file carry only their UTC offset, not their zone's name. A
// nil loc returns s unchanged.
func (s Summary) In(loc *time.Location) Summary {
	if loc == nil {
		return s
	}
	in := func(t time.Time) time.Time {
		if t.IsZero() {
			return t
		}
		return t.In(loc)
	}
	s.Start, s.End = in(s.Start), in(s.End)
	steps := make([]Span, len(s.Steps))
	for i, sp := range s.Steps {
		sp.Start, sp.End = in(sp.Start), in(sp.End)
		steps[i] = sp
	}
	s.Steps = steps
	return s
}
