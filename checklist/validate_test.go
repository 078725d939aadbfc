package checklist_test

import (
	"errors"
	"fmt"
	"strings"
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
	assert.Equal(t, `checklist: item "b": title: empty title`, got[2].Error())
	assert.Equal(t, `checklist: item "b": depends_on: unknown dependency: "ghost"`, got[3].Error())
	assert.Equal(t, `checklist: item "c": depends_on: dependency cycle "c" -> "c"`, got[4].Error())
}

func TestValidateInvalidMode(t *testing.T) {
	got := problems(t, checklist.List{Mode: 9})
	assert.ErrorIs(t, got[0], checklist.ErrInvalid)
	assert.Equal(t, "checklist: mode: invalid mode: 9", got[0].Error())
}

func TestValidateRefusesInvalidUTF8(t *testing.T) {
	// Such strings would not come back from a snapshot.
	got := problems(t, checklist.List{Name: "n\xff", Items: []checklist.Item{{ID: "a\xff", Title: "A"}}})
	require.Len(t, got, 2)
	assert.Equal(t, "checklist: name: not valid UTF-8", got[0].Error())
	assert.Equal(t, "checklist: item #1: id: not valid UTF-8", got[1].Error())
}

func TestValidateReturnsAListError(t *testing.T) {
	err := checklist.List{Items: []checklist.Item{{ID: "a"}}}.Validate()
	var le *checklist.ListError
	require.True(t, errors.As(err, &le), "got %T", err)
	require.Len(t, le.Problems, 1)
	assert.Equal(t, `checklist: item "a": title: empty title`, err.Error())
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	assert.NotErrorIs(t, err, checklist.ErrState)
}

// TestValidateLongCycle checks that a cycle through 20,000 items is named
// whole in the typed error, and shortened in the message.
func TestValidateLongCycle(t *testing.T) {
	const n = 20_000
	l := bigList(n) // item i depends on item i-1
	l.Items[0].DependsOn = []string{l.Items[n-1].ID}
	err := l.Validate()
	var ce *checklist.CycleError
	require.True(t, errors.As(err, &ce), "got %v", err)
	require.Len(t, ce.Path, n+1)
	assert.Equal(t, ce.Path[0], ce.Path[n])
	assert.Equal(t, `checklist: item "item-0000": depends_on: dependency cycle `+
		`"item-0000" -> "item-19999" -> "item-19998" -> "item-19997" -> "item-19996" -> "item-19995" -> "item-19994" -> "item-19993"`+
		` -> ... -> "item-0001" -> "item-0000" (20,000 items)`, err.Error())
}

func TestCycleErrorMessage(t *testing.T) {
	for _, tt := range []struct {
		path []string
		want string
	}{
		{nil, `checklist: dependency cycle `},
		{[]string{"a", "a"}, `checklist: dependency cycle "a" -> "a"`},
		{[]string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "1"}, `checklist: dependency cycle "1" -> "2" -> "3" -> "4" -> "5" -> "6" -> "7" -> "8" -> "9" -> "1"`},
		{[]string{"1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "1"}, `checklist: dependency cycle "1" -> "2" -> "3" -> "4" -> "5" -> "6" -> "7" -> "8" -> ... -> "10" -> "1" (10 items)`},
	} {
		assert.Equal(t, tt.want, (&checklist.CycleError{Path: tt.path}).Error())
	}
	ids := make([]string, 1_234_568)
	for i := range ids {
		ids[i] = "x"
	}
	assert.True(t, strings.HasSuffix((&checklist.CycleError{Path: ids}).Error(), "(1,234,567 items)"))
}

// TestValidateCapsCycles checks that a list with a cycle at every item is
// reported with the first cycles named and the others counted.
func TestValidateCapsCycles(t *testing.T) {
	const n = 5_000
	l := bigList(n)
	for i := range l.Items[1:] {
		l.Items[i+1].DependsOn = append(l.Items[i+1].DependsOn, l.Items[n-1].ID)
	}
	err := l.Validate()
	var le *checklist.ListError
	require.True(t, errors.As(err, &le))
	assert.Len(t, le.Problems, checklist.DefaultMaxProblems)
	assert.Equal(t, n-1-checklist.DefaultMaxProblems, le.More)
	assert.Contains(t, err.Error(), fmt.Sprintf("and %d more problems", le.More))
}

func TestValidateLongChainHasNoCycle(t *testing.T) {
	assert.NoError(t, bigList(5000).Validate())
}
