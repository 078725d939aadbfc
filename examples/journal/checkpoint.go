package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// Signed checkpoints: "journal keygen" makes an Ed25519 key pair, "journal
// checkpoint" signs the journal's head with the private key, and "journal
// verify -checkpoint FILE -pub FILE" checks that the journal still holds
// that head: whoever can write the file or the database can recompute the
// chain or cut its end, not forge the signature. Keys are PEM files, PKCS
// #8 and PKIX, as "openssl genpkey -algorithm ed25519" writes them.

func (c *cli) keygen(args []string) error {
	fs := c.newFlags("keygen", "[-key FILE] [-pub FILE]")
	keyFile := fs.String("key", "checkpoint.key", "write the private key to this `file` (keep it off the journal's machines)")
	pubFile := fs.String("pub", "", "write the public key to this `file` (default: the -key file with .pub added)")
	if err := fs.parseNone(args); err != nil {
		return err
	}
	if *pubFile == "" {
		*pubFile = *keyFile + ".pub"
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return err
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		return err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		return err
	}
	if _, err := os.Stat(*pubFile); err == nil {
		return usagef("%s exists: keygen never overwrites a key", *pubFile)
	}
	if err := writeNew(*keyFile, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER})); err != nil {
		return err
	}
	if err := writeNew(*pubFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER})); err != nil {
		os.Remove(*keyFile) // a private key without its public key is of no use
		return err
	}
	fmt.Fprintf(c.stdout, "key %s: private key in %s (keep it off the journal's machines), public key in %s\n",
		timeline.PublicKeyID(pub), *keyFile, *pubFile)
	return nil
}

// writeNew writes data to a new file readable by its owner only.
func writeNew(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return usagef("%s exists: keygen never overwrites a key", path)
	}
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		os.Remove(path)
		return err
	}
	return f.Close()
}

func (c *cli) checkpoint(args []string) error {
	fs := c.newFlags("checkpoint", "-key KEYFILE [-o FILE]")
	keyFile := fs.String("key", "", "sign with the Ed25519 private key in this PEM `file` (required)")
	out := fs.String("o", "", "write the checkpoint to this `file` (default: standard output)")
	if err := fs.parseNone(args); err != nil {
		return err
	}
	if *keyFile == "" {
		return usagef("-key is required: the private key file to sign with (journal keygen writes one)")
	}
	priv, err := readPrivateKey(*keyFile)
	if err != nil {
		return err
	}
	hkey, err := fs.key(c.env)
	if err != nil {
		return err
	}
	// Sign only a head whose chain verified: a checkpoint vouches for
	// everything before it.
	n, head, err := c.verifyChain(fs, hkey)
	if err != nil {
		if e := missing(err, fs.file); e != err {
			return e
		}
		return explainOpen(err, hkey)
	}
	if n == 0 {
		return errors.New("the journal is empty: no head to sign")
	}
	cp, err := timeline.SignCheckpoint(timeline.Checkpoint{Record: fs.record, Seq: uint64(n), Hash: head, At: c.now()}, priv)
	if err != nil {
		return err
	}
	text, err := cp.MarshalText()
	if err != nil {
		return err
	}
	if *out == "" {
		_, err := c.stdout.Write(text)
		return err
	}
	if err := writeReplace(*out, text); err != nil {
		return err
	}
	fmt.Fprintf(c.stdout, "checkpoint of seq %d, head %s, signed by key %s: %s\n", cp.Seq, cp.Hash, cp.KeyID, *out)
	return nil
}

// writeReplace writes data to path through a temporary file renamed over
// it, so that a reader sees the old checkpoint or the new one, whole.
func writeReplace(path string, data []byte) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".checkpoint-*")
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(0o644)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(f.Name(), path)
	}
	if err != nil {
		os.Remove(f.Name())
	}
	return err
}

