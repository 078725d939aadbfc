package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// scheduleRescan is the least time between two rescans of the store that
// requests of the schedule page make: a page asked for more often shows
// the schedule of the last rescan.
const scheduleRescan = 2 * time.Second

// schedule is the forward schedule of change of a store of projects, as
// the schedule page shows it: the store is rescanned (only what changed,
// see fleet.Schedule.Rescan) when the page is asked for, at most once per
// scheduleRescan; the conflicts are computed once per snapshot.
//
// schedule is safe for simultaneous use by multiple goroutines: one
// request rescans at a time, the others show the snapshot they find.
type schedule struct {
	mu        sync.Mutex // guards the fields below
	snap      *fleet.Snapshot
	conflicts []fleet.Conflict // of snap, under rules
	err       error            // the last rescan's, nil once one succeeds
	last      time.Time        // when the last rescan began

	scan   sync.Mutex // held by the request that rescans
	sched  *fleet.Schedule
	source string         // what the page says it reads: "directory …"
	loc    *time.Location // where times are shown
	every  time.Duration  // 0: scheduleRescan
	rules  fleet.Rules    // what conflicts besides resources and people (-exclusive)
}

// newSchedule returns the schedule page's view of sched, whose store
// source describes, with times in loc.
func newSchedule(sched *fleet.Schedule, source string, loc *time.Location) *schedule {
	return &schedule{sched: sched, source: source, loc: loc, last: time.Now()}
}

// openStoreDir opens the schedule of the directory of project records
// dir, with an error that names the flag and says what is wrong.
func openStoreDir(ctx context.Context, dir string, opts *fleet.Options) (*fleet.Schedule, error) {
	fi, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil, fmt.Errorf("-store %s: no such directory", dir)
	case err != nil:
		return nil, fmt.Errorf("-store %s: %w", dir, err)
	case !fi.IsDir():
		return nil, fmt.Errorf("-store %s: not a directory (want a directory of project records)", dir)
	}
	sched, err := fleet.OpenDir(ctx, dir, opts)
	if err != nil {
		return nil, fmt.Errorf("-store %s: %w", dir, err)
	}
	return sched, nil
}

// openStoreDB opens the schedule of every record of the PostgreSQL
// schema of db.
func openStoreDB(ctx context.Context, db *pgstore.DB, opts *fleet.Options) (*fleet.Schedule, error) {
	sched, err := fleet.OpenDB(ctx, db, opts)
	if err != nil {
		return nil, fmt.Errorf("-store-schema %s: %w", db.Schema(), err)
	}
	return sched, nil
}

// current returns the latest snapshot and its conflicts, rescanning the
// store first when the last rescan is scheduleRescan old, and the error
// of the last rescan, if it failed. A rescan is never cut short by the
// request that made it: it finishes for the next ones.
func (sc *schedule) current(ctx context.Context) (*fleet.Snapshot, []fleet.Conflict, error) {
	every := sc.every
	if every == 0 {
		every = scheduleRescan
	}
	if sc.scan.TryLock() {
		sc.mu.Lock()
		due := time.Since(sc.last) >= every
		if due {
			sc.last = time.Now()
		}
		sc.mu.Unlock()
		if due {
			_, err := sc.sched.Rescan(context.WithoutCancel(ctx))
			sc.mu.Lock()
			sc.err = err
			sc.mu.Unlock()
		}
		sc.scan.Unlock()
	}
	snap := sc.sched.Snapshot()
	sc.mu.Lock()
	defer sc.mu.Unlock()
	if snap != sc.snap {
		sc.snap, sc.conflicts = snap, snap.Conflicts(sc.rules)
	}
	return sc.snap, sc.conflicts, sc.err
}

// dayLayout is how the page's ?day= query writes a day.
const dayLayout = "2006-01-02"

