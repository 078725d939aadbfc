package timeline

import (
	"crypto"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// PublicKeyID returns the identifier of an Ed25519 public key as a
// checkpoint's signature line names it: 8 hex digits derived from the key
// by SHA-256. It tells keys apart; only [Checkpoint.Verify] tells whether
// a key signed. A key of the wrong length has no identifier and returns "".
func PublicKeyID(pub ed25519.PublicKey) string {
	if len(pub) != ed25519.PublicKeySize {
		return ""
	}
	h := sha256.New()
	h.Write([]byte(checkpointHeader + " key\n"))
	h.Write(pub)
	return hex.EncodeToString(h.Sum(nil)[:keyIDLen/2])
}

// SignCheckpoint signs the head that cp describes (its Record, Seq, Hash
// and At; take Seq and Hash from [Journal.Head], or from [VerifyFile] for
// a file) with signer, and returns cp with KeyID and Sig set. signer is
// an [ed25519.PrivateKey], or any [crypto.Signer] whose public key is an
// Ed25519 key (a key kept in a hardware module or a key service, so that
// the machines that store the journal never hold it). Sign only a head
// that verified: a checkpoint vouches for everything up to it.
//
// SignCheckpoint refuses a head its text cannot carry (seq 0, a malformed
// hash, a zero time), a private key of the wrong length, and a signature
// that does not verify with the signer's public key.
func SignCheckpoint(cp Checkpoint, signer crypto.Signer) (Checkpoint, error) {
	cp.KeyID, cp.Sig = "", nil
	body, err := cp.body()
	if err != nil {
		return Checkpoint{}, err
	}
	fail := func(reason string, errs ...error) (Checkpoint, error) {
		msg := "signing the checkpoint for seq " + strconv.FormatUint(cp.Seq, 10)
		if reason != "" {
			msg += ": " + reason
		}
		return Checkpoint{}, wrapError(msg, errs...)
	}
	if priv, ok := signer.(ed25519.PrivateKey); ok && len(priv) != ed25519.PrivateKeySize {
		return fail("private key of " + itoa(len(priv)) + " bytes, not " + itoa(ed25519.PrivateKeySize))
	}
	if signer == nil {
		return fail("no key")
	}
	pub, ok := signer.Public().(ed25519.PublicKey)
	if !ok || len(pub) != ed25519.PublicKeySize {
		return fail("not an Ed25519 key")
	}
	sig, err := signer.Sign(nil, body, crypto.Hash(0))
	if err != nil {
		return fail("", err)
	}
	if len(sig) != ed25519.SignatureSize || !ed25519.Verify(pub, body, sig) {
		return fail("the signer's signature does not verify with its public key")
	}
	cp.KeyID, cp.Sig = PublicKeyID(pub), sig
	return cp, nil
}

// Verify checks that cp was signed by the Ed25519 key pub: that its
// signature line names pub ([PublicKeyID]) and that the signature holds
// over its record, seq, hash and time. It returns a [*CheckpointError]
// (errors.Is(err, ErrCheckpoint)) naming the seq otherwise. A checkpoint
// that verifies vouches for a head; [VerifyAgainst] checks a journal
// against it.
func (cp Checkpoint) Verify(pub ed25519.PublicKey) error {
	fail := func(reason string) error { return &CheckpointError{Record: cp.Record, Seq: cp.Seq, Reason: reason} }
	id := PublicKeyID(pub)
	if id == "" {
		return fail("the public key given has " + itoa(len(pub)) + " bytes, not " + itoa(ed25519.PublicKeySize))
	}
	body, err := cp.body()
	if err != nil {
		return err
	}
	switch {
	case cp.KeyID != id:
		return fail("signed by key " + quote(cp.KeyID) + ", not by the key given (" + id + ")")
	case len(cp.Sig) != ed25519.SignatureSize || !ed25519.Verify(pub, body, cp.Sig):
		return fail("the signature of key " + id + " does not verify: the checkpoint was altered or forged")
	}
	return nil
}
