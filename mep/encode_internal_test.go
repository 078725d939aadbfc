package mep

import (
	"encoding/json"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/jsonstr"
	"github.com/mepkit/mepkit/policy"
)

// The hand-written encoders of the record write what encoding/json reads
// back as the same values.

func TestAppendJSONStringReadsBack(t *testing.T) {
	for _, s := range []string{"", "plain", `quote " and \ backslash`, "line\nfeed\r\ttab", "\x00\x01\x1f\x7f",
		"accents: préparation, 日本", "<html> & friends", "\u2028\u2029"} {
		var got string
		require.NoError(t, json.Unmarshal(jsonstr.Append(nil, s), &got), "%q", s)
		assert.Equal(t, s, got)
	}
	var got string
	require.NoError(t, json.Unmarshal(jsonstr.Append(nil, "bad \xff utf-8"), &got))
	assert.Equal(t, "bad \uFFFD utf-8", got, "invalid UTF-8 reads back as encoding/json writes it")
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range []string{"", "a\"b\\c", "\x00\n\t", "é\xff", "\u2028"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		var got string
		if err := json.Unmarshal(jsonstr.Append(nil, s), &got); err != nil {
			t.Fatalf("%q: %v", s, err)
		}
		want := s
		if !utf8.ValidString(s) {
			b, _ := json.Marshal(s)
			require.NoError(t, json.Unmarshal(b, &want))
		}
		if got != want {
			t.Fatalf("%q: got %q, want %q", s, got, want)
		}
	})
}

// The policies' answers of a decision come back from the record exactly,
// with the index of the policy and the rule it enforces, through policy's
// own encoding.
func TestDecisionPoliciesRoundTrip(t *testing.T) {
	next := time.Date(2026, 11, 13, 20, 0, 0, 5, time.UTC)
	ds := []policy.Decision{
		{Policy: "friday-freeze", Index: 0, Rule: policy.R11, Verdict: policy.Deny, Reason: "Friday \"13\"\n", Next: next, Overridden: true},
		{Policy: "readiness", Index: 1, Rule: policy.R7, Verdict: policy.Warn},
		{Policy: "go", Index: 2, Rule: policy.R9, Verdict: policy.Allow, Reason: "olga <ops>"},
	}
	st := newState()
	st.name = "p"
	st.byName["r"] = &rollout{name: "r"}
	ev := &evDecision{At: next, Rollout: "r", Decision: Decision{Verdict: NoGo, T0: next, Policy: policy.Result{Decisions: ds}}}
	require.NoError(t, ev.check(st))
	e := encode(ev)
	e.Seq = 1
	back, err := decode(&e, time.UTC, nil)
	require.NoError(t, err)
	assert.Equal(t, ds, back.(*evDecision).Decision.Policy.Decisions)

	bad := &evDecision{At: next, Rollout: "r", Decision: Decision{T0: next, Policy: policy.Result{Decisions: []policy.Decision{{Policy: "odd", Verdict: policy.Verdict(7)}}}}}
	assert.ErrorIs(t, bad.check(st), ErrInvalid, "an unknown verdict is refused before it is appended")
}

// Reasons are written as encoding/json writes them, and read back.
func TestReasonsEncodeAsJSON(t *testing.T) {
	rs := []Reason{{Source: "friday-freeze", Rule: policy.R11, Text: "Fri \"13\"\n<b>é\u2028"}, {Text: "no source"}, {Source: "x", Rule: policy.R1}}
	var w enc
	w.reasons("reasons", rs)
	want, err := json.Marshal(rs)
	require.NoError(t, err)
	assert.Equal(t, string(want), w.e.Attrs["reasons"])
	var back []Reason
	require.NoError(t, json.Unmarshal([]byte(w.e.Attrs["reasons"]), &back))
	assert.Equal(t, rs, back)
}
