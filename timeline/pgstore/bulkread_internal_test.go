package pgstore

import (
	"bytes"
	"errors"
	"io"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// pieces is a reader that returns its pieces one read at a time (a read
// smaller than the piece returns its start), then err.
type pieces struct {
	p     [][]byte
	err   error
	reads int
}

func (r *pieces) Read(p []byte) (int, error) {
	r.reads++
	if len(r.p) == 0 {
		return 0, r.err
	}
	n := copy(p, r.p[0])
	if r.p[0] = r.p[0][n:]; len(r.p[0]) == 0 {
		r.p = r.p[1:]
	}
	return n, nil
}

func TestBulkReaderReadsAheadOnlyWhileStreaming(t *testing.T) {
	big := bytes.Repeat([]byte("0123456789abcdef"), bulkSize/8) // two bulks
	src := &pieces{p: [][]byte{[]byte("answer"), big, []byte("ready")}, err: io.EOF}
	b := &bulkReader{r: src}
	p := make([]byte, 8192)

	// A short answer passes through: nothing is read ahead.
	n, err := b.Read(p)
	require.NoError(t, err)
	assert.Equal(t, "answer", string(p[:n]))
	assert.Nil(t, b.buf, "no buffer for a short answer")

	// A read that fills what was asked starts a stream; the next reads
	// take bulkSize at once.
	var got []byte
	for len(got) < len(big) {
		n, err := b.Read(p)
		require.NoError(t, err)
		got = append(got, p[:n]...)
	}
	assert.Equal(t, big, got)
	assert.Less(t, src.reads, 2+len(big)/8192, "the stream was read in bulk")

	// The end of the stream, then the error after it.
	n, err = b.Read(p)
	require.NoError(t, err)
	assert.Equal(t, "ready", string(p[:n]))
	assert.Nil(t, b.buf, "the buffer goes back once the stream ends")
	_, err = b.Read(p)
	assert.ErrorIs(t, err, io.EOF)
}

func TestBulkReaderKeepsEveryByteAndTheError(t *testing.T) {
	data := bytes.Repeat([]byte("pgstore"), 100_000)
	boom := errors.New("connection reset")
	for _, step := range []int{1, 100, 8192, bulkSize + 3} {
		var ps [][]byte
		for rest := data; len(rest) > 0; {
			n := min(step, len(rest))
			ps = append(ps, rest[:n])
			rest = rest[n:]
		}
		b := &bulkReader{r: &pieces{p: ps, err: boom}}
		got, err := io.ReadAll(iotest.OneByteReader(io.LimitReader(b, int64(len(data)))))
		require.NoError(t, err)
		assert.Equal(t, data, got, "pieces of %d", step)
		got, err = io.ReadAll(b)
		assert.Empty(t, got)
		assert.ErrorIs(t, err, boom, "pieces of %d", step)
	}
	// The same through reads of 8 KiB, as pgx reads.
	b := &bulkReader{r: &pieces{p: [][]byte{data}, err: boom}}
	var got []byte
	p := make([]byte, 8192)
	for {
		n, err := b.Read(p)
		got = append(got, p[:n]...)
		if err != nil {
			assert.ErrorIs(t, err, boom)
			break
		}
	}
	assert.Equal(t, data, got)
}

// An error returned with the last bytes of a bulk read comes after them.
type lastWithError struct{ data []byte }

func (r *lastWithError) Read(p []byte) (int, error) {
	n := copy(p, r.data)
	r.data = r.data[n:]
	if len(r.data) == 0 {
		return n, io.ErrUnexpectedEOF
	}
	return n, nil
}

func TestBulkReaderErrorAfterItsBytes(t *testing.T) {
	data := bytes.Repeat([]byte("x"), 3*8192)
	b := &bulkReader{r: &lastWithError{data: data}}
	got, err := io.ReadAll(b)
	assert.Equal(t, data, got)
	assert.ErrorIs(t, err, io.ErrUnexpectedEOF)
}
