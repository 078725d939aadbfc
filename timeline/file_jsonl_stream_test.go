package timeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

func TestEntriesAndVerifier(t *testing.T) {
	es := sample(t, nil)
	var buf bytes.Buffer
	require.NoError(t, timeline.WriteJSONL(&buf, es))

	var v timeline.Verifier // the zero Verifier checks an unkeyed chain
	n := 0
	for e, err := range timeline.Entries(bytes.NewReader(buf.Bytes())) {
		require.NoError(t, err)
		require.NoError(t, v.Add(e))
		n++
	}
	assert.Equal(t, len(es), n)
	seq, head := v.Head()
	assert.Equal(t, es[len(es)-1].Seq, seq)
	assert.Equal(t, es[len(es)-1].Hash, head)

	// Breaking out of the loop stops the reading.
	n = 0
	for range timeline.Entries(bytes.NewReader(buf.Bytes())) {
		n++
		break
	}
	assert.Equal(t, 1, n)

	// An error is yielded once, with its line, and ends the iteration.
	bad := strings.Replace(buf.String(), `"kind":"start"`, `"kind" :"start"`, 1)
	var errs []error
	n = 0
	for _, err := range timeline.Entries(strings.NewReader(bad)) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	require.Len(t, errs, 1)
	var le *timeline.LineError
	require.ErrorAs(t, errs[0], &le)
	assert.Equal(t, 2, le.Line)
	assert.Equal(t, 1, n)

	// A Verifier keeps its first error.
	v = timeline.Verifier{}
	forged := es[0]
	forged.Text = "forged"
	require.ErrorIs(t, v.Add(forged), timeline.ErrTampered)
	assert.ErrorIs(t, v.Add(es[0]), timeline.ErrTampered, "after an error, Add returns it again")

	key := []byte("k")
	keyed := sample(t, key)
	kv := timeline.NewVerifier(key)
	for _, e := range keyed {
		require.NoError(t, kv.Add(e))
	}
}

func TestVerifyFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "j.jsonl")
	es := writeJournal(t, path, 5)
	n, head, err := timeline.VerifyFile(path, nil)
	require.NoError(t, err)
	assert.Equal(t, 5, n)
	assert.Equal(t, es[4].Hash, head)

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(path, bytes.Replace(data, []byte("note 3"), []byte("note X"), 1), 0o600))
	n, _, err = timeline.VerifyFile(path, nil)
	var te *timeline.TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, uint64(4), te.Seq)
	assert.Equal(t, 3, n, "the entries that verified before")

	_, _, err = timeline.VerifyFile(filepath.Join(t.TempDir(), "none"), nil)
	assert.ErrorIs(t, err, os.ErrNotExist)

	// A large journal verifies as it is read.
	big := filepath.Join(t.TempDir(), "big.jsonl")
	require.NoError(t, timeline.WriteSyntheticJournal(big, 10_001))
	n, _, err = timeline.VerifyFile(big, nil)
	require.NoError(t, err)
	assert.Equal(t, 10_001, n)
}
