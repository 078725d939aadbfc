package mep_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
)

// clock is a settable clock for a project.
type clock struct{ t time.Time }

func (c *clock) now() time.Time      { return c.t }
func (c *clock) add(d time.Duration) { c.t = c.t.Add(d) }
func (c *clock) set(t time.Time)     { c.t = t }
func newClock(t time.Time) *clock    { return &clock{t: t} }
func utc(y, m, d, h, min int) time.Time {
	return time.Date(y, time.Month(m), d, h, min, 0, 0, time.UTC)
}
func day(n int) time.Duration { return time.Duration(n) * 24 * time.Hour }

// staff adds a small team that satisfies R3.
func staff(t testing.TB, p *mep.Project) {
	t.Helper()
	for _, m := range []mep.Member{
		{Name: "Sam", Roles: []mep.Role{mep.RoleSales}},
		{Name: "Bea", Roles: []mep.Role{mep.RoleBuild}},
		{Name: "Vic", Roles: []mep.Role{mep.RoleValidation}},
		{Name: "Otto", Roles: []mep.Role{mep.RoleOperations}},
		{Name: "Mia", Roles: []mep.Role{mep.RoleMCO}},
	} {
		require.NoError(t, p.Team().Add(m))
	}
	require.NoError(t, p.Team().Choose("Sam", "Sam", "Bea", "Vic", "Otto", "Mia"))
	require.NoError(t, p.Team().SetMCOContact("Bea"))
}

// okReadiness is a readiness list with the two items R8 asks for, "ok"
// (the configuration backup) and "hw" (the hardware verified), without
// deadlines.
func okReadiness() checklist.List {
	return checklist.List{Name: "ready", Items: []checklist.Item{
		{ID: "ok", Title: "Configurations backed up", Purpose: checklist.ConfigBackup},
		{ID: "hw", Title: "Hardware verified", Purpose: checklist.HardwareVerified},
	}}
}

// checkReady ticks both items of okReadiness, by by at at.
func checkReady(t testing.TB, r *mep.Rollout, by string, at time.Time) {
	t.Helper()
	require.NoError(t, r.Readiness().Check("ok", by, at, ""))
	require.NoError(t, r.Readiness().Check("hw", by, at, ""))
}

// opsReady completes the operations-readiness checklist (R13), the
// method's template, by Mia at at.
func opsReady(t testing.TB, p *mep.Project, at time.Time) {
	t.Helper()
	tickAll(t, p.Operations(), checklist.Operations(), at, "Mia")
}
