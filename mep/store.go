package mep

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// RecordFile is the name of the record's file in a project directory.
const RecordFile = "record.jsonl"

// oldProjectFile is the file of the format before the record.
const oldProjectFile = "project.json"

// Create starts the record of a new project named name in s, which must
// be empty (else [ErrExists]), and returns the project. Any
// [timeline.Store] will do: a file (see [CreateFile]), a database table.
// On error the store is left open; the caller closes it.
func Create(s timeline.Store, name string, opts *Options) (*Project, error) {
	set, err := resolve(opts)
	if err != nil {
		return nil, err
	}
	j, err := timeline.OpenStore(s, &timeline.Options{Now: set.now, Key: set.key})
	if err != nil {
		return nil, errorf("open the record: %w", err)
	}
	if j.Len() > 0 {
		return nil, ErrExists
	}
	return create(j, name, set)
}

// Open replays the record that s holds and returns the project as it
// stands. It verifies the record's hash chain (with opts.Key) and reads
// every event; a record that does not read is a *RecordError
// (errors.Is(err, ErrCorrupt)), an empty store [ErrNoProject]. Options
// that are recorded with the project (see [Options]) are taken from the
// record; one given with another value is a *FieldError. On error the
// store is left open; the caller closes it.
func Open(s timeline.Store, opts *Options) (*Project, error) {
	set, err := resolve(opts)
	if err != nil {
		return nil, err
	}
	t := &tap{Store: s, loc: set.loc}
	j, err := timeline.OpenStore(t, &timeline.Options{Now: set.now, Key: set.key})
	st, n, ferr := t.folded()
	if err != nil {
		return nil, errorf("open the record: %w", err)
	}
	if n == 0 {
		return nil, ErrNoProject
	}
	if ferr != nil {
		return nil, ferr
	}
	set.only = st.rolloutsOnly
	if st.opts != nil {
		if err := set.adopt(st.opts, opts); err != nil {
			return nil, err
		}
	}
	return &Project{settings: set, journal: j, st: st}, nil
}

// CreateFile starts a new project's record on local disk: in the file at
// path, or, when path is a directory, in its [RecordFile]. The file must
// not exist or be empty. Every fact is made durable (fsync) before the
// call that records it returns, unless opts.NoSync. Close the project to
// release the file.
func CreateFile(path, name string, opts *Options) (*Project, error) {
	path, err := recordPath(path)
	if err != nil {
		return nil, err
	}
	_, err = os.Stat(path)
	absent := errors.Is(err, fs.ErrNotExist)
	s, err := openFile(path, opts)
	if err != nil {
		return nil, err
	}
	p, err := Create(s, name, opts)
	if err != nil {
		s.Close()
		if fi, serr := os.Stat(path); absent && serr == nil && fi.Size() == 0 {
			os.Remove(path) // the file it made, still empty
		}
		return nil, err
	}
	return p, nil
}

// OpenFile opens a project's record on local disk, as [CreateFile] wrote
// it, and replays it (see [Open]); a path that does not exist is
// [ErrNoProject], and nothing is created there. A torn last line, left
// by a crash during an append, is truncated: the facts recorded before
// it are all there. A directory saved in the format of mepkit before the record (a
// project.json file) is refused with [timeline.ErrOldFormat].
func OpenFile(path string, opts *Options) (*Project, error) {
	path, err := recordPath(path)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, wrapf(ErrNoProject, "%s does not exist", path)
	}
	s, err := openFile(path, opts)
	if err != nil {
		return nil, err
	}
	p, err := Open(s, opts)
	if err != nil {
		s.Close()
		return nil, err
	}
	return p, nil
}

// tap is the store a project's journal opens on: it hands the journal
// what Store loads and folds the same entries into the project's state,
// without the copy of each that Journal.Entries makes, while the journal
// verifies them: on another core, so that opening a long record takes the
// longer of the two rather than their sum. Neither changes the entries;
// a state folded from entries that the journal then refuses is dropped.
type tap struct {
	timeline.Store
	loc  *time.Location
	done chan struct{} // closed when the fold is over; nil: no fold
	st   *state
	n    int // entries loaded
	err  error
}

// Load loads the entries of the store and starts folding them.
func (t *tap) Load() ([]timeline.Entry, error) {
	es, err := t.Store.Load()
	if err == nil && len(es) > 0 {
		t.n = len(es)
		t.done = make(chan struct{})
		go func() {
			defer close(t.done)
			t.st, t.err = replay(es, t.loc)
		}()
	}
	return es, err
}

// folded waits for the fold that Load started, if any, and returns its
// state, the number of entries loaded and the error of the fold.
func (t *tap) folded() (*state, int, error) {
	if t.done == nil {
		return nil, 0, nil
	}
	<-t.done
	return t.st, t.n, t.err
}

// Since returns what other writers appended after seq, when the store
// can say it.
func (t *tap) Since(seq uint64) ([]timeline.Entry, error) {
	tl, ok := t.Store.(timeline.Tailer)
	if !ok {
		return nil, errorf("the store (%T) cannot say what other writers appended: it does not implement timeline.Tailer", t.Store)
	}
	return tl.Since(seq)
}

// recordPath returns the record's file of path: path, or its RecordFile
// when path is a directory; a path in the format before the record is
// [timeline.ErrOldFormat].
func recordPath(path string) (string, error) {
	if filepath.Base(path) == oldProjectFile {
		return "", wrapf(timeline.ErrOldFormat, "%s; this version keeps a project in one record file (%s)", path, RecordFile)
	}
	if fi, err := os.Stat(path); err == nil && fi.IsDir() {
		if _, err := os.Stat(filepath.Join(path, oldProjectFile)); err == nil {
			return "", wrapf(timeline.ErrOldFormat, "%s holds %s; this version keeps a project in one record file (%s)",
				path, oldProjectFile, RecordFile)
		}
		return filepath.Join(path, RecordFile), nil
	} else if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return "", errorf("%w", err)
	}
	return path, nil
}

// openFile opens the file store of the record at path (see recordPath).
func openFile(path string, opts *Options) (*timeline.FileStore, error) {
	s, err := timeline.OpenFileStore(path, &timeline.FileStoreOptions{NoSync: opts != nil && opts.NoSync})
	if err != nil {
		return nil, errorf("open the record: %w", err)
	}
	return s, nil
}
