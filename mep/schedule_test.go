package mep_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
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
