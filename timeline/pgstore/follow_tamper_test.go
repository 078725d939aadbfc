package pgstore_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// forkOf returns the entries of a journal that holds the first n of es,
// as they are, then more notes of its own, up to seq upto.
func forkOf(t *testing.T, es []timeline.Entry, n int, upto uint64) []timeline.Entry {
	t.Helper()
	at := es[len(es)-1].At
	j := timeline.New(&timeline.Options{Now: func() time.Time { at = at.Add(time.Second); return at }})
	for _, e := range es[:n] {
		e.Seq, e.Hash = 0, ""
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	for j.Len() < int(upto) {
		_, err := j.Note("intruder", "forked")
		require.NoError(t, err)
	}
	got := j.Entries()
	require.Equal(t, es[n-1].Hash, got[n-1].Hash, "the fork holds the same first entries")
	return got
}

// A follower that delivered a record up to a seq refuses to go on past
// it once the database no longer holds what it delivered: the record cut
// below it (seen at its next read, which a notification brings), forked
// and appended to again, or its last entry rewritten.
func TestFollowRefusesARecordChangedUnderWhatItDelivered(t *testing.T) {
	for _, c := range []struct {
		name   string
		tamper func(t *testing.T, super func(sql string, args ...any), s *pgstore.Store, es []timeline.Entry)
	}{
		{"cut", func(t *testing.T, super func(string, ...any), _ *pgstore.Store, _ []timeline.Entry) {
			super("DELETE FROM {t} WHERE record = 'watched' AND seq >= 3")
		}},
		{"forked", func(t *testing.T, super func(string, ...any), s *pgstore.Store, es []timeline.Entry) {
			super("DELETE FROM {t} WHERE record = 'watched' AND seq >= 3")
			require.NoError(t, s.Append(forkOf(t, es, 2, 5)[2:]))
		}},
		{"last rewritten", func(t *testing.T, super func(string, ...any), s *pgstore.Store, es []timeline.Entry) {
			fork := forkOf(t, es, 3, 5)
			line := lines(t, fork)[3]
			super("UPDATE {t} SET hash = $1, line = $2 WHERE record = 'watched' AND seq = 4", fork[3].Hash, line)
			require.NoError(t, s.Append(fork[4:]))
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, dsn, schema := testDB(t)
			s, err := db.Store("watched")
			require.NoError(t, err)
			j, err := timeline.OpenStore(s, nil)
			require.NoError(t, err)
			for i := range 4 {
				_, err := j.Note("ops", "before-"+strconv.Itoa(i))
				require.NoError(t, err)
			}
			es := j.Entries()
			require.NoError(t, j.Close())

			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			delivered := make(chan uint64, 100)
			done := make(chan error, 1)
			go func() {
				done <- db.Follow(ctx, "watched", 0, func(es []timeline.Entry) error {
					for _, e := range es {
						delivered <- e.Seq
					}
					return nil
				})
			}()
			for want := uint64(1); want <= 4; want++ {
				select {
				case got := <-delivered:
					require.Equal(t, want, got)
				case <-time.After(10 * time.Second):
					t.Fatal("Follow delivered no entry within 10 s")
				}
			}

			table := pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()
			super := func(sql string, args ...any) {
				conn, err := pgx.Connect(ctx, dsn)
				require.NoError(t, err)
				defer conn.Close(ctx)
				_, err = conn.Exec(ctx, "SET session_replication_role = replica")
				require.NoError(t, err)
				_, err = conn.Exec(ctx, strings.ReplaceAll(sql, "{t}", table), args...)
				require.NoError(t, err)
			}
			s2, err := db.Store("watched")
			require.NoError(t, err)
			c.tamper(t, super, s2, es)
			// A notification, which anyone may send, makes it read now.
			require.NoError(t, superExec(t, dsn, "SELECT pg_notify('mepkit_timeline', $1)",
				`{"schema":"`+schema+`","record":"watched","seq":99}`))

			select {
			case seq := <-delivered:
				t.Fatalf("Follow delivered seq %d of a record changed under it", seq)
			case err := <-done:
				require.Error(t, err)
				assert.ErrorIs(t, err, timeline.ErrTampered)
				var te *timeline.TamperError
				require.True(t, errors.As(err, &te), "%v", err)
				assert.Equal(t, uint64(4), te.Seq, "the last seq it delivered: %v", err)
			case <-time.After(15 * time.Second):
				t.Fatal("Follow went on without an error")
			}
		})
	}
}
