package pgstore_test

import (
	"testing"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// A record's name goes into the COPY that reads it as a string literal,
// and a writer chooses the names of the records it appends to. Whatever
// the reader's session says of standard_conforming_strings (off, where a
// backslash escapes a quote), a name made to end that literal early reads
// its own record and nothing else, and runs nothing.
func TestReadQuotesTheRecordNameWhateverTheSessionSays(t *testing.T) {
	db, dsn, schema := testDB(t)
	other, err := db.Store("other")
	require.NoError(t, err)
	require.NoError(t, other.Append(entries(t, 3)))
	sessions := map[string]*pgstore.DB{
		"default":                         db,
		"standard_conforming_strings off": openDB(t, withParams(t, dsn, "standard_conforming_strings", "off"), schema),
	}
	for _, name := range []string{
		`x\' OR true ORDER BY seq) TO STDOUT (FORMAT binary); --`,
		`x\' OR true OR record = 'y`,
		`back\slash\`,
		`E'\''`,
		"ā\\' OR true ORDER BY seq) TO STDOUT (FORMAT binary); --",
		"$mk$ OR true ORDER BY seq) TO STDOUT (FORMAT binary); --",
		"tail$mk",
	} {
		s, err := db.Store(name)
		require.NoError(t, err)
		require.NoError(t, s.Append(entries(t, 1)), "%q", name)
		for session, sdb := range sessions {
			rs, err := sdb.Store(name)
			require.NoError(t, err)
			got, err := rs.Load()
			require.NoError(t, err, "%q, %s", name, session)
			assert.Len(t, got, 1, "%q, %s", name, session)
			j, err := timeline.OpenStore(rs, nil)
			require.NoError(t, err, "%q, %s", name, session)
			assert.Equal(t, 1, j.Len(), "%q, %s", name, session)
		}
	}
}
