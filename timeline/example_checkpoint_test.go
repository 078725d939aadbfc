package timeline_test

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// The signer's key pair. A real key comes from ed25519.GenerateKey and
// lives away from the machines that store the journal.
var (
	exampleSeed = []byte("a fixed seed for the examples 32")
	examplePriv = ed25519.NewKeyFromSeed(exampleSeed)
	examplePub  = examplePriv.Public().(ed25519.PublicKey)
)

// exampleJournal records three entries on a fixed clock.
func exampleJournal() *timeline.Journal {
	t0 := time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC)
	j := timeline.New(&timeline.Options{Now: clockFrom(t0, time.Minute, 20*time.Minute)})
	j.Note("alice", "GO given by operations")
	j.Start("migrate", "alice", timeline.Outage)
	j.End("migrate", "alice", timeline.Done)
	return j
}

func ExampleSignCheckpoint() {
	j := exampleJournal()
	seq, hash := j.Head()
	cp, err := timeline.SignCheckpoint(timeline.Checkpoint{
		Record: "cutover-2026-11",
		Seq:    seq,
		Hash:   hash,
		At:     time.Date(2026, 11, 24, 19, 30, 0, 0, time.UTC),
	}, examplePriv)
	if err != nil {
		fmt.Println(err)
		return
	}
	text, _ := cp.MarshalText()
	fmt.Print(string(text))
	// Output:
	// mepkit/timeline/checkpoint/v1
	// record "cutover-2026-11"
	// seq 3
	// hash 18870c23c5cec54788470743393979f04ff0bcdf2112e46dd350b14a2434bb84
	// at 2026-11-24T19:30:00Z
	//
	// — 7f4d9fe0 WfVJoHG1oREKZPUl1zHFKMaUiQL65+ftmhdUCqhZhBuJuTYqRuxWQiRe0TVIvGgc8hMr/lWBmM9YKrEYVim2DQ==
}

func ExampleVerifyAgainst() {
	j := exampleJournal()
	seq, hash := j.Head()
	cp, _ := timeline.SignCheckpoint(timeline.Checkpoint{Seq: seq, Hash: hash, At: time.Date(2026, 11, 24, 19, 30, 0, 0, time.UTC)}, examplePriv)

	// Later entries are fine.
	j.Note("bob", "smoke tests green")
	fmt.Println(timeline.VerifyAgainst(j.Entries(), nil, "", cp, examplePub))

	// Cutting the last entries passes Verify, not VerifyAgainst.
	cut := j.Entries()[:2]
	fmt.Println(timeline.Verify(cut, nil))
	err := timeline.VerifyAgainst(cut, nil, "", cp, examplePub)
	var te *timeline.TamperError
	if errors.As(err, &te) {
		fmt.Println("tampered at seq", te.Seq)
	}
	// Output:
	// <nil>
	// <nil>
	// tampered at seq 3
}

func ExampleParseCheckpoint() {
	j := exampleJournal()
	seq, hash := j.Head()
	cp, _ := timeline.SignCheckpoint(timeline.Checkpoint{Seq: seq, Hash: hash, At: time.Date(2026, 11, 24, 19, 30, 0, 0, time.UTC)}, examplePriv)
	text, _ := cp.MarshalText()

	read, err := timeline.ParseCheckpoint(text)
	fmt.Println(read.Seq, read.At, err)
	fmt.Println(read.Verify(examplePub))

	_, other, _ := ed25519.GenerateKey(nil)
	fmt.Println(errors.Is(read.Verify(other.Public().(ed25519.PublicKey)), timeline.ErrCheckpoint))
	// Output:
	// 3 2026-11-24 19:30:00 +0000 UTC <nil>
	// <nil>
	// true
}

func ExamplePublicKeyID() {
	fmt.Println(timeline.PublicKeyID(examplePub))
	// Output:
	// 7f4d9fe0
}

func ExampleVerifyFileAgainst() {
	dir, _ := os.MkdirTemp("", "journal")
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "cutover.jsonl")
	t0 := time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC)
	j, err := timeline.Open(path, &timeline.Options{Now: clockFrom(t0, time.Minute)})
	if err != nil {
		fmt.Println(err)
		return
	}
	j.Note("alice", "GO given by operations")
	j.Note("alice", "rollback: the database did not start")
	seq, hash := j.Head()
	j.Close()
	cp, _ := timeline.SignCheckpoint(timeline.Checkpoint{Seq: seq, Hash: hash, At: t0.Add(time.Hour)}, examplePriv)

	// Whoever can write the file drops the last line.
	data, _ := os.ReadFile(path)
	first, _, _ := bytes.Cut(data, []byte("\n"))
	os.WriteFile(path, append(first, '\n'), 0o600)

	n, _, err := timeline.VerifyFile(path, nil)
	fmt.Println(n, err)
	n, _, err = timeline.VerifyFileAgainst(path, nil, "", cp, examplePub)
	fmt.Println(n, errors.Is(err, timeline.ErrTampered))
	// Output:
	// 1 <nil>
	// 1 true
}

func ExampleCheckpoint_Verify() {
	j := exampleJournal()
	seq, hash := j.Head()
	cp, _ := timeline.SignCheckpoint(timeline.Checkpoint{Seq: seq, Hash: hash, At: time.Date(2026, 11, 24, 19, 30, 0, 0, time.UTC)}, examplePriv)
	fmt.Println(cp.Verify(examplePub))

	cp.Seq-- // moved back to hide the last entry
	fmt.Println(cp.Verify(examplePub))
	// Output:
	// <nil>
	// timeline: invalid checkpoint for seq 2: the signature of key 7f4d9fe0 does not verify: the checkpoint was altered or forged
}
