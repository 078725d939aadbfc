package pgstore

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// copyOutput returns es as COPY (SELECT seq, hash, line) TO STDOUT (FORMAT
// binary) writes them.
func copyOutput(t testing.TB, es []timeline.Entry) []byte {
	t.Helper()
	var lines strings.Builder
	require.NoError(t, timeline.WriteJSONL(&lines, es))
	var b bytes.Buffer
	b.Write(copySignature)
	b.Write([]byte{0, 0, 0, 0, 0, 0, 0, 0})
	for i, line := range strings.Split(strings.TrimSuffix(lines.String(), "\n"), "\n") {
		binary.Write(&b, binary.BigEndian, int16(3))
		binary.Write(&b, binary.BigEndian, int32(8))
		binary.Write(&b, binary.BigEndian, int64(es[i].Seq))
		binary.Write(&b, binary.BigEndian, int32(len(es[i].Hash)))
		b.WriteString(es[i].Hash)
		binary.Write(&b, binary.BigEndian, int32(len(line)))
		b.WriteString(line)
	}
	binary.Write(&b, binary.BigEndian, int16(-1))
	return b.Bytes()
}

// sameLines reports whether a and b are the same entries, line for line.
func sameLines(t testing.TB, a, b []timeline.Entry) bool {
	var la, lb strings.Builder
	require.NoError(t, timeline.WriteJSONL(&la, a))
	require.NoError(t, timeline.WriteJSONL(&lb, b))
	return la.String() == lb.String()
}

func notes(t testing.TB, n int) []timeline.Entry {
	t.Helper()
	j := timeline.New(nil)
	for range n {
		_, err := j.Note("ops", "a note")
		require.NoError(t, err)
	}
	return j.Entries()
}

// decodeCopy feeds data to a decoder in pieces of size step.
func decodeCopy(data []byte, step int) ([]timeline.Entry, error) {
	d := newDecoder("r")
	for len(data) > 0 {
		n := min(step, len(data))
		if _, err := d.Write(data[:n]); err != nil {
			d.finish()
			return nil, err
		}
		data = data[n:]
	}
	if !d.ended {
		d.finish()
		return nil, errCopyFormat
	}
	return d.finish()
}

func TestDecodeCopyInAnyPieces(t *testing.T) {
	es := notes(t, 2*chunkLines+7) // three chunks
	data := copyOutput(t, es)
	for _, step := range []int{1, 7, 300, len(data)} {
		got, err := decodeCopy(data, step)
		require.NoError(t, err, "pieces of %d bytes", step)
		require.True(t, sameLines(t, es, got), "pieces of %d bytes", step)
	}
}

func TestDecodeCopyRefuses(t *testing.T) {
	es := notes(t, 3)
	data := copyOutput(t, es)
	_, err := decodeCopy(data[:len(data)-2], len(data))
	assert.ErrorIs(t, err, errCopyFormat, "no trailer")
	_, err = decodeCopy(append([]byte("PGCOPY\nX"), data[8:]...), len(data))
	assert.ErrorIs(t, err, errCopyFormat, "not COPY output")

	// A row whose hash column is not its line's: edited by hand.
	forged := bytes.Replace(data, []byte(es[1].Hash), []byte(strings.Repeat("0", 64)), 1)
	_, err = decodeCopy(forged, len(forged))
	assert.ErrorIs(t, err, timeline.ErrTampered)

	// A line that does not decode names its seq.
	bad := bytes.Replace(data, []byte(`{"seq":2,`), []byte(`["seq":2,`), 1)
	_, err = decodeCopy(bad, len(bad))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "seq 2")
}

func FuzzDecodeCopy(f *testing.F) {
	f.Add(copyOutput(f, notes(f, 3)), 5)
	f.Add(copyOutput(f, notes(f, 1)), 1000)
	f.Add(copySignature, 1)
	f.Fuzz(func(t *testing.T, data []byte, step int) {
		if step <= 0 || step > 1<<20 {
			return
		}
		whole, werr := decodeCopy(data, len(data)+1)
		pieces, perr := decodeCopy(data, step)
		if (werr == nil) != (perr == nil) {
			t.Fatalf("whole: %v, in pieces of %d: %v", werr, step, perr)
		}
		if werr == nil {
			require.True(t, sameLines(t, whole, pieces))
		}
	})
}
