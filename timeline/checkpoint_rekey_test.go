package timeline_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// rechain rebuilds entries with every hash recomputed under key (nil:
// without a key), as whoever can write the storage but holds not the
// journal's key would.
func rechain(t *testing.T, entries []timeline.Entry, key []byte) []timeline.Entry {
	t.Helper()
	j := timeline.New(&timeline.Options{Key: key})
	for _, e := range entries {
		e.Seq, e.Hash = 0, ""
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	return j.Entries()
}

// The storage's superuser cannot recompute a keyed chain, but can chain
// the entries again without a key or under one of its own, an entry
// edited on the way. A checkpoint whose head was chained with the key
// the reader gives shows that the journal is not the one it vouches for:
// tampering from seq 1, not a key the reader got wrong.
func TestVerifyAgainstJournalChainedAgainUnderAnotherKey(t *testing.T) {
	pub, priv := signer(1)
	key := []byte("operations secret")
	es := sample(t, key)
	cp := checkpointAt(t, es, 5, "", priv)
	edited := slices.Clone(es)
	edited[1].Actor = "mallory"
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	for _, forgeKey := range [][]byte{nil, []byte("mallory's key")} {
		forged := rechain(t, edited, forgeKey)
		requireTamper(t, timeline.VerifyAgainst(forged, key, "", cp, pub), 1)
		var b bytes.Buffer
		require.NoError(t, timeline.WriteJSONL(&b, forged))
		require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
		_, _, err := timeline.VerifyFileAgainst(path, key, "", cp, pub)
		requireTamper(t, err, 1)
	}

	// An unkeyed journal chained again under a key, read without one.
	plain := sample(t, nil)
	pcp := checkpointAt(t, plain, 5, "", priv)
	requireTamper(t, timeline.VerifyAgainst(rechain(t, plain, []byte("mallory's key")), nil, "", pcp, pub), 1)

	// A key that is not the one of the checkpoint's head is still the
	// reader's mistake.
	assert.ErrorIs(t, timeline.VerifyAgainst(es, []byte("wrong"), "", cp, pub), timeline.ErrWrongKey)
	assert.ErrorIs(t, timeline.VerifyAgainst(es, nil, "", cp, pub), timeline.ErrWrongKey)
}
