package fleet

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/mepkit/mepkit/timeline"
)

// errReadOnly is returned by the stores of a schedule when asked to
// append: a schedule reads records, it never writes them.
var errReadOnly = errors.New("fleet: the schedule reads records, it never writes them")

// errRewritten is returned by a file's Since when the file is shorter
// than what was read of it: it was rewritten, and is read again whole.
var errRewritten = errors.New("the record file was rewritten")

// fileTail is a read-only timeline store on a record file. It takes no
// lock, so that the writer that holds the file keeps it, and reads only
// complete lines: a line still being written is left for the next scan.
// Since reads the bytes appended after those already read, so that a
// rescan costs what was appended.
type fileTail struct {
	path string
	off  int64 // bytes of complete lines read
}

// Load reads every complete line of the file.
func (f *fileTail) Load() ([]timeline.Entry, error) {
	f.off = 0
	return f.Since(0)
}

// Since returns the entries of the complete lines appended after those
// read so far: for the journal, which read the file up to seq, the
// entries after seq. A line there with a seq at or below seq (an old
// entry appended again, a forged one) is returned, never left out, so
// that the journal refuses the record as it refuses the file read whole.
func (f *fileTail) Since(uint64) ([]timeline.Entry, error) {
	// Only a regular file: opening a FIFO named like a record would
	// wait for a writer, and the scan with it.
	fi, err := os.Stat(f.path)
	if err != nil {
		return nil, fileErr(f.path, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fileErr(f.path, fmt.Errorf("not a regular file (%s)", fi.Mode().Type()))
	}
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, fileErr(f.path, err)
	}
	defer fh.Close()
	fi, err = fh.Stat()
	if err != nil {
		return nil, fileErr(f.path, err)
	}
	if fi.Size() < f.off {
		return nil, fileErr(f.path, errRewritten)
	}
	// What was appended is read at once, or, past inMemory bytes,
	// decoded as read, a line at a time: a huge record costs its entries,
	// not its bytes too. A torn or unfinished last line waits.
	var n int64 // the offset just past the last newline
	var src io.Reader
	if size := fi.Size() - f.off; size <= inMemory {
		buf := make([]byte, size)
		if _, err := fh.ReadAt(buf, f.off); err != nil && !errors.Is(err, io.EOF) {
			return nil, fileErr(f.path, err)
		}
		buf = buf[:bytes.LastIndexByte(buf, '\n')+1]
		n, src = f.off+int64(len(buf)), bytes.NewReader(buf)
	} else {
		if n, err = lastLineEnd(fh, f.off, fi.Size()); err != nil {
			return nil, fileErr(f.path, err)
		}
		src = io.NewSectionReader(fh, f.off, n-f.off)
	}
	if fi.Size()-n > timeline.MaxLineSize {
		return nil, fileErr(f.path, errLongTail)
	}
	es, err := timeline.Read(src)
	if err != nil {
		return nil, fileErr(f.path, err)
	}
	f.off = n
	return es, nil
}

// Append refuses: the schedule never writes.
func (*fileTail) Append([]timeline.Entry) error { return errReadOnly }

// Close does nothing: the file is opened for each read.
func (*fileTail) Close() error { return nil }

// inMemory is the most bytes appended to a record file that Since reads
// at once rather than as it decodes them.
const inMemory = 4 << 20

// tailChunk is how much lastLineEnd reads at a time, back from the end.
const tailChunk = 64 << 10

// errLongTail reports a record file that ends with an unfinished line
// longer than any line a writer makes: waiting for its end would read
// it again at every scan.
var errLongTail = fmt.Errorf("the file ends with an unfinished line of more than %d bytes: %w", timeline.MaxLineSize, timeline.ErrLineTooLong)

// lastLineEnd returns the offset just past the last newline of r in
// [from, to), or from when there is none; errLongTail when more than
// timeline.MaxLineSize bytes follow it.
func lastLineEnd(r io.ReaderAt, from, to int64) (int64, error) {
	buf := make([]byte, tailChunk)
	for end := to; end > from; {
		start := max(from, end-tailChunk)
		b := buf[:end-start]
		if _, err := r.ReadAt(b, start); err != nil && !errors.Is(err, io.EOF) {
			return 0, err
		}
		n := start
		if i := bytes.LastIndexByte(b, '\n'); i >= 0 {
			n += int64(i) + 1
		}
		if to-n > timeline.MaxLineSize {
			return 0, errLongTail
		}
		if n > start || start == from {
			return n, nil
		}
		end = start
	}
	return from, nil
}
