package mep

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// change builds what the policies see at now, for an operation that
// starts at start.
func (ro *rollout) change(st *state, now, start time.Time, est Estimate, votes []Vote) policy.Change {
	c := policy.Change{
		Name: ro.name, Environment: ro.env, Labels: ro.labels, Start: start, Duration: ro.withMargin(est.Total),
		Now: now, ReadyAt: ro.readiness.ReadyAt(), Outage: est.Outage, Override: ro.override,
		// The outage is known when every step has an estimate; reasons
		// without a zone of their own speak in T0's.
		OutageKnown: len(est.Unknown) == 0, Location: ro.t0.Location(),
	}
	for _, v := range votes {
		c.Approvals = append(c.Approvals, v.approval())
	}
	setRisk(&c, ro.risk(st))
	c.Risk.Durations = ro.durations(st, est) // for policy.FitAt; drawn only if read
	return c
}

// risk gathers what a risk check needs.
func (ro *rollout) risk(st *state) risk {
	var k risk
	for _, rh := range ro.rehearsals {
		if rh.Rollback {
			continue
		}
		k.rehearsals++
		if rh.ProductionLike && !rh.Partial {
			k.productionLike++
		}
		for _, sp := range rh.Summary.Steps {
			if !sp.Open && sp.Outcome == timeline.Failed {
				k.failedSteps = append(k.failedSteps, sp.Step)
			}
		}
	}
	for _, l := range st.unapplied(ro.name) {
		k.unapplied = append(k.unapplied, l.Text)
	}
	for _, s := range ro.runbook {
		if s.PointOfNoReturn {
			k.pointOfNoReturn = s.ID
			break
		}
	}
	return k
}

// Evaluate returns the go/no-go as it stands at now, without recording
// anything: a preview of [GoNoGo.Decide].
func (g GoNoGo) Evaluate(ctx context.Context, now time.Time) Decision {
	r := g.r
	var d Decision
	r.with(func(st *state, ro *rollout) { d = ro.evaluate(ctx, st, r.p, now.Round(0), ro.t0) })
	return d
}

// phaseAllows explains why the project's phase does not allow a go/no-go
// of ro, or returns "" (R1): the first go-live once the gates up to
// Preparation are passed, later ones in Industrialization or Operations.
func (st *state) phaseAllows(ro *rollout) string {
	if st.rolloutsOnly {
		return ""
	}
	first := true
	for _, o := range st.rollouts {
		if o != ro && o.finished != nil {
			first = false
		}
	}
	switch {
	case first && (st.phase == Preparation || st.phase == Cutover):
		return ""
	case !first && st.phase >= Industrialization:
		return ""
	case first:
		return fmt.Sprintf("the project is in %s; the first go-live is decided once the gates up to preparation are passed", st.phase)
	}
	return fmt.Sprintf("the project is in %s; later deployments are decided in industrialization or operations", st.phase)
}

// evaluate returns the decision at now for an operation starting at
// start: T0, or the instant the first step actually starts.
func (ro *rollout) evaluate(ctx context.Context, st *state, p *Project, now, start time.Time) Decision {
	est := ro.estimate()
	current, stale := ro.countVotes(st, now)
	c := ro.change(st, now, start, est, current)
	d := Decision{At: now, T0: ro.t0, Votes: current, Stale: stale, Digest: ro.readiness.Digest(), Estimate: c.Duration}
	set := ro.policySet(p)
	d.Policy = set.Evaluate(ctx, c)
	v := verdict{d: &d}

	if len(ro.code) > 0 && !ro.attached {
		// Fail closed: the policies the record names are not all here.
		v.block(Reason{Source: "policies", Text: fmt.Sprintf("%s, given in code, are not attached since the record was opened: call NewRollout with them again",
			strings.Join(ro.code, ", "))})
	}
	if rb := ro.rollback; rb != nil {
		v.block(Reason{Source: "cutover", Rule: policy.R9, Text: rolledBack(rb, ro.t0.Location())})
	} else if f := ro.finished; f != nil {
		v.block(Reason{Source: "cutover", Rule: policy.R10, Text: finishedAt(f, ro.t0.Location())})
	}
	if why := st.phaseAllows(ro); why != "" {
		v.block(Reason{Source: "phase", Rule: policy.R1, Text: why})
		for _, u := range st.unmetLocked(p, now) {
			v.block(Reason{Source: "phase", Rule: u.rule, Text: "to leave " + st.phase.String() + ", " + u.text})
		}
	}
	for _, pd := range d.Policy.Decisions {
		switch {
		case pd.Verdict == policy.Deny && !pd.Overridden:
			v.block(policyReason(pd, ""))
		case pd.Verdict == policy.Deny:
			v.note(policyReason(pd, " (overridden)"))
		case pd.Verdict == policy.Warn && waitsFor(set.PolicyOf(pd)):
			v.wait(policyReason(pd, "")) // a GO or readiness still to come
		case pd.Verdict == policy.Warn:
			v.note(policyReason(pd, "")) // worth a look; does not block
		}
	}
	ro.methodChecks(st, p, now, &v)
	ro.readinessChecks(now, &v)
	for _, vt := range current {
		if vt.Verdict == NoGo {
			v.block(Reason{Source: "vote", Rule: policy.R9, Text: vt.String()})
		}
	}
	for _, s := range stale {
		rule := s.rule
		if rule == 0 {
			rule = policy.R9
		}
		v.note(Reason{Source: "vote", Rule: rule, Text: fmt.Sprintf("%s does not count: %s", s, s.Stale)})
	}
	if len(est.Unknown) > 0 {
		v.wait(Reason{Source: "estimate", Rule: policy.R5, Text: fmt.Sprintf("no expected duration for %s; rehearse the runbook or set Step.Expected",
			strings.Join(est.Unknown, ", "))})
	}
	if est.Warning != "" {
		d.Warnings = append(d.Warnings, Reason{Source: "estimate", Rule: policy.R5, Text: est.Warning})
	}
	for _, l := range st.unapplied(ro.name) {
		d.Warnings = append(d.Warnings, Reason{Source: "lesson", Rule: policy.R12, Text: fmt.Sprintf("#%d not applied yet: %s; apply it: %s", l.ID, l.Text, l.Action)})
	}
	if st.options(p).Country == "" && st.freezeOff == nil {
		d.Warnings = append(d.Warnings, Reason{Source: "holidays", Rule: policy.R11, Text: "no country set (Options.Country): public holidays and their eves are not checked"})
	}
	v.finish(current)
	return d
}

