package pgstore

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"sync"

	"github.com/mepkit/mepkit/timeline"
)

// chunkLines is how many rows a decoder hands to one decoding goroutine.
const chunkLines = 4096

// decoder decodes the rows of a read (seq, hash, line) as they arrive: the
// lines go in chunks to goroutines, as many at a time as there are cores,
// so that decoding overlaps the transfer and a long record decodes on
// every core. It also reads the rows of COPY ... (FORMAT binary) as an
// io.Writer. A decoder is used by one goroutine, then finish.
//
// A decoder with a part function hands the entries of each chunk over to
// it, in order, from a goroutine of its own, as soon as the chunk and
// those before it are decoded and checked (a journal verifies them while
// the next arrive), and stops at the first error, of a chunk or of part.
type decoder struct {
	record  string
	cur     *chunk
	chunks  []*chunk
	wg      sync.WaitGroup
	sem     chan struct{}
	pending []byte // COPY data not parsed yet
	header  bool   // the COPY header was read
	ended   bool   // the COPY trailer was read
	err     error  // the first error of the rows themselves
	rows    int    // rows added
	// out, when the number of rows is known ahead (see expect), holds
	// the entries: each chunk decodes into its place in it, so that
	// finish need not copy them. A chunk beyond its capacity decodes on
	// its own, and finish copies them all.
	out []timeline.Entry

	part      func([]timeline.Entry) error
	queue     chan *chunk   // the chunks, in order, to deliver
	delivered chan struct{} // closed when deliver has ended
	partErr   error         // the first error of deliver; read once delivered is closed
}

// chunk is some consecutive rows: their lines, one after the other, and
// their seq and hash columns. The entries decoded share the memory of the
// lines.
type chunk struct {
	done    chan struct{} // closed once decoded, with a part function
	first   int           // index of its first row in the read
	lines   strings.Builder
	lineEnd []int // where each line ends in lines
	seqs    []int64
	hashes  []byte
	ends    []int // where each hash ends in hashes
	entries []timeline.Entry
	err     error
	size    int // bytes of lines
}

// newDecoder returns a decoder of the rows of record; with part, one that
// hands the entries over to part (see decoder).
func newDecoder(record string, part func([]timeline.Entry) error) *decoder {
	return &decoder{record: record, part: part, sem: make(chan struct{}, max(1, runtime.GOMAXPROCS(0)))}
}

// maxExpect bounds the rows that expect makes room for: the hint comes
// from the seq column, which an edit by hand could set to anything.
const maxExpect = 1 << 22

// expect tells d that the read holds about n rows (a hint: more or fewer
// are read as well), before the first row.
func (d *decoder) expect(n uint64) {
	if d.rows == 0 && n > 1 && n <= maxExpect {
		d.out = make([]timeline.Entry, n)
	}
}

// add takes one row. line is copied.
func (d *decoder) add(seq int64, hash, line []byte) {
	if d.err != nil {
		return
	}
	if bytes.IndexByte(line, '\n') >= 0 {
		d.err = &timeline.TamperError{Seq: uint64(seq), Reason: "its stored line holds a newline (edited by hand)"}
		return
	}
	if d.cur == nil {
		// A first chunk starts small (most reads are catch-ups of a few
		// entries); the next ones take the size of a full one, from the
		// lines of the one before, an eighth more.
		rows, size := 64, 16<<10
		if n := len(d.chunks); n > 0 {
			prev := d.chunks[n-1]
			rows = chunkLines
			size = prev.size / len(prev.seqs) * (rows + rows/8)
		}
		d.cur = &chunk{first: d.rows, lineEnd: make([]int, 0, rows), seqs: make([]int64, 0, rows),
			hashes: make([]byte, 0, 64*rows), ends: make([]int, 0, rows)}
		d.cur.lines.Grow(size)
	}
	d.rows++
	c := d.cur
	c.lines.Write(line)
	c.lineEnd = append(c.lineEnd, c.lines.Len())
	c.seqs = append(c.seqs, seq)
	c.hashes = append(c.hashes, hash...)
	c.ends = append(c.ends, len(c.hashes))
	if len(c.seqs) == chunkLines {
		d.dispatch(false)
	}
}

// dispatch hands the current chunk to a decoding goroutine, or decodes
// it at once when it is the only one (a short read, such as a catch-up).
func (d *decoder) dispatch(last bool) {
	c := d.cur
	if c == nil {
		return
	}
	d.cur = nil
	c.size = c.lines.Len()
	d.chunks = append(d.chunks, c)
	if end := c.first + len(c.seqs); end <= len(d.out) {
		c.entries = d.out[c.first:c.first:end]
	}
	if d.part != nil {
		if d.queue == nil {
			d.queue, d.delivered = make(chan *chunk, 256), make(chan struct{})
			go d.deliver()
		}
		c.done = make(chan struct{})
		d.queue <- c
	} else if last && len(d.chunks) == 1 {
		c.decode()
		return
	}
	d.sem <- struct{}{}
	d.wg.Go(func() {
		defer func() { <-d.sem }()
		c.decode()
		if c.done != nil {
			close(c.done)
		}
	})
}

// deliver hands the chunks of the queue over to d.part, in order, each
// once decoded, until the first error.
func (d *decoder) deliver() {
	defer close(d.delivered)
	for c := range d.queue {
		<-c.done
		if d.partErr != nil {
			continue
		}
		if c.err != nil {
			d.partErr = d.chunkError(c)
			continue
		}
		d.partErr = d.part(c.entries)
	}
}

