package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/internal/pgtest"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// pgRecord makes a record of n notes in a schema of its own and returns
// the DB, its store and a superuser's connection with the triggers off.
func pgRecord(t *testing.T, n int) (*pgstore.DB, *pgstore.Store, *pgx.Conn, string) {
	t.Helper()
	dsn := pgtest.DSN(t, "the war room on a PostgreSQL record")
	schema := pgtest.Schema(t, dsn, "warroom_broken_")
	ctx := t.Context()
	db, err := pgstore.Open(ctx, dsn, &pgstore.Options{Schema: schema})
	require.NoError(t, err)
	t.Cleanup(db.Close)
	st, err := db.Store("golive")
	require.NoError(t, err)
	j, err := timeline.OpenStore(st, nil)
	require.NoError(t, err)
	for range n {
		_, err := j.Note("olga", "all green")
		require.NoError(t, err)
	}
	st2, err := db.Store("golive")
	require.NoError(t, err)
	conn, err := pgx.Connect(ctx, dsn)
	require.NoError(t, err)
	t.Cleanup(func() { conn.Close(context.Background()) })
	_, err = conn.Exec(ctx, "SET session_replication_role = replica") // the superuser turns the triggers off
	require.NoError(t, err)
	return db, st2, conn, pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()
}

// shownPG follows st into a new room until the test ends, and returns it
// once it shows the n entries of the record.
func shownPG(t *testing.T, db *pgstore.DB, st *pgstore.Store, n uint64) *room {
	t.Helper()
	rm := newRoom(nil, time.Now)
	followingPG(t, db, st, rm)
	require.Eventually(t, func() bool { return rm.held() == n }, 10*time.Second, 10*time.Millisecond)
	return rm
}

// notifyPG announces seq of the record as an append would, over su.
func notifyPG(t *testing.T, su *pgx.Conn, db *pgstore.DB, seq int) {
	t.Helper()
	_, err := su.Exec(t.Context(), "SELECT pg_notify('mepkit_timeline', $1)",
		`{"schema":"`+db.Schema()+`","record":"golive","seq":`+strconv.Itoa(seq)+`}`)
	require.NoError(t, err)
}

func followingPG(t *testing.T, db *pgstore.DB, st *pgstore.Store, rm *room) {
	t.Helper()
	auditingPG(t, db, st, rm, 0)
}

// auditingPG follows st into rm until the test ends, reading the record
// whole every audit (0: never).
func auditingPG(t *testing.T, db *pgstore.DB, st *pgstore.Store, rm *room, audit time.Duration) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); followPostgres(ctx, db, st, rm, audit) }()
	t.Cleanup(func() { cancel(); <-done })
}

func TestPostgresRecordCutBySuperuser(t *testing.T) {
	db, st, su, table := pgRecord(t, 5)
	rm := shownPG(t, db, st, 5)

	_, err := su.Exec(t.Context(), "DELETE FROM "+table+" WHERE record = 'golive' AND seq > 3")
	require.NoError(t, err)
	b := waitBroken(t, rm)
	assert.Equal(t, uint64(4), b.Seq)
	assert.Contains(t, b.Reason, "held 5 entries, it now holds 3")
}

