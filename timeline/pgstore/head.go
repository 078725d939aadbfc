package pgstore

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// HashAt returns the hash stored at seq in the record ("" if the record
// has no entry at seq) and the record's last seq (0 for an empty record),
// read together in one statement: the cheap check of a reader that
// showed the record up to seq. A record whose last seq is below it was
// cut from its end; a hash that is not the one the reader saw means an
// entry at or before seq was rewritten, or the record forked. It retries
// lost connections as Load does.
func (s *Store) HashAt(ctx context.Context, seq uint64) (hash string, last uint64, err error) {
	if s.closed.Load() {
		return "", 0, ErrClosed
	}
	if seq > 1<<63-1 {
		return "", 0, fmt.Errorf("pgstore: record %q: seq %d out of range", s.record, seq)
	}
	ctx, cancel := context.WithTimeout(ctx, s.db.timeout)
	defer cancel()
	t := qualified(s.db.schema, EntriesTable)
	sql := "SELECT (SELECT hash FROM " + t + " WHERE record = $1 AND seq = $2), " +
		"(SELECT coalesce(max(seq), 0) FROM " + t + " WHERE record = $1)"
	err = s.retry(ctx, func() error {
		var h *string
		var l int64
		err := s.db.pool.QueryRow(ctx, sql, s.record, int64(seq)).Scan(&h, &l)
		if errors.Is(err, pgx.ErrNoRows) {
			err = nil
		}
		if err != nil {
			return s.errorf("reading the head", err)
		}
		hash, last = "", uint64(l)
		if h != nil {
			hash = *h
		}
		return nil
	})
	return hash, last, err
}
