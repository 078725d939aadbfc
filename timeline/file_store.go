package timeline

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// FileStore keeps entries in a JSON Lines file, one entry per line, each
// written with a single Write and, unless NoSync, made durable with fsync
// before Append returns. The file is created with mode 0600 and locked
// against other journals (on Unix systems) while open, so a FileStore has
// a single writer and never sees a conflict; it still checks the sequence
// of every batch and accepts an identical retry, as [Store] says.
//
// The zero FileStore has no file: its methods return errors. FileStore is
// not safe for concurrent use; a [Journal] serialises its calls.
type FileStore struct {
	f        *os.File
	path     string
	noSync   bool
	size     int64  // bytes of complete lines
	last     uint64 // seq of the last stored entry
	lastHash string // its hash
	buf      []byte
	recovery Recovery
	loaded   bool
	repaired bool // the torn tail, if any, is cut off and the offset set
}

// FileStoreOptions configure a [FileStore]. A nil *FileStoreOptions, like
// the zero value, means the defaults.
type FileStoreOptions struct {
	NoSync bool // skip every fsync (tests, rehearsals on a laptop)
}

// OpenFileStore opens the journal file at path, creating it (and syncing
// its directory) if it does not exist. It returns [ErrLocked] if another
// journal holds the file.
func OpenFileStore(path string, opts *FileStoreOptions) (*FileStore, error) {
	noSync := opts != nil && opts.NoSync
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	created := err == nil
	if errors.Is(err, os.ErrExist) {
		f, err = os.OpenFile(path, os.O_RDWR, 0)
	}
	if err != nil {
		return nil, wrapError("", err)
	}
	if err := lockFile(f); err != nil {
		f.Close()
		return nil, wrapError(path, err)
	}
	if created && !noSync {
		if err := syncDir(filepath.Dir(path)); err != nil {
			f.Close()
			return nil, wrapError("", err)
		}
	}
	return &FileStore{f: f, path: path, noSync: noSync}, nil
}

// errNoFile is returned by the methods of a zero or closed FileStore.
var errNoFile = newError("FileStore has no open file")

// Load reads every entry of the file. It reads the file at once and, for a
// long one, decodes its lines on every core (GOMAXPROCS), so it holds the
// file's bytes besides the entries while it runs. A last line without its
// newline is the trace of a crash during a write: Load leaves it out, even
// if it decodes (its Record never returned), reports it by Recovery, and
// the file loses it before the next write. Any other malformed line is a
// [*LineError] naming the first such line. Load itself never modifies the
// file.
func (s *FileStore) Load() ([]Entry, error) {
	if s.f == nil {
		return nil, errNoFile
	}
	if s.loaded {
		return nil, newError("FileStore.Load called twice")
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, wrapError("", err)
	}
	// Complete lines end with a newline; what follows the last one is
	// the trace of a crash during a write.
	entries, size, torn, err := readJournal(s.f, s.path)
	if err != nil {
		return nil, err
	}
	if len(torn) > 0 {
		s.recovery = Recovery{TornBytes: int64(len(torn)), TornLine: len(entries) + 1}
	}
	s.size = int64(size)
	if n := len(entries); n > 0 {
		s.last, s.lastHash = entries[n-1].Seq, entries[n-1].Hash
	}
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
			return wrapError(fmt.Sprintf("truncating the torn last line of %s", s.path), err)
		}
		if err := s.sync(); err != nil {
			return err
		}
	}
	if _, err := s.f.Seek(s.size, io.SeekStart); err != nil {
		return wrapError("", err)
	}
	s.repaired = true
	return nil
}

// Recovery reports what Load repaired.
func (s *FileStore) Recovery() Recovery { return s.recovery }

