package pgstore

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// journalLines returns the lines of a small journal, as rows store them.
func journalLines(t testing.TB) []byte {
	t.Helper()
	at := time.Date(2026, 11, 24, 20, 0, 0, 0, time.FixedZone("", 3600))
	j := timeline.New(&timeline.Options{Now: func() time.Time { return at }})
	_, err := j.Start("dns", "ann", timeline.Outage)
	require.NoError(t, err)
	_, err = j.End("dns", "ann", timeline.Done)
	require.NoError(t, err)
	var buf bytes.Buffer
	require.NoError(t, timeline.WriteJSONL(&buf, j.Entries()))
	return buf.Bytes()
}

// rowsOf splits JSONL text into rows whose seq and hash columns are read
// from their lines (or are the row's index and empty when the line does
// not say), then edits the columns of row tamper-1 when tamper is set:
// its seq when edit is odd, its hash otherwise.
func rowsOf(data []byte, tamper uint8, edit uint8) (r rowReader, edited bool, err error) {
	lines := bytes.Split(bytes.TrimSuffix(data, []byte("\n")), []byte("\n"))
	for i, line := range lines {
		var cols struct {
			Seq  int64  `json:"seq"`
			Hash string `json:"hash"`
		}
		if json.Unmarshal(line, &cols) != nil {
			cols.Seq, cols.Hash = int64(i+1), ""
		}
		if int(tamper) == i+1 {
			edited = true
			if edit%2 == 1 {
				cols.Seq++
			} else {
				cols.Hash += "0"
			}
		}
		if err := r.add(cols.Seq, []byte(cols.Hash), line); err != nil {
			return r, edited, err
		}
	}
	return r, edited, nil
}

func TestRowReader(t *testing.T) {
	data := journalLines(t)
	r, _, err := rowsOf(data, 0, 0)
	require.NoError(t, err)
	es, err := r.entries("r")
	require.NoError(t, err)
	require.Len(t, es, 2)
	assert.NoError(t, timeline.Verify(es, nil))

	for _, edit := range []uint8{0, 1} {
		r, _, err := rowsOf(data, 2, edit)
		require.NoError(t, err)
		_, err = r.entries("r")
		var te *timeline.TamperError
		require.ErrorAs(t, err, &te, "edit %d", edit)
		assert.Equal(t, uint64(2+edit), te.Seq, "the seq its column says (edit %d)", edit)
	}

	var nl rowReader
	err = nl.add(7, nil, []byte("{\n}"))
	var te *timeline.TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, uint64(7), te.Seq)

	r, _, err = rowsOf([]byte(strings.Replace(string(data), `"seq":2`, `"seq":x`, 1)), 0, 0)
	require.NoError(t, err)
	_, err = r.entries("r")
	assert.ErrorContains(t, err, `pgstore: record "r", seq 2: `)
}

// FuzzRowReader checks that rows never make the reader panic, that what
// it refuses is a located error, and that what it accepts has the seq and
// hash its columns say, so that an edit of a column is always detected.
func FuzzRowReader(f *testing.F) {
	data := journalLines(f)
	f.Add(data, uint8(0), uint8(0))
	f.Add(data, uint8(1), uint8(0))
	f.Add(data, uint8(2), uint8(1))
	f.Add(data[:len(data)/2], uint8(0), uint8(0))
	f.Add([]byte(`{"seq":1}`), uint8(0), uint8(0))
	f.Add([]byte("\n\n"), uint8(0), uint8(0))
	f.Fuzz(func(t *testing.T, data []byte, tamper, edit uint8) {
		if len(data) > 512 {
			// The engine minimises each new input by trying to remove
			// every range of its bytes: on long inputs it stands still.
			// Two rows fit.
			t.Skip("long input")
		}
		r, edited, err := rowsOf(data, tamper, edit)
		if err != nil {
			var te *timeline.TamperError
			require.ErrorAs(t, err, &te)
			return
		}
		seqs := append([]int64(nil), r.seqs...)
		hashes := append([]byte(nil), r.hashes...)
		ends := append([]int(nil), r.ends...)
		es, err := r.entries("r")
		if err != nil {
			var te *timeline.TamperError
			if !errors.As(err, &te) {
				require.True(t, strings.HasPrefix(err.Error(), `pgstore: record "r"`), "%v", err)
			}
			return
		}
		require.False(t, edited, "an edited column went unnoticed")
		require.Len(t, es, len(seqs))
		for i, e := range es {
			begin := 0
			if i > 0 {
				begin = ends[i-1]
			}
			assert.Equal(t, uint64(seqs[i]), e.Seq)
			assert.Equal(t, string(hashes[begin:ends[i]]), e.Hash)
		}
	})
}
