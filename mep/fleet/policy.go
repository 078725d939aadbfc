package fleet

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// PolicyName is the name of the policies [Snapshot.Policy] returns.
const PolicyName = "fleet-conflicts"

// Policy returns a policy that checks project's rollout against the
// other active rollouts of the snapshot under r: the change is refused,
// with verdict,
// when its operation, [Start, Start+Duration), overlaps another rollout
// it shares a resource, an exclusive environment or a person with, or a
// blackout of a resource it touches. The reason names the other rollout,
// its team, what they share and its span, e.g. "conflicts with
// payments/v7 (team Pay) on database:billing, Tue 10 Mar 21:00-22:40
// CET". An allowed change's reason says how many planned rollouts it
// was checked against, so that a decision records what the policy saw.
//
// What the rollout touches and who runs it are read from its entry in
// the snapshot; a rollout the snapshot does not know yet only conflicts
// on its environment (policy.Change.Environment, which also overrides
// the entry's in Evaluate). A rollout of that project and name that
// more than one record holds is refused, or warned of, at every time,
// naming the records: the policy cannot tell which the change is (a
// copy that declares nothing would otherwise hide what the other
// touches). A cutover still running at the snapshot past its planned
// end holds what it touches until [DefaultSpan] after the snapshot, as
// in [Snapshot.Conflicts]. A zero Duration checks the instant Start.
// The policy sees the snapshot it was made from: make a new one after a
// rescan.
//
// With verdict policy.Deny the policy is a [policy.Calendar] whose
// Blocked spans are those of the conflicting rollouts and blackouts, so
// that policy.Set.NextSlot and mep.Rollout.Propose skip them; with
// policy.Warn it only warns. Another verdict allows everything.
func (s *Snapshot) Policy(project, rollout string, r Rules, verdict policy.Verdict) policy.Policy {
	c := &conflictPolicy{snap: s, project: project, rollout: rollout, rules: r, verdict: verdict}
	if verdict == policy.Deny {
		return c
	}
	return warnPolicy{c}
}

// warnPolicy is a conflict policy that warns or allows: not a calendar,
// since it blocks no slot.
type warnPolicy struct{ c *conflictPolicy }

// Name returns PolicyName.
func (warnPolicy) Name() string { return PolicyName }

// Evaluate checks ch against the snapshot.
func (w warnPolicy) Evaluate(ctx context.Context, ch policy.Change) policy.Decision {
	return w.c.Evaluate(ctx, ch)
}

// WithExclusive is [conflictPolicy.WithExclusive], still warning only.
func (w warnPolicy) WithExclusive(envs []string) policy.Policy {
	return warnPolicy{w.c.WithExclusive(envs).(*conflictPolicy)}
}

var _ policy.Calendar = (*conflictPolicy)(nil)

type conflictPolicy struct {
	snap    *Snapshot
	project string
	rollout string
	rules   Rules
	verdict policy.Verdict
}

// Name returns PolicyName.
func (*conflictPolicy) Name() string { return PolicyName }

// WithExclusive returns the policy with the environments of envs
// exclusive too, besides its rules' own: how a policy file's conflicts
// entry (policy.Conflicts) hands its exclusive environments to the check
// a program gives in code.
func (p *conflictPolicy) WithExclusive(envs []string) policy.Policy {
	q := *p
	q.rules.Exclusive = slices.Clone(p.rules.Exclusive)
	for _, env := range envs {
		if !q.rules.exclusive(env) {
			q.rules.Exclusive = append(q.rules.Exclusive, env)
		}
	}
	return &q
}

// candidate returns the entry the change is about: the snapshot's, with
// the change's environment when it names one.
func (p *conflictPolicy) candidate(env string) Entry {
	e, ok := p.snap.Find(p.project, p.rollout)
	if !ok {
		e = Entry{Project: p.project, Rollout: p.rollout}
	}
	if env != "" {
		e.Environment = env
	}
	return e
}

// records returns the names of the records of the snapshot that hold
// the rollout, sorted: more than one, and the policy cannot tell which
// the change is.
func (p *conflictPolicy) records() []string { return p.snap.records(p.project, p.rollout) }

// hits returns the conflicts of cand over iv, sorted by start.
func (p *conflictPolicy) hits(cand *Entry, iv policy.Interval) []Conflict {
	var out []Conflict
	for i := range p.snap.Entries {
		o := &p.snap.Entries[i]
		if !o.IsActive() || isSelf(cand, o) {
			continue
		}
		if ov, ok := overlap(iv, p.snap.spanOf(o)); ok {
			out = pairConflicts(out, cand, o, ov, p.rules)
		}
	}
	out = blackoutConflicts(out, cand, iv, p.rules)
	slices.SortStableFunc(out, func(a, b Conflict) int { return a.Span.Start.Compare(b.Span.Start) })
	return out
}

