package timeline

import (
	"crypto/ed25519"
	"encoding/base64"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// The parsers of the lines of a checkpoint's text. Each sets its field of
// cp and returns "", or returns what is wrong with the line. Each accepts
// only what Checkpoint.MarshalText writes.

func (cp *Checkpoint) parseRecord(line string) string {
	q, ok := strings.CutPrefix(line, "record ")
	if !ok {
		return "want record \"NAME\", got " + quote(line)
	}
	r, err := strconv.Unquote(q)
	switch {
	case err != nil || !strings.HasPrefix(q, `"`):
		return "the record name is not a quoted string: " + quote(q)
	case len(r) > MaxCheckpointRecord:
		return "record name of " + itoa(len(r)) + " bytes, more than " + itoa(MaxCheckpointRecord)
	case !utf8.ValidString(r):
		return "record name is not valid UTF-8"
	case strconv.Quote(r) != q:
		return "record name not quoted as Go quotes it: want " + strconv.Quote(r)
	}
	cp.Record = r
	return ""
}

func (cp *Checkpoint) parseSeq(line string) string {
	d, ok := strings.CutPrefix(line, "seq ")
	if !ok {
		return "want seq N, got " + quote(line)
	}
	n, err := strconv.ParseUint(d, 10, 64)
	if err != nil || n == 0 || strconv.FormatUint(n, 10) != d {
		return "seq " + quote(d) + " is not a decimal number from 1, without leading zeros"
	}
	cp.Seq = n
	return ""
}

func (cp *Checkpoint) parseHash(line string) string {
	h, ok := strings.CutPrefix(line, "hash ")
	if !ok {
		return "want hash HEX, got " + quote(line)
	}
	if !validHash(h) {
		return "hash " + quote(h) + " is not an entry's hash (64 lower case hex digits, after a key id and a dot for a keyed chain)"
	}
	cp.Hash = h
	return ""
}

func (cp *Checkpoint) parseAt(line string) string {
	s, ok := strings.CutPrefix(line, "at ")
	if !ok {
		return "want at TIME, got " + quote(line)
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil || t.IsZero() || t.UTC().Format(time.RFC3339Nano) != s {
		return "time " + quote(s) + " is not a time in UTC as RFC 3339 writes it (2026-11-24T19:45:00Z)"
	}
	cp.At = t.UTC()
	return ""
}

func (cp *Checkpoint) parseSig(line string) string {
	rest, ok := strings.CutPrefix(line, sigPrefix)
	if !ok {
		return "want the signature line \"" + sigPrefix + "KEYID SIGNATURE\", got " + quote(line)
	}
	id, sig, ok := strings.Cut(rest, " ")
	if !ok || len(id) != keyIDLen || !isLowerHex(id) {
		return "the signature line does not start with a key id of 8 lower case hex digits"
	}
	b, err := base64.StdEncoding.Strict().DecodeString(sig)
	if err != nil || len(b) != ed25519.SignatureSize || base64.StdEncoding.EncodeToString(b) != sig {
		return "the signature is not " + itoa(ed25519.SignatureSize) + " bytes in standard base64"
	}
	cp.KeyID, cp.Sig = id, b
	return ""
}
