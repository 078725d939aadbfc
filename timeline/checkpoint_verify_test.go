package timeline_test

import (
	"bytes"
	"crypto/ed25519"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// signer returns a fixed Ed25519 key pair named by seed.
func signer(seed byte) (ed25519.PublicKey, ed25519.PrivateKey) {
	priv := ed25519.NewKeyFromSeed(slices.Repeat([]byte{seed}, ed25519.SeedSize))
	return priv.Public().(ed25519.PublicKey), priv
}

// checkpointAt signs the head of entries at seq for record.
func checkpointAt(t *testing.T, entries []timeline.Entry, seq uint64, record string, priv ed25519.PrivateKey) timeline.Checkpoint {
	t.Helper()
	cp, err := timeline.SignCheckpoint(timeline.Checkpoint{
		Record: record, Seq: seq, Hash: entries[seq-1].Hash, At: at(2026, 11, 24, 21, 0),
	}, priv)
	require.NoError(t, err)
	return cp
}

// forge rebuilds entries as an attacker with write access to the storage
// would: the same facts, fed to a fresh in-memory journal without a key,
// so that every hash is recomputed and the chain verifies.
func forge(t *testing.T, entries []timeline.Entry) []timeline.Entry {
	t.Helper()
	j := timeline.New(nil)
	for _, e := range entries {
		e.Seq, e.Hash = 0, ""
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	forged := j.Entries()
	require.NoError(t, timeline.Verify(forged, nil), "the forged chain verifies: only a checkpoint can tell")
	return forged
}

// requireTamper requires a *TamperError naming seq.
func requireTamper(t *testing.T, err error, seq uint64) *timeline.TamperError {
	t.Helper()
	require.ErrorIs(t, err, timeline.ErrTampered)
	assert.NotErrorIs(t, err, timeline.ErrCheckpoint)
	var te *timeline.TamperError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, seq, te.Seq, "%v", err)
	return te
}

func TestVerifyAgainstDetectsWhatTheChainCannot(t *testing.T) {
	pub, priv := signer(1)
	es := sample(t, nil) // 5 entries
	cp := checkpointAt(t, es, 4, "", priv)
	for _, tc := range []struct {
		name    string
		entries func() []timeline.Entry
		wantSeq uint64
		reason  string
	}{
		{"truncated below the checkpoint", func() []timeline.Entry { return es[:2] }, 3, "ends at seq 2 but checkpoint key " + cp.KeyID + " signed seq 4"},
		{"truncated to nothing", func() []timeline.Entry { return nil }, 1, "ends at seq 0"},
		{"checkpointed entry rewritten, chain recomputed", func() []timeline.Entry {
			forged := slices.Clone(es[:4])
			forged[3].Outcome = timeline.Failed
			return forge(t, forged)
		}, 4, "was rewritten, or the record forked"},
		{"earlier entry rewritten, chain recomputed", func() []timeline.Entry {
			forged := slices.Clone(es)
			forged[1].Impact = timeline.Disruption
			return forge(t, forged)
		}, 4, "an entry at or before seq 4 was rewritten"},
		{"last entries deleted, one appended, chain recomputed", func() []timeline.Entry {
			forged := slices.Clone(es[:3])
			forged = append(forged, timeline.Entry{At: es[3].At, Kind: timeline.KindEnd, Step: "dns", Actor: "bob", Outcome: timeline.Skipped})
			return forge(t, forged)
		}, 4, "is not the hash"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := timeline.VerifyAgainst(tc.entries(), nil, "", cp, pub)
			te := requireTamper(t, err, tc.wantSeq)
			assert.Contains(t, te.Reason, tc.reason)
		})
	}
}

// The last entry rewritten with its chain recomputed passes Verify; with a
// checkpoint of that entry it does not.
func TestVerifyAgainstRewrittenLastEntry(t *testing.T) {
	pub, priv := signer(1)
	es := sample(t, nil)
	cp := checkpointAt(t, es, 5, "", priv)
	forged := slices.Clone(es)
	forged[4].Text = "done, no incident"
	forged = forge(t, forged)
	assert.NoError(t, timeline.Verify(forged, nil))
	err := timeline.VerifyAgainst(forged, nil, "", cp, pub)
	requireTamper(t, err, 5)
	assert.ErrorContains(t, err, "journal tampered with at seq 5 (entry #5): hash ")
}

