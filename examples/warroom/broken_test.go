package main

import (
	"context"
	"crypto/ed25519"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// fileRecord writes a journal file of n notes and returns its path and
// entries.
func fileRecord(t *testing.T, n int) (string, []timeline.Entry) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	for i := range n {
		_, err := j.Note("olga", "note "+strings.Repeat("x", i))
		require.NoError(t, err)
	}
	entries := j.Entries()
	require.NoError(t, j.Close())
	return path, entries
}

// following follows path into a new room until the test ends.
func following(t *testing.T, path string, audit time.Duration) *room {
	t.Helper()
	return followInto(t, newRoom(nil, time.Now), path, audit)
}

// followInto follows path into rm until the test ends, and returns rm.
func followInto(t *testing.T, rm *room, path string, audit time.Duration) *room {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { defer close(done); followFile(ctx, path, rm, audit) }()
	t.Cleanup(func() { cancel(); <-done })
	return rm
}

// waitBroken waits for rm to break and returns why.
func waitBroken(t *testing.T, rm *room) *breakage {
	t.Helper()
	var b *breakage
	require.Eventually(t, func() bool {
		rm.mu.Lock()
		defer rm.mu.Unlock()
		b = rm.broken
		return b != nil
	}, 10*time.Second, 10*time.Millisecond, "the page says the record broke")
	return b
}

func TestFileRecordThatShrinks(t *testing.T) {
	path, _ := fileRecord(t, 21)
	rm := following(t, path, 0)
	require.Eventually(t, func() bool { return rm.held() == 21 }, 5*time.Second, 10*time.Millisecond)

	// 21 entries to 1 and part of a line.
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	first := strings.IndexByte(string(data), '\n') + 1
	require.NoError(t, os.WriteFile(path, data[:first+20], 0o644))
	b := waitBroken(t, rm)
	assert.Equal(t, uint64(2), b.Seq)
	assert.Contains(t, b.Reason, "held 21 entries, it now holds 1")

	// An entry appended after that does not mend it.
	j, err := timeline.Open(path, &timeline.Options{NoSync: true})
	require.NoError(t, err)
	_, err = j.Note("mallory", "all is well")
	require.NoError(t, err)
	require.NoError(t, j.Close())
	time.Sleep(3 * pollInterval)
	assert.Equal(t, uint64(2), waitBroken(t, rm).Seq, "the page stays broken")
}

// rewrite rewrites entry seq of the journal at path and recomputes the
// chain after it, as someone with write access to the file could.
func rewrite(t *testing.T, path string, entries []timeline.Entry, seq uint64, text string) []timeline.Entry {
	t.Helper()
	j := timeline.New(nil)
	for _, e := range entries {
		if e.Seq == seq {
			e.Text = text
		}
		e.Seq, e.Hash = 0, ""
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	forged := j.Entries()
	f, err := os.CreateTemp(filepath.Dir(path), "forged")
	require.NoError(t, err)
	require.NoError(t, timeline.WriteJSONL(f, forged))
	require.NoError(t, f.Close())
	require.NoError(t, os.Rename(f.Name(), path))
	return forged
}

func TestFileRecordRewrittenWithTheChainRecomputed(t *testing.T) {
	path, entries := fileRecord(t, 5)
	rm := following(t, path, 0)
	require.Eventually(t, func() bool { return rm.held() == 5 }, 5*time.Second, 10*time.Millisecond)

	rewrite(t, path, entries, 3, "note xxx") // same length: only the hashes differ
	b := waitBroken(t, rm)
	assert.Equal(t, uint64(5), b.Seq, "the head the page showed")
	assert.Contains(t, b.Reason, "rewritten, or the record forked")
}

func TestFileRecordForked(t *testing.T) {
	path, entries := fileRecord(t, 4)
	rm := following(t, path, 0)
	require.Eventually(t, func() bool { return rm.held() == 4 }, 5*time.Second, 10*time.Millisecond)

	// Another history from seq 3 on, longer than the one shown.
	j := timeline.New(nil)
	for _, e := range entries[:2] {
		e.Seq, e.Hash = 0, ""
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	for range 4 {
		_, err := j.Note("mallory", "another history")
		require.NoError(t, err)
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_TRUNC, 0)
	require.NoError(t, err)
	require.NoError(t, timeline.WriteJSONL(f, j.Entries()))
	require.NoError(t, f.Close())
	b := waitBroken(t, rm)
	assert.LessOrEqual(t, b.Seq, uint64(5))
}

func TestRoomRefusesWhatDoesNotContinueTheChain(t *testing.T) {
	j := timeline.New(nil)
	for range 3 {
		_, err := j.Note("olga", "ok")
		require.NoError(t, err)
	}
	entries := j.Entries()
	rm := newRoom(nil, time.Now)
	rm.add(entries[:2])
	bad := entries[2]
	bad.Text = "edited"
	rm.add([]timeline.Entry{bad})
	rm.mu.Lock()
	defer rm.mu.Unlock()
	require.NotNil(t, rm.broken)
	assert.Equal(t, uint64(3), rm.broken.Seq)
	assert.Equal(t, uint64(2), rm.count, "what verified before stays")
}

func TestRoomHoldsTheRecordToACheckpoint(t *testing.T) {
	path, entries := fileRecord(t, 6)
	pub, priv, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	cp, err := timeline.SignCheckpoint(timeline.Checkpoint{Seq: 6, Hash: entries[5].Hash, At: time.Now()}, priv)
	require.NoError(t, err)

	// A record rewritten before the page opened, with the chain
	// recomputed: only the checkpoint can tell.
	rewrite(t, path, entries, 2, "note y")
	rm := newRoom(nil, time.Now)
	require.NoError(t, rm.addCheckpoint(cp, pub, ""))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go followFile(ctx, path, rm, 0)
	b := waitBroken(t, rm)
	assert.Equal(t, uint64(6), b.Seq)
	assert.Contains(t, b.Reason, "checkpoint key "+cp.KeyID)

	_, other, err := ed25519.GenerateKey(nil)
	require.NoError(t, err)
	assert.Error(t, newRoom(nil, time.Now).addCheckpoint(cp, other.Public().(ed25519.PublicKey), ""), "a checkpoint of another key")
	assert.Error(t, newRoom(nil, time.Now).addCheckpoint(cp, pub, "golive"), "a checkpoint of another record")
}

// An audit reads the record while new entries arrive: it is checked
// against the head shown when its read began, and is not a shrink.
func TestAuditWhileEntriesArrive(t *testing.T) {
	j := timeline.New(nil)
	for range 8 {
		_, err := j.Note("olga", "ok")
		require.NoError(t, err)
	}
	entries := j.Entries()
	rm := newRoom(nil, time.Now)
	rm.add(entries[:5])
	seen, head, _ := rm.headOf()
	rm.add(entries[5:]) // Follow, while the audit's read runs
	assert.Empty(t, rm.audit(entries[:6], seen, head))
	rm.mu.Lock()
	assert.Nil(t, rm.broken, "not a shrink")
	rm.mu.Unlock()

	forged := slices.Clone(entries[:5])
	forged[4].Hash = entries[6].Hash
	rm.audit(forged, seen, head)
	b := waitBroken(t, rm)
	assert.Equal(t, uint64(5), b.Seq)
}

// A record chained with a key the page was not given fails its
// verification at its first entry: the page names seq 1, not seq 0.
func TestKeyedRecordFollowedWithoutItsKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "cutover.jsonl")
	j, err := timeline.Open(path, &timeline.Options{NoSync: true, Key: []byte("secret")})
	require.NoError(t, err)
	for range 3 {
		_, err := j.Note("olga", "all green")
		require.NoError(t, err)
	}
	require.NoError(t, j.Close())

	b := waitBroken(t, following(t, path, 0))
	assert.Equal(t, uint64(1), b.Seq)
	assert.Contains(t, b.Reason, "wrong key")
}

