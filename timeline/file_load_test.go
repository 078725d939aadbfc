package timeline_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// longJournal writes a journal of n entries of every shape (attributes,
// text that the canonical encoding escapes, non-ASCII, outcomes) and
// returns its lines, newlines included.
func longJournal(t *testing.T, n int) [][]byte {
	t.Helper()
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	t0 := time.Date(2026, 3, 29, 0, 0, 0, 0, paris)
	j := timeline.New(nil)
	for i := range n {
		e := timeline.Entry{At: t0.Add(time.Duration(i) * 7 * time.Second), Kind: "mep.fact", Actor: "ops"}
		switch i % 5 {
		case 0:
			e.Attrs = map[string]string{"n": strconv.Itoa(i), "who": "zoé"}
		case 1:
			e.Text = "a < b & c > d" // escaped on disk: the slow path
		case 2:
			e.Kind, e.Step = timeline.KindStart, "s"+strconv.Itoa(i)
		case 3:
			e.Kind, e.Step, e.Outcome = timeline.KindEnd, "s"+strconv.Itoa(i-1), timeline.Failed
		default:
			e.Text = strings.Repeat("é", i%300)
		}
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	var buf bytes.Buffer
	require.NoError(t, timeline.WriteJSONL(&buf, j.Entries()))
	return bytes.SplitAfter(buf.Bytes(), []byte{'\n'})[:n]
}

// loadFile loads the journal file made of lines with a FileStore.
func loadFile(t *testing.T, lines [][]byte) ([]timeline.Entry, timeline.Recovery, error) {
	t.Helper()
	return loadPath(t, writeLines(t, lines))
}

// writeLines writes lines to a new file and returns its path.
func writeLines(t *testing.T, lines [][]byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "j.jsonl")
	require.NoError(t, os.WriteFile(path, bytes.Join(lines, nil), 0o600))
	return path
}

// loadPath loads the journal file at path with a FileStore.
func loadPath(t *testing.T, path string) ([]timeline.Entry, timeline.Recovery, error) {
	t.Helper()
	s, err := timeline.OpenFileStore(path, &timeline.FileStoreOptions{NoSync: true})
	require.NoError(t, err)
	defer s.Close()
	es, err := s.Load()
	return es, s.Recovery(), err
}

// A long file is decoded on every core: the entries are those that Read
// gives, in order, and the first bad line is the one named, wherever the
// file is cut between the cores.
func TestFileStoreLoadsLongFilesAsRead(t *testing.T) {
	const n = 20_000
	lines := longJournal(t, n)
	want, err := timeline.Read(bytes.NewReader(bytes.Join(lines, nil)))
	require.NoError(t, err)
	require.NoError(t, timeline.Verify(want, nil))

	got, rec, err := loadFile(t, lines)
	require.NoError(t, err)
	assert.Zero(t, rec)
	require.Equal(t, want, got)
	got, err = readFile(t, lines)
	require.NoError(t, err)
	require.Equal(t, want, got)

	torn := append(append([][]byte(nil), lines...), []byte(`{"seq":20001,"at":`))
	got, rec, err = loadFile(t, torn)
	require.NoError(t, err)
	assert.Equal(t, timeline.Recovery{TornBytes: 18, TornLine: n + 1}, rec)
	require.Len(t, got, n)
	_, err = readFile(t, torn)
	assert.ErrorIs(t, err, timeline.ErrTornWrite)
	// A last line without its newline that decodes: Read keeps it, and
	// so does ReadFile.
	unfinished := append([][]byte(nil), lines...)
	unfinished[n-1] = bytes.TrimSuffix(unfinished[n-1], []byte{'\n'})
	got, err = readFile(t, unfinished)
	require.NoError(t, err)
	require.Equal(t, want, got)

	for _, bad := range [][]int{{1}, {2}, {4096}, {4097}, {4098}, {9000}, {12_345, 19_000}, {19_999}, {n}, {n / 2, n / 3}} {
		corrupt := append([][]byte(nil), lines...)
		for i, k := range bad {
			if i%2 == 0 {
				corrupt[k-1] = []byte("not json\n")
			} else { // decodes, but is not the canonical line
				corrupt[k-1] = append([]byte("{ "), lines[k-1][1:]...)
			}
		}
		first := min(bad[0], bad[len(bad)-1])
		_, _, err := loadFile(t, corrupt)
		var le *timeline.LineError
		require.ErrorAs(t, err, &le, "bad lines %v", bad)
		assert.Equal(t, first, le.Line, "bad lines %v", bad)
		partial, rerr := timeline.Read(bytes.NewReader(bytes.Join(corrupt, nil)))
		assert.Equal(t, rerr.Error(), err.Error())
		got, ferr := readFile(t, corrupt)
		require.Error(t, ferr)
		assert.Equal(t, rerr.Error(), ferr.Error())
		assert.Equal(t, partial, got, "ReadFile returns the entries before the bad line, as Read")
	}
}

// readFile reads the journal file made of lines with ReadFile.
func readFile(t *testing.T, lines [][]byte) ([]timeline.Entry, error) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "j.jsonl")
	require.NoError(t, os.WriteFile(path, bytes.Join(lines, nil), 0o600))
	return timeline.ReadFile(path)
}

// A file that is not a journal costs no more than its size to refuse,
// however many lines it has.
func TestFileStoreLoadRefusesJunkCheaply(t *testing.T) {
	for name, junk := range map[string][]byte{
		"newlines":    bytes.Repeat([]byte{'\n'}, 8<<20),
		"short lines": bytes.Repeat([]byte("{}\n"), 3<<20),
		"long lines":  bytes.Repeat([]byte(strings.Repeat("x", 99)+"\n"), 80_000),
	} {
		t.Run(name, func(t *testing.T) {
			path := writeLines(t, [][]byte{junk})
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, _, err := loadPath(t, path)
			runtime.ReadMemStats(&after)
			var le *timeline.LineError
			require.ErrorAs(t, err, &le)
			assert.Equal(t, 1, le.Line)
			assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(2*len(junk)+1<<20))
		})
	}
	_, _, err := loadFile(t, [][]byte{bytes.Repeat([]byte{'x'}, timeline.MaxLineSize+1)})
	assert.True(t, errors.Is(err, timeline.ErrLineTooLong), "%v", err)

	// A file with no newline is refused after its first megabytes, with
	// the line that is too long, whatever its size; so is a long line
	// after good ones, once the lines before it are read.
	good := longJournal(t, 3)
	for _, lines := range [][][]byte{
		{bytes.Repeat([]byte{'x'}, 64<<20)},
		{good[0], good[1], bytes.Repeat([]byte{'x'}, 64<<20), good[2]},
		{good[0], []byte("not json\n"), bytes.Repeat([]byte{'x'}, 64<<20)},
	} {
		path := writeLines(t, lines)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		_, _, err := loadPath(t, path)
		_, rerr := timeline.ReadFile(path)
		runtime.ReadMemStats(&after)
		var le *timeline.LineError
		require.ErrorAs(t, err, &le)
		want, werr := timeline.Read(bytes.NewReader(bytes.Join(lines, nil)))
		assert.Equal(t, werr.Error(), err.Error())
		assert.Equal(t, werr.Error(), rerr.Error())
		assert.Len(t, want, le.Line-1)
		assert.Less(t, after.TotalAlloc-before.TotalAlloc, uint64(32<<20), "64 MiB without a newline")
	}
}