// rolledBack says why no GO follows the rollback rb of a rollout.
func rolledBack(rb *evRollback, loc *time.Location) string {
	return "the cutover was rolled back at " + rb.At.In(loc).Format("2006-01-02 15:04 MST") + " by " + rb.By +
		": a new go-live is a new rollout"
}

// finishedAt says why no decision follows the end f of a rollout's
// cutover.
func finishedAt(f *evFinish, loc *time.Location) string {
	return "the cutover finished at " + f.At.In(loc).Format("2006-01-02 15:04 MST") + ": a new go-live is a new rollout"
}

// verdict gathers the reasons of a decision as evaluate finds them: those
// that block it, first, then those that do not.
type verdict struct {
	d       *Decision
	blocked bool     // a reason makes it NoGo
	missing bool     // something is still to come: Undecided at best
	later   []Reason // reasons that do not block, listed after those that do
}

func (v *verdict) block(r Reason) { v.blocked = true; v.d.Reasons = append(v.d.Reasons, r) }
func (v *verdict) wait(r Reason)  { v.missing = true; v.later = append(v.later, r) }
func (v *verdict) note(r Reason)  { v.later = append(v.later, r) }

// policyReason is the reason of a policy's decision, with more said after
// its text.
func policyReason(pd policy.Decision, more string) Reason {
	text := pd.Reason
	if text == "" {
		text = pd.Verdict.String()
	}
	return Reason{Source: pd.Policy, Rule: pd.Rule, Text: text + more}
}

// finish sets the verdict: NoGo when a reason blocks, Undecided while
// something is missing or no GO that counts was voted, else Go (R9).
func (v *verdict) finish(current []Vote) {
	d := v.d
	d.Reasons = append(d.Reasons, v.later...)
	switch {
	case v.blocked:
		d.Verdict = NoGo
	case v.missing:
		d.Verdict = Undecided
	case goBy(current) == "":
		// Only a vote gives a GO (R9), whatever the policies say.
		d.Verdict = Undecided
		d.Reasons = append(d.Reasons, Reason{Source: "vote", Rule: policy.R9, Text: "no GO that counts for this T0"})
	default:
		d.Verdict = Go
		d.By = goBy(current)
		for _, pd := range d.Policy.Decisions {
			if pd.Overridden {
				continue // listed above, marked "(overridden)"
			}
			d.Reasons = append(d.Reasons, policyReason(pd, ""))
		}
	}
}

// methodChecks are the method's checks at every GO: operations readiness
// before the first go-live (R13), the readiness list's hardware and
// backup items (R8) and the go-live team (R3).
func (ro *rollout) methodChecks(st *state, p *Project, now time.Time, v *verdict) {
	if st.firstGoLive(ro) {
		// R13: probes, the backup process and the known failures, by
		// purpose, before the first go-live, whatever the project runs.
		if err := checkOperations(st, p, now); err != nil {
			v.block(Reason{Source: "operations readiness", Rule: policy.R13, Text: detail(err)})
		}
	}
	for _, c := range ro.readiness.Coverage(checklist.HardwareVerified, checklist.ConfigBackup) {
		if len(c.Items) == 0 { // R8: the list lacks the item; one not done is pending or late
			v.block(Reason{Source: "readiness", Rule: policy.R8, Text: fmt.Sprintf("the readiness checklist has no item for the %s (purpose %s)",
				purposeWords[c.Purpose], c.Purpose)})
		}
		// A waived item is no backup, and an optional one is waited for
		// as a required one is (readinessChecks).
		for _, res := range c.NotDone {
			switch {
			case res.Status == checklist.Waived:
				v.block(Reason{Source: "readiness", Rule: policy.R8, Text: fmt.Sprintf("item %s, for the %s, was waived: a waiver does not count", res.Item.ID, purposeWords[c.Purpose])})
			case res.Item.Optional:
				v.wait(Reason{Source: "readiness", Rule: policy.R8, Text: fmt.Sprintf("item %s, for the %s, is not done", res.Item.ID, purposeWords[c.Purpose])})
			}
		}
	}
	for _, err := range st.people.check() { // R3, at every GO
		v.block(Reason{Source: "team", Rule: policy.R3, Text: detail(err)})
	}
}