func TestPostgresRowRewrittenBySuperuser(t *testing.T) {
	db, st, su, table := pgRecord(t, 3)
	rm := shownPG(t, db, st, 3)

	// The last entry rewritten with its unkeyed hash recomputed: the
	// chain verifies, the head the page showed does not.
	entries, err := st.LoadContext(t.Context())
	require.NoError(t, err)
	j := timeline.New(nil)
	for _, e := range entries {
		if e.Seq == 3 {
			e.Text = "nothing happened"
		}
		e.Seq, e.Hash = 0, ""
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	forged := j.Entries()[2]
	var line bytes.Buffer
	require.NoError(t, timeline.WriteJSONL(&line, []timeline.Entry{forged}))
	_, err = su.Exec(t.Context(), "UPDATE "+table+" SET hash = $1, line = $2 WHERE record = 'golive' AND seq = 3",
		forged.Hash, strings.TrimSuffix(line.String(), "\n"))
	require.NoError(t, err)
	b := waitBroken(t, rm)
	assert.Equal(t, uint64(3), b.Seq)
	assert.Contains(t, b.Reason, "rewritten, or the record forked")
}

func TestPostgresRecordBelowItsCheckpoint(t *testing.T) {
	db, st, su, table := pgRecord(t, 4)
	entries, err := st.LoadContext(t.Context())
	require.NoError(t, err)
	pub, priv, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	cp, err := timeline.SignCheckpoint(timeline.Checkpoint{Record: "golive", Seq: 4, Hash: entries[3].Hash, At: time.Now()}, priv)
	require.NoError(t, err)
	_, err = su.Exec(t.Context(), "DELETE FROM "+table+" WHERE record = 'golive' AND seq = 4")
	require.NoError(t, err)

	rm := newRoom(nil, time.Now)
	require.NoError(t, rm.addCheckpoint(cp, pub, "golive"))
	followingPG(t, db, st, rm)
	b := waitBroken(t, rm)
	assert.Equal(t, uint64(4), b.Seq)
	assert.Contains(t, b.Reason, "checkpoint signed seq 4")
}

// forked returns the entries of a journal that holds the first n of es as
// they are, then notes of its own up to seq upto.
func forked(t *testing.T, es []timeline.Entry, n int, upto int) []timeline.Entry {
	t.Helper()
	j := timeline.New(nil)
	for _, e := range es[:n] {
		e.Seq, e.Hash = 0, ""
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	for j.Len() < upto {
		_, err := j.Note("intruder", "nothing to see")
		require.NoError(t, err)
	}
	return j.Entries()
}

// A superuser forks the record under the page (deletes its tail, then
// appends other entries): Follow stops with a *timeline.TamperError at
// the next read, which the append's notification brings at once, before
// the head is checked again. The page turns red with that seq: it never
// shows the tamper as a mere error of the source while it still says
// live.
func TestPostgresRecordForkedUnderTheFollower(t *testing.T) {
	db, st, su, table := pgRecord(t, 5)
	entries, err := st.LoadContext(t.Context())
	require.NoError(t, err)
	rm := shownPG(t, db, st, 5)

	_, err = su.Exec(t.Context(), "DELETE FROM "+table+" WHERE record = 'golive' AND seq > 2")
	require.NoError(t, err)
	require.NoError(t, st.Append(forked(t, entries, 2, 6)[2:]))
	deadline := time.Now().Add(10 * time.Second)
	for {
		rm.mu.Lock()
		b, srcErr := rm.broken, rm.err
		rm.mu.Unlock()
		if b != nil {
			assert.Equal(t, uint64(5), b.Seq, "the last seq the page showed: %s", b.Reason)
			assert.Contains(t, b.Reason, "seq 5")
			break
		}
		_, tamper := errors.AsType[*timeline.TamperError](srcErr)
		require.False(t, tamper, "the page shows a tampered record as an error of a live source: %v", srcErr)
		require.True(t, time.Now().Before(deadline), "the page says the record broke")
		time.Sleep(time.Millisecond)
	}
}

// Follow's read finds the cut first (a notification brings it at once):
// the page names the cut as the head check does, with the entries the
// record still holds and the first one missing.
func TestPostgresRecordCutSeenByFollow(t *testing.T) {
	db, st, su, table := pgRecord(t, 5)
	rm := shownPG(t, db, st, 5)

	_, err := su.Exec(t.Context(), "DELETE FROM "+table+" WHERE record = 'golive' AND seq > 3")
	require.NoError(t, err)
	notifyPG(t, su, db, 6)
	b := waitBroken(t, rm)
	assert.Equal(t, uint64(4), b.Seq)
	assert.Contains(t, b.Reason, "held 5 entries, it now holds 3")
}

// A superuser appends a row whose line is not an entry: the record fails
// its verification at that seq, and the page turns red there. It was
// shown as an error of a source still live, Follow retried it every 2
// seconds, and the page showed no entry after it.
func TestPostgresRowThatIsNotAnEntry(t *testing.T) {
	db, st, su, table := pgRecord(t, 5)
	rm := shownPG(t, db, st, 5)

	_, err := su.Exec(t.Context(), "INSERT INTO "+table+" (record, seq, at, kind, hash, line) VALUES ('golive', 6, now(), 'note', 'x', 'not an entry')")
	require.NoError(t, err)
	notifyPG(t, su, db, 6)
	b := waitBroken(t, rm)
	assert.Equal(t, uint64(6), b.Seq)
	assert.Contains(t, b.Reason, "seq 6")
}

// A superuser edits a row the page showed, before the head: the head
// check cannot see it, the audit's read of the whole record refuses the
// row, and the page turns red at its seq. The audit dropped the error of
// its read, and the page stayed live.
func TestPostgresAuditRefusesARowEditedByHand(t *testing.T) {
	for _, c := range []struct {
		name, set string
	}{
		{"not an entry", "line = 'not an entry'"},
		{"hash column", "hash = repeat('0', 64)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			db, st, su, table := pgRecord(t, 5)
			rm := newRoom(nil, time.Now)
			auditingPG(t, db, st, rm, time.Nanosecond)
			require.Eventually(t, func() bool { return rm.held() == 5 }, 10*time.Second, 10*time.Millisecond)

			_, err := su.Exec(t.Context(), "UPDATE "+table+" SET "+c.set+" WHERE record = 'golive' AND seq = 2")
			require.NoError(t, err)
			b := waitBroken(t, rm)
			assert.Equal(t, uint64(2), b.Seq, b.Reason)
		})
	}
}
