package mep

import (
	"context"
	"encoding/json"
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
		return fmt.Sprintf("phase: the project is in %s; the first go-live is decided once the gates up to preparation are passed (R1)", st.phase)
	}
	return fmt.Sprintf("phase: the project is in %s; later deployments are decided in industrialization or operations (R1)", st.phase)
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
		v.block(fmt.Sprintf("policies: %s, given in code, are not attached since the record was opened: call NewRollout with them again",
			strings.Join(ro.code, ", ")))
	}
	if why := st.phaseAllows(ro); why != "" {
		v.block(why)
		for _, u := range st.unmetLocked(p, now) {
			v.block("phase: to leave " + st.phase.String() + ", " + u)
		}
	}
	for _, pd := range d.Policy.Decisions {
		switch {
		case pd.Verdict == policy.Deny && !pd.Overridden:
			v.block(pd.String())
		case pd.Verdict == policy.Deny:
			v.note(pd.String() + " (overridden)")
		case pd.Verdict == policy.Warn && waitsFor(set.PolicyOf(pd)):
			v.wait(pd.String()) // a GO or readiness still to come
		case pd.Verdict == policy.Warn:
			v.note(pd.String()) // worth a look; does not block
		}
	}
	ro.methodChecks(st, p, now, &v)
	ro.readinessChecks(now, &v)
	for _, vt := range current {
		if vt.Verdict == NoGo {
			v.block("vote: " + vt.String())
		}
	}
	for _, s := range stale {
		v.note(fmt.Sprintf("vote: %s does not count: %s", s, s.Stale))
	}
	if len(est.Unknown) > 0 {
		v.wait(fmt.Sprintf("estimate: no expected duration for %s; rehearse the runbook (R5) or set Step.Expected",
			strings.Join(est.Unknown, ", ")))
	}
	if est.Warning != "" {
		d.Warnings = append(d.Warnings, est.Warning)
	}
	for _, l := range st.unapplied(ro.name) {
		d.Warnings = append(d.Warnings, fmt.Sprintf("lesson #%d not applied yet: %s; apply it: %s (R12)", l.ID, l.Text, l.Action))
	}
	if p.country == "" && st.freezeOff == nil {
		d.Warnings = append(d.Warnings, "holidays: no country set (Options.Country): public holidays and their eves are not checked (R11)")
	}
	v.finish(current)
	return d
}

// verdict gathers the reasons of a decision as evaluate finds them: those
// that block it, first, then those that do not.
type verdict struct {
	d       *Decision
	blocked bool     // a reason makes it NoGo
	missing bool     // something is still to come: Undecided at best
	later   []string // reasons that do not block, listed after those that do
}

func (v *verdict) block(reason string) { v.blocked = true; v.d.Reasons = append(v.d.Reasons, reason) }
func (v *verdict) wait(reason string)  { v.missing = true; v.later = append(v.later, reason) }
func (v *verdict) note(reason string)  { v.later = append(v.later, reason) }

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
		d.Reasons = append(d.Reasons, "vote: no GO that counts for this T0")
	default:
		d.Verdict = Go
		d.By = goBy(current)
		for _, pd := range d.Policy.Decisions {
			if pd.Overridden {
				continue // listed above, marked "(overridden)"
			}
			d.Reasons = append(d.Reasons, pd.String())
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
			v.block("operations readiness (R13): " + trimPrefix(err.Error()))
		}
	}
	for _, c := range ro.readiness.Coverage(checklist.HardwareVerified, checklist.ConfigBackup) {
		if len(c.Items) == 0 { // R8: the list lacks the item; one not done is pending or late
			v.block(fmt.Sprintf("readiness (R8): the readiness checklist has no item for the %s (purpose %s)",
				purposeWords[c.Purpose], c.Purpose))
		}
		// A waived item is no backup, and an optional one is waited for
		// as a required one is (readinessChecks).
		for _, res := range c.NotDone {
			switch {
			case res.Status == checklist.Waived:
				v.block(fmt.Sprintf("readiness (R8): item %s, for the %s, was waived: a waiver does not count", res.Item.ID, purposeWords[c.Purpose]))
			case res.Item.Optional:
				v.wait(fmt.Sprintf("readiness (R8): item %s, for the %s, is not done", res.Item.ID, purposeWords[c.Purpose]))
			}
		}
	}
	for _, err := range st.people.check() { // R3, at every GO
		v.block("team (R3): " + trimPrefix(err.Error()))
	}
}

