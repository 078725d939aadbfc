package timeline

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"hash"
	"slices"
	"strconv"
)

// chain computes the hash chain of a journal: each entry's hash covers the
// previous entry's hash and the canonical encoding of the entry. A chain is
// not safe for concurrent use.
type chain struct {
	h    hash.Hash
	prev [sha256.Size]byte // raw hash of the last entry; zero before the first
	buf  []byte            // scratch for the canonical encoding
	sum  []byte            // scratch for the digest
	hex  []byte            // scratch for its hex form
	keys []string          // scratch for sorting attribute keys
}

func newChain(key []byte) *chain {
	c := &chain{}
	if key != nil {
		c.h = hmac.New(sha256.New, key)
	} else {
		c.h = sha256.New()
	}
	return c
}

// next returns the hex hash of e following the current chain head, without
// moving the head.
func (c *chain) next(e *Entry) string {
	c.buf = c.appendCanonical(c.buf[:0], e)
	c.h.Reset()
	c.h.Write(c.prev[:])
	c.h.Write(c.buf)
	c.sum = c.h.Sum(c.sum[:0])
	c.hex = hex.AppendEncode(c.hex[:0], c.sum)
	return string(c.hex)
}

// advance moves the head to the hash just computed by next.
func (c *chain) advance() { copy(c.prev[:], c.sum) }

// appendCanonical appends the canonical encoding of e (every field but
// Hash) to b. Times are encoded as the instant (UTC seconds and
// nanoseconds), so the location an entry was written in does not matter.
func (c *chain) appendCanonical(b []byte, e *Entry) []byte {
	b = append(b, "mepkit/timeline/v1"...)
	b = binary.BigEndian.AppendUint64(b, e.Seq)
	b = binary.BigEndian.AppendUint64(b, uint64(e.At.Unix()))
	b = binary.BigEndian.AppendUint32(b, uint32(e.At.Nanosecond()))
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

// Verify checks that entries form an unbroken chain from the first entry
// of a journal: sequence numbers 1, 2, 3, ... and every hash matching the
// entry and its predecessor, under SHA-256 or, when key is non-nil,
// HMAC-SHA256 with key. It finds any change, insertion, deletion or
// reordering, and returns a [*TamperError] (errors.Is(err, ErrTampered))
// naming the first entry that does not hold. It cannot see entries removed
// from the end: compare the last hash with one kept elsewhere for that.
func Verify(entries []Entry, key []byte) error {
	c := newChain(key)
	for i := range entries {
		e := &entries[i]
		want := uint64(i) + 1
		if e.Seq != want {
			return &TamperError{Seq: want, Index: i, Reason: "found seq " + strconv.FormatUint(e.Seq, 10) + " (an entry was inserted, deleted or moved)"}
		}
		got := c.next(e)
		if !hmac.Equal([]byte(got), []byte(e.Hash)) {
			return &TamperError{Seq: want, Index: i, Reason: "hash does not match the entry and its predecessor"}
		}
		c.advance()
	}
	return nil
}
