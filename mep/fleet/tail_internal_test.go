package fleet

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// FuzzFileTail writes data to a record file in two appends, split at a
// third and at two thirds of it, and reads it after each with a
// fileTail: what the two reads return is what reading the complete
// lines of data at once returns, and a line still unfinished waits.
func FuzzFileTail(f *testing.F) {
	f.Add([]byte(`{"seq":1,"at":"2026-03-02T09:00:00Z","kind":"start","step":"a","hash":"x"}` + "\n"))
	f.Add([]byte("\n\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, k := range []int{len(data) / 3, 2 * len(data) / 3} {
			twoAppends(t, data, k)
		}
	})
}

// twoAppends writes data[:k], reads, appends data[k:] and reads again.
func twoAppends(t *testing.T, data []byte, k int) {
	path := filepath.Join(t.TempDir(), "r.jsonl")
	require.NoError(t, os.WriteFile(path, data[:k], 0o600))
	ft := &fileTail{path: path}
	first, err1 := ft.Since(0)
	fh, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	require.NoError(t, err)
	_, err = fh.Write(data[k:])
	require.NoError(t, err)
	require.NoError(t, fh.Close())
	var second []timeline.Entry
	var err2 error
	if err1 == nil {
		second, err2 = ft.Since(0)
	}
	want, werr := timeline.Read(bytes.NewReader(data[:bytes.LastIndexByte(data, '\n')+1]))
	if werr != nil {
		assert.True(t, err1 != nil || err2 != nil, "the whole fails (%v), the two reads do not", werr)
		return
	}
	require.NoError(t, err1)
	require.NoError(t, err2)
	assert.Equal(t, len(want), len(first)+len(second))
	assert.Equal(t, want, append(first, second...))
}

// A record file of more than inMemory bytes is decoded as read, with the
// same entries; a short unfinished line after them waits, a long one is
// errLongTail.
func TestFileTailLargeRecord(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	var es []timeline.Entry
	var b bytes.Buffer
	for i := 1; b.Len() <= inMemory; i++ {
		e := timeline.Entry{Seq: uint64(i), At: at, Kind: timeline.KindNote, Text: strings.Repeat("n", 200), Hash: "x"}
		es = append(es, e)
		require.NoError(t, timeline.WriteJSONL(&b, []timeline.Entry{e}))
	}
	path := filepath.Join(t.TempDir(), "r.jsonl")
	require.NoError(t, os.WriteFile(path, append(b.Bytes(), `{"seq":`...), 0o600))
	ft := &fileTail{path: path}
	got, err := ft.Since(0)
	require.NoError(t, err)
	assert.Equal(t, es, got)
	assert.Equal(t, int64(b.Len()), ft.off, "the unfinished line waits")

	ft = &fileTail{path: path}
	require.NoError(t, os.WriteFile(path, append(b.Bytes(), bytes.Repeat([]byte("x"), timeline.MaxLineSize+1)...), 0o600))
	_, err = ft.Since(0)
	assert.ErrorIs(t, err, errLongTail)
}
