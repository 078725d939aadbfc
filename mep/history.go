package mep

import (
	"time"

	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/timeline"
)

// History returns the project's record across its rollouts at now, per
// calendar month of the project's location: deployment frequency, change
// failure rate (rolled back or failed), time to restore, duration and
// outage against the rehearsals' estimate (R5) and lessons applied (R12).
// It is computed from the record alone, from one state of the project:
// each rollout is summarised as its report says ([report.SummaryOf]).
// A rolled-back rollout's time to restore runs from its first failed step
// (or, without one, from the rollback decision) to the end of its last
// rollback step; it is zero, unknown, while the rollback runs.
func (p *Project) History(now time.Time) *report.History {
	now = now.Round(0)
	var (
		name string
		sums []report.RolloutSummary
	)
	p.read(func(st *state) {
		name = st.name
		sums = make([]report.RolloutSummary, 0, len(st.rollouts))
		for _, ro := range st.rollouts {
			s := report.SummaryOf(ro.report(st, p, now))
			s.TimeToRestore = ro.timeToRestore()
			sums = append(sums, s)
		}
	})
	h := report.NewHistory(name, sums, p.loc)
	h.Generated = now
	return h
}

// timeToRestore is how long users waited for the service back after a
// failed cutover that was rolled back; 0 when not rolled back or not yet
// restored.
func (ro *rollout) timeToRestore() time.Duration {
	if ro.rollback == nil {
		return 0
	}
	from := ro.rollback.At
	for _, e := range ro.steps {
		if e.Kind == timeline.KindEnd && e.Outcome == timeline.Failed && e.At.Before(from) {
			from = e.At
			break
		}
	}
	var to time.Time
	for _, e := range ro.rbSteps {
		if e.Kind == timeline.KindEnd && e.At.After(to) {
			to = e.At
		}
	}
	if to.IsZero() || !to.After(from) {
		return 0
	}
	return to.Sub(from)
}