// Two writers from a common prefix: each branch is a valid chain, and the
// checkpoint of one tells the other apart.
func TestVerifyAgainstFork(t *testing.T) {
	pub, priv := signer(1)
	es := sample(t, nil)
	cp := checkpointAt(t, es, 5, "", priv)
	j := timeline.New(&timeline.Options{Now: fakeClock(es[4].At, time.Minute)})
	for _, e := range es[:4] {
		e.Seq, e.Hash = 0, ""
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	_, err := j.Note("mallory", "done")
	require.NoError(t, err)
	fork := j.Entries()
	require.Equal(t, es[3].Hash, fork[3].Hash, "a common prefix")
	require.NoError(t, timeline.Verify(fork, nil))
	requireTamper(t, timeline.VerifyAgainst(fork, nil, "", cp, pub), 5)
}

func TestVerifyAgainstHappyPath(t *testing.T) {
	pub, priv := signer(1)
	key := []byte("operations secret")
	for _, k := range [][]byte{nil, key} {
		es := sample(t, k)
		for seq := uint64(1); seq <= 5; seq++ {
			cp := checkpointAt(t, es, seq, "cutover", priv)
			assert.NoError(t, timeline.VerifyAgainst(es, k, "cutover", cp, pub), "entries after the checkpoint are fine (seq %d)", seq)
			assert.NoError(t, timeline.VerifyAgainst(es[:seq], k, "cutover", cp, pub), "the head itself (seq %d)", seq)
		}
	}
}

func TestVerifyAgainstRefusesTheCheckpoint(t *testing.T) {
	pub, priv := signer(1)
	otherPub, otherPriv := signer(2)
	es := sample(t, nil)
	cp := checkpointAt(t, es, 3, "cutover", priv)
	flipped := cp
	flipped.Sig = slices.Clone(cp.Sig)
	flipped.Sig[10] ^= 1
	moved := cp
	moved.Seq, moved.Hash = 2, es[1].Hash // an attacker moves the checkpoint back
	later := cp
	later.At = later.At.Add(time.Hour)
	for _, tc := range []struct {
		name   string
		cp     timeline.Checkpoint
		record string
		pub    ed25519.PublicKey
		msg    string
	}{
		{"wrong signature", flipped, "cutover", pub, "the signature of key " + cp.KeyID + " does not verify"},
		{"seq and hash moved", moved, "cutover", pub, "does not verify: the checkpoint was altered or forged"},
		{"time changed", later, "cutover", pub, "does not verify"},
		{"signed by another key", checkpointAt(t, es, 3, "cutover", otherPriv), "cutover", pub,
			`signed by key "` + timeline.PublicKeyID(otherPub) + `", not by the key given (` + cp.KeyID + ")"},
		{"checked with another key", cp, "cutover", otherPub, "not by the key given (" + timeline.PublicKeyID(otherPub) + ")"},
		{"another record", checkpointAt(t, es, 3, "rehearsal", priv), "cutover", pub, `a checkpoint of record "rehearsal" cannot vouch for record "cutover"`},
		{"a named record for a journal without a name", cp, "", pub, "cannot vouch for a journal without a record name"},
		{"a public key of the wrong length", cp, "cutover", pub[:31], "the public key given has 31 bytes"},
		{"no public key", cp, "cutover", nil, "the public key given has 0 bytes"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := timeline.VerifyAgainst(es, nil, tc.record, tc.cp, tc.pub)
			require.ErrorIs(t, err, timeline.ErrCheckpoint)
			assert.NotErrorIs(t, err, timeline.ErrTampered, "the checkpoint proves nothing either way")
			var ce *timeline.CheckpointError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.cp.Seq, ce.Seq)
			assert.Contains(t, err.Error(), tc.msg)
			assert.Contains(t, err.Error(), "timeline: invalid checkpoint for seq ")
		})
	}
}

// With an HMAC key the chain names the first entry edited; the checkpoint
// adds truncation, which key holders could not see.
func TestVerifyAgainstKeyedJournal(t *testing.T) {
	pub, priv := signer(1)
	key := []byte("operations secret")
	es := sample(t, key)
	cp := checkpointAt(t, es, 5, "", priv)
	requireTamper(t, timeline.VerifyAgainst(es[:4], key, "", cp, pub), 5)
	edited := slices.Clone(es)
	edited[1].Actor = "mallory"
	requireTamper(t, timeline.VerifyAgainst(edited, key, "", cp, pub), 2)
	assert.ErrorIs(t, timeline.VerifyAgainst(es, []byte("wrong"), "", cp, pub), timeline.ErrWrongKey)
}

func TestVerifyFileAgainst(t *testing.T) {
	pub, priv := signer(1)
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	es := writeJournal(t, path, 6)
	cp := checkpointAt(t, es, 4, "", priv)

	n, head, err := timeline.VerifyFileAgainst(path, nil, "", cp, pub)
	require.NoError(t, err)
	assert.Equal(t, 6, n)
	assert.Equal(t, es[5].Hash, head)

	// The database's superuser keeps three lines and rewrites the third.
	cut := slices.Clone(es[:3])
	cut[2].Text = "nothing happened"
	var lines bytes.Buffer
	require.NoError(t, timeline.WriteJSONL(&lines, forge(t, cut)))
	require.NoError(t, os.WriteFile(path, lines.Bytes(), 0o600))
	n, _, err = timeline.VerifyFileAgainst(path, nil, "", cp, pub)
	requireTamper(t, err, 4)
	assert.Equal(t, 3, n)

	_, _, err = timeline.VerifyFileAgainst(filepath.Join(t.TempDir(), "none.jsonl"), nil, "", cp, pub)
	assert.ErrorIs(t, err, os.ErrNotExist)
	_, _, err = timeline.VerifyFileAgainst(path, nil, "other", cp, pub)
	assert.ErrorIs(t, err, timeline.ErrCheckpoint)
}
