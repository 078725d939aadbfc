package mep_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/risk"
	"github.com/mepkit/mepkit/timeline"
)

// TestProposeBeforeTheGo checks that Propose answers "when" before anyone
// voted: the GO is not about when, so a ready change's allowed start is
// proposed as is.
func TestProposeBeforeTheGo(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, paris) }
	win, err := policy.Windows("evenings", "Mon-Thu 20:00-23:30", paris)
	require.NoError(t, err)
	now := at(20, 9, 0)
	project, err := mep.New("billing v2", &mep.Options{Now: func() time.Time { return now }, Location: paris, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	require.NoError(t, err)
	require.NoError(t, project.Team().Add(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations}}))
	require.NoError(t, project.Team().Choose("olga", "olga"))
	r, err := project.NewRollout(mep.RolloutOptions{
		Name: "go-live", T0: at(24, 20, 30),
		Policies: policy.Set{policy.FridayFreeze(paris), win, policy.RequireGo("operations")},
		Runbook:  []mep.Step{{ID: "switch-dns", Impact: timeline.Outage, Expected: 30 * time.Minute}},
		Readiness: checklist.List{Name: "readiness", Items: []checklist.Item{
			{ID: "backup", Title: "Configurations backed up", Deadline: -time.Hour},
		}},
	})
	require.NoError(t, err)
	require.NoError(t, r.Readiness().Check("backup", "olga", now, ""))
	p, err := r.Propose(context.Background(), r.T0(), 2, 30*24*time.Hour)
	require.NoError(t, err)
	require.NotEmpty(t, p.Slots)
	assert.True(t, at(24, 20, 30).Equal(p.Slots[0]), "got %v", p.Slots)
}

// TestProposeOnP90 checks that Propose offers starts where nine
// cutovers in ten end in the window, not only the estimate: the last
// rehearsal took 1h15m, which fits from 22:00 in a window closing at
// 23:30, but the rehearsals spread from 1h to 1h50m, so the next
// evenings are proposed, with the chance to overrun in the reasons; a
// fit policy at P95 asks for more.
func TestProposeOnP90(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, paris) }
	win, err := policy.Windows("evenings", "Mon-Thu 20:00-23:30", paris)
	require.NoError(t, err)
	now := at(20, 9, 0)
	project, err := mep.New("billing v2", &mep.Options{Now: func() time.Time { return now }, Location: paris, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	require.NoError(t, err)
	for _, fit := range []float64{0, 0.95} {
		set := policy.Set{win}
		if fit > 0 {
			set = append(set, policy.FitAt(fit, set))
		}
		r, err := project.NewRollout(mep.RolloutOptions{
			Name: fmt.Sprint("go-live-", fit), T0: at(24, 22, 0), Policies: set,
			Runbook: []mep.Step{{ID: "migrate", Impact: timeline.Outage}},
		})
		require.NoError(t, err)
		for k, m := range []int{60, 70, 80, 90, 100, 85, 110, 95, 65, 75} {
			start := at(10+k, 21, 0)
			es := []timeline.Entry{{Seq: 1, At: start, Kind: timeline.KindStart, Step: "migrate"},
				{Seq: 2, At: start.Add(time.Duration(m) * time.Minute), Kind: timeline.KindEnd, Step: "migrate"}}
			require.NoError(t, r.AddRehearsal(mep.RehearsalRun{Summary: timeline.Summarize(es), ProductionLike: true}))
		}
		p, err := r.Propose(context.Background(), r.T0(), 2, 7*24*time.Hour)
		require.NoError(t, err)
		ov, err := r.Overrun(risk.Options{})
		require.NoError(t, err)
		q := max(0.9, fit)
		assert.Equal(t, q, p.Quantile)
		assert.Equal(t, ov.Duration.Quantile(q), p.Duration)
		assert.Greater(t, p.Duration, 90*time.Minute, "the estimate (the last rehearsal, 1h15m) is not the P90")

		require.NotEmpty(t, p.Refused, "22:00 + P%v runs past 23:30", 100*q)
		refused := p.Refused[len(p.Refused)-1]
		assert.Equal(t, policy.Deny, refused.Verdict)
		assert.Equal(t, fmt.Sprintf("fit-p%v", 100*q), refused.Policy)
		assert.Regexp(t, `^P9[05] end 23:[3-5]\d CET, window ends 23:30 CET \(evenings\); \d+% chance to overrun`, refused.Reason)

		assert.Equal(t, []time.Time{at(25, 20, 0), at(26, 20, 0)}, p.Slots, "the next evenings, from their start")
		require.Len(t, p.Fits, 2)
		for _, d := range p.Fits {
			assert.Equal(t, policy.Allow, d.Verdict, d.Reason)
			assert.Contains(t, d.Reason, "window ends 23:30 CET (evenings); 0% chance to overrun")
		}
		if fit > 0 { // the go/no-go gives the same reason at T0
			v := r.GoNoGo().Evaluate(context.Background(), now)
			var got []policy.Decision
			for _, d := range v.Policy.Decisions {
				if d.Policy == "fit-p95" {
					got = append(got, d)
				}
			}
			require.Len(t, got, 1)
			assert.Equal(t, refused.Reason, got[0].Reason)
			assert.Equal(t, policy.Deny, got[0].Verdict)
		}
	}
}
