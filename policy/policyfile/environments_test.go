package policyfile_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/policy/policyfile"
)

func TestEnvironments(t *testing.T) {
	f, err := policyfile.ParseWith([]byte(`zone: Europe/Paris
environments: [prod, staging, dev]
policies:
  - kind: friday-freeze
    scope: {environments: [PROD, staging]}
  - kind: weekend-freeze
    scope: {environments: [prod]}
  - kind: max-outage
    limit: 30m
`), nil)
	require.NoError(t, err)
	assert.Equal(t, []string{"prod", "staging", "dev"}, f.Environments)
	assert.Equal(t, []string{"PROD", "staging"}, f.ScopedEnvironments, "each once, as first written")
	for _, env := range []string{"", "prod", "Prod", "staging", "dev"} {
		assert.NoError(t, f.CheckEnvironment(env), env)
	}
	err = f.CheckEnvironment("production")
	require.ErrorIs(t, err, policyfile.ErrEnvironment)
	assert.EqualError(t, err, `policyfile: unknown environment "production": the environments the policy file lists are prod, staging, dev`)

	// Without a list, the environments the scopes name are the known ones.
	f, err = policyfile.ParseWith([]byte("zone: UTC\npolicies:\n  - {kind: friday-freeze, scope: {environments: [prod]}}\n  - {kind: readiness, scope: {labels: {tier: gold}}}\n"), nil)
	require.NoError(t, err)
	assert.Nil(t, f.Environments)
	assert.Equal(t, []string{"prod"}, f.ScopedEnvironments)
	assert.NoError(t, f.CheckEnvironment("prod"))
	err = f.CheckEnvironment("production")
	require.ErrorIs(t, err, policyfile.ErrEnvironment)
	assert.EqualError(t, err, `policyfile: unknown environment "production": the environments the scopes of the policy file name are prod`)

	// Nothing scoped by environment, no list: every environment is the same.
	f, err = policyfile.ParseWith([]byte("zone: UTC\npolicies:\n  - {kind: readiness, scope: {labels: {tier: gold}}}\n"), nil)
	require.NoError(t, err)
	assert.Nil(t, f.ScopedEnvironments)
	assert.NoError(t, f.CheckEnvironment("anything"))
}

func TestEnvironmentsProblems(t *testing.T) {
	for _, tt := range []struct {
		name, file, field, msg string
		line                   int
	}{
		{"a scope outside the list", "zone: UTC\nenvironments: [prod, staging]\npolicies:\n  - kind: friday-freeze\n    scope: {environments: [production]}\n",
			"policies[0].scope.environments[0]", `"production" is not one of the environments the file lists: prod, staging`, 5},
		{"empty list", "zone: UTC\nenvironments: []\npolicies:\n  - kind: friday-freeze\n", "environments", "want a list of environments", 2},
		{"not a list", "zone: UTC\nenvironments: prod\npolicies:\n  - kind: friday-freeze\n", "environments", "want a list of environments", 2},
		{"blank", "zone: UTC\nenvironments: [prod, \" \"]\npolicies:\n  - kind: friday-freeze\n", "environments[1]", "the environment is empty", 2},
		{"spaces around", "zone: UTC\nenvironments: [prod, \" staging\"]\npolicies:\n  - kind: friday-freeze\n", "environments[1]", `" staging" has spaces around it`, 2},
		{"twice", "zone: UTC\nenvironments:\n  - prod\n  - PROD\npolicies:\n  - kind: friday-freeze\n", "environments[1]", `"PROD" is given twice`, 4},
		{"not a string", "zone: UTC\nenvironments: [[prod]]\npolicies:\n  - kind: friday-freeze\n", "environments[0]", "want a string", 2},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, err := policyfile.Parse([]byte(tt.file))
			var pe *policyfile.Error
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tt.line, pe.Line, err.Error())
			assert.Equal(t, tt.field, pe.Field, err.Error())
			assert.Contains(t, err.Error(), tt.msg)
		})
	}
}