// Evaluate checks c against the snapshot.
func (p *conflictPolicy) Evaluate(_ context.Context, c policy.Change) policy.Decision {
	d := policy.Decision{Policy: PolicyName}
	if p.verdict != policy.Deny && p.verdict != policy.Warn {
		return d
	}
	cand := p.candidate(c.Environment)
	dur := max(c.Duration, 1) // an instant: the nanosecond at Start
	hits := p.hits(&cand, policy.Interval{Start: c.Start, End: c.Start.Add(dur)})
	amb := p.snap.ambiguous(p.project, p.rollout)
	if len(hits) == 0 && amb == nil {
		d.Reason = p.clear(&cand)
		return d
	}
	loc := c.Zone()
	reasons := make([]string, 0, len(hits)+1)
	if amb != nil {
		reasons = append(reasons, amb.Error())
	}
	for _, h := range hits {
		reasons = append(reasons, p.reason(h, loc))
	}
	d.Verdict, d.Reason = p.verdict, strings.Join(slices.Compact(reasons), "; ")
	if p.verdict == policy.Deny && amb == nil {
		d.Next = p.next(&cand, c.Start, dur)
	}
	return d
}

// clear says what an allowed change was checked against, so that the
// decision records what the policy saw.
func (p *conflictPolicy) clear(cand *Entry) string {
	n := 0
	for i := range p.snap.Entries {
		o := &p.snap.Entries[i]
		if o.IsActive() && (o.Project != cand.Project || o.Rollout != cand.Rollout) {
			n++
		}
	}
	switch n {
	case 0:
		return "no other planned rollout in the store"
	case 1:
		return "no conflict with the other planned rollout of the store"
	}
	return fmt.Sprintf("no conflict with the %d other planned rollouts of the store", n)
}

// reason says what a conflict of the change is about, for people.
func (p *conflictPolicy) reason(h Conflict, loc *time.Location) string {
	if h.Kind == Blackout {
		return fmt.Sprintf("in the blackout %s of %s, %s", h.Blackout, h.On, span(h.Span, loc))
	}
	on := h.On
	if h.Kind == SamePerson {
		on = "person " + on
	} else if h.Kind == ExclusiveEnvironment {
		on = "exclusive environment " + on
	}
	when := span(h.B.Interval(), loc)
	if p.snap.overran(&h.B) {
		when = "still running past its planned span " + when
	}
	return fmt.Sprintf("conflicts with %s (team %s) on %s, %s", h.B.ID(), h.B.Team, on, when)
}

// maxNext bounds the search for the next start without a conflict.
const maxNext = 366 * 24 * time.Hour

// next returns the earliest start at or after from, within maxNext,
// where [start, start+dur) has no conflict, or the zero time.
func (p *conflictPolicy) next(cand *Entry, from time.Time, dur time.Duration) time.Time {
	blocked := p.blocked(cand, from, from.Add(maxNext).Add(dur)) // maxNext+dur may overflow
	t := from
	for _, b := range blocked {
		if !b.Start.Before(t.Add(dur)) {
			break
		}
		t = later(t, b.End)
	}
	if t.Sub(from) > maxNext {
		return time.Time{}
	}
	return t
}

// Blocked returns the spans of [from, to) in which the rollout would
// run into a conflict: those of the rollouts it shares something with,
// and the blackouts of its resources, merged.
func (p *conflictPolicy) Blocked(from, to time.Time) []policy.Interval {
	cand := p.candidate("")
	if len(p.records()) > 1 && to.After(from) {
		return []policy.Interval{{Start: from, End: to}}
	}
	return p.blocked(&cand, from, to)
}

// blocked is Blocked for cand.
func (p *conflictPolicy) blocked(cand *Entry, from, to time.Time) []policy.Interval {
	if !to.After(from) {
		return nil
	}
	var ivs []policy.Interval
	for i := range p.snap.Entries {
		o := &p.snap.Entries[i]
		if !o.IsActive() || isSelf(cand, o) {
			continue
		}
		n := 0
		shared(cand, o, p.rules, func(Kind, string) { n++ })
		if ov, ok := overlap(policy.Interval{Start: from, End: to}, p.snap.spanOf(o)); n > 0 && ok {
			ivs = append(ivs, ov)
		}
	}
	for _, bo := range p.rules.Blackouts {
		if bo.Calendar != nil && touches(cand, bo.Resource) {
			ivs = append(ivs, bo.Calendar.Blocked(from, to)...)
		}
	}
	return merge(ivs)
}

// merge sorts ivs and merges those that overlap or touch.
func merge(ivs []policy.Interval) []policy.Interval {
	slices.SortFunc(ivs, func(a, b policy.Interval) int { return cmp.Compare(a.Start.UnixNano(), b.Start.UnixNano()) })
	var out []policy.Interval
	for _, iv := range ivs {
		if !iv.Start.Before(iv.End) {
			continue
		}
		if n := len(out); n > 0 && !iv.Start.After(out[n-1].End) {
			out[n-1].End = later(out[n-1].End, iv.End)
			continue
		}
		out = append(out, iv)
	}
	return out
}
