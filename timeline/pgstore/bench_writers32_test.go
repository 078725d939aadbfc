package pgstore_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/require"
)

const (
	writers32 = 32
	// giveUp is the number of attempts after which a writer would give
	// up an entry; the benchmark counts entries that needed more.
	giveUp = 1000
)

// BenchmarkWriters32 measures 32 writers appending b.N entries each to ONE
// record, each with its own connection and journal: Record, and on
// timeline.ErrConflict Refresh and Record again until the entry is stored.
// It reports appends/s, the latency of an entry from the first attempt to
// its storage (p50, p99), the conflicts per entry and the give-ups
// (entries that took more than 1,000 attempts: none expected). The
// bare-insert-commit run is the server's limit: 32 connections each
// committing one-row INSERTs into a table of the same shape. Run with
// -benchtime 50x for 50 entries per writer.
//
// The 1x8 and 8x8 runs are 8 writers on one record, and 8 records with 8
// writers each: records are independent chains, so the second should
// reach about 8 times the first, up to the server's limit.
func BenchmarkWriters32(b *testing.B) {
	b.Run("one-record", func(b *testing.B) { benchRecords(b, 1, writers32) })
	b.Run("1x8", func(b *testing.B) { benchRecords(b, 1, 8) })
	b.Run("8x8", func(b *testing.B) { benchRecords(b, 8, 8) })
	b.Run("bare-insert-commit", bench32Bare)
}

// benchRecords runs perRecord writers on each of records records.
func benchRecords(b *testing.B, records, perRecord int) {
	{
		dsn, schema := benchSchema(b)
		dsn = withParams(b, dsn, "pool_max_conns", "1")
		writers := records * perRecord
		journals := make([]*timeline.Journal, writers)
		for w := range journals {
			s, err := pgstore.OpenStore(context.Background(), dsn, "r"+strconv.Itoa(w%records), &pgstore.Options{Schema: schema, NoMigrate: true})
			require.NoError(b, err)
			j, err := timeline.OpenStore(s, nil)
			require.NoError(b, err)
			b.Cleanup(func() { j.Close() })
			journals[w] = j
		}
		lat := make([][]time.Duration, writers)
		conflicts, giveUps := make([]int, writers), make([]int, writers)
		errs := make([]error, writers)
		b.ResetTimer()
		began := time.Now()
		var wg sync.WaitGroup
		for w, j := range journals {
			wg.Go(func() {
				for range b.N {
					t0 := time.Now()
					n, err := recordUntilStored(j, "w"+strconv.Itoa(w))
					if err != nil {
						errs[w] = err
						return
					}
					lat[w] = append(lat[w], time.Since(t0))
					conflicts[w] += n - 1
					if n > giveUp {
						giveUps[w]++
					}
				}
			})
		}
		wg.Wait()
		elapsed := time.Since(began)
		b.StopTimer()
		require.NoError(b, errors.Join(errs...))
		all := slices.Concat(lat...)
		slices.Sort(all)
		b.ReportMetric(float64(len(all))/elapsed.Seconds(), "appends/s")
		b.ReportMetric(ms(all[len(all)/2]), "p50-ms")
		b.ReportMetric(ms(all[min(len(all)-1, len(all)*99/100)]), "p99-ms")
		b.ReportMetric(float64(sum(conflicts))/float64(len(all)), "conflicts/append")
		b.ReportMetric(float64(sum(giveUps)), "give-ups")
		b.ReportMetric(0, "ns/op")
		if sum(giveUps) != 0 {
			b.Errorf("%d entries took more than %d attempts", sum(giveUps), giveUp)
		}
		for r := range records {
			_, err := journals[r].Refresh()
			require.NoError(b, err)
			require.Equal(b, perRecord*b.N, journals[r].Len(), "every entry stored once")
			require.NoError(b, timeline.Verify(journals[r].Entries(), nil))
		}
	}
}

func bench32Bare(b *testing.B) {
	{
		dsn, schema := benchSchema(b)
		table := pgx.Identifier{schema, "bare"}.Sanitize()
		require.NoError(b, superExec(b, dsn, "CREATE TABLE "+table+" (LIKE "+pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()+" INCLUDING ALL)"))
		line := benchLine(b)
		conns := make([]*pgx.Conn, writers32)
		for w := range conns {
			conn, err := pgx.Connect(context.Background(), dsn)
			require.NoError(b, err)
			b.Cleanup(func() { conn.Close(context.Background()) })
			conns[w] = conn
		}
		b.ResetTimer()
		began := time.Now()
		var wg sync.WaitGroup
		errs := make([]error, writers32)
		for w, conn := range conns {
			wg.Go(func() {
				for i := range b.N {
					_, err := conn.Exec(context.Background(), "INSERT INTO "+table+" (record, seq, at, kind, actor, hash, line) VALUES ($1, $2, $3, $4, $5, $6, $7)",
						"r"+strconv.Itoa(w), i+1, time.Now(), "note", "w", line.Hash, line.Text)
					if err != nil {
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
		b.ReportMetric(float64(writers32*b.N)/elapsed.Seconds(), "inserts/s")
		b.ReportMetric(0, "ns/op")
	}
}

// recordUntilStored records a note, catching up and trying again after
// each conflict, and returns the number of attempts.
func recordUntilStored(j *timeline.Journal, actor string) (int, error) {
	for n := 1; ; n++ {
		_, err := j.Record(timeline.Entry{Kind: timeline.KindNote, Actor: actor, Text: "entry"})
		if !errors.Is(err, timeline.ErrConflict) {
			return n, err
		}
		if _, err := j.Refresh(); err != nil {
			return n, err
		}
	}
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

func sum(xs []int) int {
	t := 0
	for _, x := range xs {
		t += x
	}
	return t
}