// parseDay reads the ?day= query of the schedule page: a day in loc,
// or, without one, the zero time. It returns an error for anything else.
func parseDay(r *http.Request, loc *time.Location) (time.Time, error) {
	vs, ok := r.URL.Query()["day"]
	if !ok {
		return time.Time{}, nil
	}
	if len(vs) != 1 {
		return time.Time{}, errors.New("one day at most: ?day=YYYY-MM-DD")
	}
	d, err := time.ParseInLocation(dayLayout, vs[0], loc)
	if err != nil {
		return time.Time{}, fmt.Errorf("bad day %q: want ?day=YYYY-MM-DD, a date such as 2026-12-07", cut(vs[0], 40))
	}
	return d, nil
}

// cut shortens s to at most n bytes for a message, marking the cut.
func cut(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return strings.ToValidUTF8(s[:n], "") + "…"
}

// defaultDay is the day the page shows without ?day=: that of the
// cutover running or planned next (the active rollout that starts first
// among those that have not ended by now), else today, in loc.
func defaultDay(es []fleet.Entry, now time.Time, loc *time.Location) time.Time {
	day := now
	for i := range es {
		e := &es[i]
		if e.IsActive() && e.End().After(now) {
			day = e.Start()
			break // es is sorted by start
		}
	}
	y, m, d := day.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// scheduleHandler serves the schedule page: GET /schedule?day=YYYY-MM-DD.
func (s *server) scheduleHandler(w http.ResponseWriter, r *http.Request) {
	if s.sched == nil {
		http.Error(w, "no schedule: start the war room with -store DIR (a directory of project records), or -store-schema SCHEMA with -postgres", http.StatusNotFound)
		return
	}
	loc := s.sched.loc
	day, err := parseDay(r, loc)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	snap, conflicts, scanErr := s.sched.current(r.Context())
	now := s.now()
	if day.IsZero() {
		day = defaultDay(snap.Entries, now, loc)
	}
	v := newScheduleView(snap, conflicts, day, now, loc)
	v.Source, v.Zone, v.Style = s.sched.source, zoneName(loc, now), template.CSS(scheduleStyle)
	if scanErr != nil {
		v.Errors = append(v.Errors, "The last rescan of the store failed, so this is the schedule as it was read before: "+scanErr.Error())
	}
	for _, e := range snap.Errors {
		v.Errors = append(v.Errors, "Record "+e.Record+" left out: "+e.Err.Error())
	}
	var b bytes.Buffer
	if err := scheduleTmpl.Execute(&b, v); err != nil {
		http.Error(w, "rendering the schedule failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		return
	}
	io.Copy(w, &b)
}

// zoneName names loc for people: its name, or for the machine's zone
// ("Local") its abbreviation at now.
func zoneName(loc *time.Location, now time.Time) string {
	if loc == time.Local {
		return now.In(loc).Format("MST")
	}
	return loc.String()
}

// scheduleView is what the schedule page shows of one day.
type scheduleView struct {
	Style                  template.CSS
	Title, Day, Prev, Next string // Day, Prev, Next as ?day= writes them
	PrevText, NextText     string
	Source, Zone, At       string
	Errors                 []string
	Conflicts              []string // for people, as fleet.Conflict.String writes them, in the page's zone
	Ticks                  []scheduleTick
	End                    *scheduleTick // the axis' end, labelled when the ticks leave room for it
	NowShown               bool          // the axis holds now
	Rows                   []scheduleRow
	// Earlier and Later are the nearest days before and after Day with
	// a cutover, as ?day= writes them; "": none.
	Earlier, Later string
}

// scheduleTick is one mark of the time axis.
type scheduleTick struct {
	Text string
	Day  bool // the tick is at midnight: Text is the day
}

// scheduleRow is one rollout of the page.
type scheduleRow struct {
	ID, Anchor, Team, Status, Environment string
	Resources, People, When               string
	Class                                 string // "row", plus " conflict", " ended"
	Bars                                  []bar
	Lines                                 []string // the x of the ticks' grid lines, in the track's 0-1000
	NowX                                  string   // the x of the "now" line; "": out of the axis
	Marks                                 []string // the rollout's conflicts, for people
}

// newScheduleView lays out day (midnight in loc) of snap: the rollouts
// that start that day, and those of other days that run within the
// axis, on an axis from the hour before the first start to the hour
// after the last end, with their conflicts marked.
func newScheduleView(snap *fleet.Snapshot, conflicts []fleet.Conflict, day, now time.Time, loc *time.Location) scheduleView {
	next := day.AddDate(0, 0, 1)
	v := scheduleView{
		Title: day.Format("Mon 2 Jan 2006"), Day: day.Format(dayLayout),
		Prev: day.AddDate(0, 0, -1).Format(dayLayout), Next: next.Format(dayLayout),
		PrevText: day.AddDate(0, 0, -1).Format("Mon 2 Jan"), NextText: next.Format("Mon 2 Jan"),
		At: snap.At.In(loc).Format("Mon 2 Jan 15:04:05"),
	}
	var from, to time.Time
	for i := range snap.Entries {
		e := &snap.Entries[i]
		st := e.Start()
		switch {
		case st.Before(day):
			v.Earlier = st.In(loc).Format(dayLayout)
		case !st.Before(next):
			if v.Later == "" {
				v.Later = st.In(loc).Format(dayLayout)
			}
		default:
			if from.IsZero() || st.Before(from) {
				from = st
			}
			to = later(to, e.End())
		}
	}
	if from.IsZero() {
		return v
	}
	// The axis: whole hours in loc, at most eight ticks.
	// Truncate rounds the instant, which in a zone that is not a whole
	// number of hours from UTC (Asia/Kolkata) is not the local hour.
	l := from.In(loc)
	from = l.Add(-time.Duration(l.Minute())*time.Minute - time.Duration(l.Second())*time.Second - time.Duration(l.Nanosecond()))
	hours := max(1, int((to.Sub(from)+time.Hour-1)/time.Hour))
	step := 1
	for _, k := range []int{1, 2, 3, 4, 6, 12, 24} {
		step = k
		if (hours+k-1)/k <= 8 {
			break
		}
	}
	n := (hours + step - 1) / step
	to = from.Add(time.Duration(n*step) * time.Hour)
	span := float64(to.Sub(from))
	x := func(t time.Time) float64 { return min(1000, max(0, 1000*float64(t.Sub(from))/span)) }
	num := func(f float64) string { return strconv.FormatFloat(f, 'f', 1, 64) }
	var lines []string
	for i := range n {
		t := from.Add(time.Duration(i*step) * time.Hour).In(loc)
		tk := scheduleTick{Text: t.Format("15:04")}
		if t.Hour() == 0 && t.Minute() == 0 {
			tk = scheduleTick{Text: t.Format("Mon 2"), Day: true}
		}
		v.Ticks = append(v.Ticks, tk)
		if i > 0 {
			lines = append(lines, num(x(t)))
		}
	}
	if n <= 4 {
		t := to.In(loc)
		v.End = &scheduleTick{Text: t.Format("15:04")}
		if t.Hour() == 0 && t.Minute() == 0 {
			v.End = &scheduleTick{Text: t.Format("Mon 2"), Day: true}
		}
	}
	nowX := ""
	if !now.Before(from) && now.Before(to) {
		nowX, v.NowShown = num(x(now)), true
	}

	for _, c := range conflicts {
		c.A.T0 = c.A.T0.In(loc) // Conflict.String writes A's T0's zone
		v.Conflicts = append(v.Conflicts, c.String())
	}
	for i := range snap.Entries {
		e := &snap.Entries[i]
		if !e.Start().Before(to) || !e.End().After(from) {
			continue
		}
		row := scheduleRow{
			ID: e.ID(), Anchor: "r-" + strconv.Itoa(len(v.Rows)+1), Team: e.Team, Status: e.Status.String(),
			Environment: e.Environment, People: strings.Join(e.People, ", "), Class: "row",
			Lines: lines, NowX: nowX, When: when(e, loc),
		}
		var res []string
		for _, r := range e.Resources {
			res = append(res, r.Key())
		}
		row.Resources = strings.Join(res, ", ")
		if !e.IsActive() {
			row.Class += " ended"
		}
		// The bar: from the start to P50, then on to the end the
		// schedule plans with (P90 where known).
		st, end := e.Start(), e.End()
		cls := "bar"
		if !e.IsActive() {
			cls += " done"
		}
		if mid := e.P50; e.IsActive() && !mid.IsZero() && mid.After(st) && mid.Before(end) {
			row.Bars = append(row.Bars,
				bar{Class: cls, X: num(min(x(st), 1000-minBar)), Y: "4", W: num(max(minBar, x(mid)-x(st))), H: "16", Title: "start to P50 end"},
				bar{Class: cls + " tail", X: num(x(mid)), Y: "4", W: num(max(1, x(end)-x(mid))), H: "16", Title: "P50 to P90 end"})
		} else {
			row.Bars = append(row.Bars, bar{Class: cls, X: num(min(x(st), 1000-minBar)), Y: "4", W: num(max(minBar, x(end)-x(st))), H: "16", Title: "planned span"})
		}
		for _, c := range conflicts {
			other := ""
			switch {
			case sameRollout(&c.A, e) && c.Kind == fleet.Blackout:
				row.Marks = append(row.Marks, "blackout "+c.Blackout+" of "+c.On+", "+overlapText(c, loc))
			case sameRollout(&c.A, e):
				other = c.B.ID()
			case c.Kind != fleet.Blackout && sameRollout(&c.B, e):
				other = c.A.ID()
			default:
				continue
			}
			if other != "" {
				row.Marks = append(row.Marks, c.Kind.String()+" "+c.On+" with "+other+", "+overlapText(c, loc))
			}
			row.Bars = append(row.Bars, bar{Class: "overlap", X: num(min(x(c.Span.Start), 1000-minBar)), Y: "0", W: num(max(minBar, x(c.Span.End)-x(c.Span.Start))), H: "24",
				Title: "conflict: " + c.Kind.String() + " " + c.On})
		}
		if len(row.Marks) > 0 {
			row.Class += " conflict"
		}
		v.Rows = append(v.Rows, row)
	}
	return v
}

// sameRollout reports whether a and b are the same rollout of the same
// record: two records may hold a project and rollout of the same names.
func sameRollout(a, b *fleet.Entry) bool {
	return a.Record == b.Record && a.Project == b.Project && a.Rollout == b.Rollout
}

// minBar is the least width of a bar, in the track's 0-1000: a cutover
// of a minute on an axis of hours still shows.
const minBar = 8

// overlapText writes the conflict's overlap as "21:40-22:35", with days where
// it crosses midnight, in loc.
func overlapText(c fleet.Conflict, loc *time.Location) string {
	s, e := c.Span.Start.In(loc), c.Span.End.In(loc)
	if s.YearDay() == e.YearDay() && s.Year() == e.Year() {
		return s.Format("15:04") + "–" + e.Format("15:04")
	}
	return s.Format("Mon 15:04") + "–" + e.Format("Mon 15:04")
}

// when writes a rollout's times for people: its start, its P50 and P90
// ends where known, else the end the schedule plans with; a cutover
// that ended, its start and end.
func when(e *fleet.Entry, loc *time.Location) string {
	st := e.Start().In(loc)
	hm := func(t time.Time) string {
		t = t.In(loc)
		if t.YearDay() != st.YearDay() || t.Year() != st.Year() {
			return t.Format("Mon 15:04")
		}
		return t.Format("15:04")
	}
	switch {
	case !e.Ended.IsZero():
		return "ran " + hm(st) + "–" + hm(e.Ended)
	case e.Status == report.Running:
		if !e.P90.IsZero() {
			return "started " + hm(st) + ", P50 end " + hm(e.P50) + ", P90 end " + hm(e.P90)
		}
		return "started " + hm(st) + ", planned end " + hm(e.End())
	case !e.P90.IsZero():
		return "T0 " + hm(st) + ", P50 end " + hm(e.P50) + ", P90 end " + hm(e.P90)
	}
	return "T0 " + hm(st) + ", planned end " + hm(e.End())
}
