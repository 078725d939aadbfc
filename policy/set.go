package policy

import (
	"context"
	"strconv"
)

// Set is a list of policies evaluated together. A change is allowed when no
// policy denies it (or every denial was overridden). The zero Set allows
// everything. Nil entries are skipped.
type Set []Policy

// Evaluate returns the decision of every policy about c, in order. Each
// decision's Index is the position of its policy in s, and its Policy the
// policy's name when the policy left it empty.
//
// Unknown values fail closed: a decision whose Verdict is none of Allow,
// Warn and Deny, or whose Rule is not one of R1 to R13 nor NoRule, becomes
// a Deny with no Rule and no Next, whose reason names the value the
// policy returned (and then its own reason). Like any Deny, a break-glass
// Override lifts it unless the policy is [Mandatory].
//
// Break-glass: when c.Override names who (By) and why (Reason), every Deny
// from a policy that is not [Mandatory] is marked Overridden and no longer
// blocks; the Result keeps it and records the Override. No other decision
// is Overridden, whatever its policy returned. An Override without
// By or Reason changes nothing and adds a Warn decision from "override"
// saying so, whose Index is -1: no policy of s gave it.
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
	for i, p := range s {
		if p == nil {
			continue
		}
		d := &r.Decisions[n]
		a := len(b)
		b = evaluate(ctx, p, &c, d, b)
		d.Index = i
		if d.Verdict > Deny || d.Rule > lastRule {
			b = failClosed(d, b, a)
		}
		if len(b) > a {
			spans = append(spans, span{n, a, len(b)})
		}
		if d.Policy == "" {
			d.Policy = p.Name()
		}
		// The Set's to say, whatever the policy returned: a policy that
		// answers Overridden itself would lift its own denial.
		d.Overridden = d.Verdict == Deny && ov && !IsMandatory(p)
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
			Index:   -1,
			Verdict: Warn,
			Reason:  "break-glass request ignored: it needs both By (who) and Reason (why)",
		})
	}
	return r
}

// failClosed turns d, whose verdict or rule is unknown, into a Deny whose
// reason, written at the end of b, names the unknown value and then the
// policy's own reason (in d.Reason, or in b from a).
func failClosed(d *Decision, b []byte, a int) []byte {
	own := d.Reason
	if len(b) > a {
		own = string(b[a:])
		b = b[:a]
	}
	b = append(b, "the policy returned an unknown "...)
	if d.Verdict > Deny {
		b = append(b, "verdict "...)
		b = strconv.AppendUint(b, uint64(d.Verdict), 10)
	} else {
		b = append(b, "rule "...)
		b = strconv.AppendUint(b, uint64(d.Rule), 10)
	}
	b = append(b, ", which counts as deny"...)
	if own != "" {
		b = append(b, ": "...)
		b = append(b, own...)
	}
	*d = Decision{Policy: d.Policy, Index: d.Index, Verdict: Deny}
	return b
}

// PolicyOf returns the policy of s that gave d, s[d.Index], or nil when
// d.Index is not a position in s (the decision Evaluate adds for an
// ignored break-glass request has -1). d must come from s.Evaluate: a
// decision made outside a Set has Index 0.
func (s Set) PolicyOf(d Decision) Policy {
	if d.Index < 0 || d.Index >= len(s) {
		return nil
	}
	return s[d.Index]
}
