package fleet

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/internal/ical"
	"github.com/mepkit/mepkit/timeline"
)

// View chooses what a rendering of the schedule shows and how. The zero
// View shows every active rollout and the conflicts of the zero [Rules],
// in UTC.
type View struct {
	// Title heads the page; "": "Schedule of change".
	Title string
	// Location is where times are shown; nil: UTC.
	Location *time.Location
	// Rules decide the conflicts shown.
	Rules Rules
	// Team, if not empty, keeps the rollouts of that team (Entry.Team)
	// and the conflicts of those.
	Team string
	// Resource, if not empty, keeps the rollouts that touch that
	// resource ("database:billing") and the conflicts of those.
	Resource string
}

func (v *View) loc() *time.Location {
	if v.Location == nil {
		return time.UTC
	}
	return v.Location
}

func (v *View) title() string {
	if v.Title == "" {
		return "Schedule of change"
	}
	return v.Title
}

// keeps reports whether e is in the view.
func (v *View) keeps(e *Entry) bool {
	return (v.Team == "" || e.Team == v.Team) && (v.Resource == "" || touches(e, v.Resource))
}

// shown returns the active rollouts of the view and their conflicts.
func (s *Snapshot) shown(v View) ([]Entry, []Conflict) {
	var es []Entry
	for _, e := range s.Active() {
		if v.keeps(&e) {
			es = append(es, e)
		}
	}
	var cs []Conflict
	for _, c := range s.Conflicts(v.Rules) {
		if v.keeps(&c.A) || (c.Kind != Blackout && v.keeps(&c.B)) {
			cs = append(cs, c)
		}
	}
	return es, cs
}

// clock formats t in loc as "Tue 10 Mar 21:00", or "" for the zero time.
func clock(t time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	return t.In(loc).Format("Mon 2 Jan 15:04")
}

// cell makes s safe in a Markdown table cell: "|" escaped, and line
// breaks, other control characters and direction overrides as spaces.
func cell(s string) string {
	s = strings.Map(func(r rune) rune {
		if timeline.BreaksLine(r) {
			return ' '
		}
		return r
	}, s)
	return strings.TrimSpace(strings.ReplaceAll(s, "|", `\|`))
}

func keys(e *Entry) []string {
	out := make([]string, 0, len(e.Resources))
	for _, r := range e.Resources {
		out = append(out, r.Key())
	}
	return out
}

