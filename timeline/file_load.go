package timeline

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"runtime"
	"sync"
)

// readLines reads the rest of f, which holds JSON Lines, sized from its
// length. It stops at the first line longer than MaxLineSize and returns
// what comes before that line and the line's number (0: none), so that a
// file that is not a journal costs no more than its first megabytes
// however long it is.
func readLines(f *os.File) (data []byte, long int, err error) {
	size := 0
	if fi, err := f.Stat(); err == nil {
		off, err := f.Seek(0, io.SeekCurrent)
		if n := fi.Size() - off + 1; err == nil && n > 1 && int64(int(n)) == n {
			size = int(n) // one more byte, to see the end without growing
		}
	}
	// A first read of a few megabytes, then the rest at once.
	const first = 4 << 20
	b := make([]byte, 0, max(min(size, first), 512))
	start := 0 // where the line being read starts
	for {
		if len(b) == cap(b) {
			nb := make([]byte, len(b), max(size, 2*len(b)))
			copy(nb, b)
			b = nb
		}
		n, err := f.Read(b[len(b):cap(b)])
		if i := bytes.LastIndexByte(b[len(b):len(b)+n], '\n'); i >= 0 {
			start = len(b) + i + 1
		}
		b = b[:len(b)+n]
		if checkLineSize(len(b)-start) != nil {
			return b[:start], bytes.Count(b[:start], []byte{'\n'}) + 1, nil
		}
		if err == io.EOF {
			return b, 0, nil
		}
		if err != nil {
			return b, 0, err
		}
	}
}

// readJournal reads the JSON Lines of f as Read reads them, with the same
// entries and errors, up to the last newline: it returns the entries of
// the complete lines, their size in bytes, and what follows the last
// newline (a last line without its newline, within MaxLineSize). name
// names the file in a read error.
func readJournal(f *os.File, name string) (entries []Entry, size int, tail []byte, err error) {
	data, long, err := readLines(f)
	if err != nil {
		return nil, 0, nil, wrapError(fmt.Sprintf("reading %s", name), err)
	}
	size = bytes.LastIndexByte(data, '\n') + 1
	entries, err = decodeLines(data[:size])
	if err == nil && long > 0 {
		err = &LineError{Line: long, Err: ErrLineTooLong}
	}
	return entries, size, data[size:], err
}

// Decoding in parallel pays off from this many lines; below, and for the
// first lines of a longer input, lines are decoded in order.
const parallelLines = 4096

// decodeLines decodes the lines of data, each ending with a newline, as
// the scanner does (the same entries, the same first error), on every
// core for a long input. The first error is a *LineError naming its line,
// returned with the entries of the lines before it.
//
// An entry is larger than its line, so the slice is allocated once at the
// number of lines, and only once the first lines have decoded and the
// input is long enough for that many entries: input that is not a journal
// costs no more than its first lines.
func decodeLines(data []byte) ([]Entry, error) {
	n := bytes.Count(data, []byte{'\n'})
	workers := min(runtime.GOMAXPROCS(0), 8)
	if n < 2*parallelLines || workers < 2 || n > len(data)/(minLineSize+1) {
		return decodeSerial(data, nil, 0)
	}
	head := 0 // bytes of the first parallelLines lines
	for range parallelLines {
		head += bytes.IndexByte(data[head:], '\n') + 1
	}
	probe, err := decodeSerial(data[:head], make([]Entry, 0, parallelLines), 0)
	if err != nil {
		if len(probe) == 0 {
			probe = nil // as the scanner gives it
		}
		return probe, err
	}
	entries := make([]Entry, n)
	copy(entries, probe)
	// The rest in one part per worker, of about equal bytes, each cut at
	// a line's end.
	type part struct {
		data  []byte
		first int // index of its first line
		n     int // entries decoded
		err   error
	}
	parts := make([]part, 0, workers)
	rest, first := data[head:], parallelLines
	for k := workers; k > 0 && len(rest) > 0; k-- {
		cut := len(rest)
		if k > 1 {
			cut = len(rest) / k
			cut += bytes.IndexByte(rest[cut:], '\n') + 1
		}
		parts = append(parts, part{data: rest[:cut], first: first})
		first += bytes.Count(rest[:cut], []byte{'\n'})
		rest = rest[cut:]
	}
	var wg sync.WaitGroup
	for i := range parts {
		p := &parts[i]
		wg.Go(func() {
			dst, err := decodeSerial(p.data, entries[p.first:p.first], p.first)
			p.n, p.err = len(dst), err
		})
	}
	wg.Wait()
	for _, p := range parts {
		if p.err != nil {
			return entries[:p.first+p.n], p.err
		}
	}
	return entries, nil
}

// decodeSerial appends the entries of the lines of data, each ending with
// a newline, to dst; the first line is line number first+1.
func decodeSerial(data []byte, dst []Entry, first int) ([]Entry, error) {
	var buf []byte
	for line := first + 1; len(data) > 0; line++ {
		i := bytes.IndexByte(data, '\n')
		e, b, err := decodeNumbered(data[:i], true, line, buf)
		if err != nil {
			return dst, err
		}
		buf = b
		dst = append(dst, e)
		data = data[i+1:]
	}
	return dst, nil
}
