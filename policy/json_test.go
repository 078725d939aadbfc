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
			{"policy": "friday-freeze", "verdict": "deny", "overridden": true, "next": "2026-11-28T00:00:00+01:00",
			 "reason": "Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET"},
			{"policy": "max-outage", "verdict": "allow", "reason": "expected outage within the limit of 30m"}
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