// decode decodes the lines of c and checks them against its columns.
func (c *chunk) decode() {
	if c.entries == nil {
		c.entries = make([]timeline.Entry, 0, len(c.seqs))
	}
	lines, begin := c.lines.String(), 0
	for i, end := range c.lineEnd {
		e, err := timeline.DecodeLine(lines[begin:end])
		if err != nil {
			c.err = &timeline.LineError{Line: i + 1, Err: err}
			break
		}
		c.entries = append(c.entries, e)
		begin = end
	}
	if c.err == nil {
		c.err = checkColumns(c.entries, c.seqs, c.hashes, c.ends)
	}
	c.lines = strings.Builder{}
}

// finish waits for the chunks and returns the entries, in order, or the
// first error, naming the seq of its row.
//
// With a part function, finish returns no entries: it waits until every
// chunk is handed over, and returns the first error.
func (d *decoder) finish() ([]timeline.Entry, error) {
	d.dispatch(true)
	if d.queue != nil {
		close(d.queue)
		<-d.delivered
		d.queue = nil
	}
	d.wg.Wait()
	if d.err != nil {
		return nil, d.err
	}
	if d.part != nil {
		return nil, d.partErr
	}
	n, inOut := 0, d.out != nil
	for _, c := range d.chunks {
		if c.err != nil {
			return nil, d.chunkError(c)
		}
		n += len(c.entries)
		inOut = inOut && c.first+len(c.entries) <= len(d.out)
	}
	if inOut {
		// Each chunk decoded into its place, one after the other.
		return d.out[:n:n], nil
	}
	if len(d.chunks) == 1 {
		return d.chunks[0].entries, nil
	}
	out := make([]timeline.Entry, 0, n)
	for _, c := range d.chunks {
		out = append(out, c.entries...)
	}
	return out, nil
}

// chunkError returns the error of c, naming the seq of the row at fault.
func (d *decoder) chunkError(c *chunk) error {
	var le *timeline.LineError
	if errors.As(c.err, &le) && le.Line >= 1 && le.Line <= len(c.seqs) {
		return &RowError{Record: d.record, Seq: uint64(c.seqs[le.Line-1]), Err: le.Err}
	}
	var te *timeline.TamperError
	if errors.As(c.err, &te) {
		return c.err
	}
	return fmt.Errorf("pgstore: record %q: %w", d.record, c.err)
}

// copySignature starts the output of COPY ... (FORMAT binary).
var copySignature = []byte("PGCOPY\n\xff\r\n\x00")

// errCopyFormat is the error of COPY output that is not what the query
// asked for.
var errCopyFormat = errors.New("pgstore: unexpected COPY output")

// Write takes the next part of the output of COPY (SELECT seq, hash,
// line ...) TO STDOUT (FORMAT binary); p is copied.
func (d *decoder) Write(p []byte) (int, error) {
	buf := p
	if len(d.pending) > 0 {
		d.pending = append(d.pending, p...)
		buf = d.pending
	}
	if !d.header {
		if len(buf) < len(copySignature)+8 {
			d.pending = append(d.pending[:0], buf...)
			return len(p), nil
		}
		if !bytes.Equal(buf[:len(copySignature)], copySignature) {
			return 0, errCopyFormat
		}
		ext := int(binary.BigEndian.Uint32(buf[len(copySignature)+4:]))
		skip := len(copySignature) + 8 + ext
		if len(buf) < skip {
			d.pending = append(d.pending[:0], buf...)
			return len(p), nil
		}
		buf, d.header = buf[skip:], true
	}
	for len(buf) >= 2 && !d.ended {
		n, ok, err := d.tuple(buf)
		if err != nil {
			return 0, err
		}
		if !ok {
			break
		}
		buf = buf[n:]
	}
	// What is left is the start of a row: kept, as p is not ours.
	d.pending = append(d.pending[:0], buf...)
	return len(p), nil
}

// tuple reads one tuple of three fields (seq, hash, line) at the start of
// buf, or the trailer; ok is false when buf does not hold all of it yet.
func (d *decoder) tuple(buf []byte) (n int, ok bool, err error) {
	fields := int16(binary.BigEndian.Uint16(buf))
	if fields == -1 {
		d.ended = true
		return 2, true, nil
	}
	if fields != 3 {
		return 0, false, fmt.Errorf("%w: a row of %d fields", errCopyFormat, fields)
	}
	var vals [3][]byte
	at := 2
	for i := range vals {
		if len(buf) < at+4 {
			return 0, false, nil
		}
		size := int32(binary.BigEndian.Uint32(buf[at:]))
		at += 4
		if size < 0 {
			return 0, false, fmt.Errorf("%w: a NULL column", errCopyFormat)
		}
		if len(buf) < at+int(size) {
			return 0, false, nil
		}
		vals[i] = buf[at : at+int(size)]
		at += int(size)
	}
	if len(vals[0]) != 8 {
		return 0, false, fmt.Errorf("%w: a seq of %d bytes", errCopyFormat, len(vals[0]))
	}
	d.add(int64(binary.BigEndian.Uint64(vals[0])), vals[1], vals[2])
	return at, true, nil
}

// sqlLiteral returns s as an SQL string literal, for a statement that
// takes no parameters (COPY): dollar-quoted, with a tag that s does not
// hold, so that nothing in s is an escape and it reads the same whatever
// the session's settings say (standard_conforming_strings,
// backslash_quote); a SET in the same query string would come too late,
// as the server reads the whole string first.
func sqlLiteral(s string) string {
	tag := "$mk$"
	for i := 0; strings.Index(s+tag, tag) < len(s); i++ {
		tag = "$mk" + strconv.Itoa(i) + "$"
	}
	return tag + s + tag
}
