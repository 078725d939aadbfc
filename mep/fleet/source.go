package fleet

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// head is what a source says of one record without reading it: enough
// to tell whether it changed since the last scan.
type head struct {
	name  string
	path  string    // files: the record file
	size  int64     // files: its size
	mtime time.Time // files: its modification time
	seq   uint64    // PostgreSQL: the last seq
}

// grew reports whether the record only grew since old: what was read
// of it still holds, and reading what follows is enough.
func (h head) grew(old head) bool {
	if h.path != "" {
		// Equal sizes with another mtime: rewritten in place.
		return h.path == old.path && h.size > old.size
	}
	return h.seq >= old.seq
}

// source lists the records of a store and opens one.
type source interface {
	heads(ctx context.Context) ([]head, error)
	store(h head) (timeline.Store, error)
}

// dirSource is a directory of projects: each subdirectory (or link to
// one) holding a mep.RecordFile, and each file ending in ".jsonl", is a
// project's record.
type dirSource struct{ dir string }

func (d dirSource) heads(context.Context) ([]head, error) {
	des, err := os.ReadDir(d.dir)
	if err != nil {
		return nil, fileErr(d.dir, err)
	}
	var out []head
	taken := map[string]bool{} // the names of the records' directories and files
	for _, de := range des {
		name := de.Name()
		path, ok := d.recordPath(de)
		if !ok {
			continue
		}
		fi, err := os.Stat(path)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			continue // a directory that is not a project
		case err != nil:
			// A record that cannot be looked at (a link that loops):
			// its read fails the same way, and reports it by name.
			taken[name] = true
			out = append(out, head{name: name, path: path, size: -1})
			continue
		}
		taken[name] = true
		out = append(out, head{name: name, path: path, size: fi.Size(), mtime: fi.ModTime()})
	}
	// A file's record is named without ".jsonl", unless another record's
	// directory or file has that name: then with it, so that no record
	// hides another.
	for i, h := range out {
		if short, ok := strings.CutSuffix(h.name, ".jsonl"); ok && filepath.Base(h.path) == h.name && !taken[short] {
			out[i].name = short
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

// recordPath returns the path of the record that the entry de of the
// directory names: the record file of a directory, or of a link to one,
// or the file itself when its name ends in ".jsonl". Hidden entries and
// other files name none.
func (d dirSource) recordPath(de fs.DirEntry) (string, bool) {
	name := de.Name()
	if strings.HasPrefix(name, ".") {
		return "", false
	}
	path := filepath.Join(d.dir, name)
	dir := de.IsDir()
	if de.Type()&fs.ModeSymlink != 0 {
		fi, err := os.Stat(path)
		dir = err == nil && fi.IsDir()
	}
	switch {
	case dir:
		return filepath.Join(path, mep.RecordFile), true
	case strings.HasSuffix(name, ".jsonl"):
		return path, true
	}
	return "", false
}

func (dirSource) store(h head) (timeline.Store, error) {
	return &fileTail{path: h.path}, nil
}

// dbSource is the records of a pgstore database.
type dbSource struct{ db *pgstore.DB }

// heads reads the last seq of every record by a loose index scan of the
// entries' primary key (record, seq): one index probe per record, so that
// it costs the number of records, not of entries.
func (d dbSource) heads(ctx context.Context) ([]head, error) {
	t := pgx.Identifier{d.db.Schema(), pgstore.EntriesTable}.Sanitize()
	q := `WITH RECURSIVE r AS (
		(SELECT record FROM ` + t + ` ORDER BY record LIMIT 1)
		UNION ALL
		SELECT (SELECT e.record FROM ` + t + ` e WHERE e.record > r.record ORDER BY e.record LIMIT 1)
		FROM r WHERE r.record IS NOT NULL)
	SELECT r.record, (SELECT max(e.seq) FROM ` + t + ` e WHERE e.record = r.record)
	FROM r WHERE r.record IS NOT NULL`
	rows, err := d.db.Pool().Query(ctx, q)
	if err != nil {
		return nil, fmt.Errorf("fleet: listing records: %w", err)
	}
	defer rows.Close()
	var out []head
	for rows.Next() {
		var h head
		var seq int64
		if err := rows.Scan(&h.name, &seq); err != nil {
			return nil, fmt.Errorf("fleet: listing records: %w", err)
		}
		h.seq = uint64(seq)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fleet: listing records: %w", err)
	}
	return out, nil
}

func (d dbSource) store(h head) (timeline.Store, error) {
	return d.db.Store(h.name)
}

// headsOf reads the last seq of the records named that hold entries:
// one probe of the primary key per name.
func (d dbSource) headsOf(ctx context.Context, names []string) ([]head, error) {
	t := pgx.Identifier{d.db.Schema(), pgstore.EntriesTable}.Sanitize()
	q := `SELECT n.record, (SELECT max(e.seq) FROM ` + t + ` e WHERE e.record = n.record)
	FROM pg_catalog.unnest($1::pg_catalog.text[]) AS n(record)`
	rows, err := d.db.Pool().Query(ctx, q, names)
	if err != nil {
		return nil, fmt.Errorf("fleet: reading records' heads: %w", err)
	}
	defer rows.Close()
	var out []head
	for rows.Next() {
		var h head
		var seq *int64
		if err := rows.Scan(&h.name, &seq); err != nil {
			return nil, fmt.Errorf("fleet: reading records' heads: %w", err)
		}
		if seq == nil {
			continue // no such record
		}
		h.seq = uint64(*seq)
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("fleet: reading records' heads: %w", err)
	}
	return out, nil
}
