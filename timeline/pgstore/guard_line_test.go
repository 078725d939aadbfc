package pgstore_test

import (
	"context"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A writer with the grants calls append_entries with arguments that no
// store sends: each is refused with SQLSTATE MK422 (pgstore.ErrRefused),
// not another error, and nothing is stored. The lines among them are
// ones whose columns the database would read otherwise than readers
// read the line: a time that PostgreSQL reads ("now", "infinity", a time
// without its offset, read in the writer's own time zone) but an entry
// cannot hold, and keys given twice.
func TestDatabaseRefusesArgumentsNoStoreSends(t *testing.T) {
	db, dsn, schema := testDB(t)
	wdsn := writerRole(t, dsn, schema)
	s, err := db.Store("r")
	require.NoError(t, err)
	es := entries(t, 2)
	require.NoError(t, s.Append(es[:1]))
	ls := lines(t, es)
	fn := pgx.Identifier{schema, "append_entries"}.Sanitize()
	h := es[1].Hash
	at := `"at":"` + es[1].At.Format("2006-01-02T15:04:05.999999999Z07:00") + `"`
	require.Contains(t, ls[1], at)
	withAt := func(v string) string { return strings.Replace(ls[1], at, `"at":"`+v+`"`, 1) }
	// The line of seq 2 with a key given again just before its end.
	twice := func(kv string) string { return strings.TrimSuffix(ls[1], "}") + "," + kv + "}" }

	for _, c := range []struct {
		name   string
		record any
		seqs   []int64
		line   string
	}{
		{"seqs past the largest bigint", "", []int64{1<<63 - 1, 1<<63 - 1}, ls[1]},
		{"no record", nil, []int64{1}, ls[0]},
		{"a record name too long", strings.Repeat("r", pgstore.MaxRecordName+1), []int64{1}, ls[0]},
		{"the time now", "", []int64{2}, withAt("now")},
		{"the time infinity", "", []int64{2}, withAt("infinity")},
		{"a time without its offset", "", []int64{2}, withAt("2026-11-24 20:00:01")},
		{"a time without a date", "", []int64{2}, withAt("20:00:01+01:00")},
		{"the kind twice", "", []int64{2}, twice(`"kind":"start"`)},
		{"the seq twice", "", []int64{2}, twice(`"seq":2`)},
		{"the hash twice", "", []int64{2}, twice(`"hash":"` + h + `"`)},
		{"the time twice", "", []int64{2}, twice(at)},
	} {
		if c.record == "" {
			// A record of its own, holding seq 1, so that each case
			// is refused for itself.
			c.record = "r-" + strings.ReplaceAll(c.name, " ", "-")
			cs, err := db.Store(c.record.(string))
			require.NoError(t, err)
			require.NoError(t, cs.Append(es[:1]))
		}
		hashes := make([]string, len(c.seqs))
		lines := make([]string, len(c.seqs))
		for i := range c.seqs {
			hashes[i], lines[i] = h, c.line
		}
		if c.seqs[0] == 1 {
			hashes[0] = es[0].Hash
		}
		err := superExec(t, wdsn, "SELECT "+fn+"($1, $2, $3, $4)", c.record, c.seqs, hashes, lines)
		assert.Equal(t, "MK422", sqlState(err), "%s: %v", c.name, err)
	}
	got, err := s.Load()
	require.NoError(t, err)
	assert.Len(t, got, 1, "nothing stored")
	var n int
	require.NoError(t, db.Pool().QueryRow(context.Background(), "SELECT count(*) FROM "+pgx.Identifier{schema, pgstore.EntriesTable}.Sanitize()+" WHERE seq > 1").Scan(&n))
	assert.Zero(t, n, "nothing stored in any record")

	// The line of seq 2 as it is still goes in, and reads back.
	require.NoError(t, superExec(t, wdsn, "SELECT "+fn+"('r', $1, $2, $3)", []int64{2}, []string{h}, []string{ls[1]}))
	j, err := timeline.OpenStore(s, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, j.Len())
}
