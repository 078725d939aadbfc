package pgstore

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mepkit/mepkit/timeline"
)

// Export writes the entries of record to w as JSON Lines, the format of a
// journal file (timeline.WriteJSONL), after verifying their chain with key
// (nil for an unkeyed chain), and returns the head it ends at: the seq and
// hash to give [DB.DropRecord] once the export is kept safe. A record that
// does not verify is not written: the error wraps timeline.ErrTampered
// (see timeline.Verify). An empty record is an error wrapping
// [ErrRecordName].
func (db *DB) Export(ctx context.Context, record string, w io.Writer, key []byte) (seq uint64, hash string, err error) {
	s, err := db.Store(record)
	if err != nil {
		return 0, "", err
	}
	entries, err := s.LoadContext(ctx)
	if err != nil {
		return 0, "", err
	}
	if len(entries) == 0 {
		return 0, "", fmt.Errorf("%w: record %q holds no entry", ErrRecordName, record)
	}
	if err := timeline.Verify(entries, key); err != nil {
		return 0, "", fmt.Errorf("pgstore: exporting record %q: %w", record, err)
	}
	if err := timeline.WriteJSONL(w, entries); err != nil {
		return 0, "", fmt.Errorf("pgstore: exporting record %q: %w", record, err)
	}
	last := entries[len(entries)-1]
	return last.Seq, last.Hash, nil
}

// DropRecord removes the whole record, as the admin's drop_record
// function does: only if it still ends at seq with hash, the head its
// export ended at ([DB.Export]), so that nothing appended after the
// export is lost; the drop is noted in the table timeline_archived with
// who, when and reason. It returns the number of entries removed. A
// record that moved on since is a [*ConflictError]; an empty reason is an
// error wrapping [ErrRefused]. Only the owner of the schema (the admin)
// may drop a record: any other role gets the server's permission error.
func (db *DB) DropRecord(ctx context.Context, record string, seq uint64, hash, reason string) (int64, error) {
	if err := checkName(record); err != nil {
		return 0, err
	}
	if seq > 1<<63-1 {
		return 0, fmt.Errorf("pgstore: record %q: seq %d out of range", record, seq)
	}
	var n int64
	err := db.pool.QueryRow(ctx, "SELECT "+qualified(db.schema, "drop_record")+"($1, $2, $3, $4)", record, int64(seq), hash, reason).Scan(&n)
	var pgErr *pgconn.PgError
	switch {
	case err == nil:
		return n, nil
	case errors.As(err, &pgErr) && pgErr.Code == codeConflict:
		last, _ := strconv.ParseUint(pgErr.Detail, 10, 64)
		return 0, &ConflictError{Record: record, Seq: seq, Last: last}
	case errors.As(err, &pgErr) && pgErr.Code == codeRefused:
		return 0, fmt.Errorf("%w: %w", ErrRefused, err)
	}
	return 0, fmt.Errorf("pgstore: dropping record %q: %w", record, err)
}

// GrantRecord lets the members of role append to record, and keeps the
// record to them: once a record has a role granted, only the members of
// its granted roles may append to it (the database checks it in
// append_entries, against the login role; see the package doc, # Write
// access per record). Granting a role twice does nothing. Only the admin
// may grant; role need not exist yet.
func (db *DB) GrantRecord(ctx context.Context, record, role string) error {
	if err := checkName(record); err != nil {
		return err
	}
	_, err := db.pool.Exec(ctx, "INSERT INTO "+qualified(db.schema, WritersTable)+" (record, writer) VALUES ($1, $2) ON CONFLICT DO NOTHING", record, role)
	if err != nil {
		return fmt.Errorf("pgstore: granting record %q to %q: %w", record, role, err)
	}
	return nil
}

// RevokeRecord takes back from role what [DB.GrantRecord] gave. A record
// whose last granted role is revoked is open again to every writer.
func (db *DB) RevokeRecord(ctx context.Context, record, role string) error {
	if err := checkName(record); err != nil {
		return err
	}
	_, err := db.pool.Exec(ctx, "DELETE FROM "+qualified(db.schema, WritersTable)+" WHERE record = $1 AND writer = $2", record, role)
	if err != nil {
		return fmt.Errorf("pgstore: revoking record %q from %q: %w", record, role, err)
	}
	return nil
}
