package mep_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

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
