package fleet

import (
	_ "embed"
	"html/template"
	"io"
	"strings"
	"time"
)

//go:embed schedule.html.tmpl
var htmlSource string

var htmlPage = template.Must(template.New("schedule").Parse(htmlSource))

// htmlRow is one rollout as the page shows it.
type htmlRow struct {
	Entry
	T0, P50, P90, Window string
	Resources, People    string
	Conflicts            []string
}

// WriteHTML writes the view as one HTML page, without script nor
// external resource: the conflicts first, then the rollouts by start,
// each with its conflicts marked; laid out as a table on a wide screen
// and as cards on a phone. Times are in v.Location.
func (s *Snapshot) WriteHTML(w io.Writer, v View) error {
	loc := v.loc()
	es, cs := s.shown(v)
	data := struct {
		Title, At, Zone string
		Rows            []htmlRow
		Conflicts       []string
	}{Title: v.title(), At: clock(s.At, loc), Zone: loc.String()}
	for _, c := range cs {
		data.Conflicts = append(data.Conflicts, describe(c, loc))
	}
	for _, e := range es {
		row := htmlRow{Entry: e, T0: clock(e.T0, loc), P50: hm(e.P50, e.T0, loc), P90: hm(e.P90, e.T0, loc),
			Window: hm(e.WindowEnd, e.T0, loc), Resources: strings.Join(keys(&e), ", "), People: strings.Join(e.People, ", ")}
		for _, c := range cs {
			switch {
			case isSelf(&c.A, &e) && c.Kind == Blackout:
				row.Conflicts = append(row.Conflicts, "blackout "+c.Blackout+" of "+c.On)
			case isSelf(&c.A, &e):
				row.Conflicts = append(row.Conflicts, c.Kind.String()+" "+c.On+" with "+c.B.ID())
			case c.Kind != Blackout && isSelf(&c.B, &e):
				row.Conflicts = append(row.Conflicts, c.Kind.String()+" "+c.On+" with "+c.A.ID())
			}
		}
		data.Rows = append(data.Rows, row)
	}
	return htmlPage.Execute(w, data)
}

// hm formats t as "22:40" on t0's day in loc, or with its day when it
// falls on another; "" for the zero time.
func hm(t, t0 time.Time, loc *time.Location) string {
	if t.IsZero() {
		return ""
	}
	a, b := t.In(loc), t0.In(loc)
	if a.YearDay() == b.YearDay() && a.Year() == b.Year() {
		return a.Format("15:04")
	}
	return a.Format("Mon 2 Jan 15:04")
}
