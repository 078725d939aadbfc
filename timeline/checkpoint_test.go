package timeline_test

import (
	"crypto"
	"crypto/ed25519"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/timeline"
)

func sampleCheckpoint(t testing.TB, record string) timeline.Checkpoint {
	_, priv := signer(1)
	cp, err := timeline.SignCheckpoint(timeline.Checkpoint{
		Record: record, Seq: 7,
		Hash: "486c4d38ef6f3e1b7a9d2c4f5e6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6",
		At:   time.Date(2026, 11, 24, 20, 45, 0, 123000000, time.FixedZone("CET", 3600)),
	}, priv)
	require.NoError(t, err)
	return cp
}

func TestCheckpointText(t *testing.T) {
	pub, _ := signer(1)
	cp := sampleCheckpoint(t, "cutover 2026-11\n\"quoted\"")
	text, err := cp.MarshalText()
	require.NoError(t, err)
	lines := strings.Split(string(text), "\n")
	require.Len(t, lines, 8)
	assert.Equal(t, []string{
		"mepkit/timeline/checkpoint/v1",
		`record "cutover 2026-11\n\"quoted\""`,
		"seq 7",
		"hash 486c4d38ef6f3e1b7a9d2c4f5e6a7b8c9d0e1f2a3b4c5d6e7f8091a2b3c4d5e6",
		"at 2026-11-24T19:45:00.123Z",
		"",
	}, lines[:6])
	assert.Regexp(t, `^— `+timeline.PublicKeyID(pub)+` [A-Za-z0-9+/]{86}==$`, lines[6])
	assert.Empty(t, lines[7], "a final newline")

	got, err := timeline.ParseCheckpoint(text)
	require.NoError(t, err)
	assert.True(t, got.At.Equal(cp.At))
	assert.Equal(t, time.UTC, got.At.Location())
	got.At = cp.At
	assert.Equal(t, cp, got)
	assert.NoError(t, got.Verify(pub))

	var un timeline.Checkpoint
	require.NoError(t, un.UnmarshalText(text))
	assert.NoError(t, un.Verify(pub))
	data, err := json.Marshal(map[string]timeline.Checkpoint{"cp": cp})
	require.NoError(t, err)
	var back map[string]timeline.Checkpoint
	require.NoError(t, json.Unmarshal(data, &back))
	assert.NoError(t, back["cp"].Verify(pub), "JSON carries the text form")
}

func TestParseCheckpointRefuses(t *testing.T) {
	text, err := sampleCheckpoint(t, "cutover").MarshalText()
	require.NoError(t, err)
	good := string(text)
	for _, tc := range []struct {
		name, old, new string
		line           int
	}{
		{"no final newline", "==\n", "==", 7},
		{"CRLF", "\n", "\r\n", 1},
		{"another header", "v1", "v2", 1},
		{"unquoted record", `"cutover"`, "cutover", 2},
		{"record quoted otherwise", `"cutover"`, "`cutover`", 2},
		{"record escaped needlessly", `"cutover"`, `"cut\x6fver"`, 2},
		{"seq with a leading zero", "seq 7", "seq 07", 3},
		{"seq 0", "seq 7", "seq 0", 3},
		{"seq with a sign", "seq 7", "seq +7", 3},
		{"seq too big", "seq 7", "seq 18446744073709551616", 3},
		{"upper case hash", "hash 486c", "hash 486C", 4},
		{"short hash", "hash 486c4d38", "hash 486c4d3", 4},
		{"time with an offset", "at 2026-11-24T19:45:00.123Z", "at 2026-11-24T20:45:00.123+01:00", 5},
		{"time with trailing zeros", "00.123Z", "00.1230Z", 5},
		{"zero time", "at 2026-11-24T19:45:00.123Z", "at 0001-01-01T00:00:00Z", 5},
		{"no blank line", "Z\n\n", "Z\nx\n", 6},
		{"ascii dash", "— ", "-- ", 7},
		{"upper case key id", "— ", "— A", 7},
		{"signature not padded", "==\n", "\n", 7},
		{"two spaces", "— ", "—  ", 7},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := strings.Replace(good, tc.old, tc.new, 1)
			require.NotEqual(t, good, bad)
			_, err := timeline.ParseCheckpoint([]byte(bad))
			require.ErrorIs(t, err, timeline.ErrCheckpoint)
			var ce *timeline.CheckpointError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tc.line, ce.Line, "%v", err)
		})
	}
	for _, bad := range []string{"", "\n", strings.Repeat("x", 1<<20), good + "\n", good + good} {
		_, err := timeline.ParseCheckpoint([]byte(bad))
		assert.ErrorIs(t, err, timeline.ErrCheckpoint)
	}
}

