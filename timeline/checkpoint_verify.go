package timeline

import (
	"crypto/ed25519"
	"errors"
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
// record forked) names cp.Seq; one chained again with another key than
// the one given (or without a key), while cp's head was chained with the
// key given, names seq 1, where [Verify] alone would report
// [ErrWrongKey]. Errors of the chain itself are Verify's.
func VerifyAgainst(entries []Entry, key []byte, record string, cp Checkpoint, pub ed25519.PublicKey) error {
	if err := cp.verifyFor(record, pub); err != nil {
		return err
	}
	v := NewVerifier(key)
	for i := range entries {
		if err := v.Add(entries[i]); err != nil {
			return cp.chainedAgain(err)
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
			err = cp.chainedAgain(v.Add(e))
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

// chainedAgain turns the error of a journal chained with another key than
// the one given (a [*KeyError]) into tampering when cp's head was chained
// with the key given: the journal then is not the one cp vouches for, but
// one chained again from its first entry, without the key or under
// another, by someone who could write it but not recompute its chain.
func (cp *Checkpoint) chainedAgain(err error) error {
	ke, ok := errors.AsType[*KeyError](err)
	if !ok || hashKeyID(cp.Hash) != ke.KeyID {
		return err
	}
	chained := "without a key"
	if ke.JournalKeyID != "" {
		chained = "with key " + ke.JournalKeyID
	}
	signed := "without a key"
	if ke.KeyID != "" {
		signed = "with key " + ke.KeyID + ", the key given"
	}
	return &TamperError{Seq: ke.Seq, Index: int(ke.Seq - 1), Reason: "the journal is chained " + chained +
		" but checkpoint key " + cp.KeyID + " signed seq " + strconv.FormatUint(cp.Seq, 10) + " chained " + signed +
		": the journal was chained again from its first entry"}
}

// hashKeyID returns the key identifier that starts a keyed chain's hash,
// "" for an unkeyed one.
func hashKeyID(h string) string {
	if len(h) == keyIDLen+1+64 && h[keyIDLen] == '.' {
		return h[:keyIDLen]
	}
	return ""
}

// short returns the start of a hash, enough for people to tell two apart.
func short(h string) string {
	if len(h) > 16 {
		return h[:16] + "…"
	}
	return h
}
