package timeline

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"slices"
	"strings"
)

// Chain versions: v1 hashed the instant of At only; v2 also covers its
// UTC offset, which people read.
const (
	domainV1 = "mepkit/timeline/v1"
	domainV2 = "mepkit/timeline/v2"
)

// keyIDLen is the length of a key identifier, in hex digits.
const keyIDLen = 8

// KeyID returns the identifier of an HMAC key as it appears in the hashes
// of a keyed journal: 8 hex digits derived from the key by HMAC-SHA256. It
// tells keys apart without revealing them (the chain's own hashes already
// let anyone test a guessed key, and the identifier lets them do no more).
// Print it to check which key a journal needs. A nil key has no identifier
// and returns "".
func KeyID(key []byte) string {
	if key == nil {
		return ""
	}
	m := hmac.New(sha256.New, key)
	m.Write([]byte("mepkit/timeline key id"))
	return hex.EncodeToString(m.Sum(nil)[:keyIDLen/2])
}

// chain computes the hash chain of a journal: each entry's hash covers the
// previous entry's hash and the canonical encoding of the entry. A keyed
// chain's hashes read "<key id>.<hex>", an unkeyed chain's "<hex>". A
// chain is not safe for concurrent use.
type chain struct {
	h     hash.Hash
	keyID string
	prev  [sha256.Size]byte // raw hash of the last entry; zero before the first
	buf   []byte            // scratch for the canonical encoding
	sum   []byte            // scratch for the digest
	hex   []byte            // scratch for the hash text
	keys  []string          // scratch for sorting attribute keys
}

func newChain(key []byte) *chain {
	c := &chain{}
	if key != nil {
		c.h = hmac.New(sha256.New, key)
		c.keyID = KeyID(key)
	} else {
		c.h = sha256.New()
	}
	return c
}

// next returns the hash of e following the current chain head, without
// moving the head.
func (c *chain) next(e *Entry) string {
	c.digest(e, domainV2)
	c.hex = c.hex[:0]
	if c.keyID != "" {
		c.hex = append(append(c.hex, c.keyID...), '.')
	}
	c.hex = hex.AppendEncode(c.hex, c.sum)
	return string(c.hex)
}

// matches reports whether hash is the hash of e following the head.
func (c *chain) matches(e *Entry, hash string) bool {
	if c.keyID != "" {
		if len(hash) <= keyIDLen || hash[keyIDLen] != '.' || hash[:keyIDLen] != c.keyID {
			return false
		}
		hash = hash[keyIDLen+1:]
	}
	c.digest(e, domainV2)
	return c.equalHex(hash)
}

// equalHex reports whether h is the hex form of the last digest, in
// constant time.
func (c *chain) equalHex(h string) bool {
	c.hex = hex.AppendEncode(c.hex[:0], c.sum)
	return hmac.Equal(c.hex, []byte(h))
}

// digest computes the raw hash of e after the head into c.sum.
func (c *chain) digest(e *Entry, domain string) {
	c.buf = c.appendCanonical(c.buf[:0], e, domain)
	c.h.Reset()
	c.h.Write(c.prev[:])
	c.h.Write(c.buf)
	c.sum = c.h.Sum(c.sum[:0])
}

// advance moves the head to the hash just computed by next or matches.
func (c *chain) advance() { copy(c.prev[:], c.sum) }

// setHead moves the head to hash, the hash of a stored entry ("" for none).
func (c *chain) setHead(hash string) {
	c.prev = [sha256.Size]byte{}
	if i := strings.IndexByte(hash, '.'); i >= 0 {
		hash = hash[i+1:]
	}
	hex.Decode(c.prev[:], []byte(hash))
}

// appendCanonical appends the encoding of e (every field but Hash) that the
// hash covers to b. v2 covers the instant of At (UTC seconds and
// nanoseconds) and its UTC offset; v1 covered the instant only.
func (c *chain) appendCanonical(b []byte, e *Entry, domain string) []byte {
	b = append(b, domain...)
	b = binary.BigEndian.AppendUint64(b, e.Seq)
	b = binary.BigEndian.AppendUint64(b, uint64(e.At.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(e.At.Nanosecond()))
	if domain != domainV1 {
		_, off := e.At.Zone()
		b = binary.BigEndian.AppendUint32(b, uint32(int32(off)))
	}
	b = appendString(b, e.Kind)
	b = appendString(b, e.Step)
	b = appendString(b, e.Actor)
	b = appendString(b, e.Text)
	b = append(b, byte(e.Impact), byte(e.Outcome))
	b = binary.AppendUvarint(b, uint64(len(e.Attrs)))
	if len(e.Attrs) > 0 {
		c.keys = c.keys[:0]
		for k := range e.Attrs {
			c.keys = append(c.keys, k)
		}
		slices.Sort(c.keys)
		for _, k := range c.keys {
			b = appendString(b, k)
			b = appendString(b, e.Attrs[k])
		}
	}
	return b
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}
