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
	see  func([]timeline.Entry)
}

// Load reads every complete line of the file.
func (f *fileTail) Load() ([]timeline.Entry, error) {
	f.off = 0
	return f.Since(0)
}

// Since returns the entries with Seq > seq among the complete lines
// appended after those read so far.
func (f *fileTail) Since(seq uint64) ([]timeline.Entry, error) {
	fh, err := os.Open(f.path)
	if err != nil {
		return nil, fmt.Errorf("fleet: %w", err)
	}
	defer fh.Close()
	fi, err := fh.Stat()
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
	if f.see != nil {
		f.see(out)
	}
	return out, nil
}

// Append refuses: the schedule never writes.
func (*fileTail) Append([]timeline.Entry) error { return errReadOnly }

// Close does nothing: the file is opened for each read.
func (*fileTail) Close() error { return nil }

// tapped is a store whose entries, as they are loaded or read since,
// are shown to see: how the schedule learns what the record says of a
// rollout that mep's API does not hand out (its environment and labels).
type tapped struct {
	timeline.Store
	see func([]timeline.Entry)
}

// Load loads the store's entries and shows them.
func (t *tapped) Load() ([]timeline.Entry, error) {
	es, err := t.Store.Load()
	if err == nil {
		t.see(es)
	}
	return es, err
}

// Since reads what was appended after seq, and shows it.
func (t *tapped) Since(seq uint64) ([]timeline.Entry, error) {
	tl, ok := t.Store.(timeline.Tailer)
	if !ok {
		return nil, fmt.Errorf("fleet: the store (%T) cannot say what was appended", t.Store)
	}
	es, err := tl.Since(seq)
	if err == nil {
		t.see(es)
	}
	return es, err
}

// Append refuses: the schedule never writes.
func (*tapped) Append([]timeline.Entry) error { return errReadOnly }