// WriteMarkdown writes the view as Markdown: a table of the active
// rollouts by start, then the conflicts, times in v.Location.
func (s *Snapshot) WriteMarkdown(w io.Writer, v View) error {
	loc := v.loc()
	es, cs := s.shown(v)
	var b strings.Builder
	fmt.Fprintf(&b, "# %s\n\nAs of %s (%s). %d rollouts, %d conflicts.\n\n", cell(v.title()), clock(s.At, loc), loc, len(es), len(cs))
	if len(es) > 0 {
		b.WriteString("| T0 | P50 end | P90 end | window end | project | rollout | team | environment | resources | go-live team | status |\n")
		b.WriteString("|---|---|---|---|---|---|---|---|---|---|---|\n")
	}
	for _, e := range es {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n",
			clock(e.T0, loc), clock(e.P50, loc), clock(e.P90, loc), clock(e.WindowEnd, loc),
			cell(e.Project), cell(e.Rollout), cell(e.Team), cell(e.Environment),
			cell(strings.Join(keys(&e), ", ")), cell(strings.Join(e.People, ", ")), e.Status)
	}
	if len(cs) > 0 {
		b.WriteString("\n## Conflicts\n\n")
		for _, c := range cs {
			b.WriteString("- " + cell(describe(c, loc)) + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// describe is Conflict.String in loc.
func describe(c Conflict, loc *time.Location) string {
	c.A.T0 = c.A.T0.In(loc)
	return c.String()
}

// jsonConflict is a conflict as JSON writes it.
type jsonConflict struct {
	Kind     string    `json:"kind"`
	A        string    `json:"a"`
	B        string    `json:"b,omitempty"`
	On       string    `json:"on"`
	Blackout string    `json:"blackout,omitempty"`
	Start    time.Time `json:"start"`
	End      time.Time `json:"end"`
	Text     string    `json:"text"`
}

// WriteJSON writes the view as one JSON object: "generated", "location",
// "rollouts" (the entries, times in RFC 3339 in v.Location) and
// "conflicts" (kind, a and b as "project/rollout", on, start, end and
// the text for people).
func (s *Snapshot) WriteJSON(w io.Writer, v View) error {
	loc := v.loc()
	es, cs := s.shown(v)
	out := struct {
		Generated time.Time      `json:"generated"`
		Location  string         `json:"location"`
		Rollouts  []Entry        `json:"rollouts"`
		Conflicts []jsonConflict `json:"conflicts"`
	}{Generated: s.At.In(loc), Location: loc.String(), Rollouts: make([]Entry, 0, len(es)), Conflicts: []jsonConflict{}}
	for _, e := range es {
		out.Rollouts = append(out.Rollouts, e.in(loc))
	}
	for _, c := range cs {
		jc := jsonConflict{Kind: c.Kind.String(), A: c.A.ID(), On: c.On, Blackout: c.Blackout,
			Start: c.Span.Start.In(loc), End: c.Span.End.In(loc), Text: describe(c, loc)}
		if c.Kind != Blackout {
			jc.B = c.B.ID()
		}
		out.Conflicts = append(out.Conflicts, jc)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}

// in returns e with its times in loc.
func (e Entry) in(loc *time.Location) Entry {
	for _, t := range []*time.Time{&e.T0, &e.WindowEnd, &e.P50, &e.P90, &e.Started, &e.Ended} {
		if !t.IsZero() {
			*t = t.In(loc)
		}
	}
	return e
}

// WriteICal writes the view as an iCalendar file (RFC 5545): one event
// per active rollout, from its start to the end the schedule plans with
// ([Entry.End]), its team and resources as categories, its conflicts in
// the description. Subscribe to the view of a team or a resource.
func (s *Snapshot) WriteICal(w io.Writer, v View) error {
	loc := v.loc()
	es, cs := s.shown(v)
	cal := ical.Calendar{ProdID: "-//mepkit//fleet//EN", Name: v.title(), Stamp: s.At}
	if cal.Stamp.IsZero() {
		cal.Stamp = time.Unix(0, 0)
	}
	ids := map[string]int{}
	for i := range es {
		ids[es[i].ID()]++
	}
	used := map[string]bool{}
	for _, e := range es {
		// The UID is the rollout's ID, with its record's name when
		// another record holds a rollout of the same ID, and a number
		// should names with slashes still make two alike: a calendar
		// keeps one event per UID.
		base := e.ID()
		if ids[base] > 1 {
			base = e.Record + "/" + base
		}
		uid := base + "@mepkit-fleet"
		for n := 2; used[uid]; n++ {
			uid = base + "#" + strconv.Itoa(n) + "@mepkit-fleet"
		}
		used[uid] = true
		var desc []string
		desc = append(desc, "Team "+e.Team+", environment "+or(e.Environment, "unknown"))
		if len(e.People) > 0 {
			desc = append(desc, "Go-live team: "+strings.Join(e.People, ", "))
		}
		if !e.P90.IsZero() {
			desc = append(desc, "P50 end "+clock(e.P50, loc)+", P90 end "+clock(e.P90, loc))
		}
		for _, c := range cs {
			if isSelf(&c.A, &e) || (c.Kind != Blackout && isSelf(&c.B, &e)) {
				desc = append(desc, "Conflict: "+describe(c, loc))
			}
		}
		cal.Events = append(cal.Events, ical.Event{
			UID: uid, Start: e.Start(), End: e.End(),
			Summary: e.ID() + " (team " + e.Team + ")", Description: strings.Join(slices.Compact(desc), "\n"),
			Categories: append([]string{e.Team}, keys(&e)...),
		})
	}
	return cal.Encode(w)
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
