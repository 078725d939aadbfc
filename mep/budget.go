package mep

import (
	"fmt"
	"time"
)

// PhaseTime is the planned and actual time of one phase (R2).
type PhaseTime struct {
	Phase   Phase
	Planned time.Duration // as set with [Project.Plan]; 0: not planned
	Actual  time.Duration // time spent in the phase so far, over every stay
}

// Budget compares the planned and actual time of the phases (R2). Totals
// and shares cover the phases of the first go-live, [Scoping] to [Review]:
// industrialisation and operations go on afterwards.
type Budget struct {
	Phases       []PhaseTime   // every phase, in method order
	Planned      time.Duration // total planned, Scoping to Review
	Actual       time.Duration // total spent, Scoping to Review
	PlannedBuild float64       // Build's share of Planned, 0 to 1; 0 when nothing is planned
	ActualBuild  float64       // Build's share of Actual, 0 to 1; 0 when no time was spent
	Target       float64       // the expected Build share (Options.BuildShare)
	Margin       float64       // the tolerated departure (Options.BuildMargin)
	Warnings     []string      // sentences a person can act on; nil: none
}

// budgetPhase reports whether ph counts in the totals.
func budgetPhase(ph Phase) bool { return ph <= Review }

// budget computes the budget at now.
func (st *state) budget(p *Project, now time.Time) Budget {
	opts := st.options(p)
	b := Budget{Phases: make([]PhaseTime, numPhases), Target: opts.BuildShare, Margin: opts.BuildMargin}
	for i := range b.Phases {
		b.Phases[i] = PhaseTime{Phase: Phase(i), Planned: st.planned[i]}
	}
	from, ph := st.created, Scoping
	for _, t := range st.transitions {
		if d := t.At.Sub(from); d > 0 {
			b.Phases[ph].Actual += d
		}
		from, ph = t.At, t.To
	}
	if d := now.Sub(from); d > 0 {
		b.Phases[ph].Actual += d
	}
	for _, pt := range b.Phases {
		if budgetPhase(pt.Phase) {
			b.Planned += pt.Planned
			b.Actual += pt.Actual
		}
	}
	if b.Planned > 0 {
		b.PlannedBuild = float64(b.Phases[Build].Planned) / float64(b.Planned)
	}
	if b.Actual > 0 {
		b.ActualBuild = float64(b.Phases[Build].Actual) / float64(b.Actual)
	}
	warn := func(what string, share float64) {
		if share < b.Target-b.Margin || share > b.Target+b.Margin {
			b.Warnings = append(b.Warnings, fmt.Sprintf(
				"%s: build takes %.0f%% of the project's time, expected about %.0f%% (±%.0f points); check the estimates of the other phases (R2)",
				what, share*100, b.Target*100, b.Margin*100))
		}
	}
	if b.Planned > 0 {
		warn("plan", b.PlannedBuild)
	}
	// The actual share means something only once Build is over.
	if st.phase > Build && b.Actual > 0 {
		warn("actual", b.ActualBuild)
	}
	return b
}

// Plan sets the planned time of phase ph (R2); 0 clears it. It returns a
// *FieldError for an invalid phase, a negative duration or one over
// twenty years.
func (p *Project) Plan(ph Phase, d time.Duration) error {
	if !ph.isValid() {
		return fieldErr("plan.phase", ph.String(), "invalid phase")
	}
	if d < 0 {
		return fieldErr("plan."+ph.String(), d.String(), "negative duration")
	}
	return p.record(&evPlan{At: p.now(), Phase: ph, Planned: d})
}

// Budget returns the planned and actual time of every phase at now, with
// a warning when Build's share departs from the expected share by more
// than the margin (R2): for the plan as soon as something is planned, for
// the actual time once Build is over.
func (p *Project) Budget(now time.Time) Budget {
	var b Budget
	p.read(func(st *state) { b = st.budget(p, now) })
	return b
}

// evPlan sets the planned time of a phase (R2).
type evPlan struct {
	At      time.Time
	Phase   Phase
	Planned time.Duration
	By      string
}

func (*evPlan) kind() string      { return "plan" }
func (v *evPlan) when() time.Time { return v.At }
func (v *evPlan) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.require("phase")
	c.enum("phase", &v.Phase)
	c.dur("planned", &v.Planned)
}

var _ = register[evPlan]()

func (v *evPlan) check(*state) error {
	switch {
	case !v.Phase.isValid():
		return fieldErr("plan.phase", v.Phase.String(), "invalid phase")
	case v.Planned < 0:
		return fieldErr("plan.duration", v.Planned.String(), "negative")
	case v.Planned > maxPlan:
		// The plan's total must not overflow: the R2 share is its ratio.
		return fieldErr("plan."+v.Phase.String(), v.Planned.String(), "over twenty years")
	}
	return nil
}

// maxPlan bounds the planned time of a phase: twenty years, so that the
// ten phases add up without overflow.
const maxPlan = 20 * 366 * 24 * time.Hour

func (v *evPlan) apply(st *state) { st.planned[v.Phase] = v.Planned }
