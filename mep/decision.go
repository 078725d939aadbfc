package mep

import (
	"context"
	"encoding/json"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/policy"
)

// The record of a decision: the event Decide appends, its encoding, and
// the checks replay runs on it.

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
	// A decision is judged when it is recorded: one dated earlier, by a
	// minute or more or before the latest fact of the record (a clock
	// set back), would leave out the votes and failures recorded since
	// (R9).
	if now, err := p.recordedAt(v); err == nil && (now.Sub(v.At) >= lateAfter || v.At.Before(st.now)) {
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
func (v *evDecision) fields(c codec) {
	dd := &v.Decision
	c.at(&v.At)
	c.by(&v.By)
	c.need("rollout", &v.Rollout)
	c.time("t0", &dd.T0)
	c.str("digest", &dd.Digest)
	c.dur("estimate", &dd.Estimate)
	c.int("pending", &dd.Pending)
	if c.w != nil {
		v.write(c.w)
	} else {
		dd.At = v.At
		v.readReasons(c.d)
	}
	c.require("verdict")
	c.enum("verdict", &dd.Verdict)
	if c.d != nil {
		v.read(c.d)
	}
}

// write writes the decision's reasons, the policies' answers, the
// override, the items and the votes behind it.
func (v *evDecision) write(w *enc) {
	dd := &v.Decision
	w.text(joinReasons(dd.Reasons)) // for people reading the record
	w.reasons("reasons", dd.Reasons)
	if v.policies != nil {
		w.str("policies", string(v.policies)) // as check encoded them
	} else {
		w.json("policies", dd.Policy.Decisions)
	}
	if o := dd.Policy.Override; o != nil {
		w.json("override", o)
	}
	w.reasons("warnings", dd.Warnings)
	w.list("late", itemIDs(dd.Late))
	w.list("failed", itemIDs(dd.Failed))
	w.votes("votes", dd.Votes)
	w.votes("stale", dd.Stale)
}

// readReasons reads the reasons, or the text of a decision written before
// reasons were data. Read back as it was just written, a decision is not
// parsed: check vouched for it (see encodable).
func (v *evDecision) readReasons(d *dec) {
	dd := &v.Decision
	if d.readBack {
		return
	}
	if _, ok := d.e.Attrs["reasons"]; ok {
		d.json("reasons", &dd.Reasons)
	} else if t := d.text(); t != "" {
		// Read as the reasons' JSON would be: invalid UTF-8 replaced.
		for _, r := range strings.Split(strings.ToValidUTF8(t, "\uFFFD"), "\n") {
			dd.Reasons = append(dd.Reasons, Reason{Text: r})
		}
	}
}

// read reads back what write wrote after the reasons, its times in the
// record's location. Read back as it was just written, only the override
// is parsed: check vouched for the rest (see encodable).
func (v *evDecision) read(d *dec) {
	dd := &v.Decision
	if d.readBack {
		d.json("override", &dd.Policy.Override)
		return
	}
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
	if w := d.str("warnings"); strings.HasPrefix(w, `["`) { // written before reasons were data
		for _, t := range d.list("warnings") {
			dd.Warnings = append(dd.Warnings, Reason{Text: t})
		}
	} else {
		d.json("warnings", &dd.Warnings)
	}
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
	if ro.finished != nil && st.checks(2) {
		return wrapf(ErrRunbook, "%s", finishedAt(ro.finished, ro.t0.Location()))
	}
	if d.Verdict == Go && ro.rollback != nil && st.strict() {
		return wrapf(ErrNoGo, "a GO after the rollback: %s", rolledBack(ro.rollback, ro.t0.Location()))
	}
	if d.Verdict == Go && !d.T0.Equal(ro.t0) {
		return wrapf(ErrNoGo, "a GO for T0 %s; the rollout's T0 is %s", d.T0.Format(time.RFC3339), ro.t0.Format(time.RFC3339))
	}
	if d.Verdict == Go {
		// The GO must stand on the record's facts, judged when it was
		// recorded, after every fact before it. Written, prepare has
		// just evaluated it with every policy; this is what a replay
		// checks again, so that no GO is written that a replay refuses.
		by, err := ro.goStands(st, latest(v.At, st.now), ro.t0)
		if err != nil {
			return err
		}
		if v.By != by && st.strict() {
			return wrapf(ErrNoGo, "a GO given by %q; the GO that counts is %s's", v.By, by)
		}
	}
	if err := checkTime("decision.t0", d.T0); err != nil {
		return err
	}
	return v.encodable()
}

// encodable refuses what the record could not read back as it was
// written: a rule, role or verdict with no name, a time outside the
// years the record holds, text that is not valid UTF-8. What it
// accepts, write encodes with encoders whose round trip with read
// FuzzDecisionReadsBack holds (and policy's fuzz tests for the policies'
// answers), so that readsBack need not parse the decision again. It
// keeps the policies' answers as policy encodes them, for write.
func (v *evDecision) encodable() error {
	d := &v.Decision
	for _, rs := range [][]Reason{d.Reasons, d.Warnings} {
		for _, r := range rs {
			switch {
			case !utf8.ValidString(r.Source) || !utf8.ValidString(r.Text):
				return fieldErr("decision.reasons", r.Source, notUTF8)
			case !r.Rule.IsValid():
				return fieldErr("decision.reasons", r.Source, "an unknown rule, "+r.Rule.String())
			}
		}
	}
	for _, vs := range [][]Vote{d.Votes, d.Stale} {
		for _, x := range vs {
			if err := voteEncodable(x); err != nil {
				return err
			}
		}
	}
	if err := validText(d); err != nil {
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

// voteEncodable refuses a vote of a decision that the record could not
// read back as it is (see encodable).
func voteEncodable(x Vote) error {
	switch {
	case !utf8.ValidString(x.By) || !utf8.ValidString(x.Reason) || !utf8.ValidString(x.Digest) || !utf8.ValidString(x.Stale):
		return fieldErr("decision.votes", x.By, notUTF8)
	case !x.Role.isValid():
		return fieldErr("decision.votes", x.By, "an unknown role, "+x.Role.String())
	case !verdicts.Valid(x.Verdict):
		return fieldErr("decision.votes", x.By, "an unknown verdict, "+x.Verdict.String())
	}
	if err := checkTime("decision.votes.at", x.At); err != nil {
		return err
	}
	return checkTime("decision.votes.t0", x.T0)
}

// validText refuses text of the policies' answers, the override and the
// items of d that is not valid UTF-8 (encodable checks the reasons and
// votes): JSON writes each invalid byte as U+FFFD, and the decision read
// back would not be the one taken. A policy given in code may answer
// with any bytes, in its name or its reason.
func validText(d *Decision) error {
	for _, pd := range d.Policy.Decisions {
		if !utf8.ValidString(pd.Policy) || !utf8.ValidString(pd.Reason) {
			return fieldErr("decision.policies", pd.Policy, notUTF8)
		}
	}
	if o := d.Policy.Override; o != nil && (!utf8.ValidString(o.By) || !utf8.ValidString(o.Reason)) {
		return fieldErr("decision.override", o.By, notUTF8)
	}
	for _, items := range [][]checklist.Item{d.Late, d.Failed} {
		for _, it := range items {
			if !utf8.ValidString(it.ID) {
				return fieldErr("decision.items", it.ID, notUTF8)
			}
		}
	}
	return nil
}

// notUTF8 is the reason a text that is not valid UTF-8 is refused.
const notUTF8 = "not valid UTF-8: the record would read it back otherwise"

func (v *evDecision) apply(st *state) {
	r := st.byName[v.Rollout]
	r.decided = v.Decision
	r.decided.By = v.By
}

// joinReasons returns the reasons as people read them, one per line.
func joinReasons(rs []Reason) string {
	n := 0
	for _, r := range rs {
		n += len(r.Source) + len(r.Text) + 10
	}
	b := make([]byte, 0, n)
	for i, r := range rs {
		if i > 0 {
			b = append(b, '\n')
		}
		b = r.append(b)
	}
	return string(b)
}
