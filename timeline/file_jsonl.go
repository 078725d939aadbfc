package timeline

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"iter"
	"os"
)

// WriteJSONL writes entries as JSON Lines, one object per line, in the
// format that file journals use and Read reads back. An entry that Read
// could not read back (no time, a time RFC 3339 cannot carry, an impact
// out of range, a line over [MaxLineSize]) is an [*EntryError] and ends
// the writing.
func WriteJSONL(w io.Writer, entries []Entry) error {
	bw := bufio.NewWriter(w)
	var buf []byte
	for i := range entries {
		var err error
		buf, err = appendLine(buf[:0], &entries[i])
		if err != nil {
			return err
		}
		if err := checkLineSize(len(buf) - 1); err != nil {
			return &EntryError{Seq: entries[i].Seq, Step: entries[i].Step, Err: err}
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Entries returns an iterator over the entries of the JSON Lines that r
// holds, decoded one line at a time: memory stays bounded by one line
// ([MaxLineSize]), whatever the size of the input. Each line must be
// exactly what a journal writes for the entry it carries; the iterator
// checks that, not the hash chain: feed the entries to a [Verifier] for
// that.
//
// The iterator yields each entry with a nil error. At the first bad line it
// yields a zero Entry and a [*LineError] naming the line, then stops: a
// malformed line or one longer than MaxLineSize; a line that decodes but is
// not the journal's encoding of its entry (an offset rewritten, a key
// duplicated or in other case, white space added), which also wraps
// [ErrTampered]; a last line without its newline that does not decode
// (wrapping [ErrTornWrite]). Empty lines are an error too: a journal never
// writes them. A read error from r is yielded as it is, wrapped.
func Entries(r io.Reader) iter.Seq2[Entry, error] {
	return newScanner(r).entries()
}

// entries iterates over the entries of the lines left, as Entries says.
func (s *scanner) entries() iter.Seq2[Entry, error] {
	return func(yield func(Entry, error) bool) {
		for {
			data, complete, err := s.readLine()
			if err == io.EOF && len(data) == 0 {
				return
			}
			if err != nil && err != io.EOF {
				yield(Entry{}, s.readError(err))
				return
			}
			e, err := s.decode(data, complete)
			if err != nil {
				yield(Entry{}, err)
				return
			}
			if !yield(e, nil) || !complete {
				return
			}
		}
	}
}

// DecodeLine decodes one line of a journal, without its newline, with
// the checks of [Entries] for one line: a line longer than MaxLineSize
// (wrapping [ErrLineTooLong]), malformed, empty, or that decodes but is
// not the journal's encoding of its entry (wrapping [ErrTampered]) is an
// error. The strings of the entry may share line's memory. It is for a
// store that keeps the line of each entry apart, such as a database row.
func DecodeLine(line string) (Entry, error) {
	e, _, err := decodeLine(line, nil)
	return e, err
}

// Read decodes JSON Lines written by a journal or by [WriteJSONL] into a
// slice, with the checks of [Entries]. On error, Read returns the entries
// decoded before the bad line along with the error. It checks each line,
// not the hash chain: call [Verify] for that. To read a large file in
// bounded memory, range over [Entries] instead.
func Read(r io.Reader) ([]Entry, error) {
	var entries []Entry
	for e, err := range Entries(r) {
		if err != nil {
			return entries, err
		}
		entries = append(entries, e)
	}
	return entries, nil
}

// ReadFile reads a journal file as [Read] reads it, with the same checks,
// entries and errors. It reads the file at once and decodes a long one on
// every core (GOMAXPROCS). It does not modify the file; use [Open] to
// repair a torn last line.
func ReadFile(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, wrapError("", err)
	}
	defer f.Close()
	entries, _, tail, err := readJournal(f, path)
	if err != nil || len(tail) == 0 {
		return entries, err
	}
	// A last line without its newline, read as Entries reads it.
	e, _, err := decodeNumbered(tail, false, len(entries)+1, nil)
	if err != nil {
		return entries, err
	}
	return append(entries, e), nil
}

// VerifyFile reads the journal file at path and verifies its chain as it
// reads, in memory bounded by one line: the way to check a journal of
// millions of entries. It returns the number of entries and the head
// (last seq and hash) to compare with one kept elsewhere, and the first
// error of [Entries] or [Verifier.Add].
func VerifyFile(path string, key []byte) (n int, head string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, "", wrapError("", err)
	}
	defer f.Close()
	v := NewVerifier(key)
	for e, err := range Entries(f) {
		if err != nil {
			return n, v.last, err
		}
		if err := v.Add(e); err != nil {
			return n, v.last, err
		}
		n++
	}
	return n, v.last, nil
}

// scanner reads JSON Lines one line at a time.
type scanner struct {
	br   *bufio.Reader
	line int    // number of the line last read, 1-based
	long []byte // reused for lines longer than the reader's buffer
	buf  []byte // scratch for the canonical encoding
}

func newScanner(r io.Reader) *scanner {
	size := 64 << 10
	if l, ok := r.(interface{ Len() int }); ok && l.Len() < size {
		size = max(l.Len()+1, 16) // a small input in memory needs no 64 KiB buffer
	}
	return &scanner{br: bufio.NewReaderSize(r, size)}
}

// readLine returns the next line without its newline, and whether the
// newline was there. A line longer than MaxLineSize is a *LineError
// wrapping ErrLineTooLong, after reading no more than MaxLineSize+1 bytes
// of it. The data is valid until the next call.
func (s *scanner) readLine() (data []byte, complete bool, err error) {
	s.line++
	long := s.long[:0]
	defer func() { s.long = long[:0] }()
	for {
		chunk, err := s.br.ReadSlice('\n')
		if err == nil {
			chunk = chunk[:len(chunk)-1]
			if len(long) == 0 {
				if checkLineSize(len(chunk)) != nil {
					return nil, false, s.lineError(ErrLineTooLong)
				}
				return chunk, true, nil
			}
			long = append(long, chunk...)
			if checkLineSize(len(long)) != nil {
				return nil, false, s.lineError(ErrLineTooLong)
			}
			return long, true, nil
		}
		long = append(long, chunk...)
		if checkLineSize(len(long)) != nil {
			return nil, false, s.lineError(ErrLineTooLong)
		}
		if err == bufio.ErrBufferFull {
			continue
		}
		return long, false, err
	}
}

func (s *scanner) lineError(err error) error { return &LineError{Line: s.line, Err: err} }

func (s *scanner) readError(err error) error {
	var le *LineError
	if errors.As(err, &le) {
		return err
	}
	return wrapError(fmt.Sprintf("reading line %d", s.line), err)
}

// decode decodes the line just read and checks it is canonical.
func (s *scanner) decode(data []byte, complete bool) (Entry, error) {
	e, buf, err := decodeNumbered(data, complete, s.line, s.buf)
	s.buf = buf
	return e, err
}

// decodeNumbered decodes data, line number line of its input (without its
// newline, which complete says was there), and checks it is canonical. Its
// error is a *LineError; a last line without its newline that does not
// decode is a torn write. buf is scratch.
func decodeNumbered(data []byte, complete bool, line int, buf []byte) (Entry, []byte, error) {
	if err := checkLineSize(len(data)); err != nil {
		return Entry{}, buf, &LineError{Line: line, Err: err}
	}
	e, buf, err := decodeLine(string(data), buf)
	if err != nil {
		if !complete && !decodes(data) {
			err = wrapError("", ErrTornWrite, err)
		}
		return Entry{}, buf, &LineError{Line: line, Err: err}
	}
	return e, buf, nil
}

// decodes reports whether line decodes to an entry, canonical or not: a
// last line without its newline that does not is torn; one that does but
// is refused by the canonical check (an offset of 24 hours, say) is not.
func decodes(line []byte) bool {
	if checkLineSize(len(line)) != nil {
		return false
	}
	_, err := decodeSlow(line)
	return err == nil
}
