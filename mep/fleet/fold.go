package fleet

import (
	"maps"
	"slices"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/report"
)

// overrun is the one place the schedule asks a rollout how long its
// cutover may take.
func overrun(r *mep.Rollout, trials int) (mep.Overrun, error) {
	return r.Overrun(mep.SimOptions{Trials: trials, Seed: 1})
}

// fold returns the entries of every rollout of p at now, with the
// environment and labels that metas hold by rollout name.
func fold(p *mep.Project, metas map[string]meta, now time.Time, trials int) []Entry {
	hist := p.History(now)
	sums := make(map[string]report.RolloutSummary, len(hist.Rollouts))
	for _, s := range hist.Rollouts {
		sums[s.Name] = s
	}
	people := slices.Sorted(slices.Values(p.Team().Chosen()))
	names := p.Rollouts()
	out := make([]Entry, 0, len(names))
	for _, name := range names {
		r, ok := p.Rollout(name)
		if !ok {
			continue
		}
		m := metas[name]
		s := sums[name]
		e := Entry{
			Project: p.Name(), Rollout: name, Status: s.Outcome, T0: r.T0(),
			Environment: m.Environment, Labels: maps.Clone(m.Labels), Team: m.Labels[TeamLabel],
			People: people, Resources: r.Resources().List(),
			Started: s.Start, Ended: s.End, Duration: s.Duration, TimeToRestore: s.TimeToRestore,
			Estimate: r.Estimate().Total,
		}
		if e.Team == "" {
			e.Team = e.Project
		}
		if ov, err := overrun(r, trials); err == nil {
			e.WindowEnd = ov.WindowEnd
			if ov.Duration.Len() > 0 && len(ov.Unknown) == 0 {
				e.P50, e.P90 = ov.End(0.5), ov.End(0.9)
			}
		}
		out = append(out, e)
	}
	return out
}