// readinessChecks are the readiness run's: items late (R7), failed, or
// still to do.
func (ro *rollout) readinessChecks(now time.Time, v *verdict) {
	d, loc := v.d, ro.t0.Location()
	for _, it := range ro.readiness.Late(now) {
		res, _ := ro.readiness.Result(it.ID)
		if it.Optional {
			v.note(fmt.Sprintf("checklist: optional item %s (%s) is late", it.ID, it.Title))
			continue
		}
		d.Late = append(d.Late, it)
		due := ro.t0.Add(it.Deadline).In(loc).Format("2006-01-02 15:04 MST")
		if res.Status == checklist.Done {
			v.block(fmt.Sprintf("checklist: item %s (%s) was done at %s, after its deadline %s (R7)",
				it.ID, it.Title, res.At.In(loc).Format("2006-01-02 15:04 MST"), due))
		} else {
			v.block(fmt.Sprintf("checklist: item %s (%s) was due by %s and is not done (R7)", it.ID, it.Title, due))
		}
	}
	progress := ro.readiness.Progress()
	if progress.Failed > 0 {
		for _, res := range ro.readiness.Results() {
			if res.Status != checklist.Failed {
				continue
			}
			d.Failed = append(d.Failed, res.Item)
			reason := fmt.Sprintf("checklist: item %s (%s) failed", res.Item.ID, res.Item.Title)
			if res.Note != "" {
				reason += ": " + res.Note
			}
			v.block(reason)
		}
	}
	if progress.RequiredPending > 0 {
		d.Pending = progress.RequiredPending
		v.wait(fmt.Sprintf("checklist: %d required item(s) of %q still to do", progress.RequiredPending, ro.readiness.List().Name))
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
// The decision is NoGo when the project's phase does not allow it (R1),
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
	return ev.full, nil
}

// Decided returns the last decision taken by Decide, as the record keeps
// it; the zero Decision (Undecided) if none was, or if T0 moved since.
func (g GoNoGo) Decided() Decision {
	r := g.r
	var d Decision
	r.with(func(_ *state, ro *rollout) { d = ro.decided })
	return d
}

// evDecision is a go/no-go decision taken by Decide (R9), with its
// reasons and the policies' answers behind it.
type evDecision struct {
	At       time.Time
	Rollout  string
	Decision Decision
	By       string

	// Not in the record: the context of Decide, the decision as Decide
	// returns it (with its lists of late and failed items and votes), and
	// the policies' answers as policy encodes them, made by check.
	ctx      context.Context
	full     Decision
	policies []byte
}

// prepare takes the decision: the rollout evaluated at the event's time.
// A policy's next allowed start that the record could not hold (past the
// year 9999) is left out.
func (v *evDecision) prepare(p *Project, st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	// A decision is judged when it is recorded: one dated earlier would
	// leave out the votes and failures recorded since (R9).
	if now, err := p.recordedAt(v); err == nil && now.Sub(v.At) >= lateAfter {
		v.At = now
	}
	d := ro.evaluate(v.ctx, st, p, v.At, ro.t0)
	for i := range d.Policy.Decisions {
		if next := d.Policy.Decisions[i].Next; !next.IsZero() && checkTime("next", next) != nil {
			d.Policy.Decisions[i].Next = time.Time{}
		}
	}
	v.full, v.Decision, v.By = d, d, d.By
	return nil
}

func (*evDecision) kind() string      { return "decision" }
func (v *evDecision) when() time.Time { return v.At }
func (v *evDecision) put(w *enc) {
	dd := &v.Decision
	w.by(v.By)
	w.text(strings.Join(dd.Reasons, "\n"))
	w.str("rollout", v.Rollout)
	w.str("verdict", dd.Verdict.String())
	w.time("t0", dd.T0)
	w.str("digest", dd.Digest)
	w.dur("estimate", dd.Estimate)
	w.int("pending", dd.Pending)
	if v.policies != nil {
		w.str("policies", string(v.policies)) // as check encoded them
	} else {
		w.json("policies", dd.Policy.Decisions)
	}
	if o := dd.Policy.Override; o != nil {
		w.json("override", o)
	}
	w.list("warnings", dd.Warnings)
	w.list("late", itemIDs(dd.Late))
	w.list("failed", itemIDs(dd.Failed))
	if len(dd.Votes) > 0 {
		w.json("votes", dd.Votes)
	}
	if len(dd.Stale) > 0 {
		w.json("stale", dd.Stale)
	}
}

// itemIDs returns the IDs of items, as the record keeps them.
func itemIDs(items []checklist.Item) []string {
	ids := make([]string, len(items))
	for i, it := range items {
		ids[i] = it.ID
	}
	return ids
}

// byIDs returns items with these IDs, each completed in check.
func byIDs(ids []string) []checklist.Item {
	var items []checklist.Item
	for _, id := range ids {
		items = append(items, checklist.Item{ID: id})
	}
	return items
}

func (v *evDecision) get(d *dec) error {
	v.At, v.By, v.Rollout = d.e.At.In(d.loc), d.by(), d.need("rollout")
	dd := &v.Decision
	dd.At, dd.T0, dd.Digest, dd.Estimate, dd.Pending = v.At, d.time("t0"), d.str("digest"), d.dur("estimate"), d.int("pending")
	if t := d.text(); t != "" {
		dd.Reasons = strings.Split(t, "\n")
	}
	d.need("verdict")
	d.text2("verdict", &dd.Verdict)
	d.json("policies", &dd.Policy.Decisions)
	for i := range dd.Policy.Decisions {
		if next := &dd.Policy.Decisions[i].Next; !next.IsZero() {
			*next = next.In(d.loc)
		}
	}
	if _, ok := d.e.Attrs["override"]; ok {
		d.json("override", &dd.Policy.Override)
		if o := dd.Policy.Override; o != nil && !o.At.IsZero() {
			o.At = o.At.In(d.loc)
		}
	}
	dd.Warnings = d.list("warnings")
	dd.Late, dd.Failed = byIDs(d.list("late")), byIDs(d.list("failed"))
	if _, ok := d.e.Attrs["votes"]; ok {
		d.json("votes", &dd.Votes)
	}
	if _, ok := d.e.Attrs["stale"]; ok {
		d.json("stale", &dd.Stale)
	}
	for _, vs := range [][]Vote{dd.Votes, dd.Stale} {
		for i := range vs {
			vs[i].At, vs[i].T0 = vs[i].At.In(d.loc), vs[i].T0.In(d.loc)
		}
	}
	return nil
}

var _ = register[evDecision]()

func (v *evDecision) check(st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	d := &v.Decision
	// The late and failed items are the readiness list's.
	for _, items := range [][]checklist.Item{d.Late, d.Failed} {
		for i := range items {
			if ro.readiness == nil {
				return fieldErr("decision.items", items[i].ID, "no readiness checklist")
			}
			it, ok := ro.readiness.List().Item(items[i].ID)
			if !ok {
				return fieldErr("decision.items", items[i].ID, "not an item of the readiness checklist")
			}
			items[i] = it
		}
	}
	if _, err := d.Verdict.MarshalText(); err != nil {
		return err
	}
	if d.Verdict == Go {
		if err := ro.goStands(st, v.At); err != nil {
			return err
		}
	}
	if err := checkTime("decision.t0", d.T0); err != nil {
		return err
	}
	// policy refuses an unknown verdict or rule, and a time RFC 3339
	// cannot carry.
	b, err := policy.AppendDecisions(nil, d.Policy.Decisions)
	if err != nil {
		return fieldErr("decision.policies", "", err.Error())
	}
	if o := d.Policy.Override; o != nil {
		if _, err := json.Marshal(o); err != nil {
			return fieldErr("decision.override", o.By, err.Error())
		}
	}
	v.policies = b
	return nil
}

func (v *evDecision) apply(st *state) {
	r := st.byName[v.Rollout]
	r.decided = v.Decision
	r.decided.By = v.By
}
