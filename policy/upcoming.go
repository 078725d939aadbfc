package policy

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Edge says which way a [Transition] goes. The zero Edge is Closes, the
// cautious reading.
type Edge uint8

// Edges.
const (
	Closes Edge = iota // a calendar starts blocking: a freeze starts, a window closes
	Opens              // a calendar stops blocking: a freeze ends, a window opens
)

// String returns "opens" for Opens and "closes" for any other value.
func (e Edge) String() string {
	if e == Opens {
		return "opens"
	}
	return "closes"
}

// MarshalText writes the edge as String does.
func (e Edge) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText reads "closes" or "opens", in any case; anything else is
// an error wrapping [ErrInvalid].
func (e *Edge) UnmarshalText(b []byte) error {
	switch strings.ToLower(string(b)) {
	case "closes":
		*e = Closes
	case "opens":
		*e = Opens
	default:
		return fmt.Errorf("policy: edge %q: want closes or opens: %w", b, ErrInvalid)
	}
	return nil
}

// Transition is an instant at which a calendar of a [Set] starts or stops
// blocking go-lives: the start or the end of one of its blocked intervals.
// [Set.Upcoming] lists them. It marshals to JSON with the snake_case of
// its fields, the edge and the rule as text ("closes", "R11"; the rule
// left out when NoRule).
type Transition struct {
	At     time.Time `json:"at"`            // when
	Edge   Edge      `json:"edge"`          // Closes: the calendar blocks from At; Opens: it allows from At
	Policy string    `json:"policy"`        // the calendar's name
	Index  int       `json:"index"`         // the calendar's position in the Set, as Decision.Index
	Rule   Rule      `json:"rule,omitzero"` // the rule of the method it enforces, as Decision.Rule
	// Blocked is the whole blocked interval that the transition starts or
	// ends, found up to five years around the horizon.
	Blocked Interval `json:"blocked"`
	// Reason is the calendar's own reason for Blocked, the one its Evaluate
	// gives for a change at Blocked.Start.
	Reason string `json:"reason"`
	// Free reports whether no calendar of the Set blocks At itself, once
	// every transition at At is applied: a calendar that opens while
	// another still blocks leaves Free false.
	Free bool `json:"free"`
}

// String returns a sentence: "Fri 2026-11-27 00:00 CET friday-freeze
// closes until Sat 2026-11-28 00:00 CET: REASON", or "Sat 2026-11-28
// 00:00 CET friday-freeze opens (closed since Fri 2026-11-27 00:00 CET)",
// the latter with "; still blocked by another calendar" when the Set is
// not free then.
// Times are in the location of At.
func (t Transition) String() string {
	loc := t.At.Location()
	var b strings.Builder
	b.WriteString(formatLocal(t.At, loc) + " " + t.Policy + " " + t.Edge.String())
	if t.Edge == Closes {
		b.WriteString(" until " + formatLocal(t.Blocked.End, loc))
		if t.Reason != "" {
			b.WriteString(": " + t.Reason)
		}
		return b.String()
	}
	b.WriteString(" (closed since " + formatLocal(t.Blocked.Start, loc) + ")")
	if !t.Free {
		b.WriteString("; still blocked by another calendar")
	}
	return b.String()
}

// Upcoming returns the transitions of the Set's calendars within
// [from, from+horizon): each start and end of a blocked interval (a
// freeze, a holiday or its eve, the time outside a window), so that a
// team sees a freeze coming instead of running into it. They are sorted by
// instant, then by position in the Set; their times are in the location
// of from (give it the zone of the policy file), the reasons in each
// calendar's own. An interval that was already under way at from, or that
// ends after the horizon, gives only the transition within it. The
// calendars are those [Set.Blocked] counts. A horizon that is not
// positive gives nil.
func (s Set) Upcoming(from time.Time, horizon time.Duration) []Transition {
	from = from.Round(0)
	if horizon <= 0 {
		return nil
	}
	to := from.Add(horizon)
	loc := from.Location()
	var out []Transition
	ctx := context.Background()
	for i, p := range s {
		c, ok := p.(Calendar)
		if !ok {
			continue
		}
		for _, iv := range blockedFrom(c, from, to) {
			if iv.End.Equal(to) {
				iv.End = blockedUntil(c, iv.Start, to)
			}
			d := c.Evaluate(ctx, Change{Start: iv.Start})
			t := Transition{Policy: d.Policy, Index: i, Rule: d.Rule, Reason: d.Reason,
				Blocked: Interval{iv.Start.In(loc), iv.End.In(loc)}}
			if t.Policy == "" {
				t.Policy = c.Name()
			}
			if !iv.Start.Before(from) {
				t.At, t.Edge = t.Blocked.Start, Closes
				out = append(out, t)
			}
			if iv.End.Before(to) {
				t.At, t.Edge = t.Blocked.End, Opens
				out = append(out, t)
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Transition) int {
		if c := a.At.Compare(b.At); c != 0 {
			return c
		}
		return cmp.Compare(a.Index, b.Index)
	})
	blocked := s.Blocked(from, to)
	for i := range out {
		out[i].Free = !inAny(blocked, out[i].At)
	}
	return out
}

// blockedUntil returns the end of the interval that c blocks from start,
// known to reach at least to: it looks further ahead, doubling, up to
// five years.
func blockedUntil(c Calendar, start, to time.Time) time.Time {
	ahead := 7 * 24 * time.Hour
	for {
		hi := to.Add(ahead)
		ivs := c.Blocked(start, hi)
		if len(ivs) == 0 {
			return to
		}
		if !ivs[0].End.Equal(hi) || ahead >= nextHorizon {
			return ivs[0].End
		}
		ahead = min(2*ahead, nextHorizon)
	}
}

// inAny reports whether t is in one of the sorted intervals ivs.
func inAny(ivs []Interval, t time.Time) bool {
	i, _ := slices.BinarySearchFunc(ivs, t, func(iv Interval, t time.Time) int {
		if !iv.End.After(t) {
			return -1
		}
		if iv.Start.After(t) {
			return 1
		}
		return 0
	})
	return i < len(ivs) && ivs[i].Contains(t)
}
