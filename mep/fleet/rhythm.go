package fleet

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/report"
)

// CleanRun is how many go-lives in a row must run clean before
// [Snapshot.Rhythm] suggests spacing the meetings out.
const CleanRun = 3

// Rhythm is how a project's deployments go over time, for the method's
// industrialization phase: whether their pace rises, and whether the
// meetings may be spaced out or should be tightened.
type Rhythm struct {
	Project string
	// Months counts the deployments of each month from the first to the
	// last, none skipped.
	Months []MonthCount
	// Trend is the least-squares slope of the deployments per month over
	// Months: above 0, the pace rises.
	Trend float64
	// Clean is the number of go-lives in a row, back from the last, that
	// ran clean: done (not rolled back, not failed, not fixed by a
	// hotfix), no step attempt failed, no action of the project overdue
	// when it ended, and within their P90 where they had one.
	Clean int
	// Suggestion, for people: space the meetings out after CleanRun clean
	// go-lives, tighten them after a failed one, or "" to keep them.
	Suggestion string
	// Spacing is the suggestion as data: 1 to space the meetings out, -1
	// to tighten them, 0 to keep them. [Rhythm.Cadence] turns it into a
	// cadence.
	Spacing int
}

// Cadence returns the meeting cadence the suggestion leads to from the
// project's current one (mep.Tracker.Cadence; zero: weekly): twice as
// far apart to space the meetings out, twice as close (at least a day
// apart) to tighten them, cur itself to keep them; a count that cannot
// double within an int is kept. A team that takes the suggestion
// records it with mep.Tracker.SetCadence, with who took it, like any
// other fact.
func (r Rhythm) Cadence(cur mep.Cadence) mep.Cadence {
	if cur.Months == 0 && cur.Days == 0 {
		cur = mep.Cadence{Days: 7, Weekdays: cur.Weekdays}
	}
	switch {
	case r.Spacing > 0:
		cur.Months, cur.Days = double(cur.Months), double(cur.Days)
	case r.Spacing < 0 && cur.Months >= 2:
		cur.Months, cur.Days = cur.Months/2, cur.Days/2
	case r.Spacing < 0 && cur.Months == 1:
		cur.Months, cur.Days = 0, 14+cur.Days/2
	case r.Spacing < 0:
		cur.Days = max(1, cur.Days/2)
	}
	return cur
}

// double returns 2n, or n where 2n would overflow: a cadence spaced out
// never turns negative.
func double(n int) int {
	if n > math.MaxInt/2 {
		return n
	}
	return 2 * n
}

// MonthCount is the deployments of one month.
type MonthCount struct {
	Month       time.Time // midnight of its first day
	Deployments int
}

// Rhythm returns the rhythm of project's deployments, months in loc
// (nil: UTC).
func (s *Snapshot) Rhythm(project string, loc *time.Location) Rhythm {
	if loc == nil {
		loc = time.UTC
	}
	fixed := fixes(s.Entries)
	var done []*Entry
	for i := range s.Entries {
		e := &s.Entries[i]
		if e.Project == project && !e.Started.IsZero() && !e.Ended.IsZero() && e.Status >= report.Done && e.Status <= report.Failed {
			done = append(done, e)
		}
	}
	slices.SortFunc(done, func(a, b *Entry) int { return cmp.Or(a.Started.Compare(b.Started), cmp.Compare(a.Rollout, b.Rollout)) })
	r := Rhythm{Project: project}
	if len(done) == 0 {
		return r
	}
	month := func(t time.Time) time.Time {
		y, m, _ := t.In(loc).Date()
		return time.Date(y, m, 1, 0, 0, 0, 0, loc)
	}
	for m, last := month(done[0].Started), month(done[len(done)-1].Started); !m.After(last); m = m.AddDate(0, 1, 0) {
		r.Months = append(r.Months, MonthCount{Month: m})
	}
	for _, e := range done {
		m := month(e.Started)
		i := (m.Year()-r.Months[0].Month.Year())*12 + int(m.Month()-r.Months[0].Month.Month())
		r.Months[i].Deployments++
	}
	r.Trend = slope(r.Months)
	for i := len(done) - 1; i >= 0 && isClean(done[i], fixed); i-- {
		r.Clean++
	}
	last := done[len(done)-1]
	switch {
	case r.Clean >= CleanRun:
		r.Suggestion, r.Spacing = fmt.Sprintf("space the meetings out: the last %d go-lives ran clean", r.Clean), 1
	case r.Clean == 0:
		r.Suggestion, r.Spacing = fmt.Sprintf("tighten the meetings: %s did not run clean (%s)", last.Rollout, why(last, fixed)), -1
	}
	return r
}

// isClean reports whether e ran clean: done, not fixed by a hotfix, no
// step failed, no action overdue when it ended, and within its P90 when
// it had one.
func isClean(e *Entry, fixed map[string]*Entry) bool {
	return why(e, fixed) == ""
}

// why says why e did not run clean; "" when it did.
func why(e *Entry, fixed map[string]*Entry) string {
	switch {
	case e.Status != report.Done:
		return e.Status.String()
	case fixed[e.ID()] != nil:
		return "fixed by " + fixed[e.ID()].ID()
	case e.FailedSteps > 0:
		return fmt.Sprintf("%d failed step attempt(s)", e.FailedSteps)
	case e.OverdueActions > 0:
		return fmt.Sprintf("%d action(s) overdue", e.OverdueActions)
	case !e.P90.IsZero() && e.Duration > e.P90.Sub(e.T0):
		return "past its P90 of " + e.P90.Sub(e.T0).String()
	}
	return ""
}

// slope is the least-squares slope of the deployments over the months'
// indices; 0 for fewer than two months.
func slope(ms []MonthCount) float64 {
	n := float64(len(ms))
	if n < 2 {
		return 0
	}
	var sx, sy, sxy, sxx float64
	for i, m := range ms {
		x, y := float64(i), float64(m.Deployments)
		sx, sy, sxy, sxx = sx+x, sy+y, sxy+x*y, sxx+x*x
	}
	return (n*sxy - sx*sy) / (n*sxx - sx*sx)
}
