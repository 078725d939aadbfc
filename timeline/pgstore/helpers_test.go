package pgstore_test

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/require"
)

// testDSN returns the DSN of the test server, or skips the test.
func testDSN(tb testing.TB) string {
	tb.Helper()
	return pgtest.DSN(tb, "the PostgreSQL store's tests")
}

// testSchema creates a schema name of its own for the test and drops the
// schema when the test ends.
func testSchema(tb testing.TB, dsn string) string {
	tb.Helper()
	return pgtest.Schema(tb, dsn, "pgstore_test_")
}

// testDB opens a DB in a schema of the test's own.
func testDB(tb testing.TB) (*pgstore.DB, string, string) {
	tb.Helper()
	dsn := testDSN(tb)
	schema := testSchema(tb, dsn)
	db := openDB(tb, dsn, schema)
	return db, dsn, schema
}

func openDB(tb testing.TB, dsn, schema string) *pgstore.DB {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	db, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
	require.NoError(tb, err)
	tb.Cleanup(db.Close)
	return db
}

// withParams returns dsn with the given connection parameters set.
func withParams(tb testing.TB, dsn string, kv ...string) string {
	tb.Helper()
	if strings.Contains(dsn, "://") {
		u, err := url.Parse(dsn)
		require.NoError(tb, err)
		q := u.Query()
		for i := 0; i < len(kv); i += 2 {
			if kv[i] == "user" {
				u.User = url.User(kv[i+1])
				continue
			}
			q.Set(kv[i], kv[i+1])
		}
		u.RawQuery = q.Encode()
		return u.String()
	}
	s := dsn
	for i := 0; i < len(kv); i += 2 {
		s += " " + kv[i] + "='" + strings.ReplaceAll(kv[i+1], "'", `\'`) + "'"
	}
	return s
}

// superExec runs sql on its own connection, outside any store.
func superExec(tb testing.TB, dsn, sql string, args ...any) error {
	tb.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(tb, err)
	defer conn.Close(ctx)
	_, err = conn.Exec(ctx, sql, args...)
	return err
}

// writer records n notes named name-0 ... name-(n-1) on the record of
// store, reopening the journal after any error (a conflict with another
// writer, a lost connection) and skipping a note the record turns out to
// hold already (stored, but not acknowledged). It returns the entries
// acknowledged by Record and the number of errors Record returned.
func writer(open func() (timeline.Store, error), name string, n int) (acked []timeline.Entry, errs int, err error) {
	var j *timeline.Journal
	reopen := func() error {
		if j != nil {
			j.Close()
		}
		var lastErr error
		for range 100 {
			s, err := open()
			if err == nil {
				j, err = timeline.OpenStore(s, nil)
				if err == nil {
					return nil
				}
				s.Close()
				if errors.Is(err, timeline.ErrTampered) {
					return err
				}
			}
			lastErr = err
			time.Sleep(50 * time.Millisecond)
		}
		return fmt.Errorf("reopening: %w", lastErr)
	}
	if err := reopen(); err != nil {
		return nil, 0, err
	}
	defer func() { j.Close() }()
	for i := 0; i < n; {
		text := fmt.Sprintf("%s-%d", name, i)
		e, err := j.Record(timeline.Entry{Kind: timeline.KindNote, Actor: name, Text: text})
		if err == nil {
			acked = append(acked, e)
			i++
			continue
		}
		errs++
		if errors.Is(err, timeline.ErrConflict) {
			// Another writer appended first: catch up and try again.
			if _, err := j.Refresh(); err == nil {
				continue
			}
		}
		if err := reopen(); err != nil {
			return acked, errs, err
		}
		if slices.ContainsFunc(j.Entries(), func(e timeline.Entry) bool { return e.Text == text }) {
			i++
		}
	}
	return acked, errs, nil
}

// checkRecord loads the record and checks that its chain verifies, that
// every acknowledged entry is stored as acknowledged, and that no text is
// stored twice. It returns the entries.
func checkRecord(tb testing.TB, s timeline.Store, acked []timeline.Entry) []timeline.Entry {
	tb.Helper()
	got, err := s.Load()
	require.NoError(tb, err)
	require.NoError(tb, timeline.Verify(got, nil), "the chain verifies")
	seen := map[string]uint64{}
	for _, e := range got {
		if prev, dup := seen[e.Text]; dup {
			tb.Errorf("text %q stored twice: seq %d and %d", e.Text, prev, e.Seq)
		}
		seen[e.Text] = e.Seq
	}
	for _, a := range acked {
		if a.Seq == 0 || a.Seq > uint64(len(got)) {
			tb.Errorf("acknowledged entry %d (%q) lost: the record holds %d entries", a.Seq, a.Text, len(got))
			continue
		}
		g := got[a.Seq-1]
		if g.Hash != a.Hash || g.Text != a.Text {
			tb.Errorf("acknowledged entry %d (%q) stored as %q", a.Seq, a.Text, g.Text)
		}
	}
	return got
}
