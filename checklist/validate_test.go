package checklist_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// problems returns the *Errors that Validate reports.
func problems(t *testing.T, l checklist.List) []*checklist.Error {
	t.Helper()
	err := l.Validate()
	require.Error(t, err)
	var out []*checklist.Error
	if joined, ok := err.(interface{ Unwrap() []error }); ok {
		for _, e := range joined.Unwrap() {
			var ce *checklist.Error
			require.True(t, errors.As(e, &ce))
			out = append(out, ce)
		}
		return out
	}
	var ce *checklist.Error
	require.True(t, errors.As(err, &ce))
	return []*checklist.Error{ce}
}

func TestValidateReportsEveryProblem(t *testing.T) {
	l := checklist.List{Items: []checklist.Item{
		{ID: "", Title: "no id"},
		{ID: "a", Title: "A"},
		{ID: "a", Title: "A again"},
		{ID: "b", Title: " ", DependsOn: []string{"ghost"}},
		{ID: "c", Title: "C", DependsOn: []string{"c"}},
	}}
	got := problems(t, l)
	require.Len(t, got, 5)
	want := []struct {
		err   error
		item  string
		index int
		field string
	}{
		{checklist.ErrInvalid, "", 0, "id"},
		{checklist.ErrInvalid, "a", 2, "id"},
		{checklist.ErrInvalid, "b", 3, "title"},
		{checklist.ErrInvalid, "b", 3, "depends_on"},
		{checklist.ErrInvalid, "c", 4, "depends_on"},
	}
	for i, w := range want {
		assert.ErrorIs(t, got[i], w.err)
		assert.Equal(t, w.item, got[i].Item)
		assert.Equal(t, w.index, got[i].Index)
		assert.Equal(t, w.field, got[i].Field)
		assert.Zero(t, got[i].Line, "not from a file")
	}
	assert.Equal(t, `checklist: item #1: id: empty item ID`, got[0].Error())
	assert.Equal(t, `checklist: item "a": id: duplicate item ID: also item #2`, got[1].Error())
	assert.Equal(t, `checklist: item "b": depends_on: unknown dependency: "ghost"`, got[3].Error())
	assert.Equal(t, `checklist: item "c": depends_on: dependency cycle "c" -> "c"`, got[4].Error())
}

func TestValidateInvalidMode(t *testing.T) {
	got := problems(t, checklist.List{Mode: 9})
	assert.ErrorIs(t, got[0], checklist.ErrInvalid)
}

func TestValidateLongChainHasNoCycle(t *testing.T) {
	assert.NoError(t, bigList(5000).Validate())
}
