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
	buf := make([]byte, fi.Size()-f.off)
	if _, err := fh.ReadAt(buf, f.off); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	n := bytes.LastIndexByte(buf, '\n') + 1 // a torn or unfinished last line waits
	es, err := timeline.Read(bytes.NewReader(buf[:n]))
	if err != nil {
		return nil, fmt.Errorf("fleet: %s: %w", f.path, err)
	}
	f.off += int64(n)
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
