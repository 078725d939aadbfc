package mep

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/policy"
)

// fuzzDecision builds a decision from the fuzzer's values: reasons and
// warnings with any source, rule and text, votes and stale votes with any
// role, verdict, name and times, a policy's answer with any name, verdict,
// rule, reason and next start, an override by anyone for any reason,
// late and failed items with any ID.
func fuzzDecision(source, text, by string, rule, role, verdict byte, at int64, offset int16) *evDecision {
	zone := time.FixedZone("z", int(offset)*60)
	when := time.Unix(at, at%1e9).In(zone)
	vote := Vote{Role: Role(role), By: by, Verdict: Verdict(verdict), Reason: text, At: when, T0: when.Add(time.Hour), Digest: source, Stale: text}
	return &evDecision{At: time.Unix(0, 0).UTC(), Rollout: "r1", By: by, Decision: Decision{
		Verdict:  NoGo,
		T0:       time.Unix(3600, 0).UTC(),
		Reasons:  []Reason{{Source: source, Rule: policy.Rule(rule), Text: text}, {Text: text + "\n" + by}},
		Warnings: []Reason{{Source: by, Rule: policy.Rule(rule / 2), Text: source}},
		Votes:    []Vote{vote, {Role: RoleOperations, By: by, Verdict: Go, At: when}},
		Stale:    []Vote{vote},
		Late:     []checklist.Item{{ID: source}, {ID: by}},
		Failed:   []checklist.Item{{ID: text}},
		Policy: policy.Result{
			Decisions: []policy.Decision{{Policy: source, Verdict: policy.Verdict(verdict), Rule: policy.Rule(rule), Reason: text, Next: when}},
			Override:  &policy.Override{By: by, Reason: text, At: when},
		},
	}}
}

// FuzzDecisionReadsBack: readsBack does not parse a decision again, on
// the word of its check (encodable). This holds that word: a decision
// that encodable accepts encodes to an entry that a replay reads without
// error, as the decision it was.
func FuzzDecisionReadsBack(f *testing.F) {
	f.Add("phase", "not in the cutover phase", "Olga", byte(1), byte(RoleOperations), byte(Go), int64(1_800_000_000), int16(60))
	f.Add("", "", "", byte(0), byte(0), byte(0), int64(0), int16(0))
	f.Add("a\"b\\c", "\u2028<&>\x7f", "é\t", byte(13), byte(RoleMCO), byte(NoGo), int64(-62135596800), int16(-330))
	f.Add("x", "y", "z", byte(14), byte(200), byte(9), int64(253402300799), int16(1439))
	f.Add("s", "t", "Olga", byte(14), byte(RoleOperations), byte(Go), int64(0), int16(0))
	f.Add("\xff", "\xc3", "ok", byte(12), byte(RoleBuild), byte(Go), int64(-1), int16(330))
	f.Fuzz(func(t *testing.T, source, text, by string, rule, role, verdict byte, at int64, offset int16) {
		if offset <= -24*60 || offset >= 24*60 {
			return // no zone has such an offset
		}
		ev := fuzzDecision(source, text, by, rule, role, verdict, at, offset)
		if err := ev.encodable(); err != nil {
			var fe *FieldError
			require.ErrorAs(t, err, &fe)
			return
		}
		e := encode(ev)
		e.Seq = 1
		// Written byte for byte as encoding/json writes them.
		for k, v := range map[string]any{"reasons": ev.Decision.Reasons, "warnings": ev.Decision.Warnings, "votes": ev.Decision.Votes, "stale": ev.Decision.Stale,
			"policies": ev.Decision.Policy.Decisions} {
			want, err := json.Marshal(v)
			require.NoError(t, err)
			assert.Equal(t, string(want), e.Attrs[k], k)
		}
		require.NoError(t, readsBack(ev, &e, time.UTC))
		back, err := decode(&e, time.UTC, nil)
		require.NoError(t, err, "a decision encodable accepts does not read back: %+v", e)
		got := back.(*evDecision)
		want := ev.Decision
		want.At = ev.At
		assert.Equal(t, normalize(want), normalize(got.Decision))
	})
}

// TestDecisionEncodableRefuses: what would not read back is refused with
// the field that carries it, before anything is appended.
func TestDecisionEncodableRefuses(t *testing.T) {
	for name, c := range map[string]struct {
		rule, role, verdict byte
		at                  int64
		field               string
	}{
		"rule":    {rule: 14, role: byte(RoleOperations), verdict: byte(Go), field: "decision.reasons"},
		"role":    {role: 99, verdict: byte(Go), field: "decision.votes"},
		"verdict": {role: byte(RoleOperations), verdict: 3, field: "decision.votes"},
		"time":    {role: byte(RoleOperations), verdict: byte(Go), at: 253402300800, field: "decision.votes.at"},
	} {
		t.Run(name, func(t *testing.T) {
			err := fuzzDecision("s", "t", "Olga", c.rule, c.role, c.verdict, c.at, 0).encodable()
			var fe *FieldError
			require.ErrorAs(t, err, &fe)
			assert.Equal(t, c.field, fe.Field)
		})
	}
	for field, spoil := range map[string]func(d *Decision){
		"decision.reasons":  func(d *Decision) { d.Warnings[0].Text = "\xff" },
		"decision.votes":    func(d *Decision) { d.Stale[0].Stale = "\xe9" },
		"decision.policies": func(d *Decision) { d.Policy.Decisions[0].Policy = "\xc3(" },
		"decision.override": func(d *Decision) { d.Policy.Override.Reason = "\xc3(" },
		"decision.items":    func(d *Decision) { d.Failed[0].ID = "\xc3" },
	} {
		ev := fuzzDecision("s", "t", "Olga", 1, byte(RoleOperations), byte(Go), 0, 0)
		require.NoError(t, ev.encodable())
		spoil(&ev.Decision)
		var fe *FieldError
		require.ErrorAs(t, ev.encodable(), &fe, field)
		assert.Equal(t, field, fe.Field, "text that is not valid UTF-8")
	}
}
