package timeline_test

import (
	"crypto/ed25519"
	"errors"
	"fmt"
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