// verifyCheckpoint checks the journal against the checkpoint in cpFile,
// signed by the public key in pubFile, and says how far it vouches.
func (c *cli) verifyCheckpoint(fs *flags, key []byte, cpFile, pubFile string) error {
	if cpFile == "" || pubFile == "" {
		return usagef("-checkpoint and -pub go together: the checkpoint and the public key of its signer")
	}
	pub, err := readPublicKey(pubFile)
	if err != nil {
		return err
	}
	if err := regular(cpFile); err != nil {
		return usagef("-checkpoint: %v", err)
	}
	text, err := os.ReadFile(cpFile)
	if err != nil {
		return usagef("-checkpoint: %v", err)
	}
	cp, err := timeline.ParseCheckpoint(text)
	if err != nil {
		return fmt.Errorf("%s: %w", cpFile, err)
	}
	n, head, err := c.verifyAgainst(fs, key, cp, pub)
	if err != nil {
		if e := missing(err, fs.file); e != err {
			return e
		}
		return explainOpen(err, key)
	}
	fmt.Fprintf(c.stdout, "ok: %d entries, head %s\n", n, head)
	fmt.Fprintf(c.stdout, "checkpoint ok: seq %d, signed by key %s at %s, is in the journal", cp.Seq, cp.KeyID, cp.At.Format(time.RFC3339))
	if after := uint64(n) - cp.Seq; after > 0 {
		fmt.Fprintf(c.stdout, "; the %d entries after it are only as safe as the chain", after)
	}
	fmt.Fprintln(c.stdout)
	return nil
}

// verifyAgainst checks the journal the command works on against cp.
func (c *cli) verifyAgainst(fs *flags, key []byte, cp timeline.Checkpoint, pub ed25519.PublicKey) (int, string, error) {
	if fs.postgres == "" {
		if err := regular(fs.file); err != nil {
			return 0, "", err
		}
		return timeline.VerifyFileAgainst(fs.file, key, fs.record, cp, pub)
	}
	entries, err := c.entries(fs)
	if err != nil {
		return 0, "", err
	}
	if err := timeline.VerifyAgainst(entries, key, fs.record, cp, pub); err != nil {
		return 0, "", err
	}
	if len(entries) == 0 {
		return 0, "", nil
	}
	return len(entries), entries[len(entries)-1].Hash, nil
}

// readPrivateKey reads an Ed25519 private key from a PEM file (PKCS #8).
func readPrivateKey(path string) (ed25519.PrivateKey, error) {
	der, err := readPEM(path, "-key", "PRIVATE KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKCS8PrivateKey(der)
	if err != nil {
		return nil, usagef("-key %s: %v", path, err)
	}
	priv, ok := k.(ed25519.PrivateKey)
	if !ok {
		return nil, usagef("-key %s: not an Ed25519 key (%T)", path, k)
	}
	return priv, nil
}

// readPublicKey reads an Ed25519 public key from a PEM file (PKIX).
func readPublicKey(path string) (ed25519.PublicKey, error) {
	der, err := readPEM(path, "-pub", "PUBLIC KEY")
	if err != nil {
		return nil, err
	}
	k, err := x509.ParsePKIXPublicKey(der)
	if err != nil {
		return nil, usagef("-pub %s: %v", path, err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return nil, usagef("-pub %s: not an Ed25519 key (%T)", path, k)
	}
	return pub, nil
}

// readPEM returns the bytes of the one PEM block of type typ in the file
// at path, given by flag.
func readPEM(path, flag, typ string) ([]byte, error) {
	if err := regular(path); err != nil {
		return nil, usagef("%s: %v", flag, err)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, usagef("%s: %v", flag, err)
	}
	b, rest := pem.Decode(data)
	if b == nil || b.Type != typ {
		return nil, usagef("%s %s: want a PEM %q block (journal keygen writes one)", flag, path, typ)
	}
	if len(bytes.TrimSpace(rest)) > 0 {
		return nil, usagef("%s %s: more than one PEM block", flag, path)
	}
	return b.Bytes, nil
}
