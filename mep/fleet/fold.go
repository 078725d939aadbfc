package fleet

import (
	"slices"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/risk"
)

// simulate returns the overrun figures of r: old's when r's T0,
// estimate and rehearsals are those old was computed for.
func simulate(r *mep.Rollout, est mep.Estimate, old sim, trials int) sim {
	sm := sim{t0: r.T0(), estimate: est.Total, outage: est.Outage, unknown: len(est.Unknown), rehearsed: len(r.Rehearsals())}
	if sm.t0.Equal(old.t0) && sm.estimate == old.estimate && sm.outage == old.outage &&
		sm.unknown == old.unknown && sm.rehearsed == old.rehearsed {
		return old
	}
	if ov, err := overrun(r, trials); err == nil {
		sm.window, sm.pastWindow = ov.WindowEnd, ov.PastWindow
		if ov.Duration.Len() > 0 && len(ov.Unknown) == 0 {
			sm.p50, sm.p90 = ceilMinute(ov.End(0.5)), ceilMinute(ov.End(0.9))
		}
	}
	return sm
}

// ceilMinute rounds t up to the next whole minute: the schedule plans
// at minute resolution, and a slot after a rollout starts on a minute.
func ceilMinute(t time.Time) time.Time {
	if m := t.Truncate(time.Minute); !m.Equal(t) {
		return m.Add(time.Minute)
	}
	return t
}

// overrun is the one place the schedule asks a rollout how long its
// cutover may take.
func overrun(r *mep.Rollout, trials int) (risk.Overrun, error) {
	return r.Overrun(risk.Options{Trials: trials, Seed: 1})
}

// sim is what the overrun simulation said of a rollout, and the inputs
// it said it for: it runs again only when they change.
type sim struct {
	t0                 time.Time
	estimate, outage   time.Duration
	unknown, rehearsed int
	window, p50, p90   time.Time
	pastWindow         float64
}

// fold returns the entries of every rollout of p at now, the project's
// clock; sims caches the overrun simulation of each rollout. Each
// rollout's outcome, start, end and time to restore are its debrief's,
// the computation its report and the project's history share, without
// the rest of a report.
func fold(record string, p *mep.Project, sims map[string]sim, trials int) []Entry {
	people := slices.Sorted(slices.Values(p.Team().Chosen()))
	actions := p.Tracker().Actions()
	names := p.Rollouts()
	out := make([]Entry, 0, len(names))
	for _, name := range names {
		r, ok := p.Rollout(name)
		if !ok {
			continue
		}
		m, _ := p.RolloutOptions(name)
		d := r.Debrief()
		est, res := d.Expected, d.Result
		e := Entry{
			Record: record, Project: p.Name(), Rollout: name, Status: d.Outcome, T0: r.T0(),
			Environment: m.Environment, Labels: m.Labels, Team: m.Labels[TeamLabel],
			People: people, Resources: r.Resources().List(),
			Started: d.Actual.Start, Ended: res.End, Duration: res.Duration, TimeToRestore: res.TimeToRestore,
			Estimate: est.Total, Outage: est.Outage, Steps: len(est.Steps),
			FailedSteps: len(d.Failed), OverdueActions: overdue(actions, res.End),
		}
		if e.Team == "" {
			e.Team = e.Project
		}
		sm := simulate(r, est, sims[name], trials)
		sims[name] = sm
		e.WindowEnd, e.P50, e.P90, e.PastWindow = sm.window, sm.p50, sm.p90, sm.pastWindow
		out = append(out, e)
	}
	return out
}

// overdue counts the actions overdue at t: due before t, and neither
// done nor cancelled by then. None at the zero t.
func overdue(actions []mep.Action, t time.Time) int {
	if t.IsZero() {
		return 0
	}
	n := 0
	for _, a := range actions {
		if a.Due.Before(t) && (a.Status == mep.ActionOpen || a.ClosedAt.After(t)) {
			n++
		}
	}
	return n
}
