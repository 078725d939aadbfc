package policy

import "encoding/json"

// reflectDecision is a Decision that marshals as [Decision.MarshalJSON]
// did before it was written by hand: json.Marshal of a decisionJSON,
// through reflection. The tests hold the hand encoding to it.
type reflectDecision Decision

// MarshalJSON is the reflective encoding of a decision.
func (d reflectDecision) MarshalJSON() ([]byte, error) {
	x := Decision(d)
	if err := x.check(); err != nil {
		return nil, err
	}
	return json.Marshal(decisionJSON{Policy: d.Policy, Verdict: &d.Verdict, Rule: d.Rule, Reason: d.Reason,
		Next: d.Next, Overridden: d.Overridden, Index: d.Index})
}

// MarshalDecisionReflect returns what json.Marshal(d) wrote when
// decisions were marshalled through reflection.
func MarshalDecisionReflect(d Decision) ([]byte, error) { return json.Marshal(reflectDecision(d)) }

// MarshalDecisionsReflect returns what json.Marshal(ds) wrote when
// decisions were marshalled through reflection.
func MarshalDecisionsReflect(ds []Decision) ([]byte, error) {
	var rs []reflectDecision
	if ds != nil {
		rs = make([]reflectDecision, len(ds))
		for i, d := range ds {
			rs[i] = reflectDecision(d)
		}
	}
	return json.Marshal(rs)
}
