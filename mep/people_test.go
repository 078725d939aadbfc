package mep_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

func TestMemberValidation(t *testing.T) {
	p := newProject(t, newClock(utc(2026, 1, 5, 9, 0)))
	tests := []struct {
		m     mep.Member
		field string
	}{
		{mep.Member{Roles: []mep.Role{mep.RoleBuild}}, "member.name"},
		{mep.Member{Name: "  "}, "member.name"},
		{mep.Member{Name: "Ann"}, "member.roles"},
		{mep.Member{Name: "Ann", Roles: []mep.Role{0}}, "member.roles[0]"},
		{mep.Member{Name: "Ann", Roles: []mep.Role{mep.RoleBuild, mep.RoleBuild}}, "member.roles[1]"},
	}
	for _, tt := range tests {
		err := p.AddMember(tt.m)
		var fe *mep.FieldError
		require.True(t, errors.As(err, &fe), "%+v: %v", tt.m, err)
		assert.Equal(t, tt.field, fe.Field)
		assert.ErrorIs(t, err, mep.ErrInvalid)
	}
	require.NoError(t, p.AddMember(mep.Member{Name: "Ann", Roles: []mep.Role{mep.RoleBuild}}))
	assert.ErrorIs(t, p.AddMember(mep.Member{Name: "Ann", Roles: []mep.Role{mep.RoleSales}}), mep.ErrInvalid)
	assert.Empty(t, p.Members()[0].Contact)
}

func TestRoleText(t *testing.T) {
	for _, r := range []mep.Role{mep.RoleSales, mep.RoleBuild, mep.RoleValidation, mep.RoleOperations, mep.RoleMCO} {
		b, err := r.MarshalText()
		require.NoError(t, err)
		var got mep.Role
		require.NoError(t, got.UnmarshalText(b))
		assert.Equal(t, r, got)
	}
	_, err := mep.ParseRole("dev")
	assert.ErrorIs(t, err, mep.ErrInvalid)
	assert.False(t, mep.Role(0).IsValid(), "the zero role is no role")
}

func TestCheckTeam(t *testing.T) {
	p := newProject(t, newClock(utc(2026, 1, 5, 9, 0)))
	staff(t, p)
	require.NoError(t, p.AddMember(mep.Member{Name: "Max", Roles: []mep.Role{mep.RoleMCO, mep.RoleOperations}}))

	err := p.CheckTeam()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "no go-live team chosen")
	assert.Contains(t, err.Error(), "no builder named as the MCO team's contact")

	require.NoError(t, p.ChooseTeam("Bea", "Otto", "Mia"))
	require.NoError(t, p.SetMCOContact("Bea"))
	err = p.CheckTeam()
	require.Error(t, err)
	var te *mep.TeamError
	require.True(t, errors.As(err, &te))
	assert.Equal(t, "Max", te.Member, "Max does MCO and is not in the go-live team")

	require.NoError(t, p.ChooseTeam("Bea", "Otto", "Mia", "Max"))
	assert.NoError(t, p.CheckTeam())
	assert.Equal(t, []string{"Bea", "Otto", "Mia", "Max"}, p.Team())
	assert.Equal(t, "Bea", p.MCOContact())
}

// TestCheckTeamWantsAnMCOMember checks that a team with nobody to take
// over operations (R3) does not pass, as CheckTeam and Builtin say.
func TestCheckTeamWantsAnMCOMember(t *testing.T) {
	p := newProject(t, newClock(utc(2026, 1, 5, 9, 0)))
	for _, m := range []mep.Member{
		{Name: "Bea", Roles: []mep.Role{mep.RoleBuild}},
		{Name: "Otto", Roles: []mep.Role{mep.RoleOperations}},
	} {
		require.NoError(t, p.AddMember(m))
	}
	require.NoError(t, p.ChooseTeam("Bea", "Otto"))
	require.NoError(t, p.SetMCOContact("Bea"))
	err := p.CheckTeam()
	var te *mep.TeamError
	require.True(t, errors.As(err, &te), "%v", err)
	assert.Equal(t, "no member has the MCO role", te.Problem)
	assert.Empty(t, te.Member)

	require.NoError(t, p.AddMember(mep.Member{Name: "Mia", Roles: []mep.Role{mep.RoleMCO}}))
	require.NoError(t, p.ChooseTeam("Bea", "Otto", "Mia"))
	assert.NoError(t, p.CheckTeam())
}

func TestTeamBadInput(t *testing.T) {
	p := newProject(t, newClock(utc(2026, 1, 5, 9, 0)))
	staff(t, p)
	assert.ErrorIs(t, p.ChooseTeam(), mep.ErrInvalid)
	assert.ErrorIs(t, p.ChooseTeam("Bea", "Ghost"), mep.ErrNotFound)
	assert.ErrorIs(t, p.ChooseTeam("Bea", "Bea"), mep.ErrInvalid)
	assert.ErrorIs(t, p.SetMCOContact("Ghost"), mep.ErrNotFound)
	err := p.SetMCOContact("Mia")
	assert.ErrorIs(t, err, mep.ErrInvalid, "Mia is not a builder")
	assert.Contains(t, err.Error(), "mco_contact")
	assert.Empty(t, p.Team())
}
