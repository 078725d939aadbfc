package checklist_test

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
)

// addFiles adds every file matching pattern to the fuzz corpus.
func addFiles(f *testing.F, pattern string) {
	f.Helper()
	names, err := filepath.Glob(pattern)
	require.NoError(f, err)
	require.NotEmpty(f, names, pattern)
	for _, name := range names {
		data, err := os.ReadFile(name)
		require.NoError(f, err)
		f.Add(data)
	}
}

// FuzzParse checks that Parse never panics, that its errors are typed and
// name a line, and that a list it accepts is valid and reads back the same
// from its JSON form.
func FuzzParse(f *testing.F) {
	addFiles(f, "testdata/*.yaml")
	addFiles(f, "testdata/example.json")
	f.Add([]byte("items:\n  - {id: a, title: A, depends_on: [a]}\n"))
	f.Add([]byte("&a [*a]"))
	f.Add([]byte(`{"items": [{"id": "a", "title": "\u00e9", "deadline": "-1h30m"}]}`))
	f.Add([]byte(`{"name": "a\/b", "items": [{"id": "\ud83d\ude00", "title": "\ud800 lone"}]}`))
	f.Add([]byte("name: x\nitems:\n  - id: a\n    title: A\x00B\n"))
	f.Add([]byte("name: caf\xe9\n"))
	f.Add([]byte("{\"items\": [\n  {\"id\": \"a\", \"title\": \"A\"},\n"))
	f.Add([]byte("mode: sometimes\ncolour: red\nitems:\n  - {id: a, due: 1h}\n  - {id: a, title: A, depends_on: [b, a]}\n  - 7\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
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
func FuzzRestore(f *testing.F) {
	addFiles(f, "testdata/snapshot.json")
	f.Add([]byte(`{"version":1}`))
	f.Add([]byte(`{"version":1,"list":{"name":"preparation"},"items":[]}`))
	l := exampleList()
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