// A complete line that is not an entry fails the record's verification at
// its seq: the page turns red there, whether the line came after the
// entries shown or was there when the page opened (the entries before it
// are shown, verified). It was shown as an error of a source still live,
// and the page stopped following without saying so.
func TestFileRecordWithALineThatIsNotAnEntry(t *testing.T) {
	t.Run("appended", func(t *testing.T) {
		path, _ := fileRecord(t, 5)
		rm := following(t, path, 0)
		require.Eventually(t, func() bool { return rm.held() == 5 }, 5*time.Second, 10*time.Millisecond)
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		require.NoError(t, err)
		_, err = f.WriteString("{\"seq\":6,\"garbage\n")
		require.NoError(t, err)
		require.NoError(t, f.Close())
		b := waitBroken(t, rm)
		assert.Equal(t, uint64(6), b.Seq)
		assert.Contains(t, b.Reason, "line 6")
	})
	t.Run("at open", func(t *testing.T) {
		path, _ := fileRecord(t, 5)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		lines := strings.SplitAfter(string(data), "\n")
		lines[2] = "not an entry\n"
		require.NoError(t, os.WriteFile(path, []byte(strings.Join(lines, "")), 0o644))
		rm := following(t, path, 0)
		b := waitBroken(t, rm)
		assert.Equal(t, uint64(3), b.Seq)
		assert.Contains(t, b.Reason, "line 3")
		assert.Equal(t, uint64(2), rm.held(), "the entries before it, verified")
	})
}

// A keyed project's record, followed with its key from -key-env, is shown
// live and folded by mep; with another key it is red at its first entry.
// The demonstration, which writes a plain chain, refuses a key, and so
// does a variable that holds none.
func TestKeyedRecordFollowedWithItsKey(t *testing.T) {
	path := filepath.Join(t.TempDir(), "billing.jsonl")
	p, err := mep.CreateFile(path, "billing", &mep.Options{Key: []byte("secret"), NoSync: true, RolloutsOnly: true,
		CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	require.NoError(t, err)
	require.NoError(t, p.Team().Add(mep.Member{Name: "Olga", Roles: []mep.Role{mep.RoleOperations}}))
	n := len(p.Record())
	require.NoError(t, p.Close())

	env := func(k string) string { return map[string]string{"K": "secret", "OTHER": "wrong"}[k] }
	c, err := parse([]string{"-f", path, "-key-env", "K"}, io.Discard, env)
	require.NoError(t, err)
	rm := followInto(t, newRoom(c.key, time.Now), path, time.Minute)
	require.Eventually(t, func() bool { return rm.held() == uint64(n) }, 5*time.Second, 10*time.Millisecond)
	rm.mu.Lock()
	assert.Nil(t, rm.broken)
	require.NotNil(t, rm.mep, "folded as a project's record")
	assert.NoError(t, rm.mep.err)
	rm.mu.Unlock()

	c, err = parse([]string{"-f", path, "-key-env", "OTHER"}, io.Discard, env)
	require.NoError(t, err)
	b := waitBroken(t, followInto(t, newRoom(c.key, time.Now), path, 0))
	assert.Equal(t, uint64(1), b.Seq)
	assert.Contains(t, b.Reason, "wrong key")

	for _, args := range [][]string{{"-key-env", "K"}, {"-demo", "-f", path, "-key-env", "K"}, {"-f", path, "-key-env", "UNSET"}} {
		_, err := parse(args, io.Discard, env)
		assert.ErrorContains(t, err, "-key-env", "%q", args)
	}
}
