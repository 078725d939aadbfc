package policy

import "context"

// Set is a list of policies evaluated together. A change is allowed when no
// policy denies it (or every denial was overridden). The zero Set allows
// everything. Nil entries are skipped.
type Set []Policy

// Evaluate returns the decision of every policy about c, in order.
//
// Break-glass: when c.Override names who (By) and why (Reason), every Deny
// from a policy that is not [Mandatory] is marked Overridden and no longer
// blocks; the Result keeps it and records the Override. An Override without
// By or Reason changes nothing and adds a Warn decision from "override"
// saying so.
func (s Set) Evaluate(ctx context.Context, c Change) Result {
	ov := c.Override.valid()
	n := len(s)
	if c.Override != nil && !ov {
		n++
	}
	r := Result{Decisions: make([]Decision, n)}
	n = 0
	// The reasons that the policies of this package build are written to
	// one buffer, then made strings in one allocation.
	scratch := getScratch()
	b := scratch.b
	type span struct{ i, a, b int }
	var spanStack [16]span
	spans := spanStack[:0]
	for _, p := range s {
		if p == nil {
			continue
		}
		d := &r.Decisions[n]
		a := len(b)
		b = evaluate(ctx, p, &c, d, b)
		if len(b) > a {
			spans = append(spans, span{n, a, len(b)})
		}
		if d.Policy == "" {
			d.Policy = p.Name()
		}
		if d.Verdict == Deny && ov && !IsMandatory(p) {
			d.Overridden = true
		}
		n++
	}
	if len(spans) > 0 {
		all := string(b)
		for _, x := range spans {
			r.Decisions[x.i].Reason = all[x.a:x.b]
		}
	}
	scratch.put(b)
	r.Decisions = r.Decisions[:n]
	switch {
	case ov:
		o := *c.Override
		r.Override = &o
	case c.Override != nil:
		r.Decisions = append(r.Decisions, Decision{
			Policy:  "override",
			Verdict: Warn,
			Reason:  "break-glass request ignored: it needs both By (who) and Reason (why)",
		})
	}
	return r
}
