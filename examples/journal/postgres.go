package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// The record in PostgreSQL, when -postgres is given: the commands then
// work on it instead of the file of -f. Several operators on several
// machines may append to one record; a command that finds the record
// moved on catches up and tries again, and a step's rules (no end without
// its start) are checked against what the others recorded.

// pgTimeout bounds the work of one command on PostgreSQL.
const pgTimeout = 30 * time.Second

// pgConnectTimeout bounds the opening of the record: the connection, the
// schema's check or migration, and the driver's retries while a server
// starts. A server that refuses or does not answer (a wrong host or port
// in -postgres), or one still starting, fails the command in seconds,
// where an operator would otherwise wait out pgTimeout.
const pgConnectTimeout = 5 * time.Second

// pgRecord returns the store of the record of -postgres and -record.
func (fs *flags) pgRecord() (*pgstore.Store, error) {
	if fs.record == "" {
		return nil, usagef("-postgres needs -record NAME: the record to work on")
	}
	ctx, cancel := context.WithTimeout(context.Background(), pgConnectTimeout)
	defer cancel()
	return pgstore.OpenStore(ctx, fs.postgres, fs.record, &pgstore.Options{Schema: fs.schema, Timeout: pgTimeout})
}

// open opens the journal the command works on: the file of -f, or the
// record of -postgres and -record.
func (c *cli) open(fs *flags, opts *timeline.Options) (*timeline.Journal, error) {
	if fs.postgres == "" {
		if err := regular(fs.file); err != nil {
			return nil, err
		}
		return openFile(fs.file, opts)
	}
	s, err := fs.pgRecord()
	if err != nil {
		return nil, err
	}
	j, err := timeline.OpenStore(s, opts)
	if err != nil {
		s.Close()
		return nil, err
	}
	return j, nil
}

// lockWait is how long a command waits for a journal file that another
// command is writing to: that one holds it for the few milliseconds of
// its append, and two operators who type at once both get their entry.
const lockWait = 3 * time.Second

// openFile opens the journal file at path, waiting up to lockWait while
// another command holds it.
func openFile(path string, opts *timeline.Options) (*timeline.Journal, error) {
	deadline := time.Now().Add(lockWait)
	for delay := 5 * time.Millisecond; ; delay = min(2*delay, 100*time.Millisecond) {
		j, err := timeline.Open(path, opts)
		if !errors.Is(err, timeline.ErrLocked) || time.Now().After(deadline) {
			return j, err
		}
		time.Sleep(delay)
	}
}

// entries reads every entry of the journal the command works on, without
// changing it.
func (c *cli) entries(fs *flags) ([]timeline.Entry, error) {
	if fs.postgres == "" {
		return c.read(fs.file)
	}
	s, err := fs.pgRecord()
	if err != nil {
		return nil, err
	}
	defer s.Close()
	return s.Load()
}

// verifyChain checks the chain of the journal the command works on, with
// key, and returns its number of entries and its last hash.
func (c *cli) verifyChain(fs *flags, key []byte) (int, string, error) {
	if fs.postgres == "" {
		if err := regular(fs.file); err != nil {
			return 0, "", err
		}
		return timeline.VerifyFile(fs.file, key)
	}
	entries, err := c.entries(fs)
	if err != nil {
		return 0, "", err
	}
	if err := timeline.Verify(entries, key); err != nil {
		return 0, "", err
	}
	if len(entries) == 0 {
		return 0, "", nil
	}
	return len(entries), entries[len(entries)-1].Hash, nil
}

// recordRetry records with rec; when another writer appended first, it
// catches up with the record and tries again, a few times.
func recordRetry(j *timeline.Journal, rec func(*timeline.Journal) (timeline.Entry, error)) (timeline.Entry, error) {
	for attempt := 1; ; attempt++ {
		e, err := rec(j)
		if !errors.Is(err, timeline.ErrConflict) || attempt == 10 {
			return e, err
		}
		if _, rerr := j.Refresh(); rerr != nil {
			return e, fmt.Errorf("%w; catching up: %w", err, rerr)
		}
	}
}
