package policy

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"

	"github.com/mepkit/mepkit/internal/jsonstr"
)

// The JSON of decisions and results is written to be read back exactly:
// what MarshalJSON writes, UnmarshalJSON reads to an equal value (times to
// the same instant and offset from UTC), and what cannot be read back is
// refused when writing.

// decisionJSON is the JSON form of a Decision, as UnmarshalJSON reads it
// (appendDecision writes it by hand, in the same order). Verdict is a
// pointer so that a decision without one is refused rather than read as
// Allow.
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
	b, err := appendDecision(make([]byte, 0, decisionSize(&d)), &d)
	if err != nil {
		return nil, err
	}
	return b, nil
}

// AppendDecisions appends to b the JSON array of ds, byte for byte what
// json.Marshal(ds) writes ("null" for a nil slice), without going through
// reflection: each decision as [Decision.MarshalJSON] writes it. A
// decision that MarshalJSON refuses makes it return b as it was with
// MarshalJSON's error (json.Marshal would wrap that error in a
// *json.MarshalerError).
func AppendDecisions(b []byte, ds []Decision) ([]byte, error) {
	if ds == nil {
		return append(b, "null"...), nil
	}
	n0 := len(b)
	size := 2
	for i := range ds {
		size += 1 + decisionSize(&ds[i])
	}
	b = slices.Grow(b, size)
	b = append(b, '[')
	for i := range ds {
		if i > 0 {
			b = append(b, ',')
		}
		var err error
		if b, err = appendDecision(b, &ds[i]); err != nil {
			return b[:n0], err
		}
	}
	return append(b, ']'), nil
}

// decisionSize is a guess of the length of d's JSON: enough unless its
// strings need much escaping.
func decisionSize(d *Decision) int {
	const escapes = 32 // room for a few escaped characters
	return len(`{"policy":"","index":-1234567890,"verdict":"allow","rule":"R13","reason":"",`+
		`"next":"2006-01-02T15:04:05.999999999-07:00","overridden":true}`) + len(d.Policy) + len(d.Reason) + escapes
}

// appendDecision appends d's JSON to b, as encoding/json writes a
// decisionJSON: same keys in the same order, strings escaped as it
// escapes them (see [jsonstr.Append]), times as [time.Time.MarshalJSON]
// writes them. A decision that check refuses is its error.
func appendDecision(b []byte, d *Decision) ([]byte, error) {
	if err := d.check(); err != nil {
		return b, err
	}
	b = append(b, `{"policy":`...)
	b = jsonstr.Append(b, d.Policy)
	b = append(b, `,"index":`...)
	b = strconv.AppendInt(b, int64(d.Index), 10)
	b = append(b, `,"verdict":"`...)
	b = append(b, d.Verdict.String()...) // allow, warn or deny: no escaping
	b = append(b, '"')
	if d.Rule != NoRule {
		b = append(b, `,"rule":"R`...)
		b = strconv.AppendUint(b, uint64(d.Rule), 10)
		b = append(b, '"')
	}
	b = append(b, `,"reason":`...)
	b = jsonstr.Append(b, d.Reason)
	if !d.Next.IsZero() {
		// check has refused what RFC 3339 cannot write, so this is
		// what time.Time.MarshalJSON writes.
		b = append(b, `,"next":"`...)
		b = d.Next.AppendFormat(b, time.RFC3339Nano)
		b = append(b, '"')
	}
	if d.Overridden {
		b = append(b, `,"overridden":true`...)
	}
	return append(b, '}'), nil
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
