package report

import (
	"encoding/json"
	"slices"
	"sort"
	"time"
)

// RolloutSummary is what the history across rollouts needs to know of one
// rollout. [SummaryOf] makes one from a rollout's [Report].
type RolloutSummary struct {
	Name    string    `json:"name"`           // the rollout's name
	Start   time.Time `json:"start,omitzero"` // when its cutover started; zero: it never started
	End     time.Time `json:"end,omitzero"`   // when its cutover ended; zero while running
	Outcome Outcome   `json:"outcome"`        // done, rolled back, failed; planned and running ones count in no figure

	Duration time.Duration `json:"-"` // the cutover's duration; JSON: duration_s
	Outage   time.Duration `json:"-"` // users cut off; JSON: outage_s
	// OutageUnknown reports that Outage is not known: the rollout (or its
	// rollback) still runs, or the tool that made the summary did not
	// measure it. The history then prints "unknown", never 0s, leaves the
	// rollout out of the outage against estimate, and JSON writes
	// outage_s as null.
	OutageUnknown     bool          `json:"-"`
	EstimatedDuration time.Duration `json:"-"` // what the rehearsals predicted; zero: no estimate; JSON: estimated_duration_s
	EstimatedOutage   time.Duration `json:"-"` // what the rehearsals predicted; zero: no estimate; JSON: estimated_outage_s
	// TimeToRestore is, for a failed or rolled-back rollout, the time from
	// the failure until users had the service back; zero: not known.
	// JSON: time_to_restore_s.
	TimeToRestore time.Duration `json:"-"`
	// P90 is the duration that nine cutovers in ten took no longer than,
	// as simulated from the rehearsals before it ran ([Risk]); zero: not
	// simulated. JSON: p90_s, left out when zero.
	P90 time.Duration `json:"-"`

	LessonsDue     int `json:"lessons_due"`     // lessons of earlier rollouts it was to apply (R12)
	LessonsApplied int `json:"lessons_applied"` // of which it applied
}

// MarshalJSON encodes s with its durations in seconds (fields ending in
// _s); outage_s is null when the outage is unknown (OutageUnknown).
func (s RolloutSummary) MarshalJSON() ([]byte, error) {
	type plain RolloutSummary
	outage := new(secs(s.Outage))
	if s.OutageUnknown {
		outage = nil
	}
	var p90 *float64
	if s.P90 > 0 {
		p90 = new(secs(s.P90))
	}
	return json.Marshal(struct {
		plain
		Duration          float64  `json:"duration_s"`
		Outage            *float64 `json:"outage_s"`
		EstimatedDuration float64  `json:"estimated_duration_s"`
		EstimatedOutage   float64  `json:"estimated_outage_s"`
		TimeToRestore     float64  `json:"time_to_restore_s"`
		P90               *float64 `json:"p90_s,omitempty"`
	}{plain(s), secs(s.Duration), outage, secs(s.EstimatedDuration), secs(s.EstimatedOutage), secs(s.TimeToRestore), p90})
}

// IsCounted reports whether s counts in the history's figures: it started
// and ended done, rolled back or failed.
func (s RolloutSummary) IsCounted() bool {
	return !s.Start.IsZero() && s.Outcome >= Done && s.Outcome <= Failed
}

// SummaryOf returns what the history needs of the rollout r reports: its
// name, outcome, start, and the end, duration, outage and time to restore
// its headline prints ([Report.Result], or else Actual's), against the
// estimate (r.Estimate, or else the rehearsal's totals), and its lessons:
// those learned in an earlier rollout are due, and count as applied when
// marked so. The outage of a rollout that started and has no end yet is
// unknown (OutageUnknown). Without a Result, TimeToRestore is zero: Actual
// does not say when service came back. P90 is r.Risk's.
func SummaryOf(r *Report) RolloutSummary {
	est := r.estimate()
	res := r.result()
	s := RolloutSummary{
		Name: r.Rollout, Outcome: r.Outcome, Start: r.Actual.Start, End: res.End,
		Duration: res.Duration, Outage: res.Outage, TimeToRestore: res.TimeToRestore,
		EstimatedDuration: est.Duration, EstimatedOutage: est.Outage,
	}
	s.OutageUnknown = !s.Start.IsZero() && s.End.IsZero()
	if r.Risk != nil && r.Risk.Trials > 0 {
		s.P90 = r.Risk.P90
	}
	for _, l := range r.Lessons {
		if l.From != "" && l.From == r.Rollout {
			continue
		}
		s.LessonsDue++
		if l.Applied {
			s.LessonsApplied++
		}
	}
	return s
}

