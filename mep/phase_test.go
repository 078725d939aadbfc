package mep_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

func TestPhaseOrderAndNames(t *testing.T) {
	want := []string{"scoping", "build", "validation", "rehearsal", "planning",
		"preparation", "cutover", "review", "industrialization", "operations"}
	ps := mep.Phases()
	require.Len(t, ps, 10)
	for i, p := range ps {
		assert.Equal(t, mep.Phase(i), p)
		assert.Equal(t, want[i], p.String())
		got, err := mep.ParsePhase(want[i])
		require.NoError(t, err)
		assert.Equal(t, p, got)
	}
	assert.Equal(t, mep.Scoping, mep.Phase(0), "the zero phase is Scoping")
	assert.Less(t, mep.Build, mep.Validation)
	assert.Less(t, mep.Industrialization, mep.Operations)
}

func TestParsePhase(t *testing.T) {
	tests := []struct {
		in   string
		want mep.Phase
	}{
		{"Cutover", mep.Cutover},
		{"  REHEARSAL ", mep.Rehearsal},
		{"bascule", mep.Cutover},
		{"Répétitions", mep.Rehearsal},
		{"retex", mep.Review},
		{"MCO", mep.Operations},
	}
	for _, tt := range tests {
		got, err := mep.ParsePhase(tt.in)
		require.NoError(t, err, tt.in)
		assert.Equal(t, tt.want, got, tt.in)
	}
	for _, bad := range []string{"", "deploy", "cut over", "\x00"} {
		_, err := mep.ParsePhase(bad)
		assert.True(t, errors.Is(err, mep.ErrInvalid), "%q: %v", bad, err)
		var fe *mep.FieldError
		require.True(t, errors.As(err, &fe))
		assert.Equal(t, "phase", fe.Field)
	}
}

func TestPhaseText(t *testing.T) {
	b, err := json.Marshal(map[string]mep.Phase{"p": mep.Preparation})
	require.NoError(t, err)
	assert.JSONEq(t, `{"p":"preparation"}`, string(b))

	var got map[string]mep.Phase
	require.NoError(t, json.Unmarshal([]byte(`{"p":"industrialization"}`), &got))
	assert.Equal(t, mep.Industrialization, got["p"])

	assert.Error(t, json.Unmarshal([]byte(`{"p":"nope"}`), &got))
	_, err = json.Marshal(mep.Phase(10))
	assert.Error(t, err)
	assert.Equal(t, "Phase(10)", mep.Phase(10).String())
}
