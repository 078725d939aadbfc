package timeline

import (
	"slices"
	"time"
)

// Span is one attempt of one step: from its start entry to its end entry.
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
type Summary struct {
	Start, End time.Time     // earliest and latest At among the entries
	Duration   time.Duration // End - Start
	Outage     time.Duration // union of the Outage spans (overlaps count once)
	Disruption time.Duration // union of the Disruption spans, minus Outage time
	Steps      []Span        // one per attempt, in start order
	Entries    int           // number of entries summarised
	Open       int           // spans still open: their time is in no total
}

// IsComplete reports whether every step that started has ended.
func (s Summary) IsComplete() bool { return s.Open == 0 }

// Summarize computes per-step spans and totals from entries in sequence
// order. Open spans are reported with Open set and count in no duration:
// their end is never guessed. Entries that a journal would refuse (an end
// without a running start) are ignored.
func Summarize(entries []Entry) Summary {
	var s Summary
	s.Entries = len(entries)
	type run struct {
		span     int // index in s.Steps of the running attempt; -1: none
		attempts int
	}
	runs := make(map[string]*run)
	for i := range entries {
		e := &entries[i]
		if s.Start.IsZero() || e.At.Before(s.Start) {
			s.Start = e.At
		}
		if e.At.After(s.End) {
			s.End = e.At
		}
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
		}
	}
	s.Duration = s.End.Sub(s.Start)
	var outage, disruption []interval
	for _, sp := range s.Steps {
		if sp.Open {
			s.Open++
			continue
		}
		switch sp.Impact {
		case Outage:
			outage = append(outage, interval{sp.Start, sp.End})
		case Disruption:
			disruption = append(disruption, interval{sp.Start, sp.End})
		}
	}
	outage = union(outage)
	s.Outage = total(outage)
	s.Disruption = total(subtract(union(disruption), outage))
	return s
}

// interval is a half-open time interval [start, end).
type interval struct{ start, end time.Time }

// union sorts and merges intervals; empty ones are dropped.
func union(in []interval) []interval {
	slices.SortFunc(in, func(a, b interval) int { return a.start.Compare(b.start) })
	out := in[:0]
	for _, iv := range in {
		if !iv.end.After(iv.start) {
			continue
		}
		if n := len(out); n > 0 && !iv.start.After(out[n-1].end) {
			if iv.end.After(out[n-1].end) {
				out[n-1].end = iv.end
			}
			continue
		}
		out = append(out, iv)
	}
	return out
}

// subtract returns the parts of a not covered by b; both are merged lists.
func subtract(a, b []interval) []interval {
	var out []interval
	j := 0
	for _, iv := range a {
		start := iv.start
		for j < len(b) && !b[j].end.After(start) {
			j++
		}
		for k := j; k < len(b) && b[k].start.Before(iv.end); k++ {
			if b[k].start.After(start) {
				out = append(out, interval{start, b[k].start})
			}
			if b[k].end.After(start) {
				start = b[k].end
			}
		}
		if iv.end.After(start) {
			out = append(out, interval{start, iv.end})
		}
	}
	return out
}

func total(in []interval) time.Duration {
	var d time.Duration
	for _, iv := range in {
		d += iv.end.Sub(iv.start)
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