// History is a project's record across rollouts, per calendar month: how
// often it deploys, how often a change fails and how long it takes to
// restore, how well the rehearsals predict duration and outage (R5), and
// how many lessons are applied (R12). Make one with [NewHistory]; render
// it with its Write methods.
type History struct {
	Project   string           `json:"project,omitempty"`  // the project's name
	Generated time.Time        `json:"generated,omitzero"` // when it was produced; zero: not shown
	Location  *time.Location   `json:"-"`                  // months and times are in Location; nil: UTC (JSON: "location")
	Rollouts  []RolloutSummary `json:"rollouts"`           // every rollout given, by start (never started last), then name
	Months    []Month          `json:"months"`             // from the first counted rollout's month to the last, none skipped
	Total     Month            `json:"total"`              // the figures over every counted rollout; its Month is zero
}

// Month holds the figures of the rollouts that started in one calendar
// month. Ratios are 0 when no rollout gave them a value.
type Month struct {
	Month       time.Time `json:"-"`           // midnight of the month's first day in the history's location; JSON: month, "2026-11"
	Deployments int       `json:"deployments"` // counted rollouts: done, rolled back or failed
	Failures    int       `json:"failures"`    // of which rolled back or failed

	// ChangeFailureRate is Failures / Deployments, from 0 to 1.
	ChangeFailureRate float64 `json:"change_failure_rate"`
	// TimeToRestore is the median TimeToRestore of the failures that have
	// one (Restores of them); JSON: time_to_restore_s.
	TimeToRestore time.Duration `json:"-"`
	Restores      int           `json:"restores"`

	// DurationRatio is the mean of actual / estimated duration over the
	// DurationEstimated rollouts that had an estimate: 1.1 is 10% longer
	// than the rehearsals said.
	DurationRatio     float64 `json:"duration_ratio"`
	DurationEstimated int     `json:"duration_estimated"`
	// OutageRatio is the same for the outage, over the OutageEstimated
	// rollouts whose estimated outage was not zero and whose outage is
	// known.
	OutageRatio     float64 `json:"outage_ratio"`
	OutageEstimated int     `json:"outage_estimated"`

	LessonsDue     int `json:"lessons_due"`     // lessons the month's rollouts were to apply
	LessonsApplied int `json:"lessons_applied"` // of which applied

	// Simulated counts the rollouts done (neither rolled back nor failed)
	// that had a P90 simulated before they ran, and WithinP90 those of
	// them that took no longer: nine in ten, when the simulations are
	// calibrated (R5). Left out of JSON when zero.
	Simulated int `json:"simulated,omitempty"`
	WithinP90 int `json:"within_p90,omitempty"`
}

// MarshalJSON encodes m with its month as "2006-01" ("" for the total) and
// its time to restore in seconds.
func (m Month) MarshalJSON() ([]byte, error) {
	type plain Month
	month := ""
	if !m.Month.IsZero() {
		month = m.Month.Format("2006-01")
	}
	return json.Marshal(struct {
		Month string `json:"month,omitempty"`
		plain
		TimeToRestore float64 `json:"time_to_restore_s"`
	}{month, plain(m), secs(m.TimeToRestore)})
}

// MarshalJSON encodes h with its location's name in "location".
func (h History) MarshalJSON() ([]byte, error) {
	type plain History
	p := plain(h)
	p.Rollouts, p.Months = list(p.Rollouts), list(p.Months)
	loc := ""
	if h.Location != nil {
		loc = h.Location.String()
	}
	return json.Marshal(struct {
		plain
		Location string `json:"location,omitempty"`
	}{p, loc})
}

