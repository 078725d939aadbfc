package timeline

import (
	"crypto/ed25519"
	"os"
	"strconv"
)

// VerifyAgainst verifies entries as [Verify] does, with key (the HMAC key
// of a keyed chain, nil otherwise), and checks
// that they hold the head that cp vouches for: cp was signed by pub
// ([Checkpoint.Verify]), names record (the name the signer gave the
// record; "" for a journal without one), and the entry at cp.Seq exists
// with hash cp.Hash. Entries after cp.Seq are checked as the chain is.
//
// A checkpoint that cannot vouch (altered, signed by another key, of
// another record) is a [*CheckpointError] wrapping [ErrCheckpoint], and
// the entries are not checked. A journal that does not hold the head is
// a [*TamperError] wrapping [ErrTampered]: one cut below cp.Seq names the
// first seq missing; one whose entry at cp.Seq has another hash (an entry
// at or before it was rewritten, even with the chain recomputed, or the
// record forked) names cp.Seq. Errors of the chain itself are Verify's.
func VerifyAgainst(entries []Entry, key []byte, record string, cp Checkpoint, pub ed25519.PublicKey) error {
	if err := cp.verifyFor(record, pub); err != nil {
		return err
	}
	v := NewVerifier(key)
	for i := range entries {
		if err := v.Add(entries[i]); err != nil {
			return err
		}
		if err := cp.holds(&entries[i]); err != nil {
			return err
		}
	}
	return cp.reached(v.n)
}

// VerifyFileAgainst is [VerifyAgainst] for the journal file at path, read
// and checked as [VerifyFile] does, in memory bounded by one line. It
// returns the number of entries and the last hash, as VerifyFile does.
func VerifyFileAgainst(path string, key []byte, record string, cp Checkpoint, pub ed25519.PublicKey) (n int, head string, err error) {
	if err := cp.verifyFor(record, pub); err != nil {
		return 0, "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return 0, "", wrapError("", err)
	}
	defer f.Close()
	v := NewVerifier(key)
	for e, err := range Entries(f) {
		if err == nil {
			err = v.Add(e)
		}
		if err == nil {
			err = cp.holds(&e)
		}
		if err != nil {
			return n, v.last, err
		}
		n++
	}
	return n, v.last, cp.reached(v.n)
}

// verifyFor checks that cp was signed by pub and names record.
func (cp *Checkpoint) verifyFor(record string, pub ed25519.PublicKey) error {
	if err := cp.Verify(pub); err != nil {
		return err
	}
	if cp.Record != record {
		what := "record " + quote(record)
		if record == "" {
			what = "a journal without a record name"
		}
		return &CheckpointError{Record: cp.Record, Seq: cp.Seq, Reason: "a checkpoint of record " + quote(cp.Record) + " cannot vouch for " + what}
	}
	return nil
}

// holds checks that e, an entry whose chain verified, is the head cp
// vouches for when it has its seq.
func (cp *Checkpoint) holds(e *Entry) error {
	if e.Seq != cp.Seq || e.Hash == cp.Hash {
		return nil
	}
	return &TamperError{Seq: e.Seq, Index: int(e.Seq - 1), Reason: "hash " + short(e.Hash) +
		" is not the hash " + short(cp.Hash) + " that checkpoint key " + cp.KeyID +
		" signed: an entry at or before seq " + strconv.FormatUint(cp.Seq, 10) + " was rewritten, or the record forked"}
}

// reached checks that a chain of n entries that verified reaches cp.Seq.
func (cp *Checkpoint) reached(n uint64) error {
	if n >= cp.Seq {
		return nil
	}
	return &TamperError{Seq: n + 1, Index: int(n), Reason: "missing: the journal ends at seq " + strconv.FormatUint(n, 10) +
		" but checkpoint key " + cp.KeyID + " signed seq " + strconv.FormatUint(cp.Seq, 10) + ": entries were cut from the end"}
}

// short returns the start of a hash, enough for people to tell two apart.
func short(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}
