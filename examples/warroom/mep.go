package main

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/risk"
	"github.com/mepkit/mepkit/timeline"
)

// isMepRecord reports whether entries are a project's record written by
// package mep: its first entry creates the project.
func isMepRecord(entries []timeline.Entry) bool {
	if len(entries) == 0 {
		return false
	}
	k := entries[0].Kind
	return strings.HasPrefix(k, "x-mep.") || strings.HasPrefix(k, "mep.")
}

// entriesStore is a read-only [timeline.Store] over entries already read,
// so that mep can fold a record that another program is writing: Load
// hands out the first entries, Since the new ones given to mep.Refresh.
type entriesStore struct{ first, news []timeline.Entry }

func (s *entriesStore) Load() ([]timeline.Entry, error) {
	es := s.first
	s.first = nil
	return es, nil
}

func (s *entriesStore) Since(seq uint64) ([]timeline.Entry, error) {
	var out []timeline.Entry
	for _, e := range s.news {
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out, nil
}

func (s *entriesStore) Append([]timeline.Entry) error {
	return errors.New("warroom: the page is read-only")
}
func (s *entriesStore) Close() error { return nil }

// mepFold is a mep project folded from a record, updated by each new
// batch of entries only (mep.Project.Refresh). The zero mepFold is
// nothing folded; a nil *mepFold is a record that is not a project's.
// It is not safe for concurrent use: the room's lock guards it.
type mepFold struct {
	store   *entriesStore
	project *mep.Project
	err     error  // why the record does not fold; sticky
	folds   uint64 // batches folded: what the overrun cached was computed at
	risk    riskCache
}

// riskCache is a rollout's simulated overrun, kept until the record
// changes: the simulation reads the runbook, the rehearsals, the T0 and
// the policies, which only the record changes, and a page is drawn every
// second.
type riskCache struct {
	rollout string
	folds   uint64
	ok      bool
	ov      risk.Overrun
}

// newMepFold folds first, the first entries of a record chained with key
// (nil: SHA-256), or returns nil when they are not a project's record.
func newMepFold(first []timeline.Entry, now func() time.Time, key []byte) *mepFold {
	if !isMepRecord(first) {
		return nil
	}
	f := &mepFold{store: &entriesStore{first: slices.Clone(first)}}
	f.project, f.err = mep.Open(f.store, &mep.Options{Now: now, Key: key})
	return f
}

// add folds news, the entries after those folded.
func (f *mepFold) add(news []timeline.Entry) {
	if f.err != nil {
		return
	}
	f.store.news = news
	f.err = f.project.Refresh()
	f.store.news = nil
	f.folds++
}

// overrun returns the simulated overrun of r from its T0 (mep.Rollout's
// Overrun, default options), computed once per rollout and change of the
// record; false when it cannot be simulated.
func (f *mepFold) overrun(r *mep.Rollout) (risk.Overrun, bool) {
	c := &f.risk
	if c.rollout != r.Name() || c.folds != f.folds || c.rollout == "" {
		ov, err := r.Overrun(risk.Options{})
		*c = riskCache{rollout: r.Name(), folds: f.folds, ok: err == nil && ov.Trials > 0, ov: ov}
	}
	return c.ov, c.ok
}

// rolloutOf returns the rollout called name, or the last one created when
// name is empty.
func rolloutOf(p *mep.Project, name string) (*mep.Rollout, error) {
	names := p.Rollouts()
	if name == "" {
		if len(names) == 0 {
			return nil, errors.New("the project has no rollout yet")
		}
		name = names[len(names)-1]
	}
	r, ok := p.Rollout(name)
	if !ok {
		return nil, errors.New("no rollout " + name + " in the project (it has " + strings.Join(names, ", ") + ")")
	}
	return r, nil
}

// fromRollout builds the headline of a mep rollout at now: T0, the
// decision, the drift and expected end as mep computes them against the
// runbook's estimates, the P90 end simulated from the rehearsals and the
// decision point, and the steps of the cutover; and the plan (the
// runbook with its expected durations) for the chart.
func (f *mepFold) fromRollout(r *mep.Rollout, now time.Time) (headline, []plannedStep) {
	h := headline{Now: now, T0: r.T0(), Verdict: "undecided", HasPlan: true}
	switch d := r.GoNoGo().Decided(); d.Verdict {
	case mep.Go:
		h.Verdict, h.GoBy = "GO", d.By
	case mep.NoGo:
		h.Verdict, h.GoBy = "NO-GO", d.By
	}
	dr := r.Cutover().Drift(now)
	var plan []plannedStep
	for _, s := range dr.Steps {
		plan = append(plan, plannedStep{Step: s.Step.ID, Duration: s.Expected, Impact: s.Step.Impact})
	}
	h.Planned = len(plan)

	for _, s := range dr.Steps {
		if s.Running {
			h.Running = append(h.Running, s.Step.ID)
		}
		if s.Ended && s.Outcome != timeline.Failed || s.Skipped {
			h.Done++
		}
	}
	h.Drift, h.ExpectedEnd = dr.Delay, dr.ExpectedEnd
	if ov, ok := f.overrun(r); ok {
		h.P90End, h.WindowEnd = ov.End(0.9), ov.WindowEnd
		if !ov.WindowEnd.IsZero() {
			h.Overrun = risk.Percent(ov.PastWindow)
		}
	}
	decisionPoint(&h, dr.DecisionPoint)

	// The steps as the record has them; those still running count up to
	// now in the outage and the disruption.
	sum := r.Cutover().Summary()
	var synthetic []timeline.Entry
	for _, sp := range sum.Steps {
		end := sp.End
		if sp.Open {
			end = later(now, sp.Start)
		}
		synthetic = append(synthetic,
			timeline.Entry{At: sp.Start, Kind: timeline.KindStart, Step: sp.Step, Impact: sp.Impact},
			timeline.Entry{At: end, Kind: timeline.KindEnd, Step: sp.Step, Outcome: sp.Outcome})
		if !sp.Open {
			h.Last = sp.Step + " " + sp.Outcome.String()
		}
	}
	slices.SortStableFunc(synthetic, func(a, b timeline.Entry) int { return a.At.Compare(b.At) })
	closed := timeline.Summarize(synthetic)
	h.Outage, h.Disruption = closed.Outage, closed.Disruption
	h.Spans = slices.Clone(sum.Steps)
	for i := range h.Spans {
		if h.Spans[i].Open {
			h.Spans[i].End = later(now, h.Spans[i].Start)
		}
	}
	h.Started = len(sum.Steps) > 0
	h.Finished = h.Started && len(h.Running) == 0 && h.Done >= len(plan)
	if h.Finished {
		for _, sp := range sum.Steps {
			h.ExpectedEnd = later(h.ExpectedEnd, sp.End)
		}
	}
	return h, plan
}

// decisionPoint puts in h the cutover's decision point: when to decide a
// rollback that still ends in the window, or that the point of no return
// is passed; nothing once the cutover ended or rolls back.
func decisionPoint(h *headline, dp mep.DecisionPoint) {
	switch {
	case dp.Ended || dp.RollingBack:
	case dp.NoReturn != "":
		h.NoReturn = dp.NoReturn
		h.Decision = "past " + dp.NoReturn + ": no rollback, the only way is forward"
	case !dp.DecideBy.IsZero():
		h.DecideBy, h.DecisionPassed = dp.DecideBy, dp.IsPassed()
		rb := "a rollback (P90 " + timeline.FormatDuration(dp.Rollback.Round(time.Minute)) + ")"
		h.Decision = "after that " + rb + " ends past the window"
		if h.DecisionPassed {
			h.Decision = "passed: " + rb + " decided now ends past the window"
		}
	}
}

// describe says in a few words what an entry of a mep record is about,
// for the table of latest entries.
func describe(e timeline.Entry) string {
	var parts []string
	for _, k := range []string{"step", "event", "outcome", "item", "status", "role", "verdict"} {
		if v := e.Attrs[k]; v != "" {
			parts = append(parts, v)
		}
	}
	if e.Step != "" {
		parts = append([]string{e.Step}, parts...)
	}
	s := strings.Join(parts, " ")
	if e.Text != "" {
		if s != "" {
			s += ": "
		}
		s += e.Text
	}
	return s
}
