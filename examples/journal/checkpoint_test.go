package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

// rewrite replaces the journal at path with entries as an attacker who can
// write the file would: every hash recomputed by a fresh journal, so that
// the chain verifies.
func rewrite(t *testing.T, path string, entries []timeline.Entry) {
	t.Helper()
	j := timeline.New(nil)
	for _, e := range entries {
		e.Seq, e.Hash = 0, ""
		_, err := j.Record(e)
		require.NoError(t, err)
	}
	var b bytes.Buffer
	require.NoError(t, timeline.WriteJSONL(&b, j.Entries()))
	require.NoError(t, os.WriteFile(path, b.Bytes(), 0o600))
}

// copyFile copies the journal at src to a new file and returns its path.
func copyFile(t *testing.T, src string) string {
	t.Helper()
	data, err := os.ReadFile(src)
	require.NoError(t, err)
	dst := filepath.Join(t.TempDir(), filepath.Base(src))
	require.NoError(t, os.WriteFile(dst, data, 0o600))
	return dst
}

func TestCheckpoint(t *testing.T) {
	dir := t.TempDir()
	path, key, pub := filepath.Join(dir, "cutover.jsonl"), filepath.Join(dir, "ops.key"), filepath.Join(dir, "ops.key.pub")
	s := newSession(t, utc(2026, 11, 24, 19, 0))

	out := s.ok(0, "keygen", "-key", key)
	assert.Regexp(t, `^key [0-9a-f]{8}: private key in `+key+` \(keep it off the journal's machines\), public key in `+pub+`\n$`, out)
	for _, f := range []string{key, pub} {
		info, err := os.Stat(f)
		require.NoError(t, err)
		assert.Equal(t, os.FileMode(0o600), info.Mode().Perm(), f)
	}
	before, err := os.ReadFile(key)
	require.NoError(t, err)
	r := s.run(0, "keygen", "-key", key)
	assert.Equal(t, exitUsage, r.code)
	assert.Contains(t, r.stderr, "exists: keygen never overwrites a key")
	after, err := os.ReadFile(key)
	require.NoError(t, err)
	assert.Equal(t, before, after)

	s.ok(0, "note", "-f", path, "GO given by operations")
	s.ok(time.Minute, "start", "-f", path, "migrate", "-impact", "outage")
	s.ok(20*time.Minute, "end", "-f", path, "migrate")
	cpFile := filepath.Join(dir, "head.txt")
	out = s.ok(time.Minute, "checkpoint", "-f", path, "-key", key, "-o", cpFile)
	entries, err := timeline.ReadFile(path)
	require.NoError(t, err)
	assert.Regexp(t, `^checkpoint of seq 3, head `+entries[2].Hash+`, signed by key [0-9a-f]{8}: `+cpFile+"\n$", out)
	text, err := os.ReadFile(cpFile)
	require.NoError(t, err)
	assert.Equal(t, string(text), s.ok(0, "checkpoint", "-f", path, "-key", key), "without -o, to standard output")
	cp, err := timeline.ParseCheckpoint(text)
	require.NoError(t, err)
	assert.Equal(t, uint64(3), cp.Seq)
	assert.True(t, cp.At.Equal(utc(2026, 11, 24, 19, 22)), "the time of the command")

	out = s.ok(0, "verify", "-f", path, "-checkpoint", cpFile, "-pub", pub)
	assert.Equal(t, "ok: 3 entries, head "+entries[2].Hash+"\ncheckpoint ok: seq 3, signed by key "+cp.KeyID+" at 2026-11-24T19:22:00Z, is in the journal\n", out)
	s.ok(time.Minute, "note", "-f", path, "smoke tests green")
	s.ok(time.Minute, "note", "-f", path, "done")
	out = s.ok(0, "verify", "-f", path, "-checkpoint", cpFile, "-pub", pub)
	assert.Contains(t, out, "ok: 5 entries")
	assert.Contains(t, out, "is in the journal; the 2 entries after it are only as safe as the chain\n")

	entries, err = timeline.ReadFile(path)
	require.NoError(t, err)
	for _, tc := range []struct {
		name   string
		tamper func(path string)
		seq    string
	}{
		{"cut below the checkpoint", func(p string) { rewrite(t, p, entries[:2]) }, "at seq 3"},
		{"checkpointed entry rewritten", func(p string) {
			forged := append([]timeline.Entry(nil), entries...)
			forged[2].Outcome = timeline.Failed
			rewrite(t, p, forged)
		}, "at seq 3"},
		{"fork", func(p string) {
			forged := append([]timeline.Entry(nil), entries[:2]...)
			forged = append(forged, timeline.Entry{At: entries[2].At, Kind: timeline.KindNote, Actor: "mallory", Text: "migrate aborted"})
			rewrite(t, p, forged)
		}, "at seq 3"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := copyFile(t, path)
			tc.tamper(p)
			assert.Contains(t, s.ok(0, "verify", "-f", p), "ok: ", "the chain alone is fooled")
			r := s.run(0, "verify", "-f", p, "-checkpoint", cpFile, "-pub", pub)
			assert.Equal(t, exitFailed, r.code)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, "journal verify: journal tampered with "+tc.seq)
			assert.Equal(t, 1, strings.Count(r.stderr, "\n"), r.stderr)
		})
	}
}