// Append writes each entry as one line with one Write, then syncs the file
// once for the whole batch (unless NoSync). If a write fails, the file is
// cut back to its last complete line. A batch that does not start right
// after the last stored entry is refused: with an error wrapping
// [ErrConflict] when it overlaps stored entries with other hashes, with a
// plain error when it leaves a gap. Entries of the batch already stored
// with the same hashes (a retry) are not written again.
func (s *FileStore) Append(batch []Entry) error {
	if s.f == nil {
		return errNoFile
	}
	if !s.loaded {
		return newError("FileStore.Append before Load")
	}
	if len(batch) == 0 {
		return nil
	}
	if first := batch[0].Seq; first != s.last+1 {
		if first > s.last+1 {
			return newError(fmt.Sprintf("%s: batch starts at seq %d, after %d: a gap", s.path, first, s.last))
		}
		n, err := s.stored(batch)
		if err != nil {
			return err
		}
		batch = batch[n:]
		if len(batch) == 0 {
			return nil
		}
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
		if err := checkLineSize(len(s.buf) - 1); err != nil {
			return &EntryError{Seq: batch[i].Seq, Step: batch[i].Step, Err: err}
		}
		n, err := s.f.Write(s.buf)
		if err != nil {
			if n > 0 {
				s.rollback()
			}
			return wrapError(fmt.Sprintf("writing %s", s.path), err)
		}
		s.size += int64(n)
		s.last, s.lastHash = batch[i].Seq, batch[i].Hash
	}
	return s.sync()
}

// stored checks the entries of batch that have seqs already in the file:
// it returns how many there are if each is stored with the same hash, and
// an error wrapping ErrConflict otherwise. It reads the file back, which
// only a retry or a conflict costs.
func (s *FileStore) stored(batch []Entry) (int, error) {
	conflict := func(seq uint64) error {
		return wrapError(fmt.Sprintf("%s: seq %d is stored with another hash", s.path, seq), ErrConflict)
	}
	n := 0
	for n < len(batch) && batch[n].Seq <= s.last {
		n++
	}
	if batch[n-1].Seq == s.last {
		if batch[n-1].Hash != s.lastHash {
			return 0, conflict(s.last)
		}
		if n == 1 {
			return 1, nil
		}
	}
	old, err := s.Since(batch[0].Seq - 1)
	if err != nil {
		return 0, err
	}
	for i := range n {
		if i >= len(old) || old[i].Seq != batch[i].Seq || old[i].Hash != batch[i].Hash {
			return 0, conflict(batch[i].Seq)
		}
	}
	return n, nil
}

// Since returns the entries of the file with Seq > seq, in order: a
// FileStore has no other writer, so a journal on it only meets its own
// entries. It reads the file from the start and leaves its offset as it
// was; a torn last line is left out.
func (s *FileStore) Since(seq uint64) ([]Entry, error) {
	if s.f == nil {
		return nil, errNoFile
	}
	var out []Entry
	sc := newScanner(io.NewSectionReader(s.f, 0, s.size))
	for e, err := range sc.entries() {
		if err != nil {
			return nil, err
		}
		if e.Seq > seq {
			out = append(out, e)
		}
	}
	return out, nil
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
		return wrapError(fmt.Sprintf("syncing %s", s.path), err)
	}
	return nil
}

// Close closes the file, releasing its lock. Closing a closed or zero
// FileStore returns nil.
func (s *FileStore) Close() error {
	if s.f == nil {
		return nil
	}
	err := s.f.Close()
	s.f = nil
	if err != nil {
		return wrapError("", err)
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
	fs, err := OpenFileStore(path, &FileStoreOptions{NoSync: opts != nil && opts.NoSync})
	if err != nil {
		return nil, err
	}
	j, err := OpenStore(fs, opts)
	if err != nil {
		fs.Close()
		return nil, &openError{path: path, err: err}
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

// openError says which file Open could not open.
type openError struct {
	path string
	err  error
}

func (e *openError) Error() string { return prefix + e.message() }

func (e *openError) message() string { return "opening " + e.path + ": " + message(e.err) }

func (e *openError) Unwrap() error { return e.err }