// NewHistory computes the monthly figures of project's rollouts. A rollout
// belongs to the calendar month of its Start in loc (nil: UTC); only
// counted rollouts ([RolloutSummary.IsCounted]) enter the figures, the
// others are listed. rollouts is not changed.
func NewHistory(project string, rollouts []RolloutSummary, loc *time.Location) *History {
	if loc == nil {
		loc = time.UTC
	}
	h := &History{Project: project, Location: loc, Rollouts: slices.Clone(rollouts)}
	sort.SliceStable(h.Rollouts, func(i, j int) bool {
		a, b := &h.Rollouts[i], &h.Rollouts[j]
		if a.Start.IsZero() != b.Start.IsZero() {
			return b.Start.IsZero()
		}
		if !a.Start.Equal(b.Start) {
			return a.Start.Before(b.Start)
		}
		return a.Name < b.Name
	})
	monthOf := func(t time.Time) time.Time {
		t = t.In(loc)
		return time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, loc)
	}
	var first, last time.Time
	for i := range h.Rollouts {
		s := &h.Rollouts[i]
		if !s.IsCounted() {
			continue
		}
		m := monthOf(s.Start)
		if first.IsZero() || m.Before(first) {
			first = m
		}
		if m.After(last) {
			last = m
		}
	}
	if first.IsZero() {
		return h
	}
	index := make(map[time.Time]int)
	for m := first; !m.After(last); m = m.AddDate(0, 1, 0) {
		index[m] = len(h.Months)
		h.Months = append(h.Months, Month{Month: m})
	}
	acc := make([]accumulator, len(h.Months))
	var total accumulator
	for i := range h.Rollouts {
		s := &h.Rollouts[i]
		if !s.IsCounted() {
			continue
		}
		k := index[monthOf(s.Start)]
		acc[k].add(s)
		total.add(s)
	}
	for k := range h.Months {
		acc[k].fill(&h.Months[k])
	}
	total.fill(&h.Total)
	return h
}

// accumulator gathers the rollouts of one month.
type accumulator struct {
	deployments, failures      int
	restores                   []time.Duration
	durationSum, outageSum     float64
	durationN, outageN         int
	lessonsDue, lessonsApplied int
	simulated, withinP90       int
}

func (a *accumulator) add(s *RolloutSummary) {
	a.deployments++
	if s.Outcome.IsFailure() {
		a.failures++
		if s.TimeToRestore > 0 {
			a.restores = append(a.restores, s.TimeToRestore)
		}
	}
	if s.EstimatedDuration > 0 {
		a.durationSum += float64(s.Duration) / float64(s.EstimatedDuration)
		a.durationN++
	}
	if s.EstimatedOutage > 0 && !s.OutageUnknown {
		a.outageSum += float64(s.Outage) / float64(s.EstimatedOutage)
		a.outageN++
	}
	a.lessonsDue += s.LessonsDue
	a.lessonsApplied += s.LessonsApplied
	if s.Outcome == Done && s.P90 > 0 {
		a.simulated++
		if s.Duration <= s.P90 {
			a.withinP90++
		}
	}
}

func (a *accumulator) fill(m *Month) {
	m.Deployments, m.Failures = a.deployments, a.failures
	if a.deployments > 0 {
		m.ChangeFailureRate = float64(a.failures) / float64(a.deployments)
	}
	m.Restores = len(a.restores)
	if n := len(a.restores); n > 0 {
		slices.Sort(a.restores)
		m.TimeToRestore = a.restores[n/2]
		if n%2 == 0 {
			m.TimeToRestore = (a.restores[n/2-1] + a.restores[n/2]) / 2
		}
	}
	m.DurationEstimated, m.OutageEstimated = a.durationN, a.outageN
	if a.durationN > 0 {
		m.DurationRatio = a.durationSum / float64(a.durationN)
	}
	if a.outageN > 0 {
		m.OutageRatio = a.outageSum / float64(a.outageN)
	}
	m.LessonsDue, m.LessonsApplied = a.lessonsDue, a.lessonsApplied
	m.Simulated, m.WithinP90 = a.simulated, a.withinP90
}