func TestCheckpointMarshalRefusesWhatItCannotCarry(t *testing.T) {
	good := sampleCheckpoint(t, "")
	for _, tc := range []struct {
		name   string
		edit   func(*timeline.Checkpoint)
		reason string
	}{
		{"unsigned", func(cp *timeline.Checkpoint) { cp.Sig = nil }, "signature of 0 bytes"},
		{"no key id", func(cp *timeline.Checkpoint) { cp.KeyID = "" }, "not signed"},
		{"seq 0", func(cp *timeline.Checkpoint) { cp.Seq = 0 }, "seq 0"},
		{"no hash", func(cp *timeline.Checkpoint) { cp.Hash = "" }, `hash ""`},
		{"zero time", func(cp *timeline.Checkpoint) { cp.At = time.Time{} }, "no time"},
		{"year 10000", func(cp *timeline.Checkpoint) { cp.At = time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC) }, "RFC 3339"},
		{"invalid UTF-8", func(cp *timeline.Checkpoint) { cp.Record = "\xff" }, "UTF-8"},
		{"long record", func(cp *timeline.Checkpoint) { cp.Record = strings.Repeat("r", timeline.MaxCheckpointRecord+1) }, "more than 1024"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cp := good
			tc.edit(&cp)
			_, err := cp.MarshalText()
			require.ErrorIs(t, err, timeline.ErrCheckpoint)
			assert.ErrorContains(t, err, tc.reason)
			if cp.Sig != nil && cp.KeyID != "" {
				_, priv := signer(1)
				_, err = timeline.SignCheckpoint(cp, priv)
				assert.ErrorContains(t, err, tc.reason, "SignCheckpoint refuses it too")
			}
		})
	}
}

// failingSigner is a crypto.Signer that a test can make misbehave.
type failingSigner struct {
	pub crypto.PublicKey
	sig []byte
	err error
}

func (s failingSigner) Public() crypto.PublicKey { return s.pub }
func (s failingSigner) Sign(io.Reader, []byte, crypto.SignerOpts) ([]byte, error) {
	return s.sig, s.err
}

func TestSignCheckpointRefusesBadSigners(t *testing.T) {
	pub, priv := signer(1)
	head := timeline.Checkpoint{Seq: 1, Hash: strings.Repeat("ab", 32), At: at(2026, 11, 24, 20, 0)}
	for _, tc := range []struct {
		name   string
		signer crypto.Signer
		msg    string
	}{
		{"nil", nil, "no key"},
		{"short private key", priv[:10], "private key of 10 bytes, not 64"},
		{"empty private key", ed25519.PrivateKey{}, "private key of 0 bytes"},
		{"not Ed25519", failingSigner{pub: "rsa"}, "not an Ed25519 key"},
		{"signer error", failingSigner{pub: pub, err: errors.New("device unplugged")}, "device unplugged"},
		{"bad signature", failingSigner{pub: pub, sig: make([]byte, 64)}, "the signer's signature does not verify with its public key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := timeline.SignCheckpoint(head, tc.signer)
			assert.ErrorContains(t, err, "timeline: signing the checkpoint for seq 1: "+tc.msg)
		})
	}
	cp, err := timeline.SignCheckpoint(head, failingSigner{pub: pub, sig: ed25519.Sign(priv, []byte("mepkit/timeline/checkpoint/v1\nrecord \"\"\nseq 1\nhash "+head.Hash+"\nat 2026-11-24T19:00:00Z\n"))})
	require.NoError(t, err, "any crypto.Signer of an Ed25519 key")
	assert.NoError(t, cp.Verify(pub))
}

func TestPublicKeyID(t *testing.T) {
	pub, _ := signer(1)
	other, _ := signer(2)
	id := timeline.PublicKeyID(pub)
	assert.Regexp(t, `^[0-9a-f]{8}$`, id)
	assert.NotEqual(t, id, timeline.PublicKeyID(other))
	assert.Empty(t, timeline.PublicKeyID(nil))
	assert.Empty(t, timeline.PublicKeyID(pub[:31]))
}

func FuzzParseCheckpoint(f *testing.F) {
	for _, record := range []string{"", "cutover", "é\n\x00"} {
		text, err := sampleCheckpoint(f, record).MarshalText()
		require.NoError(f, err)
		f.Add(text)
	}
	pub, _ := signer(1)
	f.Fuzz(func(t *testing.T, text []byte) {
		cp, err := timeline.ParseCheckpoint(text)
		if err != nil {
			require.ErrorIs(t, err, timeline.ErrCheckpoint)
			require.Equal(t, timeline.Checkpoint{}, cp, "nothing half read")
			return
		}
		_ = cp.Verify(pub)
		again, err := cp.MarshalText()
		require.NoError(t, err, "what parses marshals")
		require.Equal(t, string(text), string(again), "one checkpoint, one text")
	})
}
