package pgstore

import (
	"io"
	"sync"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgproto3"
)

// bulkSize is how much a connection reads at once while the server streams
// to it (the rows of a COPY): pgx reads 8 KiB at a time, one system call
// each, 2,500 of them for a record of 20 MB.
const bulkSize = 256 << 10

// bulkBuffers holds the buffers of bulkReaders between streams.
var bulkBuffers = sync.Pool{New: func() any { return new([bulkSize]byte) }}

// bulkFrontend is the pgconn.BuildFrontendFunc of the connections that
// Open makes: pgx's own, reading through a bulkReader.
var bulkFrontend pgconn.BuildFrontendFunc = func(r io.Reader, w io.Writer) *pgproto3.Frontend {
	return pgproto3.NewFrontend(&bulkReader{r: r}, w)
}

// bulkReader reads ahead in pieces of bulkSize while the server streams,
// that is while each read returns at least as much as was asked, and
// otherwise passes each read through as it is, without reading ahead: a
// query and its answer read as without it, and once a stream ends the
// bytes read ahead are soon handed over (what follows the end of an
// answer, a notification say, is held no longer than the next read). The
// buffer is put back in bulkBuffers when it is empty and the stream has
// ended.
type bulkReader struct {
	r         io.Reader
	buf       *[bulkSize]byte
	rp, wp    int   // what buf holds that was not read yet: buf[rp:wp]
	err       error // the error of the read that filled buf, after its bytes
	streaming bool  // the last read returned all that was asked
}

func (b *bulkReader) Read(p []byte) (int, error) {
	if b.rp < b.wp {
		n := copy(p, b.buf[b.rp:b.wp])
		b.rp += n
		if b.rp == b.wp && !b.streaming {
			b.release()
		}
		return n, nil
	}
	if err := b.err; err != nil {
		b.err = nil
		return 0, err
	}
	if !b.streaming || len(p) == 0 || len(p) >= bulkSize {
		n, err := b.r.Read(p)
		b.streaming = n == len(p) && n > 0
		return n, err
	}
	if b.buf == nil {
		b.buf = bulkBuffers.Get().(*[bulkSize]byte)
	}
	n, err := b.r.Read(b.buf[:])
	b.streaming = n >= len(p)
	b.rp, b.wp, b.err = 0, n, err
	if n == 0 {
		b.err = nil
		if !b.streaming {
			b.release()
		}
		return 0, err
	}
	return b.Read(p)
}

// release puts the buffer, empty, back in bulkBuffers.
func (b *bulkReader) release() {
	bulkBuffers.Put(b.buf)
	b.buf, b.rp, b.wp = nil, 0, 0
}
