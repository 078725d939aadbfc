package checklist_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// An error that holds another of the package's errors writes the package
// prefix once, at the front, and still wraps the sentinels.
func TestErrorTextsHaveOnePrefix(t *testing.T) {
	t0 := time.Date(2026, 11, 24, 20, 0, 0, 0, time.UTC)
	r, err := checklist.NewRun(checklist.List{Name: "prep", Items: []checklist.Item{{ID: "a", Title: "A"}}}, t0)
	require.NoError(t, err)
	err = r.Check("ghost", "ann", t0, "")
	assert.ErrorIs(t, err, checklist.ErrNotFound)
	assert.Equal(t, `checklist: check "ghost": unknown item`, err.Error())

	_, err = checklist.Parse([]byte("name: x\nmode: sometimes\nitems:\n  - id: a\n    title: A\n"))
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	assert.Equal(t, `checklist: line 2: mode: unknown mode "sometimes" (want read-do or do-confirm)`, err.Error())

	assert.Equal(t, "checklist: invalid", checklist.ErrInvalid.Error())
	assert.Equal(t, 1, strings.Count((&checklist.SnapshotError{Err: checklist.ErrMismatch}).Error(), "checklist: "))
	assert.Equal(t, "checklist: snapshot: snapshot of another list", (&checklist.SnapshotError{Err: checklist.ErrMismatch}).Error())
	assert.Equal(t, "checklist: : unknown error", (&checklist.ChangeError{}).Error(), "the zero ChangeError, as before")
}
