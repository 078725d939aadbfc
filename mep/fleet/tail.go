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
var errRewritten = errors.New("fleet: the record file was rewritten")

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

// Since returns the entries with Seq > seq among the complete lines
// appended after those read so far.
func (f *fileTail) Since(seq uint64) ([]timeline.Entry, error) {
	// Only a regular file: opening a FIFO named like a record would
	// wait for a writer, and the scan with it.
	fi, err := os.Stat(f.path)
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("fleet: %s: not a regular file (%s)", f.path, fi.Mode().Type())
	}
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	defer fh.Close()
	fi, err = fh.Stat()
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	if fi.Size() < f.off {
		return nil, fmt.Errorf("%w: %s", errRewritten, f.path)
	}
	n, err := lastLineEnd(fh, f.off, fi.Size()) // a torn or unfinished last line waits
	if err != nil {
		return nil, fmt.Errorf("fleet: %s: %w", f.path, err)
	}
	// Decoded as read, a line at a time: a huge record costs its entries,
	// not its bytes too.
	es, err := timeline.Read(io.NewSectionReader(fh, f.off, n-f.off))
	if err != nil {
		return nil, fmt.Errorf("fleet: %s: %w", f.path, err)
	}
	f.off = n
	out := es[:0]
	for _, e := range es {
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out, nil
}

// Append refuses: the schedule never writes.
func (*fileTail) Append([]timeline.Entry) error { return errReadOnly }

// Close does nothing: the file is opened for each read.
func (*fileTail) Close() error { return nil }

// tailChunk is how much lastLineEnd reads at a time, back from the end.
const tailChunk = 64 << 10

// lastLineEnd returns the offset just past the last newline of r in
// [from, to), or from when there is none. An unfinished last line longer
// than timeline.MaxLineSize is an error: no writer's line is that long,
// and waiting for its end would read it again at every scan.
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
			return 0, fmt.Errorf("the file ends with an unfinished line of more than %d bytes: %w", timeline.MaxLineSize, timeline.ErrLineTooLong)
		}
		if n > start || start == from {
			return n, nil
		}
		end = start
	}
	return from, nil
}
