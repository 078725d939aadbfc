package timeline

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
)

// MaxLineSize is the largest JSON Lines record Read and Open accept, in
// bytes, newline excluded. A longer line is an error ([ErrLineTooLong]),
// never unbounded memory.
const MaxLineSize = 1 << 20

// appendLine appends e as one JSON object and a newline.
func appendLine(b []byte, e *Entry) ([]byte, error) {
	data, err := json.Marshal(e)
	if err != nil {
		return b, fmt.Errorf("timeline: encoding entry %d: %w", e.Seq, err)
	}
	b = append(b, data...)
	return append(b, '\n'), nil
}

// WriteJSONL writes entries as JSON Lines, one object per line, in the
// format that file journals use and Read reads back.
func WriteJSONL(w io.Writer, entries []Entry) error {
	bw := bufio.NewWriter(w)
	var buf []byte
	for i := range entries {
		var err error
		buf, err = appendLine(buf[:0], &entries[i])
		if err != nil {
			return err
		}
		if _, err := bw.Write(buf); err != nil {
			return err
		}
	}
	return bw.Flush()
}

// Read decodes JSON Lines written by a journal or by [WriteJSONL]. It
// checks each line's syntax, not the hash chain: call [Verify] for that.
//
// A malformed line, or one longer than [MaxLineSize], is a [*LineError]
// naming the line. A last line without its newline that does not decode is
// reported as a LineError wrapping [ErrTornWrite]. On error, Read returns
// the entries decoded before the bad line along with the error. Empty
// lines are an error too: a journal never writes them.
func Read(r io.Reader) ([]Entry, error) {
	var entries []Entry
	br := bufio.NewReaderSize(r, 64<<10)
	for line := 1; ; line++ {
		data, complete, err := readLine(br)
		if err == io.EOF && len(data) == 0 {
			return entries, nil
		}
		if err != nil && err != io.EOF {
			if errors.Is(err, ErrLineTooLong) {
				return entries, &LineError{Line: line, Err: err}
			}
			return entries, fmt.Errorf("timeline: reading line %d: %w", line, err)
		}
		e, derr := decodeLine(data)
		if derr != nil {
			if !complete {
				derr = fmt.Errorf("%w: %w", ErrTornWrite, derr)
			}
			return entries, &LineError{Line: line, Err: derr}
		}
		entries = append(entries, e)
		if !complete {
			return entries, nil
		}
	}
}

// readLine returns the next line without its newline, and whether the
// newline was there. A line longer than MaxLineSize is ErrLineTooLong,
// after reading no more than MaxLineSize+1 bytes of it.
func readLine(br *bufio.Reader) (data []byte, complete bool, err error) {
	var long []byte
	for {
		chunk, err := br.ReadSlice('\n')
		if err == nil {
			chunk = chunk[:len(chunk)-1]
			if long == nil {
				if len(chunk) > MaxLineSize {
					return nil, false, ErrLineTooLong
				}
				return chunk, true, nil
			}
			long = append(long, chunk...)
			if len(long) > MaxLineSize {
				return nil, false, ErrLineTooLong
			}
			return long, true, nil
		}
		if err == bufio.ErrBufferFull {
			long = append(long, chunk...)
			if len(long) > MaxLineSize {
				return nil, false, ErrLineTooLong
			}
			continue
		}
		long = append(long, chunk...)
		return long, false, err
	}
}

// ReadFile reads a journal file with [Read]. It does not modify the file;
// use [Open] to repair a torn last line.
func ReadFile(path string) ([]Entry, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	defer f.Close()
	return Read(f)
}
