package mep

import (
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// RehearsalRun is a timed run of a rollout's runbook (R5), with its
// conditions.
type RehearsalRun struct {
	Summary timeline.Summary // as timeline.Summarize makes it; every step ended
	// Environment is where it ran ("preprod", ...).
	Environment string
	// ProductionLike reports that it ran in conditions as close to
	// production as possible: the estimate of the go-live comes from the
	// last such rehearsal that covered the whole runbook.
	ProductionLike bool
	// Partial reports that it ran only part of the runbook.
	Partial bool
	// Rollback reports that the run rehearsed the rollback procedure: its
	// steps time the rollback, not the change.
	Rollback bool
	// Why, for a run that is not production-like, says why it stands for
	// production ("the client has no preproduction platform"): the
	// Rehearsal gate passes on a production-like run, or on one with a
	// recorded reason (R5).
	Why string
}

// AddRehearsal records a rehearsal of the runbook (R5) with its
// conditions. It feeds the estimate of every later decision. It returns a
// *FieldError for a summary with no step, steps that are not in the
// runbook (a rehearsal runs the same runbook) or that are still open.
func (r *Rollout) AddRehearsal(rh RehearsalRun) error {
	s := rh.Summary
	if len(s.Steps) == 0 {
		return fieldErr("rehearsal.steps", "", "no step timed (R5)")
	}
	var open []string
	for _, sp := range s.Steps {
		if sp.Open {
			open = append(open, sp.Step)
		}
	}
	if len(open) > 0 {
		return fieldErr("rehearsal.steps", strings.Join(open, ", "), "still running: a rehearsal is recorded once every step ended")
	}
	// The summary as the record rebuilds it on replay: the attempts,
	// their actors, impacts and outcomes, renumbered.
	rh.Summary = summarizeSpans(spansOf(s), r.p.loc)
	return r.p.record(&evRehearsal{At: r.p.now(), Rollout: r.name, Run: rh})
}

// Rehearsals returns the rehearsals recorded for the rollout, in order.
func (r *Rollout) Rehearsals() []RehearsalRun {
	var out []RehearsalRun
	r.with(func(_ *state, ro *rollout) { out = slices.Clone(ro.rehearsals) })
	return out
}

// spanJSON is one attempt of a step of a rehearsal.
type spanJSON struct {
	Step    string           `json:"step"`
	Actor   string           `json:"actor,omitempty"`
	Start   time.Time        `json:"start"`
	End     time.Time        `json:"end"`
	Impact  timeline.Impact  `json:"impact,omitempty"`
	Outcome timeline.Outcome `json:"outcome,omitempty"`
}

// evRehearsal records a timed rehearsal (R5) with its conditions.
type evRehearsal struct {
	At      time.Time
	Rollout string
	Run     RehearsalRun
	By      string
}

func (*evRehearsal) kind() string      { return "rehearsal" }
func (v *evRehearsal) when() time.Time { return v.At }
func (v *evRehearsal) fields(c codec) {
	rh := &v.Run
	c.at(&v.At)
	c.by(&v.By)
	c.str("rollout", &v.Rollout)
	c.str("environment", &rh.Environment)
	c.bool("production_like", &rh.ProductionLike)
	c.bool("partial", &rh.Partial)
	c.bool("rollback", &rh.Rollback)
	c.str("why", &rh.Why)
	if c.w != nil {
		c.w.json("steps", spansOf(rh.Summary))
		return
	}
	d := c.d
	var spans []spanJSON
	d.json("steps", &spans)
	if d.err != nil {
		return
	}
	rh.Summary = summarizeSpans(spans, d.loc)
	if len(spans) == 0 {
		d.fail("steps", "", "no step")
	}
}

// spansOf returns the attempts of a run as the record keeps them, their
// times as RFC 3339 carries them (see carried).
func spansOf(s timeline.Summary) []spanJSON {
	spans := make([]spanJSON, len(s.Steps))
	for i, sp := range s.Steps {
		spans[i] = spanJSON{sp.Step, sp.Actor, carried(sp.Start), carried(sp.End), sp.Impact, sp.Outcome}
	}
	return spans
}

// summarizeSpans rebuilds the summary of a run from its attempts.
func summarizeSpans(spans []spanJSON, loc *time.Location) timeline.Summary {
	entries := make([]timeline.Entry, 0, 2*len(spans))
	for i, sp := range spans {
		entries = append(entries,
			timeline.Entry{Seq: uint64(2*i + 1), At: sp.Start.In(loc), Kind: timeline.KindStart, Step: sp.Step, Actor: sp.Actor, Impact: sp.Impact},
			timeline.Entry{Seq: uint64(2*i + 2), At: sp.End.In(loc), Kind: timeline.KindEnd, Step: sp.Step, Outcome: sp.Outcome})
	}
	slices.SortStableFunc(entries, func(a, b timeline.Entry) int { return a.At.Compare(b.At) })
	return timeline.Summarize(entries)
}

var _ = register[evRehearsal]()

// prepare marks a rehearsal that ran only part of the runbook as partial
// (R5).
func (v *evRehearsal) prepare(_ *Project, st *state) error {
	ro := st.byName[v.Rollout]
	if ro == nil || v.Run.Partial || v.Run.Rollback {
		return nil
	}
	v.Run.Partial = !ro.covers(v.Run.Summary)
	return nil
}

// covers reports whether s times every step of ro's runbook.
func (ro *rollout) covers(s timeline.Summary) bool {
	seen := map[string]bool{}
	for _, sp := range s.Steps {
		seen[sp.Step] = true
	}
	return len(seen) >= len(ro.runbook)
}

// check holds that a rehearsal runs the rollout's runbook (R5): every
// step it timed is one of its steps, each ended after it started, and
// their durations add up, as the estimate adds them, to a year at most.
func (v *evRehearsal) check(st *state) error {
	if len(v.Run.Summary.Steps) == 0 {
		return fieldErr("rehearsal.steps", "", "no step timed (R5)")
	}
	var total time.Duration
	for _, sp := range v.Run.Summary.Steps {
		d := sp.End.Sub(sp.Start)
		if sp.Open || d < 0 || d > maxCutover-total {
			return fieldErr("rehearsal.steps", sp.Step, "ends before it starts, or the steps add up to more than a year")
		}
		total += d
	}
	if v.Rollout == "" {
		return v.ran(st) // a project's rehearsal, before any rollout
	}
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	var unknown []string
	for _, sp := range v.Run.Summary.Steps {
		if _, ok := ro.index[sp.Step]; !ok && !slices.Contains(unknown, sp.Step) {
			unknown = append(unknown, sp.Step)
		}
	}
	if len(unknown) > 0 {
		return fieldErr("rehearsal.steps", strings.Join(unknown, ", "), "not in the runbook")
	}
	v.Run.Summary = ro.withImpacts(v.Run.Summary)
	if r := &v.Run; st.opts != nil && !r.Partial && !r.Rollback && !ro.covers(r.Summary) {
		// The writer marks it (prepare): the estimate takes a whole run
		// for every step's time (R5).
		return fieldErr("rehearsal.partial", "false", "a run that does not time every step of the runbook is partial")
	}
	return v.ran(st)
}

// withImpacts returns s, a run of ro's runbook, with each step's impact
// the runbook's, as a cutover's steps have theirs: the expected outage is
// the rehearsal's, and a run whose journal gave an outage step another
// impact, or none, would make it too small (R5).
func (ro *rollout) withImpacts(s timeline.Summary) timeline.Summary {
	spans := spansOf(s)
	same := true
	for i := range spans {
		want := ro.runbook[ro.index[spans[i].Step]].Impact
		same = same && spans[i].Impact == want
		spans[i].Impact = want
	}
	if same {
		return s
	}
	return summarizeSpans(spans, s.Start.Location())
}

// ran refuses a rehearsal that ends after it is recorded, in records
// that state their options (older ones did not stamp their facts).
func (v *evRehearsal) ran(st *state) error {
	if end := v.Run.Summary.End; st.opts != nil && end.After(st.now) {
		return fieldErr("rehearsal.end", end.Format(time.RFC3339), "later than when it is recorded: a rehearsal is recorded once it ran")
	}
	return nil
}

func (v *evRehearsal) apply(st *state) {
	st.rehearsals = append(st.rehearsals, v.Run)
	if r := st.byName[v.Rollout]; r != nil {
		r.rehearsals = append(r.rehearsals, v.Run)
		r.est = nil
	}
}
