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

// Modes and statuses read in any case, around spaces trimmed; every
// spelling accepted before still reads to the same value, and an unknown
// one is an error naming the names wanted.
func TestModeAndStatusSpellings(t *testing.T) {
	for s, want := range map[string]checklist.Mode{
		"read-do": checklist.ReadDo, "READ-DO": checklist.ReadDo, "Do-Confirm": checklist.DoConfirm, " do-confirm\n": checklist.DoConfirm,
	} {
		got, err := checklist.ParseMode(s)
		require.NoError(t, err, "%q", s)
		assert.Equal(t, want, got, "%q", s)
	}
	for s, want := range map[string]checklist.Status{
		"pending": checklist.Pending, "done": checklist.Done, "failed": checklist.Failed, "waived": checklist.Waived,
		"Done": checklist.Done, " WAIVED ": checklist.Waived,
	} {
		var got checklist.Status
		require.NoError(t, got.UnmarshalText([]byte(s)), "%q", s)
		assert.Equal(t, want, got, "%q", s)
	}

	_, err := checklist.ParseMode("")
	assert.EqualError(t, err, `checklist: unknown mode "" (want read-do or do-confirm)`)
	got := checklist.Done
	err = got.UnmarshalText([]byte("maybe"))
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	assert.EqualError(t, err, `checklist: unknown status "maybe" (want pending, done, failed or waived)`)
	assert.Equal(t, checklist.Done, got, "unchanged on error")
	assert.ErrorIs(t, (&got).UnmarshalText(nil), checklist.ErrInvalid, "no empty status")
	_, err = checklist.Status(4).MarshalText()
	assert.ErrorIs(t, err, checklist.ErrInvalid)
	assert.EqualError(t, err, "checklist: invalid status 4")
	assert.Equal(t, "Status(4)", checklist.Status(4).String())
}
