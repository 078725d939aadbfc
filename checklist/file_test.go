package checklist_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// An item read from JSON on its own is read as Parse reads an item of a
// list: a key repeated or in another case is a problem, not a value
// silently taken or dropped, and an empty list of dependencies is none.
func TestItemUnmarshalJSONAsParse(t *testing.T) {
	for in, want := range map[string]string{
		`{"id":"a","title":"A","deadline":"-1h","deadline":"1h"}`: `item "a": deadline: field given twice`,
		`{"id":"a","title":"A","Deadline":"-1h"}`:                 `item "a": Deadline: unknown field`,
		`{"id":"a","title":"A","optional":null}`:                  `item "a": optional: invalid value: want true or false, got null`,
		`["a"]`:                                                   "invalid value: want a mapping with id and title",
		`{"id":"a",`:                                              "syntax error",
	} {
		var it checklist.Item
		err := it.UnmarshalJSON([]byte(in))
		require.Error(t, err, in)
		var e *checklist.Error
		require.True(t, errors.As(err, &e), "got %T %v", err, err)
		assert.ErrorIs(t, err, checklist.ErrInvalid)
		assert.Contains(t, err.Error(), want, in)
	}
	var it checklist.Item
	require.NoError(t, it.UnmarshalJSON([]byte(`{"id":"a","title":"A","depends_on":[],"deadline":"-30m"}`)))
	assert.Nil(t, it.DependsOn)
	assert.Equal(t, -30*time.Minute, it.Deadline)
	require.NoError(t, it.UnmarshalJSON([]byte(`null`)))
	assert.Equal(t, "a", it.ID, "null leaves the item as it was, as encoding/json does")
}
