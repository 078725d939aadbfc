package checklist_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/checklist"
)

func templates() map[string]func() checklist.List {
	return map[string]func() checklist.List{
		"validation":  checklist.Validation,
		"preparation": checklist.Preparation,
		"operations":  checklist.Operations,
	}
}

func TestTemplatesAreValidAndLintFree(t *testing.T) {
	for name, fn := range templates() {
		t.Run(name, func(t *testing.T) {
			l := fn()
			assert.Equal(t, name, l.Name)
			require.NoError(t, l.Validate())
			assert.Empty(t, l.Lint())
			_, err := checklist.NewRun(l, t0)
			assert.NoError(t, err)
		})
	}
}

func TestTemplatesRoundTripThroughFiles(t *testing.T) {
	for name, fn := range templates() {
		t.Run(name, func(t *testing.T) {
			y, err := yaml.Marshal(fn())
			require.NoError(t, err)
			fromYAML, err := checklist.Parse(y)
			require.NoError(t, err, "%s", y)
			assert.Equal(t, fn(), fromYAML)

			j, err := fn().MarshalJSON()
			require.NoError(t, err)
			fromJSON, err := checklist.Parse(j)
			require.NoError(t, err)
			assert.Equal(t, fn(), fromJSON)
		})
	}
}

func TestTemplatesAreIndependentCopies(t *testing.T) {
	a := checklist.Preparation()
	a.Items[0].Title = "changed"
	a.Items[5].DependsOn[0] = "changed"
	assert.NotEqual(t, "changed", checklist.Preparation().Items[0].Title)
	assert.Equal(t, "config-retrieved", checklist.Preparation().Items[5].DependsOn[0])
}

// R7: every preparation item is due one hour before the operation.
func TestPreparationIsDueAtTMinusOneHour(t *testing.T) {
	for _, it := range checklist.Preparation().Items {
		assert.Equal(t, -time.Hour, it.Deadline, it.ID)
	}
}

// R4: validation says which checks run offline and tests installation
// procedures, not only deliverables.
func TestValidationCoversProceduresOfflineAndRealConditions(t *testing.T) {
	l := checklist.Validation()
	sections := map[string]bool{}
	offline, real := 0, 0
	for _, s := range l.Sections() {
		sections[s.Name] = true
	}
	for _, it := range l.Items {
		if it.Offline {
			offline++
		} else {
			real++
		}
	}
	assert.True(t, sections["deliverables"])
	assert.True(t, sections["installation procedures"])
	assert.Positive(t, offline)
	assert.Positive(t, real)
}
