package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// The JSON of decisions and results is written to be read back exactly:
// what MarshalJSON writes, UnmarshalJSON reads to an equal value (times to
// the same instant and offset from UTC), and what cannot be read back is
// refused when writing.

// decisionJSON is the JSON form of a Decision. Verdict is a pointer so
// that a decision without one is refused rather than read as Allow.
type decisionJSON struct {
	Policy     string    `json:"policy"`
	Index      int       `json:"index"`
	Verdict    *Verdict  `json:"verdict"`
	Rule       Rule      `json:"rule,omitzero"`
	Reason     string    `json:"reason"`
	Next       time.Time `json:"next,omitzero"`
	Overridden bool      `json:"overridden,omitempty"`
}

// MarshalJSON writes {"policy", "index", "verdict", "rule", "reason",
// "next", "overridden"}: rule is left out when NoRule, next when zero,
// overridden when false. A verdict or rule that is not
// known, an Index below -1, or a Next that RFC 3339 cannot carry (a year
// outside 0-9999, an offset from UTC with seconds) is an error wrapping
// [ErrInvalid] that names the policy.
func (d Decision) MarshalJSON() ([]byte, error) {
	if err := d.check(); err != nil {
		return nil, err
	}
	return json.Marshal(decisionJSON{Policy: d.Policy, Verdict: &d.Verdict, Rule: d.Rule, Reason: d.Reason,
		Next: d.Next, Overridden: d.Overridden, Index: d.Index})
}

// UnmarshalJSON reads what MarshalJSON writes; an index left out reads as
// 0, a rule left out as NoRule. The verdict is required;
// an unknown verdict or rule, or an index below -1, is an error wrapping
// [ErrInvalid].
func (d *Decision) UnmarshalJSON(b []byte) error {
	var j decisionJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonErr("decision", err)
	}
	if j.Verdict == nil {
		return fmt.Errorf("policy: decision %q: no verdict: %w", j.Policy, ErrInvalid)
	}
	x := Decision{Policy: j.Policy, Index: j.Index, Verdict: *j.Verdict, Rule: j.Rule,
		Overridden: j.Overridden, Reason: j.Reason, Next: j.Next}
	if err := x.check(); err != nil {
		return err
	}
	*d = x
	return nil
}

// check returns an error, naming the policy, when d cannot be written to
// JSON and read back.
func (d *Decision) check() error {
	var msg string
	switch {
	case d.Verdict > Deny:
		msg = "unknown " + d.Verdict.String()
	case !d.Rule.valid():
		msg = "unknown " + d.Rule.String() + ", want R1 to R13"
	case d.Index < -1:
		msg = fmt.Sprintf("index %d below -1", d.Index)
	default:
		if err := checkRFC3339(d.Next); err != nil {
			msg = "next " + err.Error()
		}
	}
	if msg == "" {
		return nil
	}
	return fmt.Errorf("policy: decision %q: %s: %w", d.Policy, msg, ErrInvalid)
}

// checkRFC3339 says why t, unless zero, cannot be written in RFC 3339 and
// read back as the same instant with the same offset.
func checkRFC3339(t time.Time) error {
	if t.IsZero() {
		return nil
	}
	_, off := t.Zone()
	switch y := t.Year(); {
	case y < 0 || y > 9999:
		return fmt.Errorf("%s: year %d is outside 0-9999, which RFC 3339 cannot write", t, y)
	case off%60 != 0:
		return fmt.Errorf("%s: its offset from UTC has seconds, which RFC 3339 cannot write", t)
	case off <= -24*3600 || off >= 24*3600:
		return fmt.Errorf("%s: its offset from UTC is a day or more, which RFC 3339 cannot write", t)
	}
	return nil
}

// resultJSON is the JSON form of a Result. Allowed and Verdict are
// pointers so that a reader can tell them absent; D, the decisions, is
// what decodes, so that an error can say which decision it is about.
type resultJSON[D any] struct {
	Allowed   *bool     `json:"allowed"`
	Verdict   *Verdict  `json:"verdict"`
	Decisions []D       `json:"decisions"`
	Override  *Override `json:"override,omitempty"`
}

// MarshalJSON writes {"allowed", "verdict", "decisions", "override"}:
// allowed and verdict are [Result.Allowed] and [Result.Verdict], for
// readers that want the answer alone; override is left out when nil. A
// decision that [Decision.MarshalJSON] refuses makes it an error.
func (r Result) MarshalJSON() ([]byte, error) {
	ds := r.Decisions
	if ds == nil {
		ds = []Decision{}
	}
	allowed, v := r.Allowed(), r.Verdict()
	return json.Marshal(resultJSON[Decision]{Allowed: &allowed, Verdict: &v, Decisions: ds, Override: r.Override})
}

// UnmarshalJSON reads what MarshalJSON writes; no decisions read as nil.
// Allowed and verdict follow from the decisions and may be left out; when
// given, they must agree with them, or it is an error wrapping
// [ErrInvalid]: a result written as denied never reads as allowed.
func (r *Result) UnmarshalJSON(b []byte) error {
	var j resultJSON[json.RawMessage]
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonErr("result", err)
	}
	x := Result{Override: j.Override}
	if len(j.Decisions) > 0 {
		x.Decisions = make([]Decision, len(j.Decisions))
	}
	for i, raw := range j.Decisions {
		if err := json.Unmarshal(raw, &x.Decisions[i]); err != nil {
			return fmt.Errorf("policy: result: decision %d: %w", i+1, err)
		}
	}
	if j.Allowed != nil && *j.Allowed != x.Allowed() {
		return fmt.Errorf("policy: result: allowed is %t, but the decisions say %t: %w", *j.Allowed, x.Allowed(), ErrInvalid)
	}
	if j.Verdict != nil && *j.Verdict != x.Verdict() {
		return fmt.Errorf("policy: result: verdict is %v, but the decisions say %v: %w", *j.Verdict, x.Verdict(), ErrInvalid)
	}
	*r = x
	return nil
}

// overrideJSON is the JSON form of an Override.
type overrideJSON struct {
	By     string    `json:"by"`
	Reason string    `json:"reason"`
	At     time.Time `json:"at,omitzero"`
}

// MarshalJSON writes {"by", "reason", "at"}; at is left out when zero. An
// At that RFC 3339 cannot carry (a year outside 0-9999, an offset from
// UTC with seconds) is an error wrapping [ErrInvalid].
func (o Override) MarshalJSON() ([]byte, error) {
	if err := checkRFC3339(o.At); err != nil {
		return nil, fmt.Errorf("policy: override by %q: at %w: %w", o.By, err, ErrInvalid)
	}
	return json.Marshal(overrideJSON(o))
}

// UnmarshalJSON reads what MarshalJSON writes.
func (o *Override) UnmarshalJSON(b []byte) error {
	var j overrideJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return jsonErr("override", err)
	}
	*o = Override(j)
	return nil
}

// jsonErr returns err, an error of decoding a what, with the package's
// prefix, unless it is one of the package's own.
func jsonErr(what string, err error) error {
	if errors.Is(err, ErrInvalid) {
		return err
	}
	return fmt.Errorf("policy: %s: %w", what, err)
}
