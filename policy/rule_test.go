package policy_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy"
)

func TestRuleText(t *testing.T) {
	rules := []policy.Rule{policy.R1, policy.R2, policy.R3, policy.R4, policy.R5, policy.R6, policy.R7,
		policy.R8, policy.R9, policy.R10, policy.R11, policy.R12, policy.R13}
	for i, r := range rules {
		want := "R" + string(rune('0'+(i+1)/10)) + string(rune('0'+(i+1)%10))
		if i < 9 {
			want = "R" + string(rune('1'+i))
		}
		assert.Equal(t, want, r.String())
		s, back := roundTrip(t, r)
		assert.Equal(t, `"`+want+`"`, s)
		assert.Equal(t, r, back)
		got, err := policy.ParseRule(want)
		require.NoError(t, err)
		assert.Equal(t, r, got)
		assert.True(t, r.IsValid(), "%v", r)
	}
	assert.True(t, policy.NoRule.IsValid())
	assert.Equal(t, policy.Rule(0), policy.NoRule, "the zero Rule is no rule")
	assert.Empty(t, policy.NoRule.String())
	s, back := roundTrip(t, policy.NoRule)
	assert.Equal(t, `""`, s)
	assert.Equal(t, policy.NoRule, back)
	assert.Equal(t, "rule(14)", policy.Rule(14).String())
	assert.Equal(t, "rule(255)", policy.Rule(255).String())

	got, err := policy.ParseRule("r11")
	require.NoError(t, err)
	assert.Equal(t, policy.R11, got, "the R in any case")

	for _, bad := range []string{"R0", "R14", "R07", "R99", "7", "R", "r", "R+7", "Rr7", " R7", "R7 ", "R1x", "R100", "rule(3)", "R-1"} {
		_, err := policy.ParseRule(bad)
		assert.ErrorIs(t, err, policy.ErrInvalid, "%q", bad)
		assert.ErrorContains(t, err, `"`+bad+`"`, "the error names the text")
		var r policy.Rule
		assert.ErrorIs(t, json.Unmarshal([]byte(`"`+bad+`"`), &r), policy.ErrInvalid, "%q", bad)
	}
	for _, bad := range []policy.Rule{14, 200, 255} {
		assert.False(t, bad.IsValid(), "%d", bad)
		_, err := json.Marshal(bad)
		assert.ErrorIs(t, err, policy.ErrInvalid, "%d", bad)
	}
	var r policy.Rule
	assert.Error(t, json.Unmarshal([]byte(`7`), &r), "numbers are not rules")
}

// Each policy of the package says which rule it enforces, whatever its
// verdict, and wrappers keep the rule of what they wrap.
func TestDecisionRule(t *testing.T) {
	hol, err := policy.Holidays("FR", paris, true)
	require.NoError(t, err)
	win, err := policy.Windows("maintenance", "Mon-Thu 20:00-23:30", paris)
	require.NoError(t, err)
	cr, err := policy.Cron("month-end", "30 17 L * *", 30*time.Hour, paris)
	require.NoError(t, err)
	own := policy.Func("incidents", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Deny, Rule: policy.R13, Reason: "no probes"}
	})
	prod := policy.Scope{Environments: []string{"production"}}
	for _, tc := range []struct {
		p    policy.Policy
		want policy.Rule
	}{
		{policy.ReadinessWindow(time.Hour), policy.R7},
		{policy.RequireGo("operations"), policy.R9},
		{policy.RequireQuorum("dba", 2), policy.R9},
		{policy.FridayFreeze(paris), policy.R11},
		{policy.WeekendFreeze(paris), policy.R11},
		{hol, policy.R11},
		{policy.HolidayCalendar("bridge", policy.Dates("bridge", policy.Date{Year: 2026, Month: 11, Day: 27}), paris, false), policy.R11},
		{policy.MaxOutage(30 * time.Minute), policy.R5},
		{win, policy.NoRule},
		{cr, policy.NoRule},
		{policy.Freeze("year-end", at(2026, 12, 21, 0, 0), at(2027, 1, 4, 0, 0)), policy.NoRule},
		{own, policy.R13},
		{policy.Mandatory(policy.FridayFreeze(paris)), policy.R11},
		{policy.Named("go", policy.Mandatory(policy.RequireGo("operations"))), policy.R9},
		{policy.In(newYork, policy.ReadinessWindow(2*time.Hour)), policy.R7},
		{policy.Scoped(prod, policy.MaxOutage(time.Minute)), policy.R5},
		{policy.In(newYork, policy.Scoped(prod, policy.Mandatory(policy.WeekendFreeze(paris)))), policy.R11},
		{policy.Scoped(prod, policy.Named("x", hol)), policy.R11},
		{policy.Scoped(prod, win), policy.NoRule},
	} {
		name := tc.p.Name()
		for _, c := range []policy.Change{
			{Environment: "production", Start: at(2026, 11, 27, 10, 0), Duration: time.Hour, Outage: time.Hour}, // a Friday: denials
			{Environment: "production", Start: at(2026, 11, 24, 21, 0), Duration: time.Hour, ReadyAt: at(2026, 11, 24, 12, 0),
				OutageKnown: true, Approvals: []policy.Approval{{Role: "operations", By: "ann", Go: true}}}, // allowed by most
		} {
			assert.Equal(t, tc.want, tc.p.Evaluate(ctx, c).Rule, "%s on its own", name)
			r := policy.Set{tc.p}.Evaluate(ctx, c)
			assert.Equal(t, tc.want, r.Decisions[0].Rule, "%s in a Set", name)
		}
	}
	// Out of scope, a scoped policy allows, still naming its rule; a
	// Func's rule shows only in its own decisions.
	staging := policy.Change{Environment: "staging", Start: at(2026, 11, 27, 10, 0), Duration: time.Hour}
	assert.Equal(t, policy.R11, policy.Scoped(prod, policy.FridayFreeze(paris)).Evaluate(ctx, staging).Rule)
	d := policy.Set{policy.Scoped(prod, own)}.Evaluate(ctx, staging).Decisions[0]
	assert.Equal(t, policy.Allow, d.Verdict)
	assert.Equal(t, policy.NoRule, d.Rule)
}
