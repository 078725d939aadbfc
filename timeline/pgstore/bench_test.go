package pgstore_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/require"
)

const benchWriters = 8

// BenchmarkWriters measures 8 writers appending b.N entries each, durably,
// to one record and to 8 records: on PostgreSQL (each writer a journal with
// connections of its own; on one record they catch up with each other
// after each conflict), on local file records (a file has one writer
// process: the 8 goroutines share its journal, which groups their syncs),
// and, for the limit of the server, a bare loop of INSERT and COMMIT. Run
// with -benchtime 2000x for 2,000 entries per writer; entries/s is the
// figure.
func BenchmarkWriters(b *testing.B) {
	b.Run("postgres/one-record", func(b *testing.B) {
		dsn, schema := benchSchema(b)
		benchParallel(b, func(w int) func() error {
			return pgWriter(b, dsn, schema, "shared")
		})
	})
	b.Run("postgres/8-records", func(b *testing.B) {
		dsn, schema := benchSchema(b)
		benchParallel(b, func(w int) func() error {
			return pgWriter(b, dsn, schema, "r"+strconv.Itoa(w))
		})
	})
	b.Run("postgres/bare-insert-commit", func(b *testing.B) {
		// The same rows in a table of the same shape, without the store:
		// one INSERT of one row per commit.
		dsn, schema := benchSchema(b)
		table := pgx.Identifier{schema, "bare"}.Sanitize()
		require.NoError(b, superExec(b, dsn, "CREATE TABLE "+table+" (LIKE "+pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()+" INCLUDING ALL)"))
		line := benchLine(b)
		benchParallel(b, func(w int) func() error {
			conn, err := pgx.Connect(context.Background(), dsn)
			require.NoError(b, err)
			b.Cleanup(func() { conn.Close(context.Background()) })
			record, seq := "r"+strconv.Itoa(w), 0
			return func() error {
				seq++
				_, err := conn.Exec(context.Background(), "INSERT INTO "+table+" (record, seq, at, kind, actor, hash, line) VALUES ($1, $2, $3, $4, $5, $6, $7)",
					record, seq, time.Now(), "note", "w", line.Hash, line.Text)
				return err
			}
		})
	})
	b.Run("file/one-record", func(b *testing.B) {
		j, err := timeline.Open(filepath.Join(b.TempDir(), "shared.jsonl"), nil)
		require.NoError(b, err)
		b.Cleanup(func() { j.Close() })
		benchParallel(b, func(w int) func() error {
			return func() error { _, err := j.Note("w"+strconv.Itoa(w), "entry"); return err }
		})
	})
	b.Run("file/8-records", func(b *testing.B) {
		dir := b.TempDir()
		benchParallel(b, func(w int) func() error {
			j, err := timeline.Open(filepath.Join(dir, "r"+strconv.Itoa(w)+".jsonl"), nil)
			require.NoError(b, err)
			b.Cleanup(func() { j.Close() })
			return func() error { _, err := j.Note("w", "entry"); return err }
		})
	})
}

// benchLine returns the line of a note as the writers of the benchmark
// record it (in Text) and its hash.
func benchLine(b *testing.B) timeline.Entry {
	j := timeline.New(nil)
	e, err := j.Note("w", "entry")
	require.NoError(b, err)
	var buf strings.Builder
	require.NoError(b, timeline.WriteJSONL(&buf, []timeline.Entry{e}))
	return timeline.Entry{Text: strings.TrimSuffix(buf.String(), "\n"), Hash: e.Hash}
}

func benchSchema(b *testing.B) (string, string) {
	dsn := testDSN(b)
	schema := testSchema(b, dsn)
	openDB(b, dsn, schema)
	return dsn, schema
}

// benchParallel runs benchWriters writers, each calling its append b.N
// times, and reports entries/s.
func benchParallel(b *testing.B, writer func(w int) func() error) {
	appends := make([]func() error, benchWriters)
	for w := range appends {
		appends[w] = writer(w)
	}
	b.ResetTimer()
	began := time.Now()
	var wg sync.WaitGroup
	errs := make([]error, benchWriters)
	for w, f := range appends {
		wg.Go(func() {
			for range b.N {
				if err := f(); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	wg.Wait()
	elapsed := time.Since(began)
	b.StopTimer()
	require.NoError(b, errors.Join(errs...))
	b.ReportMetric(float64(benchWriters*b.N)/elapsed.Seconds(), "entries/s")
	b.ReportMetric(0, "ns/op")
}

// pgWriter returns a function that records one note on record through a
// journal with its own connections, catching up and retrying after a
// conflict with another writer.
func pgWriter(b *testing.B, dsn, schema, record string) func() error {
	s, err := pgstore.OpenStore(context.Background(), dsn, record, &pgstore.Options{Schema: schema})
	require.NoError(b, err)
	j, err := timeline.OpenStore(s, nil)
	require.NoError(b, err)
	b.Cleanup(func() { j.Close() })
	return func() error {
		for {
			_, err := j.Record(timeline.Entry{Kind: timeline.KindNote, Actor: "w", Text: "entry"})
			if !errors.Is(err, timeline.ErrConflict) {
				return err
			}
			if _, err := j.Refresh(); err != nil {
				return err
			}
		}
	}
}

// BenchmarkOpen100k measures opening a journal on a PostgreSQL record of
// 100,000 entries: loading the rows, decoding and verifying the chain;
// and, for comparison, on a local file of the same entries
// (timeline.Open). cpu-ms/op is the CPU time of this process (the
// server's is not in it).
func BenchmarkOpen100k(b *testing.B) {
	at := time.Date(2026, 1, 5, 20, 0, 0, 0, time.FixedZone("CET", 3600))
	entries := pgstore.YearOfEntries(b, &timeline.Options{Now: func() time.Time { at = at.Add(time.Second); return at }})
	b.Run("postgres", func(b *testing.B) {
		db, _, _ := testDB(b)
		s, err := db.Store("year")
		require.NoError(b, err)
		for all := entries; len(all) > 0; {
			n := min(len(all), 5000)
			require.NoError(b, s.Append(all[:n]))
			all = all[n:]
		}
		benchOpen(b, func() (*timeline.Journal, error) {
			s, err := db.Store("year") // the journal closes its store
			if err != nil {
				return nil, err
			}
			return timeline.OpenStore(s, nil)
		})
	})
	b.Run("file", func(b *testing.B) {
		path := filepath.Join(b.TempDir(), "year.jsonl")
		f, err := os.Create(path)
		require.NoError(b, err)
		require.NoError(b, timeline.WriteJSONL(f, entries))
		require.NoError(b, f.Close())
		benchOpen(b, func() (*timeline.Journal, error) { return timeline.Open(path, nil) })
	})
}

func benchOpen(b *testing.B, open func() (*timeline.Journal, error)) {
	b.ResetTimer()
	cpu := processCPU()
	for b.Loop() {
		j, err := open()
		if err != nil {
			b.Fatal(err)
		}
		if j.Len() != 100_000 {
			b.Fatalf("got %d entries", j.Len())
		}
		j.Close()
	}
	b.ReportMetric(float64(processCPU()-cpu)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
}
