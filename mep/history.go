package mep

import (
	"time"

	"github.com/mepkit/mepkit/mep/report"
)

// History returns the project's record across its rollouts at now, per
// calendar month of the project's location: deployment frequency, change
// failure rate (rolled back or failed), time to restore, duration and
// outage against the rehearsals' estimate (R5) and lessons applied (R12).
// It is computed from the record alone, from one state of the project:
// each rollout is summarised as its report says ([report.SummaryOf]), so
// its end, duration, outage and time to restore are those of the report's
// headline, the debrief and the drift ([report.Result]). A rolled-back
// rollout's time to restore runs from its first failed step (or, without
// one, from the rollback decision) to the end of its last rollback step;
// it is zero, unknown, while the rollback runs, and so is its outage.
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
			sums = append(sums, report.SummaryOf(ro.report(st, p, now)))
		}
	})
	h := report.NewHistory(name, sums, p.loc)
	h.Generated = now
	return h
}
