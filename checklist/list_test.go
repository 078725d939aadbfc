package checklist_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

func TestZeroListIsValid(t *testing.T) {
	var l checklist.List
	assert.NoError(t, l.Validate())
	assert.Equal(t, checklist.ReadDo, l.Mode)
	assert.Empty(t, l.Sections())
	r, err := checklist.NewRun(l, t0)
	require.NoError(t, err)
	assert.True(t, r.Ready(), "nothing to do")
}

func TestSectionsInOrderOfFirstItem(t *testing.T) {
	l := checklist.List{Items: []checklist.Item{
		{ID: "a", Title: "A", Section: "hardware"},
		{ID: "b", Title: "B", Section: "config"},
		{ID: "c", Title: "C", Section: "hardware"},
		{ID: "d", Title: "D"},
	}}
	var got [][]string
	for _, s := range l.Sections() {
		got = append(got, append([]string{s.Name}, ids(s.Items)...))
	}
	assert.Equal(t, [][]string{{"hardware", "a", "c"}, {"config", "b"}, {"", "d"}}, got)
}

func TestListItemAndClone(t *testing.T) {
	l := exampleList()
	it, ok := l.Item("config-backup")
	require.True(t, ok)
	it.DependsOn[0] = "changed"
	assert.Equal(t, "old-hardware", l.Items[2].DependsOn[0], "Item returns a copy")
	_, ok = l.Item("nope")
	assert.False(t, ok)

	c := l.Clone()
	c.Items[2].DependsOn[0] = "changed"
	assert.Equal(t, exampleList(), l)
}

func TestModeText(t *testing.T) {
	for _, m := range []checklist.Mode{checklist.ReadDo, checklist.DoConfirm} {
		b, err := m.MarshalText()
		require.NoError(t, err)
		var back checklist.Mode
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, m, back)
	}
	_, err := checklist.Mode(7).MarshalText()
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	_, err = checklist.ParseMode("sometimes")
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	assert.Equal(t, "Mode(7)", checklist.Mode(7).String())
}

func TestStatusText(t *testing.T) {
	for _, s := range []checklist.Status{checklist.Pending, checklist.Done, checklist.Failed, checklist.Waived} {
		b, err := s.MarshalText()
		require.NoError(t, err)
		assert.Equal(t, s.String(), string(b))
		var back checklist.Status
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, s, back)
	}
	var s checklist.Status
	assert.Error(t, s.UnmarshalText([]byte("maybe")))
}
