package timeline

import (
	"bytes"
	"crypto/ed25519"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Checkpoint is a signed statement of a journal's head: "record Record
// held Seq entries, the last with hash Hash, when the signer saw it at
// At". A writer signs one with an Ed25519 key that the storage never
// holds; anyone with the public key can then check that the journal still
// holds that head ([VerifyAgainst]), which an edit that recomputes the
// chain, a truncation or a fork cannot fake. See the package
// documentation, "Checkpoints", for what it does and does not detect.
//
// A Checkpoint is a plain value. Its text form ([Checkpoint.MarshalText],
// [ParseCheckpoint]) is a few lines, then a blank line, then a signature
// line, in the manner of the Go checksum database's signed notes:
//
//	mepkit/timeline/checkpoint/v1
//	record "cutover-2026-11"
//	seq 7
//	hash 486c4d38ef6f...
//	at 2026-11-24T19:45:00Z
//
//	— 1a2b3c4d <base64 of the signature>
//
// The signature covers the first five lines, newlines included; the last
// line names the key ([PublicKeyID]) and carries the signature.
type Checkpoint struct {
	Record string    // name of the record ("" for a journal without one, such as a file); at most MaxCheckpointRecord bytes of UTF-8
	Seq    uint64    // the head's sequence number, 1 or more
	Hash   string    // the head's hash, as its entry carries it
	At     time.Time // when the signer saw the head; written in UTC to the nanosecond
	KeyID  string    // [PublicKeyID] of the signing key; set by [SignCheckpoint]
	Sig    []byte    // Ed25519 signature of the text before the blank line; set by [SignCheckpoint]
}

// MaxCheckpointRecord is the longest record name a checkpoint carries, in
// bytes.
const MaxCheckpointRecord = 1024

// maxCheckpointText bounds the text ParseCheckpoint reads: a record name
// of MaxCheckpointRecord bytes, each quoted as \U0010ffff at worst, and the
// rest.
const maxCheckpointText = 10*MaxCheckpointRecord + 512

// checkpointHeader is the first line of a checkpoint: its format, and the
// domain of its signatures (a key that signs other things cannot be made
// to sign a checkpoint by accident).
const checkpointHeader = "mepkit/timeline/checkpoint/v1"

// sigPrefix starts the signature line, as in a Go checksum database note.
const sigPrefix = "— "

// ErrCheckpoint is wrapped by the [CheckpointError] of a checkpoint that
// cannot vouch for a journal: text that is not a checkpoint, a signature
// that does not verify, a checkpoint signed by another key than the one
// given, or one of another record. It says nothing about the journal
// itself; a journal that does not hold the head a valid checkpoint vouches
// for is [ErrTampered].
var ErrCheckpoint = newError("invalid checkpoint")

// CheckpointError describes why a checkpoint cannot vouch for a journal.
type CheckpointError struct {
	Line   int    // ParseCheckpoint: the 1-based line at fault; 0 otherwise
	Record string // the record the checkpoint names, as far as it was read
	Seq    uint64 // the seq it vouches for; 0 if not read
	Reason string // what is wrong, for people
}

func (e *CheckpointError) Error() string { return prefix + e.message() }

func (e *CheckpointError) message() string {
	s := message(ErrCheckpoint)
	if e.Line > 0 {
		return s + ": line " + itoa(e.Line) + ": " + e.Reason
	}
	if e.Seq > 0 {
		s += " for seq " + strconv.FormatUint(e.Seq, 10)
	}
	if e.Record != "" {
		s += " of record " + quote(e.Record)
	}
	return s + ": " + e.Reason
}

// Unwrap returns ErrCheckpoint.
func (e *CheckpointError) Unwrap() error { return ErrCheckpoint }

// body returns the signed text of cp: its first five lines. It checks the
// fields it writes.
func (cp *Checkpoint) body() ([]byte, error) {
	if err := cp.checkFields(); err != nil {
		return nil, err
	}
	b := make([]byte, 0, 160+len(cp.Record))
	b = append(b, checkpointHeader+"\nrecord "...)
	b = strconv.AppendQuote(b, cp.Record)
	b = append(b, "\nseq "...)
	b = strconv.AppendUint(b, cp.Seq, 10)
	b = append(b, "\nhash "...)
	b = append(b, cp.Hash...)
	b = append(b, "\nat "...)
	b = cp.At.UTC().AppendFormat(b, time.RFC3339Nano)
	return append(b, '\n'), nil
}

// checkFields checks the fields of cp that the signature covers.
func (cp *Checkpoint) checkFields() error {
	fail := func(reason string) error { return &CheckpointError{Record: cp.Record, Seq: cp.Seq, Reason: reason} }
	switch {
	case len(cp.Record) > MaxCheckpointRecord:
		return fail("record name of " + itoa(len(cp.Record)) + " bytes, more than " + itoa(MaxCheckpointRecord))
	case !utf8.ValidString(cp.Record):
		return fail("record name is not valid UTF-8")
	case cp.Seq == 0:
		return fail("seq 0: a checkpoint vouches for an entry, the first is seq 1")
	case !validHash(cp.Hash):
		return fail("hash " + quote(cp.Hash) + " is not an entry's hash")
	case cp.At.IsZero():
		return fail("no time: a checkpoint says when its signer saw the head")
	}
	if y := cp.At.UTC().Year(); y < 0 || y > 9999 {
		return fail("time " + cp.At.String() + " has a year RFC 3339 cannot write")
	}
	return nil
}

// validHash reports whether h has the form of an entry's hash: 64 lower
// case hex digits, after a key identifier and a dot for a keyed chain.
func validHash(h string) bool {
	if len(h) == keyIDLen+1+64 && h[keyIDLen] == '.' {
		return isLowerHex(h[:keyIDLen]) && isLowerHex(h[keyIDLen+1:])
	}
	return len(h) == 64 && isLowerHex(h)
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// MarshalText returns the text form of a signed checkpoint (see
// [Checkpoint]). It refuses a checkpoint without a signature or with a
// field its text cannot carry.
func (cp Checkpoint) MarshalText() ([]byte, error) {
	b, err := cp.body()
	if err != nil {
		return nil, err
	}
	switch {
	case len(cp.KeyID) != keyIDLen || !isLowerHex(cp.KeyID):
		return nil, &CheckpointError{Record: cp.Record, Seq: cp.Seq, Reason: "key id " + quote(cp.KeyID) + " is not 8 hex digits: not signed"}
	case len(cp.Sig) != ed25519.SignatureSize:
		return nil, &CheckpointError{Record: cp.Record, Seq: cp.Seq, Reason: "signature of " + itoa(len(cp.Sig)) + " bytes, not " + itoa(ed25519.SignatureSize) + ": not signed"}
	}
	b = append(b, "\n"+sigPrefix...)
	b = append(b, cp.KeyID...)
	b = append(b, ' ')
	b = base64.StdEncoding.AppendEncode(b, cp.Sig)
	return append(b, '\n'), nil
}

// UnmarshalText sets cp from its text form, as [ParseCheckpoint] reads it.
func (cp *Checkpoint) UnmarshalText(text []byte) error {
	c, err := ParseCheckpoint(text)
	if err != nil {
		return err
	}
	*cp = c
	return nil
}

// ParseCheckpoint reads the text form of a checkpoint, exactly as
// [Checkpoint.MarshalText] writes it: any other spelling (extra space, a
// missing final newline, upper case hex, a time not in UTC) is refused
// with a [*CheckpointError] naming the line, so that one checkpoint has one
// text. It does not check the signature: see [Checkpoint.Verify].
func ParseCheckpoint(text []byte) (Checkpoint, error) {
	var cp Checkpoint
	if len(text) > maxCheckpointText {
		return cp, &CheckpointError{Line: 1, Reason: "text of " + itoa(len(text)) + " bytes is too long for a checkpoint"}
	}
	if !bytes.HasSuffix(text, []byte("\n")) {
		return cp, &CheckpointError{Line: bytes.Count(text, []byte("\n")) + 1, Reason: "no newline at the end"}
	}
	lines := strings.Split(string(text[:len(text)-1]), "\n")
	if len(lines) != 7 {
		return cp, &CheckpointError{Line: min(len(lines), 7), Reason: "want 7 lines (5 of text, a blank one, a signature), got " + itoa(len(lines))}
	}
	if lines[0] != checkpointHeader {
		return cp, &CheckpointError{Line: 1, Reason: "want " + quote(checkpointHeader) + ", got " + quote(lines[0])}
	}
	for i, parse := range []func(string) string{cp.parseRecord, cp.parseSeq, cp.parseHash, cp.parseAt} {
		if reason := parse(lines[i+1]); reason != "" {
			return Checkpoint{}, &CheckpointError{Line: i + 2, Record: cp.Record, Seq: cp.Seq, Reason: reason}
		}
	}
	if lines[5] != "" {
		return Checkpoint{}, &CheckpointError{Line: 6, Record: cp.Record, Seq: cp.Seq, Reason: "want a blank line before the signature"}
	}
	if reason := cp.parseSig(lines[6]); reason != "" {
		return Checkpoint{}, &CheckpointError{Line: 7, Record: cp.Record, Seq: cp.Seq, Reason: reason}
	}
	return cp, nil
}
