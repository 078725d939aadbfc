package pgstore

import (
	"errors"
	"fmt"

	"github.com/mepkit/mepkit/timeline"
)

// Sentinel errors, for errors.Is.
var (
	// ErrSchemaVersion is wrapped by the [*SchemaError] for a schema
	// migrated by a newer version of this package.
	ErrSchemaVersion = errors.New("pgstore: schema of a newer version")
	// ErrNotMigrated is wrapped by the [*SchemaError] for a schema below
	// [SchemaVersion] when [Options.NoMigrate] is set.
	ErrNotMigrated = errors.New("pgstore: schema not migrated")
	// ErrSchemaName is wrapped by the error of [Open], [New] and
	// [Migrate] for an [Options.Schema] that the schema's SQL cannot hold
	// (see [MaxSchemaName]).
	ErrSchemaName = errors.New("pgstore: invalid schema name")
	// ErrRecordName is wrapped by errors about a record name that cannot
	// be stored.
	ErrRecordName = errors.New("pgstore: invalid record name")
	// ErrRefused is wrapped by the error of an append that the database
	// refused: a batch that does not follow the record's last entry (a
	// gap), or whose lines disagree with their seqs and hashes or are not
	// the JSON of entries. Nothing of the batch is stored.
	ErrRefused = errors.New("pgstore: append refused by the database")
	// ErrNotWriter is wrapped by the error of an append to a record kept
	// to the members of some roles ([DB.GrantRecord]) by a login role that
	// is a member of none of them. Nothing is stored.
	ErrNotWriter = errors.New("pgstore: not a writer of the record")
	// ErrClosed is returned by the methods of a closed [Store].
	ErrClosed = errors.New("pgstore: store closed")
)

// ConflictError reports an Append that found the record moved on: another
// writer stored entries first. Nothing of the batch was stored. It wraps
// [timeline.ErrConflict].
type ConflictError struct {
	Record string // the record's name
	Seq    uint64 // the first seq of the batch
	Last   uint64 // the last seq seen stored; may be below Seq when the other writer's entries were not visible yet
}

func (e *ConflictError) Error() string {
	s := fmt.Sprintf("pgstore: record %q moved on: another writer stored seq %d first", e.Record, e.Seq)
	if e.Last >= e.Seq {
		s += fmt.Sprintf(" (the record ends at seq %d)", e.Last)
	}
	return s
}

// Unwrap returns timeline.ErrConflict.
func (e *ConflictError) Unwrap() error { return timeline.ErrConflict }

// RowError reports a row of a record whose line is not the JSON of an
// entry: a row written by hand, or by a newer version of the entry
// format. Retrying does not cure it. It wraps the decoding error.
type RowError struct {
	Record string // the record's name
	Seq    uint64 // the row's seq
	Err    error  // why its line does not decode
}

func (e *RowError) Error() string {
	return fmt.Sprintf("pgstore: record %q, seq %d: %v", e.Record, e.Seq, e.Err)
}

// Unwrap returns the decoding error.
func (e *RowError) Unwrap() error { return e.Err }

// IsTransient reports whether err, returned by pgx or by this package
// (wrapped or not), may go away on retry: a lost connection, a server
// that is shutting down or starting, too many connections, a
// serialization failure or a deadlock. A program that runs its own
// queries on [DB.Pool] beside the stores uses it to retry as they do.
func IsTransient(err error) bool {
	return err != nil && retryable(err)
}
