package policy_test

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

// jsonPieces are what the random strings of decisions are made of: what
// encoding/json escapes, and what it must not.
var jsonPieces = []string{
	"a", "friday-freeze", " ", "é", "Noël", "😀", "\ufffd", `"`, `\`, "/", "'",
	"<", ">", "&", "<b>&amp;</b>", "\u2028", "\u2029", "\u2027", "\u202a",
	"\x00", "\x01", "\b", "\f", "\n", "\r", "\t", "\x1f", "\x7f", "\u0080", "\u00a0",
	"\xff", "\xfe", "\xc3", "\xe2\x80", "\xed\xa0\x80", "\xf4\x90\x80\x80", "\xc0\xaf",
}

// randString joins up to eight random pieces, the empty string included.
func randString(rng *rand.Rand) string {
	var b strings.Builder
	for range rng.IntN(9) {
		b.WriteString(jsonPieces[rng.IntN(len(jsonPieces))])
	}
	return b.String()
}

// randTime returns a time that RFC 3339 can write, mostly, or one that it
// cannot (a year outside 0-9999, an offset with seconds or of a day), or
// the zero time: any year of 0-9999 and nanoseconds, in zones with
// offsets of whole hours, half hours, 45 minutes and up to a day.
func randTime(rng *rand.Rand, zones []*time.Location) time.Time {
	var loc *time.Location
	switch r := rng.IntN(20); {
	case r == 0:
		return time.Time{}
	case r == 1:
		loc = time.FixedZone("s", rng.IntN(48*3600)-24*3600) // seconds, mostly
	case r == 2:
		loc = time.FixedZone("d", (24*60+rng.IntN(120))*60*(1-2*rng.IntN(2))) // a day or more
	case r < 6:
		loc = time.FixedZone("m", (rng.IntN(48*60-1)-(24*60-1))*60) // whole minutes within a day
	default:
		loc = zones[rng.IntN(len(zones))]
	}
	y := rng.IntN(10000)
	if rng.IntN(20) == 0 {
		y = rng.IntN(30000) - 10000
	}
	t := time.Date(y, time.Month(1+rng.IntN(12)), 1+rng.IntN(31), rng.IntN(24), rng.IntN(60), rng.IntN(60), 0, loc)
	switch rng.IntN(4) {
	case 0: // whole seconds
	case 1:
		t = t.Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
	default:
		t = t.Add(time.Duration(rng.IntN(1e9)))
	}
	return t
}

// randDecision returns a decision with random fields: mostly valid,
// sometimes with a verdict, rule, index or time that JSON cannot carry.
func randDecision(rng *rand.Rand, zones []*time.Location) policy.Decision {
	d := policy.Decision{
		Policy:     randString(rng),
		Index:      rng.IntN(12) - 1,
		Verdict:    policy.Verdict(rng.IntN(3)),
		Rule:       policy.Rule(rng.IntN(14)),
		Reason:     randString(rng),
		Overridden: rng.IntN(2) == 0,
	}
	if rng.IntN(2) == 0 {
		d.Next = randTime(rng, zones)
	}
	switch rng.IntN(40) {
	case 0:
		d.Verdict = policy.Verdict(3 + rng.IntN(253))
	case 1:
		d.Rule = policy.Rule(14 + rng.IntN(242))
	case 2:
		d.Index = -2 - rng.IntN(1<<20)
	case 3:
		d.Index = rng.Int() // large
	}
	return d
}

// testZones are the zones of the random times: offsets of whole hours,
// half hours and 45 minutes, on both sides of UTC, with their history.
func testZones(t *testing.T) []*time.Location {
	zones := []*time.Location{time.UTC, paris, newYork, sydney, kolkata}
	for _, name := range []string{"Asia/Kathmandu", "Pacific/Chatham", "Pacific/Kiritimati", "Pacific/Pago_Pago", "America/St_Johns"} {
		zones = append(zones, mustLoad(t, name))
	}
	return zones
}

// sameMarshal checks that the hand encoding of d, through MarshalJSON and
// through json.Marshal, writes exactly what the reflective encoding wrote,
// or fails with the same error.
func sameMarshal(t *testing.T, d policy.Decision) {
	t.Helper()
	want, wantErr := policy.MarshalDecisionReflect(d)
	got, err := json.Marshal(d)
	direct, derr := d.MarshalJSON()
	if wantErr != nil {
		require.Error(t, err, "%+v", d)
		require.Error(t, derr, "%+v", d)
		var me *json.MarshalerError
		require.ErrorAs(t, wantErr, &me)
		assert.Equal(t, me.Unwrap().Error(), derr.Error(), "%+v", d)
		assert.ErrorIs(t, derr, policy.ErrInvalid)
		require.ErrorAs(t, err, &me)
		assert.Equal(t, derr.Error(), me.Unwrap().Error())
		return
	}
	require.NoError(t, err, "%+v", d)
	require.NoError(t, derr, "%+v", d)
	assert.Equal(t, string(want), string(got), "%+v", d)
	assert.Equal(t, string(want), string(direct), "%+v", d)
}

// The hand encoding of decisions writes, byte for byte, what the
// reflective one wrote, over many random decisions: strings with quotes,
// control characters, HTML characters, U+2028 and invalid UTF-8; times in
// any year, to the nanosecond, in zones of any offset; every verdict and
// rule. What it refuses, it refuses with the same error.
func TestDecisionJSONAsReflection(t *testing.T) {
	zones := testZones(t)
	rng := rand.New(rand.NewPCG(11, 2026))
	n := 20000
	if testing.Short() {
		n = 2000
	}
	for range n {
		sameMarshal(t, randDecision(rng, zones))
	}
	for v := range 256 {
		d := randDecision(rng, zones)
		d.Verdict = policy.Verdict(v)
		sameMarshal(t, d)
	}
	for r := range 256 {
		d := randDecision(rng, zones)
		d.Rule = policy.Rule(r)
		sameMarshal(t, d)
	}
	for _, s := range jsonPieces {
		sameMarshal(t, policy.Decision{Policy: s, Reason: s + s, Verdict: policy.Deny})
	}
	sameMarshal(t, policy.Decision{})
	sameMarshal(t, policy.Decision{Index: -1 << 63})
	sameMarshal(t, policy.Decision{Index: 1<<63 - 1, Next: time.Date(0, 1, 1, 0, 0, 0, 1, time.FixedZone("", -(23*3600+59*60)))})
}

// AppendDecisions appends what json.Marshal of the slice writes, null for
// a nil slice, and on a refused decision returns the buffer as it was with
// that decision's error.
func TestAppendDecisions(t *testing.T) {
	zones := testZones(t)
	rng := rand.New(rand.NewPCG(12, 2026))
	for i := range 3000 {
		var ds []policy.Decision
		if i%50 != 0 {
			ds = make([]policy.Decision, rng.IntN(8))
		}
		for j := range ds {
			ds[j] = randDecision(rng, zones)
		}
		want, wantErr := policy.MarshalDecisionsReflect(ds)
		viaJSON, jerr := json.Marshal(ds)
		prefix := []byte(`{"policies":`)
		got, err := policy.AppendDecisions(prefix, ds)
		if wantErr != nil {
			require.Error(t, err, "%+v", ds)
			var me *json.MarshalerError
			require.ErrorAs(t, wantErr, &me)
			assert.Equal(t, me.Unwrap().Error(), err.Error())
			assert.ErrorIs(t, err, policy.ErrInvalid)
			assert.Equal(t, `{"policies":`, string(got), "the buffer as it was")
			require.ErrorAs(t, jerr, &me)
			assert.Equal(t, err.Error(), me.Unwrap().Error())
			continue
		}
		require.NoError(t, err, "%+v", ds)
		require.NoError(t, jerr, "%+v", ds)
		assert.Equal(t, `{"policies":`+string(want), string(got))
		assert.Equal(t, string(want), string(viaJSON))
	}
	b, err := policy.AppendDecisions(nil, nil)
	require.NoError(t, err)
	assert.Equal(t, "null", string(b))
	b, err = policy.AppendDecisions(nil, []policy.Decision{})
	require.NoError(t, err)
	assert.Equal(t, "[]", string(b))
	bad := []policy.Decision{{Policy: "ok"}, {Policy: "far", Verdict: 9}}
	_, err = policy.AppendDecisions(nil, bad)
	assert.EqualError(t, err, `policy: decision "far": unknown verdict(9): policy: invalid argument`)
	assert.True(t, errors.Is(err, policy.ErrInvalid))
}

// The hand encoding allocates nothing when the buffer has room, and
// MarshalJSON allocates only what it returns.
func TestDecisionJSONAllocs(t *testing.T) {
	if raceEnabled {
		t.Skip("the race detector allocates")
	}
	ds := []policy.Decision{
		{Policy: "friday-freeze", Index: 3, Verdict: policy.Deny, Rule: policy.R11, Overridden: true,
			Reason: "Fri 2026-11-27 is a Friday <in> \"Paris\"", Next: time.Date(2026, 11, 28, 0, 0, 0, 1, paris)},
		{Policy: "readiness", Index: -1, Verdict: policy.Warn, Rule: policy.R7, Reason: "not ready yet"},
	}
	buf := make([]byte, 0, 1024)
	assert.Zero(t, testing.AllocsPerRun(100, func() {
		if _, err := policy.AppendDecisions(buf, ds); err != nil {
			t.Fatal(err)
		}
	}))
	assert.Equal(t, 1.0, testing.AllocsPerRun(100, func() {
		if _, err := ds[0].MarshalJSON(); err != nil {
			t.Fatal(err)
		}
	}))
}
