package timeline

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Store keeps the entries of a durable journal. A [FileStore] is one; a
// database table could be another. Check an implementation with
// timelinetest.TestStore.
//
// A journal calls Load once, before any Append, then Append from one
// goroutine at a time, then Close once.
type Store interface {
	// Load returns every stored entry, in sequence order.
	Load() ([]Entry, error)
	// Append stores a batch of one or more entries, in order, after those
	// already stored, and returns once they are durable. On error, the
	// store must not be left with part of an entry; whether whole entries of
	// the batch were kept may be unknown. The journal reuses batch after
	// Append returns: a store keeps copies, never the slice.
	Append(batch []Entry) error
	// Close releases the store.
	Close() error
}

// Recovery reports what opening a journal file repaired.
type Recovery struct {
	TornBytes int64 // bytes of an incomplete last line that were truncated; 0: none
	TornLine  int   // the 1-based number of that line; 0: none
}

// FileStore keeps entries in a JSON Lines file, one entry per line, each
// written with a single Write and, unless NoSync, made durable with fsync
// before Append returns. The file is created with mode 0600 and locked
// against other journals (on Unix systems) while open.
//
// FileStore is not safe for concurrent use; a [Journal] serialises its
// calls.
type FileStore struct {
	f        *os.File
	path     string
	noSync   bool
	size     int64 // bytes of complete lines
	buf      []byte
	recovery Recovery
	loaded   bool
	repaired bool // the torn tail, if any, is cut off and the offset set
}

// OpenFileStore opens the journal file at path, creating it (and syncing
// its directory) if it does not exist. noSync skips every fsync. It returns
// [ErrLocked] if another journal holds the file.
func OpenFileStore(path string, noSync bool) (*FileStore, error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	created := err == nil
	if errors.Is(err, os.ErrExist) {
		f, err = os.OpenFile(path, os.O_RDWR, 0)
	}
	if err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, fmt.Errorf("timeline: %s: %w", path, err)
	}
	if created && !noSync {
		if err := syncDir(filepath.Dir(path)); err != nil {
			f.Close()
			return nil, err
		}
	}
	return &FileStore{f: f, path: path, noSync: noSync}, nil
}

// Load reads every entry of the file. A last line without its newline is
// the trace of a crash during a write: Load leaves it out, even if it
// decodes (its Record never returned), reports it by Recovery, and the
// file loses it before the next write. Any other malformed line is a
// [*LineError]. Load itself never modifies the file.
func (s *FileStore) Load() ([]Entry, error) {
	if s.loaded {
		return nil, errors.New("timeline: FileStore.Load called twice")
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("timeline: %w", err)
	}
	data, err := io.ReadAll(s.f)
	if err != nil {
		return nil, fmt.Errorf("timeline: reading %s: %w", s.path, err)
	}
	complete := data
	var torn []byte
	if i := bytes.LastIndexByte(data, '\n'); i+1 < len(data) {
		complete, torn = data[:i+1], data[i+1:]
	}
	entries, err := decodeLines(complete)
	if err != nil {
		return nil, err
	}
	if len(torn) > 0 {
		s.recovery = Recovery{TornBytes: int64(len(torn)), TornLine: bytes.Count(complete, []byte{'\n'}) + 1}
	}
	s.size = int64(len(complete))
	s.loaded = true
	return entries, nil
}

// repair cuts a torn last line found by Load off the file. Open calls it
// once the journal has verified what Load read, so that a file refused for
// another reason is left as it was; Append calls it before writing.
func (s *FileStore) repair() error {
	if s.repaired {
		return nil
	}
	if s.recovery.TornBytes > 0 {
		if err := s.f.Truncate(s.size); err != nil {
			return fmt.Errorf("timeline: truncating the torn last line of %s: %w", s.path, err)
		}
		if err := s.sync(); err != nil {
			return err
		}
	}
	if _, err := s.f.Seek(s.size, io.SeekStart); err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	s.repaired = true
	return nil
}

// decodeLines decodes complete JSON Lines held in memory.
func decodeLines(data []byte) ([]Entry, error) {
	entries := make([]Entry, 0, bytes.Count(data, []byte{'\n'}))
	for line := 1; len(data) > 0; line++ {
		i := bytes.IndexByte(data, '\n')
		e, err := decodeLine(data[:i])
		if err != nil {
			return nil, &LineError{Line: line, Err: err}
		}
		entries = append(entries, e)
		data = data[i+1:]
	}
	return entries, nil
}

// Recovery reports what Load repaired.
func (s *FileStore) Recovery() Recovery { return s.recovery }

// Append writes each entry as one line with one Write, then syncs the file
// once for the whole batch (unless noSync). If a write fails, the file is
// cut back to its last complete line.
func (s *FileStore) Append(batch []Entry) error {
	if !s.loaded {
		return errors.New("timeline: FileStore.Append before Load")
	}
	if err := s.repair(); err != nil {
		return err
	}
	for i := range batch {
		var err error
		s.buf, err = appendLine(s.buf[:0], &batch[i])
		if err != nil {
			return err
		}
		n, err := s.f.Write(s.buf)
		if err != nil {
			if n > 0 {
				s.rollback()
			}
			return fmt.Errorf("timeline: writing %s: %w", s.path, err)
		}
		s.size += int64(n)
	}
	return s.sync()
}

// rollback cuts the file back to its last complete line after a short write.
func (s *FileStore) rollback() {
	if s.f.Truncate(s.size) == nil {
		s.f.Seek(s.size, io.SeekStart)
	}
}

func (s *FileStore) sync() error {
	if s.noSync {
		return nil
	}
	if err := s.f.Sync(); err != nil {
		return fmt.Errorf("timeline: syncing %s: %w", s.path, err)
	}
	return nil
}

// Close closes the file, releasing its lock.
func (s *FileStore) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	if err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	return nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("timeline: %w", err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("timeline: syncing directory %s: %w", dir, err)
	}
	return nil
}

// Open opens the file journal at path, creating it if needed: JSON Lines,
// one entry per line, fsynced before Record returns unless opts.NoSync.
// Reopening loads the file, verifies its chain with opts.Key and continues
// it. A torn last line left by a crash is truncated; [Journal.Recovery]
// says how many bytes went, and opts.Logger, if set, logs a warning. A bad
// line anywhere else fails Open with a [*LineError]; a broken chain with a
// [*TamperError]. Open fails with [ErrLocked] while another journal holds
// the file.
func Open(path string, opts *Options) (*Journal, error) {
	noSync := opts != nil && opts.NoSync
	fs, err := OpenFileStore(path, noSync)
	if err != nil {
		return nil, err
	}
	j, err := OpenStore(fs, opts)
	if err != nil {
		fs.Close()
		return nil, fmt.Errorf("timeline: opening %s: %w", path, err)
	}
	if err := fs.repair(); err != nil {
		fs.Close()
		return nil, err
	}
	j.recovery = fs.Recovery()
	if j.recovery.TornBytes > 0 && j.logger != nil {
		j.logger.Warn("timeline: truncated a torn last line", "path", path,
			"line", j.recovery.TornLine, "bytes", j.recovery.TornBytes)
	}
	return j, nil
}