// readinessChecks are the readiness run's: items late (R7), failed, or
// still to do.
func (ro *rollout) readinessChecks(now time.Time, v *verdict) {
	d, loc := v.d, ro.t0.Location()
	for _, it := range ro.readiness.Late(now) {
		res, _ := ro.readiness.Result(it.ID)
		if it.Optional {
			v.note(Reason{Source: "checklist", Rule: policy.R7, Text: fmt.Sprintf("optional item %s (%s) is late", it.ID, it.Title)})
			continue
		}
		d.Late = append(d.Late, it)
		due := ro.t0.Add(it.Deadline).In(loc).Format("2006-01-02 15:04 MST")
		if res.Status == checklist.Done {
			v.block(Reason{Source: "checklist", Rule: policy.R7, Text: fmt.Sprintf("item %s (%s) was done at %s, after its deadline %s",
				it.ID, it.Title, res.At.In(loc).Format("2006-01-02 15:04 MST"), due)})
		} else {
			v.block(Reason{Source: "checklist", Rule: policy.R7, Text: fmt.Sprintf("item %s (%s) was due by %s and is not done", it.ID, it.Title, due)})
		}
	}
	progress := ro.readiness.Progress()
	if progress.Failed > 0 {
		for _, res := range ro.readiness.Results() {
			if res.Status != checklist.Failed {
				continue
			}
			d.Failed = append(d.Failed, res.Item)
			reason := fmt.Sprintf("item %s (%s) failed", res.Item.ID, res.Item.Title)
			if res.Note != "" {
				reason += ": " + res.Note
			}
			v.block(Reason{Source: "checklist", Rule: policy.R8, Text: reason})
		}
	}
	if progress.RequiredPending > 0 {
		d.Pending = progress.RequiredPending
		v.wait(Reason{Source: "checklist", Rule: policy.R7, Text: fmt.Sprintf("%d required item(s) of %q still to do", progress.RequiredPending, ro.readiness.List().Name)})
	}
}

// waitsFor reports whether a Warn from policy q means something is still
// to come before a GO: a vote or readiness. The policy is the one that
// gave the decision (policy.Set.PolicyOf), found by type.
func waitsFor(q policy.Policy) bool {
	if _, ok := readinessLead(q); ok {
		return true
	}
	_, _, ok := quorumOf(q)
	return ok
}

// Decide takes the go/no-go decision at now (see [GoNoGo.Evaluate]) and
// records it with its reasons and the policies' answers (R9). Only after
// a Go for the current T0 may cutover steps start. It returns a
// *FieldError for a zero now, and the record's error if the decision
// could not be recorded, in which case the rollout's decision is left as
// it was. A decision is judged when it is recorded: a now a minute or
// more before the project's clock is taken as the clock's reading; one
// after it is a *FieldError.
//
// Once the rollout's cutover finished there is no decision to take:
// Decide records nothing and returns an error wrapping [ErrRunbook] (the
// debrief keeps the decision behind the cutover). The decision is NoGo
// once the cutover was rolled back (a new go-live is a new rollout), when the project's phase does not allow it (R1),
// when a policy denies the whole operation (an override lifts the
// denials of policies that are not mandatory), when operations readiness
// is missing before the first go-live (R13), when a vote that counts is a
// No-Go, or when readiness items failed or are late (R7). It is Undecided
// while something is still missing (a vote that counts, readiness before
// its deadline, an estimate for some steps), and Go only when nothing is.
// Lessons not yet applied are warnings (R12).
func (g GoNoGo) Decide(ctx context.Context, now time.Time) (Decision, error) {
	r := g.r
	if now.IsZero() {
		return Decision{}, fieldErr("decide.now", "", "zero time")
	}
	ev := &evDecision{At: now.Round(0), Rollout: r.name, ctx: ctx}
	if err := r.p.record(ev); err != nil {
		return Decision{}, err
	}
	return ev.full.clone(), nil
}

// Decided returns the last decision taken by Decide, as the record keeps
// it; the zero Decision (Undecided) if none was, or if T0 moved since.
func (g GoNoGo) Decided() Decision {
	r := g.r
	var d Decision
	r.with(func(_ *state, ro *rollout) { d = ro.decided.clone() })
	return d
}