func TestCheckpointRefused(t *testing.T) {
	dir := t.TempDir()
	path, key, other := filepath.Join(dir, "cutover.jsonl"), filepath.Join(dir, "ops.key"), filepath.Join(dir, "other.key")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	s.ok(0, "keygen", "-key", key)
	s.ok(0, "keygen", "-key", other, "-pub", filepath.Join(dir, "other.pub"))
	s.ok(0, "note", "-f", path, "GO")
	cpFile, named := filepath.Join(dir, "head.txt"), filepath.Join(dir, "named.txt")
	s.ok(0, "checkpoint", "-f", path, "-key", key, "-o", cpFile)
	s.ok(0, "checkpoint", "-f", path, "-key", key, "-o", named, "-record", "rehearsal")
	text, err := os.ReadFile(cpFile)
	require.NoError(t, err)
	i := bytes.LastIndexByte(text, ' ') + 5
	altered := append([]byte(nil), text...)
	altered[i] = 'A'
	if text[i] == 'A' {
		altered[i] = 'B'
	}
	badSig := filepath.Join(dir, "bad.txt")
	require.NoError(t, os.WriteFile(badSig, altered, 0o600))
	garbage := filepath.Join(dir, "garbage.txt")
	require.NoError(t, os.WriteFile(garbage, []byte("seq 1\n"), 0o600))

	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"wrong signature", []string{"-checkpoint", badSig, "-pub", key + ".pub"}, exitFailed, "invalid checkpoint for seq 1: the signature of key"},
		{"another key", []string{"-checkpoint", cpFile, "-pub", filepath.Join(dir, "other.pub")}, exitFailed, "invalid checkpoint for seq 1: signed by key"},
		{"another record", []string{"-checkpoint", named, "-pub", key + ".pub"}, exitFailed, `checkpoint of record "rehearsal" cannot vouch for a journal without a record name`},
		{"the right record", []string{"-checkpoint", named, "-pub", key + ".pub", "-record", "rehearsal"}, exitOK, ""},
		{"not a checkpoint", []string{"-checkpoint", garbage, "-pub", key + ".pub"}, exitFailed, "garbage.txt: invalid checkpoint: line 1"},
		{"no public key", []string{"-checkpoint", cpFile}, exitUsage, "-checkpoint and -pub go together"},
		{"no checkpoint", []string{"-pub", key + ".pub"}, exitUsage, "-checkpoint and -pub go together"},
		{"missing checkpoint", []string{"-checkpoint", filepath.Join(dir, "nope"), "-pub", key + ".pub"}, exitUsage, "-checkpoint: open "},
		{"a private key as public key", []string{"-checkpoint", cpFile, "-pub", key}, exitUsage, `want a PEM "PUBLIC KEY" block`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.run(0, append([]string{"verify", "-f", path}, tc.args...)...)
			assert.Equal(t, tc.code, r.code, r.stderr)
			assert.Contains(t, r.stderr, tc.msg)
		})
	}

	for _, tc := range []struct {
		name string
		args []string
		code int
		msg  string
	}{
		{"no key", []string{"checkpoint", "-f", path}, exitUsage, "-key is required"},
		{"public key to sign", []string{"checkpoint", "-f", path, "-key", key + ".pub"}, exitUsage, `want a PEM "PRIVATE KEY" block`},
		{"no journal", []string{"checkpoint", "-f", filepath.Join(dir, "nope.jsonl"), "-key", key}, exitUsage, "no journal at "},
		{"not a journal", []string{"checkpoint", "-f", badSig, "-key", key}, exitFailed, "line 1"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := s.run(0, tc.args...)
			assert.Equal(t, tc.code, r.code, r.stderr)
			assert.Empty(t, r.stdout)
			assert.Contains(t, r.stderr, tc.msg)
		})
	}
}

// A keyed chain and a checkpoint: the HMAC key for the chain, the
// Ed25519 key for the head.
func TestCheckpointKeyedJournal(t *testing.T) {
	dir := t.TempDir()
	path, key := filepath.Join(dir, "cutover.jsonl"), filepath.Join(dir, "ops.key")
	s := newSession(t, utc(2026, 11, 24, 19, 0))
	s.env["MEP_KEY"] = "s3cret"
	s.ok(0, "keygen", "-key", key)
	s.ok(0, "note", "-f", path, "-key-env", "MEP_KEY", "GO")
	s.ok(0, "note", "-f", path, "-key-env", "MEP_KEY", "done")
	cpFile := filepath.Join(dir, "head.txt")
	s.ok(0, "checkpoint", "-f", path, "-key-env", "MEP_KEY", "-key", key, "-o", cpFile)
	assert.Contains(t, s.ok(0, "verify", "-f", path, "-key-env", "MEP_KEY", "-checkpoint", cpFile, "-pub", key+".pub"), "checkpoint ok: seq 2")

	r := s.run(0, "verify", "-f", path, "-checkpoint", cpFile, "-pub", key+".pub")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "wrong key")

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	first, _, _ := bytes.Cut(data, []byte("\n"))
	require.NoError(t, os.WriteFile(path, append(first, '\n'), 0o600))
	assert.Contains(t, s.ok(0, "verify", "-f", path, "-key-env", "MEP_KEY"), "ok: 1 entries", "even the key holders do not see the cut")
	r = s.run(0, "verify", "-f", path, "-key-env", "MEP_KEY", "-checkpoint", cpFile, "-pub", key+".pub")
	assert.Equal(t, exitFailed, r.code)
	assert.Contains(t, r.stderr, "tampered with at seq 2")
}
