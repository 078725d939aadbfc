package checklist

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// referenceDigest is the digest as the format defines it: the SHA-256 of
// the JSON encoding of the canonical state.
func referenceDigest(t *testing.T, r *Run) string {
	t.Helper()
	r.mu.Lock()
	defer r.mu.Unlock()
	b, err := json.Marshal(r.state(true))
	require.NoError(t, err)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

// TestDigestIsTheHashOfTheCanonicalState checks that the digest, hashed as
// it is written, is the hash of the whole encoding, through changes,
// moves, and strings that JSON escapes.
func TestDigestIsTheHashOfTheCanonicalState(t *testing.T) {
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	t0 := time.Date(2026, 6, 9, 21, 0, 0, 0, paris)
	l := List{Name: "<prod> & \u2028 \"été\"", WaiveRequired: true, Items: []Item{
		{ID: "a", Title: "A <b>", Owner: "ops", Deadline: -time.Hour, Purpose: ConfigBackup},
		{ID: "b", Title: "B", DependsOn: []string{"a"}, Optional: true},
		{ID: "c\u00e9\U0001F600", Title: "C", Section: "s", Purpose: KnownFailures},
	}}
	r, err := NewRun(l, t0)
	require.NoError(t, err)
	check := func() {
		t.Helper()
		assert.Equal(t, referenceDigest(t, r), r.Digest())
	}
	check()
	when := t0.Add(-3 * time.Hour)
	require.NoError(t, r.Fail("a", "alice", when, "<disk> & dead"))
	check()
	require.NoError(t, r.Check("a", "bob", when.Add(time.Minute+123456789), "ok\u2029"))
	check()
	require.NoError(t, r.Reschedule(t0.Add(time.Hour), "lead", when, "late"))
	check()
	require.NoError(t, r.Waive("b", "lead", when, "n/a"))
	require.NoError(t, r.Reschedule(t0.Add(2*time.Hour), "lead", when, ""))
	check()
	snap, err := r.Snapshot()
	require.NoError(t, err)
	back, err := Restore(l, snap)
	require.NoError(t, err)
	assert.Equal(t, referenceDigest(t, back), back.Digest())
	assert.Equal(t, r.Digest(), back.Digest())

	var zero Run
	assert.Equal(t, referenceDigest(t, &zero), zero.Digest())
}
