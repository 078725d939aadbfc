package pgstore

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mepkit/mepkit/timeline"
)

// copyOn reads the entries after seq after on c (the pool: on a
// connection of its own) with COPY in binary, decoding them on every core
// as they arrive: the read of a whole record.
func (s *Store) copyOn(ctx context.Context, c conn, after uint64, part func([]timeline.Entry) error) ([]timeline.Entry, error) {
	switch c := c.(type) {
	case *pgxpool.Conn:
		return s.copyRange(ctx, c, after, 0, part)
	case *pgxpool.Pool:
		pc, err := c.Acquire(ctx)
		if err != nil {
			return nil, s.errorf("reading", err)
		}
		defer pc.Release()
		return s.copyRange(ctx, pc, after, 0, part)
	}
	return s.sinceOn(ctx, c, after, "", part)
}

// copyRange reads the entries after seq after, up to seq upto (0: to the
// end), with COPY in binary on pc; with part, it hands them over to part
// as they arrive (see decoder) and returns none.
func (s *Store) copyRange(ctx context.Context, pc *pgxpool.Conn, after, upto uint64, part func([]timeline.Entry) error) ([]timeline.Entry, error) {
	d := newDecoder(s.record, part)
	if after == 0 && upto == 0 && part == nil {
		// A whole record, the read that may be long: its last seq (from
		// the primary key, at once) tells how many entries to make room
		// for, so that they decode into place rather than being copied
		// together at the end. Catch-ups, short, go without.
		var last int64
		if err := pc.QueryRow(ctx, s.db.sqlLast, s.record).Scan(&last); err != nil {
			return nil, s.errorf("reading", err)
		}
		d.expect(uint64(max(last, 0)))
	}
	_, err := pc.Conn().PgConn().CopyTo(ctx, d, s.db.copySQL(s.record, after, upto))
	if err != nil {
		// The rows read in full before the failure are handed over all
		// the same (a retry reads on from after them); an error of theirs
		// comes first.
		if _, derr := d.finish(); derr != nil && part != nil {
			return nil, derr
		}
		if errors.Is(err, errCopyFormat) {
			return nil, fmt.Errorf("pgstore: reading record %q: %w", s.record, err)
		}
		return nil, s.errorf("reading", err)
	}
	if !d.ended {
		d.finish()
		return nil, fmt.Errorf("pgstore: reading record %q: %w: no trailer", s.record, errCopyFormat)
	}
	return d.finish()
}

// copySQL returns the statements that read the entries of record after
// seq after, up to seq upto (0: to the end), as COPY (FORMAT binary), in
// the implicit transaction of one simple query: the primary key in order
// (no sort, see querySince).
func (db *DB) copySQL(record string, after, upto uint64) string {
	bound := ""
	if upto > 0 {
		bound = " AND seq <= " + strconv.FormatUint(upto, 10)
	}
	return "SET LOCAL enable_sort = off; " +
		"COPY (SELECT seq, hash, line FROM " + qualified(db.schema, EntriesTable) +
		" WHERE record = " + sqlLiteral(record) + " AND seq > " + strconv.FormatUint(after, 10) + bound +
		" ORDER BY seq) TO STDOUT (FORMAT binary)"
}
