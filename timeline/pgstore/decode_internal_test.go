package pgstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strconv"
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
	return decodeCopyTo(newDecoder("r", nil), data, step)
}

// decodeParts feeds data to a decoder with a part function in pieces of
// size step, and returns the entries of the parts, in order.
func decodeParts(data []byte, step int) ([]timeline.Entry, error) {
	var got []timeline.Entry
	d := newDecoder("r", func(es []timeline.Entry) error {
		got = append(got, es...)
		return nil
	})
	_, err := decodeCopyTo(d, data, step)
	return got, err
}

func decodeCopyTo(d *decoder, data []byte, step int) ([]timeline.Entry, error) {
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

func TestDecodeCopyWithAHint(t *testing.T) {
	es := notes(t, 2*chunkLines+7) // three chunks
	data := copyOutput(t, es)
	for _, hint := range []uint64{0, 1, 64, chunkLines, uint64(len(es)) - 1, uint64(len(es)), uint64(len(es)) + 5000, maxExpect + 1} {
		d := newDecoder("r", nil)
		d.expect(hint)
		got, err := decodeCopyTo(d, data, 300)
		require.NoError(t, err, "hint %d", hint)
		require.True(t, sameLines(t, es, got), "hint %d", hint)
		assert.Equal(t, len(got), cap(got), "hint %d: no room left over", hint)
	}
}

func TestDecodeCopyInParts(t *testing.T) {
	es := notes(t, 2*chunkLines+7)
	data := copyOutput(t, es)
	for _, step := range []int{7, 300, len(data)} {
		var parts [][]timeline.Entry
		d := newDecoder("r", func(part []timeline.Entry) error {
			parts = append(parts, part)
			return nil
		})
		got, err := decodeCopyTo(d, data, step)
		require.NoError(t, err, "pieces of %d bytes", step)
		assert.Nil(t, got, "the entries are in the parts")
		var all []timeline.Entry
		for _, p := range parts {
			require.NotEmpty(t, p)
			all = append(all, p...)
		}
		require.True(t, sameLines(t, es, all), "pieces of %d bytes", step)
		assert.Greater(t, len(parts), 1, "handed over as they arrive")
	}

	// An error of the part function stops the hand-over and is returned.
	stop := errors.New("chain broken")
	calls := 0
	d := newDecoder("r", func([]timeline.Entry) error { calls++; return stop })
	_, err := decodeCopyTo(d, data, len(data))
	assert.ErrorIs(t, err, stop)
	assert.Equal(t, 1, calls)

	// Rows read before the COPY output ends are handed over, then the
	// error.
	var n int
	d = newDecoder("r", func(es []timeline.Entry) error { n += len(es); return nil })
	_, err = decodeCopyTo(d, data[:len(data)/2], len(data))
	assert.ErrorIs(t, err, errCopyFormat)
	assert.Greater(t, n, chunkLines, "the rows before the cut")
}

func TestDecodeCopyRefuses(t *testing.T) {
	es := notes(t, 3)
	data := copyOutput(t, es)
	for name, decode := range map[string]func([]byte, int) ([]timeline.Entry, error){"whole": decodeCopy, "in parts": decodeParts} {
		_, err := decode(data[:len(data)-2], len(data))
		assert.ErrorIs(t, err, errCopyFormat, "%s: no trailer", name)
		_, err = decode(append([]byte("PGCOPY\nX"), data[8:]...), len(data))
		assert.ErrorIs(t, err, errCopyFormat, "%s: not COPY output", name)

		// A row whose hash column is not its line's: edited by hand.
		forged := bytes.Replace(data, []byte(es[1].Hash), []byte(strings.Repeat("0", 64)), 1)
		_, err = decode(forged, len(forged))
		assert.ErrorIs(t, err, timeline.ErrTampered, name)

		// A row whose seq column is not its line's.
		var seq [8]byte
		binary.BigEndian.PutUint64(seq[:], 2)
		at := bytes.Index(data, seq[:])
		require.Positive(t, at)
		moved := bytes.Clone(data)
		moved[at+7] = 9
		_, err = decode(moved, len(moved))
		assert.ErrorIs(t, err, timeline.ErrTampered, name)

		// A line that holds a newline (its length kept).
		split := bytes.Replace(data, []byte(`,"at":"`), []byte(`,"at":`+"\n"), 1)
		_, err = decode(split, len(split))
		assert.ErrorIs(t, err, timeline.ErrTampered, name)
		assert.ErrorContains(t, err, "newline", name)

		// A line that does not decode names its seq.
		bad := bytes.Replace(data, []byte(`{"seq":2,`), []byte(`["seq":2,`), 1)
		_, err = decode(bad, len(bad))
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "seq 2", name)
		if re, ok := errors.AsType[*RowError](err); assert.True(t, ok, "%s: a *RowError: %v", name, err) {
			assert.Equal(t, RowError{Record: "r", Seq: 2, Err: re.Err}, *re, name)
			assert.Error(t, re.Err, name)
		}
	}
}

