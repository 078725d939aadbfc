package timeline_test

import (
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// run records steps given as (step, impact, start, end) at explicit times.
type step struct {
	name       string
	impact     timeline.Impact
	start, end time.Time // end zero: still running
	outcome    timeline.Outcome
}

func journalOf(t *testing.T, steps ...step) []timeline.Entry {
	t.Helper()
	j := timeline.New(nil)
	for _, e := range inTimeOrder(steps) {
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	return j.Entries()
}

// inTimeOrder returns the start and end entries of steps in time order,
// starts before ends at the same instant, unnumbered.
func inTimeOrder(steps []step) []timeline.Entry {
	type ev struct {
		at    time.Time
		entry timeline.Entry
	}
	var evs []ev
	for _, s := range steps {
		evs = append(evs, ev{s.start, timeline.Entry{Kind: timeline.KindStart, Step: s.name, Impact: s.impact, At: s.start}})
		if !s.end.IsZero() {
			evs = append(evs, ev{s.end, timeline.Entry{Kind: timeline.KindEnd, Step: s.name, Outcome: s.outcome, At: s.end}})
		}
	}
	for i := 1; i < len(evs); i++ {
		for k := i; k > 0 && evs[k].at.Before(evs[k-1].at); k-- {
			evs[k], evs[k-1] = evs[k-1], evs[k]
		}
	}
	out := make([]timeline.Entry, len(evs))
	for i, e := range evs {
		out[i] = e.entry
	}
	return out
}

func TestSummarizeUnionOfImpacts(t *testing.T) {
	t0 := at(2026, 11, 24, 20, 0)
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	s := timeline.Summarize(journalOf(t,
		step{"backup", timeline.NoImpact, m(0), m(10), timeline.Done},
		step{"stop-app", timeline.Outage, m(10), m(30), timeline.Done},
		step{"migrate", timeline.Outage, m(20), m(40), timeline.Done}, // overlaps stop-app: counted once
		step{"warm-cache", timeline.Disruption, m(35), m(60), timeline.Done},
		step{"reindex", timeline.Disruption, m(50), m(70), timeline.Failed},
		step{"observe", timeline.NoImpact, m(70), m(90), timeline.Done},
	))
	assert.Equal(t, 90*time.Minute, s.Duration)
	assert.Equal(t, 30*time.Minute, s.Outage, "10..40")
	assert.Equal(t, 30*time.Minute, s.Disruption, "35..70 minus 35..40")
	assert.True(t, s.Start.Equal(t0))
	assert.True(t, s.End.Equal(m(90)))
	require.Len(t, s.Steps, 6)
	assert.Equal(t, "stop-app", s.Steps[1].Step)
	assert.Equal(t, 20*time.Minute, s.Steps[1].Duration)
	assert.Equal(t, timeline.Failed, s.Steps[4].Outcome)
	assert.True(t, s.IsComplete())
}

func TestSummarizeDisruptionInsideOutage(t *testing.T) {
	t0 := at(2026, 11, 24, 20, 0)
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	s := timeline.Summarize(journalOf(t,
		step{"disrupt", timeline.Disruption, m(0), m(60), timeline.Done},
		step{"cut-1", timeline.Outage, m(10), m(20), timeline.Done},
		step{"cut-2", timeline.Outage, m(30), m(40), timeline.Done},
	))
	assert.Equal(t, 20*time.Minute, s.Outage)
	assert.Equal(t, 40*time.Minute, s.Disruption)
}

func TestSummarizeOpenStepsAreNotGuessed(t *testing.T) {
	t0 := at(2026, 11, 24, 20, 0)
	s := timeline.Summarize(journalOf(t,
		step{"done", timeline.Outage, t0, t0.Add(5 * time.Minute), timeline.Done},
		step{"stuck", timeline.Outage, t0.Add(10 * time.Minute), time.Time{}, 0},
	))
	assert.Equal(t, 5*time.Minute, s.Outage, "the open outage is not counted")
	assert.Equal(t, 1, s.Open)
	assert.False(t, s.IsComplete())
	require.Len(t, s.Steps, 2)
	assert.True(t, s.Steps[1].Open)
	assert.True(t, s.Steps[1].End.IsZero())
	assert.Zero(t, s.Steps[1].Duration)
}

func TestSummarizeEmpty(t *testing.T) {
	s := timeline.Summarize(nil)
	assert.Zero(t, s.Duration)
	assert.Empty(t, s.Steps)
	assert.True(t, s.IsComplete())
}

// Durations are real elapsed time, whatever the wall clock does across a
// daylight saving change.
func TestSummarizeAcrossDST(t *testing.T) {
	tests := []struct {
		zone       string
		start, end [5]int // local wall clock
		want       time.Duration
	}{
		{"Europe/Paris", [5]int{2026, 3, 29, 1, 30}, [5]int{2026, 3, 29, 3, 30}, time.Hour},         // spring forward
		{"Europe/Paris", [5]int{2026, 10, 25, 1, 30}, [5]int{2026, 10, 25, 3, 30}, 3 * time.Hour},   // fall back
		{"America/New_York", [5]int{2026, 3, 8, 1, 0}, [5]int{2026, 3, 8, 4, 0}, 2 * time.Hour},     // spring forward
		{"America/New_York", [5]int{2026, 11, 1, 0, 30}, [5]int{2026, 11, 1, 2, 30}, 3 * time.Hour}, // fall back
		{"Australia/Sydney", [5]int{2026, 4, 5, 1, 0}, [5]int{2026, 4, 5, 4, 0}, 4 * time.Hour},     // autumn: back
		{"Australia/Sydney", [5]int{2026, 10, 4, 1, 0}, [5]int{2026, 10, 4, 4, 0}, 2 * time.Hour},   // spring: forward
		{"Asia/Kolkata", [5]int{2026, 12, 31, 23, 15}, [5]int{2027, 1, 1, 0, 45}, 90 * time.Minute}, // no DST, half-hour offset, across midnight
	}
	for _, tt := range tests {
		t.Run(tt.zone, func(t *testing.T) {
			loc := mustLoad(t, tt.zone)
			d := func(v [5]int) time.Time { return time.Date(v[0], time.Month(v[1]), v[2], v[3], v[4], 0, 0, loc) }
			s := timeline.Summarize(journalOf(t, step{"cutover", timeline.Outage, d(tt.start), d(tt.end), timeline.Done}))
			assert.Equal(t, tt.want, s.Duration)
			assert.Equal(t, tt.want, s.Outage)
		})
	}
}

func TestSummaryIn(t *testing.T) {
	t0 := at(2026, 11, 24, 20, 0)
	s := timeline.Summarize(journalOf(t,
		step{"a", timeline.Outage, t0, t0.Add(time.Minute), timeline.Done},
		step{"b", timeline.NoImpact, t0.Add(time.Minute), time.Time{}, 0},
	))
	ny := mustLoad(t, "America/New_York")
	got := s.In(ny)
	assert.Equal(t, ny, got.Start.Location())
	assert.True(t, got.Start.Equal(s.Start))
	assert.Equal(t, "14:00", got.Steps[0].Start.Format("15:04"))
	assert.True(t, got.Steps[1].End.IsZero(), "an open span keeps its zero end")
	assert.Equal(t, paris, s.Steps[0].Start.Location(), "the original is unchanged")
}

func TestSummaryInNil(t *testing.T) {
	s := timeline.Summarize(journalOf(t, step{"a", timeline.Outage, at(2026, 1, 1, 0, 0), at(2026, 1, 1, 1, 0), timeline.Done}))
	assert.Equal(t, s, s.In(nil))
}

func TestSummaryPeriods(t *testing.T) {
	t0 := at(2026, 11, 24, 20, 0)
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	s := timeline.Summarize(journalOf(t,
		step{"disrupt", timeline.Disruption, m(0), m(60), timeline.Done},
		step{"cut-1", timeline.Outage, m(10), m(20), timeline.Done},
		step{"cut-2", timeline.Outage, m(15), m(30), timeline.Done},
		step{"quiet", timeline.NoImpact, m(60), m(70), timeline.Done},
	))
	assert.Equal(t, []timeline.Period{{m(10), m(30)}}, s.Periods(timeline.Outage))
	assert.Equal(t, []timeline.Period{{m(0), m(10)}, {m(30), m(60)}}, s.Periods(timeline.Disruption))
	assert.Nil(t, s.Periods(timeline.NoImpact))
	assert.Equal(t, 20*time.Minute, s.Outage)
	assert.Equal(t, 40*time.Minute, s.Disruption)
}

// A summary spans steps only: notes before the first step and after the
// last one do not widen it.
func TestSummarySpansStepsOnly(t *testing.T) {
	t0 := at(2026, 11, 24, 20, 0)
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	j := timeline.New(nil)
	for _, e := range []timeline.Entry{
		{Kind: timeline.KindNote, Text: "go given", At: m(-60)},
		{Kind: "mep.vote", Text: "go", At: m(-30)},
		{Kind: timeline.KindStart, Step: "dns", Impact: timeline.Outage, At: m(0)},
		{Kind: timeline.KindEnd, Step: "dns", At: m(10)},
		{Kind: timeline.KindNote, Text: "all good", At: m(90)},
	} {
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	s := timeline.Summarize(j.Entries())
	assert.True(t, s.Start.Equal(m(0)), "got %v", s.Start)
	assert.True(t, s.End.Equal(m(10)), "got %v", s.End)
	assert.Equal(t, 10*time.Minute, s.Duration)
	assert.Equal(t, 5, s.Entries)

	notes := timeline.Summarize(j.Entries()[:2])
	assert.True(t, notes.Start.IsZero(), "no steps, no span")
	assert.Zero(t, notes.Duration)
}

func TestSummarizeAt(t *testing.T) {
	t0 := at(2026, 11, 24, 20, 0)
	m := func(n int) time.Time { return t0.Add(time.Duration(n) * time.Minute) }
	es := journalOf(t,
		step{"backup", timeline.NoImpact, m(0), m(10), timeline.Done},
		step{"migrate", timeline.Outage, m(10), m(40), timeline.Done},
		step{"warm", timeline.Disruption, m(20), time.Time{}, 0},
	)

	// At 20:30, migrate (ends 20:40) and warm are running.
	s := timeline.SummarizeAt(es, m(30))
	assert.True(t, s.Ongoing)
	assert.Equal(t, 2, s.Open)
	require.Len(t, s.Steps, 3)
	assert.True(t, s.Steps[1].Open, "migrate has not ended at 20:30")
	assert.True(t, s.Steps[1].End.Equal(m(30)))
	assert.Equal(t, 20*time.Minute, s.Steps[1].Duration)
	assert.Equal(t, 20*time.Minute, s.Outage, "the running outage counts up to the instant")
	assert.Equal(t, 0*time.Minute, s.Disruption, "warm's 10 minutes are inside the outage")
	assert.True(t, s.End.Equal(m(30)))
	assert.Equal(t, 30*time.Minute, s.Duration)
	assert.Equal(t, 4, s.Entries, "the entries after the instant are left out")

	// At 21:00, only warm is running.
	s = timeline.SummarizeAt(es, m(60))
	assert.True(t, s.Ongoing)
	assert.Equal(t, 1, s.Open)
	assert.Equal(t, 30*time.Minute, s.Outage)
	assert.Equal(t, 20*time.Minute, s.Disruption, "40..60")
	assert.Equal(t, time.Hour, s.Duration)

	// Summarize does not guess: the open step counts nowhere.
	s = timeline.Summarize(es)
	assert.False(t, s.Ongoing)
	assert.Equal(t, 1, s.Open)
	assert.Zero(t, s.Disruption)
	assert.True(t, s.Steps[2].End.IsZero())
	assert.True(t, s.End.Equal(m(40)))

	// Everything ended: SummarizeAt is Summarize.
	done := journalOf(t, step{"a", timeline.Outage, m(0), m(5), timeline.Done})
	assert.Equal(t, timeline.Summarize(done), timeline.SummarizeAt(done, m(60)))
	assert.Equal(t, timeline.Summarize(es), timeline.SummarizeAt(es, time.Time{}))
}

// Spans of centuries add up to the longest duration, not to a negative
// one: a negative outage would pass any limit on it.
func TestSummarizeTotalsSaturate(t *testing.T) {
	year := func(y int) time.Time { return time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC) }
	es := []timeline.Entry{
		{Seq: 1, At: year(1), Kind: timeline.KindStart, Step: "a", Impact: timeline.Outage},
		{Seq: 2, At: year(250), Kind: timeline.KindEnd, Step: "a"},
		{Seq: 3, At: year(260), Kind: timeline.KindStart, Step: "a", Impact: timeline.Outage},
		{Seq: 4, At: year(500), Kind: timeline.KindEnd, Step: "a"},
		{Seq: 5, At: year(600), Kind: timeline.KindStart, Step: "b", Impact: timeline.Disruption},
		{Seq: 6, At: year(700), Kind: timeline.KindEnd, Step: "b"},
		{Seq: 7, At: year(800), Kind: timeline.KindStart, Step: "b", Impact: timeline.Disruption},
		{Seq: 8, At: year(1000), Kind: timeline.KindEnd, Step: "b"},
	}
	s := timeline.Summarize(es)
	assert.Equal(t, time.Duration(math.MaxInt64), s.Duration)
	assert.Equal(t, time.Duration(math.MaxInt64), s.Outage)
	assert.Equal(t, time.Duration(math.MaxInt64), s.Disruption)
	totals := s.StepTotals()
	require.Len(t, totals, 2)
	assert.Equal(t, time.Duration(math.MaxInt64), totals[0].Outage)
	assert.Equal(t, time.Duration(math.MaxInt64), totals[1].Disruption)
}
