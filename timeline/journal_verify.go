package timeline

import (
	"fmt"
	"strconv"
	"strings"
)

// Verifier checks a hash chain one entry at a time, in constant memory:
// feed it the entries of a journal in order with Add, as they are read
// (see [Entries]). The zero Verifier checks an unkeyed (SHA-256) chain
// from its first entry; [NewVerifier] makes one for a keyed chain.
// A Verifier is not safe for concurrent use.
type Verifier struct {
	c    *chain
	key  []byte
	n    uint64 // entries checked
	last string // hash of the last entry checked
	err  error  // sticky first error
}

// NewVerifier returns a Verifier of a chain under SHA-256 or, when key is
// non-nil, HMAC-SHA256 with key. The Verifier keeps key; do not modify it
// while the Verifier is in use.
func NewVerifier(key []byte) *Verifier {
	return &Verifier{key: key, c: newChain(key)}
}

// Add checks that e continues the chain: its seq is the next one and its
// hash matches e and its predecessor. It returns a [*TamperError]
// (errors.Is(err, ErrTampered)) for the first entry that does not hold;
// an error wrapping [ErrWrongKey] when the first entry shows the journal
// was chained with another key, or with a key when none was given, or
// without one when one was; and an error wrapping [ErrOldFormat] for a
// journal written by a version whose chain did not cover UTC offsets.
// After an error, Add returns that error again.
func (v *Verifier) Add(e Entry) error {
	if v.err != nil {
		return v.err
	}
	if v.c == nil {
		v.c = newChain(v.key)
	}
	i := v.n
	want := i + 1
	if e.Seq != want {
		v.err = &TamperError{Seq: want, Index: int(i), Reason: "found seq " + strconv.FormatUint(e.Seq, 10) + " (an entry was inserted, deleted or moved)"}
		return v.err
	}
	if !v.c.matches(&e, e.Hash) {
		if i == 0 {
			if err := v.firstMismatch(&e); err != nil {
				v.err = err
				return err
			}
		}
		v.err = &TamperError{Seq: want, Index: int(i), Reason: "hash does not match the entry and its predecessor"}
		return v.err
	}
	v.c.advance()
	v.n++
	v.last = e.Hash
	return nil
}

// firstMismatch explains why the first entry's hash does not match when
// the reason is the key or the format rather than an edit.
func (v *Verifier) firstMismatch(e *Entry) error {
	got := ""
	if i := strings.IndexByte(e.Hash, '.'); i >= 0 {
		got = e.Hash[:i]
	}
	switch want := v.c.keyID; {
	case got != "" && want == "":
		return &KeyError{Seq: e.Seq, JournalKeyID: got}
	case got == "" && want != "":
		if !v.isV1(e) {
			return &KeyError{Seq: e.Seq, KeyID: want}
		}
	case got != want:
		return &KeyError{Seq: e.Seq, JournalKeyID: got, KeyID: want}
	}
	if v.isV1(e) {
		return fmt.Errorf("%w: its hashes do not cover the UTC offsets of its times; Read reads it, Verify and Open refuse it", ErrOldFormat)
	}
	return nil
}

// isV1 reports whether e's hash is a first entry's hash under the v1 chain,
// with or without the key.
func (v *Verifier) isV1(e *Entry) bool {
	for _, c := range []*chain{v.c, newChain(nil)} {
		c.digest(e, domainV1)
		if c.equalHex(e.Hash) {
			return true
		}
	}
	return false
}

// Head returns the seq and hash of the last entry that verified, or 0 and
// "" before the first.
func (v *Verifier) Head() (seq uint64, hash string) { return v.n, v.last }

// Verify checks that entries form an unbroken chain from the first entry
// of a journal: sequence numbers 1, 2, 3, ... and every hash matching the
// entry and its predecessor, under SHA-256 or, when key is non-nil,
// HMAC-SHA256 with key. It finds any change, insertion, deletion or
// reordering, and returns a [*TamperError] (errors.Is(err, ErrTampered))
// naming the first entry that does not hold. A key that is not the one the
// journal was chained with is an error wrapping [ErrWrongKey], not
// tampering (see [Verifier.Add]). Verify cannot see entries removed from
// the end, nor, without a key, entries rewritten with the chain recomputed:
// [VerifyAgainst] a signed [Checkpoint] sees both. For a
// journal too large to hold in memory, use [VerifyFile] or a [Verifier].
func Verify(entries []Entry, key []byte) error {
	v := NewVerifier(key)
	for i := range entries {
		if err := v.Add(entries[i]); err != nil {
			return err
		}
	}
	return nil
}
