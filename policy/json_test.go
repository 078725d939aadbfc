package policy_test

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

// roundTrip marshals v, unmarshals it into a new T, marshals that again
// and checks the two texts are the same. It returns the first text and the
// value read back.
func roundTrip[T any](t *testing.T, v T) (string, T) {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	var back T
	require.NoError(t, json.Unmarshal(b, &back), "%s", b)
	b2, err := json.Marshal(back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
	return string(b), back
}

func TestResultJSON(t *testing.T) {
	set := policy.Set{policy.FridayFreeze(paris), policy.MaxOutage(30 * time.Minute)}
	c := policy.Change{Start: at(2026, 11, 27, 10, 0), Duration: time.Hour, Outage: 10 * time.Minute,
		Override: &policy.Override{By: "alice", Reason: "CVE fix", At: at(2026, 11, 27, 9, 0)}}
	r := set.Evaluate(ctx, c)
	s, back := roundTrip(t, r)
	assert.JSONEq(t, `{
		"allowed": true,
		"verdict": "warn",
		"decisions": [
			{"policy": "friday-freeze", "index": 0, "verdict": "deny", "rule": "R11", "overridden": true, "next": "2026-11-28T00:00:00+01:00",
			 "reason": "Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET"},
			{"policy": "max-outage", "index": 1, "verdict": "allow", "rule": "R5", "reason": "expected outage within the limit of 30m"}
		],
		"override": {"by": "alice", "reason": "CVE fix", "at": "2026-11-27T09:00:00+01:00"}
	}`, s)
	assert.Equal(t, r.String(), back.String())
	assert.Equal(t, r.Allowed(), back.Allowed())
	assert.True(t, r.Decisions[0].Next.Equal(back.Decisions[0].Next))

	s, _ = roundTrip(t, policy.Result{})
	assert.JSONEq(t, `{"allowed": true, "verdict": "allow", "decisions": []}`, s)
}

func TestVerdictText(t *testing.T) {
	for _, v := range []policy.Verdict{policy.Allow, policy.Warn, policy.Deny} {
		s, back := roundTrip(t, v)
		assert.Equal(t, `"`+v.String()+`"`, s)
		assert.Equal(t, v, back)
	}
	_, err := json.Marshal(policy.Verdict(7))
	assert.ErrorIs(t, err, policy.ErrInvalid)
	var v policy.Verdict
	assert.ErrorIs(t, json.Unmarshal([]byte(`"maybe"`), &v), policy.ErrInvalid)
	assert.Error(t, json.Unmarshal([]byte(`2`), &v), "numbers are not verdicts")
	got, err := policy.ParseVerdict("DENY")
	require.NoError(t, err)
	assert.Equal(t, policy.Deny, got)
}

func TestChangeJSON(t *testing.T) {
	c := policy.Change{
		Name: "billing 4.2", Environment: "production",
		Start: at(2026, 11, 24, 20, 30), Duration: 90*time.Minute + 500*time.Millisecond, Now: at(2026, 11, 24, 17, 0),
		Location: paris, Labels: map[string]string{"tier": "gold"}, ReadyAt: at(2026, 11, 24, 18, 45),
		Approvals: []policy.Approval{{Role: "operations", By: "alice", At: at(2026, 11, 24, 18, 50), Go: true},
			{Role: "operations", By: "bob", Reason: "backup not verified"}},
		Outage: 20 * time.Minute, OutageKnown: true,
		Override: &policy.Override{By: "carol", Reason: "CVE"},
		Risk: policy.Risk{Rehearsals: 3, ProductionLike: 1, FailedRehearsalSteps: []string{"migrate"},
			UnappliedLessons: []string{"warm the cache"}, PointOfNoReturn: "switch-dns"},
	}
	s, back := roundTrip(t, c)
	assert.JSONEq(t, `{
		"name": "billing 4.2", "environment": "production",
		"start": "2026-11-24T20:30:00+01:00", "duration": 5400.5, "now": "2026-11-24T17:00:00+01:00",
		"location": "Europe/Paris", "labels": {"tier": "gold"}, "ready_at": "2026-11-24T18:45:00+01:00",
		"approvals": [{"role": "operations", "by": "alice", "at": "2026-11-24T18:50:00+01:00", "go": true},
			{"role": "operations", "by": "bob", "go": false, "reason": "backup not verified"}],
		"outage": 1200, "outage_known": true,
		"override": {"by": "carol", "reason": "CVE"},
		"risk": {"rehearsals": 3, "production_like": 1, "failed_rehearsal_steps": ["migrate"],
			"unapplied_lessons": ["warm the cache"], "point_of_no_return": "switch-dns"}
	}`, s)
	assert.Equal(t, c.Duration, back.Duration)
	assert.Equal(t, "Europe/Paris", back.Location.String())
	assert.True(t, c.Start.Equal(back.Start))
	assert.Equal(t, c.Risk, back.Risk)

	s, back = roundTrip(t, policy.Change{Start: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.JSONEq(t, `{"start": "2026-01-01T00:00:00Z", "duration": 0, "outage": 0}`, s)
	assert.Nil(t, back.Location)

	var bad policy.Change
	assert.ErrorIs(t, json.Unmarshal([]byte(`{"location": "Mars/Olympus"}`), &bad), policy.ErrInvalid)
	assert.Error(t, json.Unmarshal([]byte(`{"duration": "90m"}`), &bad), "durations are seconds")
}

func TestDurationSecondsExact(t *testing.T) {
	for _, d := range []time.Duration{0, time.Nanosecond, -time.Nanosecond, 1500 * time.Millisecond, -90 * time.Minute,
		time.Duration(1<<63 - 1), time.Duration(-1<<63 + 1), 100*24*time.Hour + 7} {
		c := policy.Change{Duration: d}
		_, back := roundTrip(t, c)
		assert.Equal(t, d, back.Duration)
	}
	var c policy.Change
	require.NoError(t, json.Unmarshal([]byte(`{"duration": 1.5e3, "outage": 0.25}`), &c))
	assert.Equal(t, 1500*time.Second, c.Duration)
	assert.Equal(t, 250*time.Millisecond, c.Outage)
	assert.Error(t, json.Unmarshal([]byte(`{"duration": 1e300}`), &c))
	assert.Error(t, json.Unmarshal([]byte(`{"duration": 99999999999}`), &c))
}

func TestSmallTypesJSON(t *testing.T) {
	s, iv := roundTrip(t, policy.Interval{Start: at(2026, 11, 27, 0, 0), End: at(2026, 11, 28, 0, 0)})
	assert.JSONEq(t, `{"start": "2026-11-27T00:00:00+01:00", "end": "2026-11-28T00:00:00+01:00"}`, s)
	assert.Equal(t, 24*time.Hour, iv.Duration())

	s, d := roundTrip(t, policy.Date{Year: 2026, Month: 12, Day: 25})
	assert.Equal(t, `"2026-12-25"`, s)
	assert.Equal(t, policy.Date{Year: 2026, Month: 12, Day: 25}, d)

	s, _ = roundTrip(t, policy.Scope{Environments: []string{"production"}, Labels: map[string]string{"tier": "gold"}})
	assert.JSONEq(t, `{"environments": ["production"], "labels": {"tier": "gold"}}`, s)

	b, err := json.Marshal(policy.ReadinessWindow(90 * time.Minute))
	require.NoError(t, err)
	assert.JSONEq(t, `{"lead": 5400}`, string(b))
	b, err = json.Marshal(policy.RequireQuorum("operations", 2))
	require.NoError(t, err)
	assert.JSONEq(t, `{"role": "operations", "count": 2}`, string(b))
}

// A holiday, which a tool lists, marshals in snake_case like the rest.
func TestHolidayJSON(t *testing.T) {
	s, back := roundTrip(t, policy.Holiday{Date: policy.Date{Year: 2026, Month: time.December, Day: 25}, Name: "Noël"})
	assert.JSONEq(t, `{"date":"2026-12-25","name":"Noël"}`, s)
	assert.Equal(t, "Noël", back.Name)
}

// Decisions, overrides and results read back exactly, every field set:
// times to the same instant and offset from UTC.
func TestDecisionJSONExact(t *testing.T) {
	kathmandu := mustLoad(t, "Asia/Kathmandu") // +05:45
	ds := []policy.Decision{
		{Policy: "friday-freeze", Index: 3, Verdict: policy.Deny, Rule: policy.R11, Overridden: true,
			Reason: "Fri 2026-11-27 is a Friday", Next: time.Date(2026, 11, 28, 0, 0, 0, 1, paris)},
		{Policy: "readiness", Index: -1, Verdict: policy.Warn, Rule: policy.R7, Reason: "not ready yet",
			Next: time.Date(2026, 7, 1, 9, 15, 0, 0, kathmandu)},
		{Policy: "custom", Verdict: policy.Allow, Rule: policy.R13, Next: time.Date(9999, 12, 31, 23, 59, 59, 999999999, newYork)},
		{Policy: "ancient", Index: 1 << 40, Verdict: policy.Deny, Next: time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC)},
		{},
	}
	for _, d := range ds {
		_, back := roundTrip(t, d)
		assertSameDecision(t, d, back)
	}
	o := policy.Override{By: "alice", Reason: "CVE", At: time.Date(2026, 11, 27, 9, 0, 0, 5, kathmandu)}
	_, ob := roundTrip(t, o)
	assert.Equal(t, o.By, ob.By)
	assert.Equal(t, o.Reason, ob.Reason)
	assertSameTime(t, o.At, ob.At)

	r := policy.Result{Decisions: ds[:2], Override: &o}
	s, rb := roundTrip(t, r)
	assert.JSONEq(t, `{"allowed": true, "verdict": "warn", "override": {"by": "alice", "reason": "CVE", "at": "2026-11-27T09:00:00.000000005+05:45"},
		"decisions": [
			{"policy": "friday-freeze", "index": 3, "verdict": "deny", "rule": "R11", "overridden": true,
			 "reason": "Fri 2026-11-27 is a Friday", "next": "2026-11-28T00:00:00.000000001+01:00"},
			{"policy": "readiness", "index": -1, "verdict": "warn", "rule": "R7", "reason": "not ready yet", "next": "2026-07-01T09:15:00+05:45"}]}`, s)
	require.Len(t, rb.Decisions, 2)
	for i := range ds[:2] {
		assertSameDecision(t, ds[i], rb.Decisions[i])
	}
	assert.Equal(t, r.Allowed(), rb.Allowed())
	assert.Equal(t, r.Verdict(), rb.Verdict())
	assertSameTime(t, o.At, rb.Override.At)
}

func assertSameDecision(t *testing.T, want, got policy.Decision) {
	t.Helper()
	wn, gn := want.Next, got.Next
	want.Next, got.Next = time.Time{}, time.Time{}
	assert.Equal(t, want, got)
	assertSameTime(t, wn, gn)
}

// assertSameTime checks two times are the same instant at the same offset.
func assertSameTime(t *testing.T, want, got time.Time) {
	t.Helper()
	assert.True(t, want.Equal(got), "want %v, got %v", want, got)
	_, wo := want.Zone()
	_, gotOff := got.Zone()
	assert.Equal(t, wo, gotOff, "offset of %v", got)
}

// What JSON cannot carry is refused when writing, never written for the
// reader to refuse; what a reader gets that is not a decision is an
// error naming what is wrong.
func TestDecisionJSONRefused(t *testing.T) {
	lmt := time.Date(1900, 1, 1, 12, 0, 0, 0, paris) // Paris mean time, +00:09:21
	for _, d := range []policy.Decision{
		{Policy: "far", Verdict: policy.Deny, Next: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)},
		{Policy: "far", Verdict: policy.Deny, Next: time.Date(-1, 12, 31, 0, 0, 0, 0, time.UTC)},
		{Policy: "far", Verdict: policy.Deny, Next: time.Date(9999, 12, 31, 23, 0, 0, 0, time.UTC).In(paris)}, // 10000 in Paris
		{Policy: "far", Verdict: policy.Deny, Next: lmt},
		{Policy: "far", Verdict: policy.Deny, Next: time.Date(2026, 1, 1, 0, 0, 0, 0, time.FixedZone("x", 25*3600))},
		{Policy: "far", Verdict: 7},
		{Policy: "far", Verdict: policy.Deny, Rule: 14},
		{Policy: "far", Verdict: policy.Deny, Index: -2},
	} {
		_, err := json.Marshal(d)
		assert.ErrorIs(t, err, policy.ErrInvalid, "%+v", d)
		assert.ErrorContains(t, err, `decision "far"`)
		_, err = json.Marshal(policy.Result{Decisions: []policy.Decision{d}})
		assert.ErrorIs(t, err, policy.ErrInvalid)
	}
	_, err := json.Marshal(policy.Decision{Policy: "far", Next: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	assert.ErrorContains(t, err, "year 10000 is outside 0-9999")
	_, err = json.Marshal(policy.Override{By: "alice", At: lmt})
	assert.ErrorIs(t, err, policy.ErrInvalid)
	assert.ErrorContains(t, err, "seconds")

	for _, tc := range []struct{ in, msg string }{
		{`{"policy": "p", "verdict": "maybe"}`, `verdict "maybe"`},
		{`{"policy": "p", "verdict": 2}`, ""},
		{`{"policy": "p"}`, `decision "p": no verdict`},
		{`{"policy": "p", "verdict": null}`, "no verdict"},
		{`{"policy": "p", "verdict": "deny", "rule": "R14"}`, `rule "R14"`},
		{`{"policy": "p", "verdict": "deny", "rule": "7"}`, `rule "7"`},
		{`{"policy": "p", "verdict": "deny", "index": -2}`, "index -2 below -1"},
		{`{"policy": "p", "verdict": "deny", "index": 1.5}`, ""},
		{`{"policy": "p", "verdict": "deny", "next": "10000-01-01T00:00:00Z"}`, ""},
		{`[]`, ""},
	} {
		var d policy.Decision
		err := json.Unmarshal([]byte(tc.in), &d)
		require.Error(t, err, tc.in)
		assert.ErrorContains(t, err, "policy: ", tc.in)
		assert.ErrorContains(t, err, tc.msg, tc.in)
	}
}

// A result that says it is denied never reads as allowed: allowed and
// verdict, when written, must agree with the decisions.
func TestResultJSONConsistent(t *testing.T) {
	deny := `{"policy": "p", "verdict": "deny"}`
	for _, tc := range []struct{ in, msg string }{
		{`{"allowed": false, "verdict": "allow", "decisions": []}`, "allowed is false, but the decisions say true"},
		{`{"allowed": true, "decisions": [` + deny + `]}`, "allowed is true"},
		{`{"verdict": "warn", "decisions": [` + deny + `]}`, "verdict is warn, but the decisions say deny"},
		{`{"decisions": [` + deny + `, {"policy": "q", "verdict": "nope"}]}`, `decision 2: policy: verdict "nope"`},
		{`{"decisions": [{"policy": "q"}]}`, `decision 1: policy: decision "q": no verdict`},
		{`{"verdict": "sometimes", "decisions": []}`, `verdict "sometimes"`},
	} {
		var r policy.Result
		err := json.Unmarshal([]byte(tc.in), &r)
		assert.ErrorIs(t, err, policy.ErrInvalid, tc.in)
		assert.ErrorContains(t, err, tc.msg, tc.in)
	}
	var r policy.Result
	require.NoError(t, json.Unmarshal([]byte(`{"decisions": [`+deny+`]}`), &r), "allowed and verdict may be left out")
	assert.False(t, r.Allowed())
	require.NoError(t, json.Unmarshal([]byte(`{"allowed": true, "verdict": "allow", "decisions": []}`), &r))
	assert.Nil(t, r.Decisions, "no decisions read as nil")
}

func TestDurationErrorText(t *testing.T) {
	var c policy.Change
	err := json.Unmarshal([]byte(`{"outage": "90m"}`), &c)
	assert.ErrorIs(t, err, policy.ErrInvalid)
	assert.EqualError(t, err, `policy: duration "90m": want a number of seconds within ±292 years: policy: invalid argument`)
}