func FuzzDecodeCopy(f *testing.F) {
	f.Add(copyOutput(f, notes(f, 3)), 5)
	f.Add(copyOutput(f, notes(f, 1)), 1000)
	f.Add(copySignature, 1)
	two := copyOutput(f, notes(f, 70)) // two chunks, the first of 64 rows
	f.Add(two, 300)
	f.Add(two[:len(two)*2/3], 100) // cut in the second chunk
	f.Fuzz(func(t *testing.T, data []byte, step int) {
		if step <= 0 || step > 1<<20 {
			return
		}
		whole, werr := decodeCopy(data, len(data)+1)
		pieces, perr := decodeCopy(data, step)
		if (werr == nil) != (perr == nil) {
			t.Fatalf("whole: %v, in pieces of %d: %v", werr, step, perr)
		}
		parts, err := decodeParts(data, step)
		if (werr == nil) != (err == nil) {
			t.Fatalf("whole: %v, in parts, in pieces of %d: %v", werr, step, err)
		}
		if werr == nil {
			require.True(t, sameLines(t, whole, pieces))
			require.True(t, sameLines(t, whole, parts))
		}
	})
}

// BenchmarkDecodeCopy100k measures the decoder alone on the COPY output
// of 100,000 entries, written one row at a time as the connection hands
// them over (one CopyData message a row).
func BenchmarkDecodeCopy100k(b *testing.B) {
	data := copyOutput(b, yearOfEntries(b, nil))
	// The rows, as the messages cut them.
	var rows [][]byte
	at := len(copySignature) + 8
	rows = append(rows, data[:at])
	for at < len(data)-2 {
		n := 2
		for range 3 {
			n += 4 + int(binary.BigEndian.Uint32(data[at+n:]))
		}
		rows = append(rows, data[at:at+n])
		at += n
	}
	rows = append(rows, data[at:])
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		d := newDecoder("r", nil)
		d.expect(100_000)
		for _, r := range rows {
			if _, err := d.Write(r); err != nil {
				b.Fatal(err)
			}
		}
		es, err := d.finish()
		if err != nil || len(es) != 100_000 {
			b.Fatal(len(es), err)
		}
	}
}

// yearOfEntries returns 100,000 entries of a journal with opts: steps
// started and ended, and a note with an attribute between.
func yearOfEntries(tb testing.TB, opts *timeline.Options) []timeline.Entry {
	tb.Helper()
	j := timeline.New(opts)
	for i := 0; j.Len() < 100_000; i++ {
		step := "step-" + strconv.Itoa(i%200)
		_, err := j.Start(step, "ops", timeline.Impact(i%3))
		require.NoError(tb, err)
		_, err = j.Record(timeline.Entry{Kind: timeline.KindNote, Actor: "ops", Text: "progress of " + step, Attrs: map[string]string{"ticket": "CHG-" + strconv.Itoa(i)}})
		require.NoError(tb, err)
		_, err = j.End(step, "ops", timeline.Done)
		require.NoError(tb, err)
	}
	return j.Entries()[:100_000]
}
