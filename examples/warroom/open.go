package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// followed is what follow opened: the store the demonstration plays
// into (nil: none), the PostgreSQL database of the record followed (nil:
// a file), and whether the demonstration owns the store: a temporary
// directory or a schema of its own, where it may write a second project.
type followed struct {
	demo   timeline.Store
	db     *pgstore.DB
	ownDir string // the demonstration's temporary directory; "": none
	ownDB  bool   // db's schema is the demonstration's own
}

// neighbour writes the demonstration's second project, another team's
// (demoNeighbour), into the store the demonstration owns.
func (o *followed) neighbour(evening time.Time) (*mep.Project, error) {
	var st timeline.Store
	var err error
	if o.ownDir != "" {
		st, err = timeline.OpenFileStore(filepath.Join(o.ownDir, "payments.jsonl"), &timeline.FileStoreOptions{NoSync: true})
	} else {
		st, err = o.db.Store("payments")
	}
	if err != nil {
		return nil, err
	}
	p, err := demoNeighbour(st, evening)
	if err != nil {
		st.Close()
	}
	return p, err
}

// follow starts following the record the flags name and returns what it
// opened. What it opens is released by the functions it appends to
// release, after wg's goroutines end.
func (s *server) follow(ctx context.Context, c config, wg *sync.WaitGroup, release *[]func(), stdout io.Writer) (followed, error) {
	var o followed
	switch {
	case c.file != "":
		s.title, s.source = filepath.Base(c.file), "file "+c.file
		if err := s.checkpoint(c, ""); err != nil {
			return o, err
		}
		if c.demo {
			fs, err := timeline.OpenFileStore(c.file, nil)
			if err != nil {
				return o, err
			}
			o.demo = fs
		}
		wg.Go(func() { followFile(ctx, c.file, s.room, c.audit) })
	case c.dsn != "":
		return s.postgres(ctx, c, wg, release, stdout)
	default:
		dir, err := os.MkdirTemp("", "warroom-")
		if err != nil {
			return o, err
		}
		*release = append(*release, func() { os.RemoveAll(dir) })
		path := filepath.Join(dir, "record.jsonl")
		fs, err := timeline.OpenFileStore(path, &timeline.FileStoreOptions{NoSync: true})
		if err != nil {
			return o, err
		}
		o.demo, o.ownDir = fs, dir
		s.title, s.source = "demonstration", "file record "+path
		wg.Go(func() { followFile(ctx, path, s.room, c.audit) })
	}
	return o, nil
}

// postgres follows a record in PostgreSQL. Without -record, the
// demonstration plays into a schema of its own, dropped when the server
// stops, so that it leaves nothing behind.
func (s *server) postgres(ctx context.Context, c config, wg *sync.WaitGroup, release *[]func(), stdout io.Writer) (followed, error) {
	var o followed
	record, schema := c.record, c.schema
	if record == "" {
		stamp := time.Now().UTC().Format("20060102_150405")
		record, schema, c.demo = "warroom-demo", "warroom_demo_"+stamp+"_"+strconv.Itoa(os.Getpid()), true
	}
	db, err := pgstore.Open(ctx, c.dsn, &pgstore.Options{Schema: schema})
	if err != nil {
		return o, err
	}
	*release = append(*release, db.Close)
	o.db, o.ownDB = db, c.record == ""
	if c.record == "" {
		*release = append(*release, func() {
			drop, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			if _, err := db.Pool().Exec(drop, "DROP SCHEMA "+pgx.Identifier{schema}.Sanitize()+" CASCADE"); err != nil {
				fmt.Fprintf(stdout, "warroom: dropping the demonstration's schema %s: %v\n", schema, err)
				return
			}
			fmt.Fprintf(stdout, "warroom: dropped the demonstration's schema %s\n", schema)
		})
	}
	s.title, s.source = record, "PostgreSQL record "+record
	if c.record == "" {
		s.source += " (schema " + schema + ", dropped at exit)"
	}
	if err := s.checkpoint(c, record); err != nil {
		return o, err
	}
	st, err := db.Store(record)
	if err != nil {
		return o, err
	}
	wg.Go(func() { followPostgres(ctx, db, st, s.room, c.audit) })
	if c.demo {
		o.demo = st
	}
	return o, nil
}

// checkpoint gives the room the checkpoint of -checkpoint, if any, for
// the record named record ("" for a file).
func (s *server) checkpoint(c config, record string) error {
	if c.checkpoint == "" {
		return nil
	}
	cp, pub, err := readCheckpoint(c.checkpoint, c.pub)
	if err != nil {
		return err
	}
	return s.room.addCheckpoint(cp, pub, record)
}
