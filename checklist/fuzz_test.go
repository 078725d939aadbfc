package checklist_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// FuzzParse checks that Parse never panics, that its errors are typed and
// name a line, and that a list it accepts is valid and reads back the same
// from its JSON form.
//
// Seeds are short: the fuzzing engine minimizes each new input by trying
// every subset of its bytes, so that a seed of a kilobyte makes it spend
// its time minimizing. The example files are tested whole in the tests.
func FuzzParse(f *testing.F) {
	f.Add([]byte("name: p\nmode: read-do\nordered: true\nwaive_required: false\nitems:\n  - id: a\n    title: A\n    section: s\n    owner: ops\n    optional: false\n    deadline: -1h\n    depends_on: [b]\n    offline: true\n    purpose: hardware-verified\n  - {id: b, title: B}\n"))
	f.Add([]byte(`{"name": "p", "mode": "do-confirm", "items": [{"id": "a", "title": "A", "section": "s", "owner": "o", "optional": true, "deadline": "-30m", "depends_on": ["b"], "offline": false}, {"id": "b", "title": "B"}]}`))
	f.Add([]byte("items:\n  - {id: a, title: A, depends_on: [a]}\n"))
	f.Add([]byte("&a [*a]"))
	f.Add([]byte(`{"items": [{"id": "a", "title": "\u00e9", "deadline": "-1h30m"}]}`))
	f.Add([]byte(`{"name": "a\/b", "items": [{"id": "\ud83d\ude00", "title": "\ud800 lone"}]}`))
	f.Add([]byte("name: x\nitems:\n  - id: a\n    title: A\x00B\n"))
	f.Add([]byte("name: caf\xe9\n"))
	f.Add([]byte("{\"items\": [\n  {\"id\": \"a\", \"title\": \"A\"},\n"))
	f.Add([]byte("mode: sometimes\ncolour: red\nitems:\n  - {id: a, due: 1h}\n  - {id: a, title: A, depends_on: [b, a]}\n  - 7\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		if len(data) > 512 {
			// The engine minimises each new input by trying to remove
			// every range of its bytes: on a few kilobytes it stands
			// still for a minute. Large lists are tested on their own.
			t.Skip("long input")
		}
		l, err := checklist.Parse(data)
		if err != nil {
			// One *ListError, whose problems each name a line.
			var le *checklist.ListError
			require.True(t, errors.As(err, &le), "got %T %v", err, err)
			require.NotEmpty(t, le.Problems)
			assert.LessOrEqual(t, len(le.Problems), checklist.DefaultMaxProblems)
			assert.ErrorIs(t, err, checklist.ErrInvalid)
			for _, p := range le.Problems {
				assert.Positive(t, p.Line, "no line in %q", p.Error())
			}
			return
		}
		require.NoError(t, l.Validate())
		j, err := l.MarshalJSON()
		require.NoError(t, err)
		back, err := checklist.Parse(j)
		require.NoError(t, err, "%s", j)
		assert.Equal(t, l.Clone(), back)
		_, err = checklist.NewRun(l, time.Date(2026, 6, 9, 19, 0, 0, 0, time.UTC))
		assert.NoError(t, err)
	})
}

// FuzzRestore checks that Restore never panics, that its errors are
// typed, and that a snapshot it accepts saves back to the same state.
//
// The list is small, and so is the seed snapshot, for the reason given
// for FuzzParse.
func FuzzRestore(f *testing.F) {
	l := checklist.List{Name: "p", Items: []checklist.Item{
		{ID: "a", Title: "A", Deadline: -time.Hour},
		{ID: "b", Title: "B", Optional: true},
	}}
	t0 := time.Date(2026, 6, 9, 19, 0, 0, 0, time.UTC)
	r, err := checklist.NewRun(l, t0)
	require.NoError(f, err)
	require.NoError(f, r.Fail("a", "x", t0.Add(-3*time.Hour), "n"))
	require.NoError(f, r.Check("a", "x", t0.Add(-2*time.Hour), ""))
	require.NoError(f, r.Waive("b", "y", t0.Add(-2*time.Hour), "r"))
	require.NoError(f, r.Reschedule(t0.Add(time.Hour), "z", t0.Add(-time.Hour), ""))
	seed, err := r.Snapshot()
	require.NoError(f, err)
	f.Add(seed)
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":1,"list":{"name":"p"},"items":[]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := checklist.Restore(l, data)
		if err != nil {
			var se *checklist.SnapshotError
			assert.True(t, errors.As(err, &se), "got %T %v", err, err)
			assert.True(t, errors.Is(err, checklist.ErrInvalid) || errors.Is(err, checklist.ErrMismatch), "%v", err)
			return
		}
		again, err := r.Snapshot()
		require.NoError(t, err)
		back, err := checklist.Restore(l, again)
		require.NoError(t, err)
		assert.Equal(t, r.Digest(), back.Digest())
	})
}
