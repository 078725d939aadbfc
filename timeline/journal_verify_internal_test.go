package timeline

import (
	"encoding/hex"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An old file (a v1 chain, whose hashes did not cover UTC offsets) is read,
// and refused clearly by Verify and Open, keyed or not.
func TestOldFormatRefusedClearly(t *testing.T) {
	for _, key := range [][]byte{nil, []byte("k")} {
		c := newChain(key)
		e := Entry{Seq: 1, Kind: "x-phase", Actor: "Lea"}
		var err error
		e.At, err = parseTime("2026-01-10T09:00:00+01:00")
		require.NoError(t, err)
		c.digest(&e, domainV1)
		e.Hash = hex.EncodeToString(c.sum)
		line, err := appendLine(nil, &e)
		require.NoError(t, err)

		entries, err := Read(strings.NewReader(string(line)))
		require.NoError(t, err, "an old file still reads")
		err = Verify(entries, key)
		require.ErrorIs(t, err, ErrOldFormat)
		assert.NotErrorIs(t, err, ErrTampered)
		assert.NotErrorIs(t, err, ErrWrongKey)

		path := filepath.Join(t.TempDir(), "old.jsonl")
		require.NoError(t, os.WriteFile(path, line, 0o600))
		_, err = Open(path, &Options{Key: key})
		assert.ErrorIs(t, err, ErrOldFormat)
	}
}

func parseTime(s string) (t time.Time, err error) { err = t.UnmarshalText([]byte(s)); return }
