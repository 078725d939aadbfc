package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// room is what the page shows of one record, shared by every client: a
// fold of the record updated by each new entry only (the count, the head,
// the latest entries, the headline's tally and, for a project's record,
// mep's fold), the source's last error, and whether the record broke.
// Readers wait on the channel [room.wait] returns.
//
// room is safe for simultaneous use by multiple goroutines.
type room struct {
	mu      sync.Mutex
	key     []byte // HMAC key of a keyed chain; nil: SHA-256
	v       *timeline.Verifier
	count   uint64 // entries held: the seq of the head
	head    string // the head's hash
	latest  []timeline.Entry
	tally   tally
	mep     *mepFold // non-nil for a project's record written by mep
	err     error    // the source's last error; nil once it reads again
	broken  *breakage
	cps     []seenCheckpoint
	version uint64        // incremented at each change
	changed chan struct{} // closed and replaced at each change
	now     func() time.Time
}

// breakage says why the page no longer trusts the record: the seq at
// fault and what is wrong. Once broken, a room takes no more entries.
type breakage struct {
	Seq    uint64
	Reason string
}

func (b *breakage) String() string {
	return "the record is broken at seq " + strconv.FormatUint(b.Seq, 10) + ": " + b.Reason
}

// seenCheckpoint is a signed checkpoint the room was given, with the key
// that signed it.
type seenCheckpoint struct {
	cp     timeline.Checkpoint
	pub    ed25519.PublicKey
	record string
}

// newRoom returns the room of an empty record chained with key (nil:
// SHA-256), whose project, if it is one, reads the clock now.
func newRoom(key []byte, now func() time.Time) *room {
	return &room{key: key, v: timeline.NewVerifier(key), changed: make(chan struct{}), now: now}
}

// changedLocked wakes the readers. Requires r.mu held.
func (r *room) changedLocked() {
	r.version++
	close(r.changed)
	r.changed = make(chan struct{})
}

// wait returns the channel closed at the next change, and the version of
// the room it is the next change of.
func (r *room) wait() (<-chan struct{}, uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.changed, r.version
}

// add folds news, the entries that follow those held. An entry that does
// not continue the chain, or that is not the head a checkpoint vouches
// for, breaks the room; the entries before it are kept.
func (r *room) add(news []timeline.Entry) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.broken != nil {
		return
	}
	n := 0
	for i := range news {
		e := &news[i]
		if err := r.v.Add(*e); err != nil {
			r.breakLocked(err, r.count+1)
			break
		}
		if err := r.checkpointsHold(e); err != nil {
			r.breakLocked(err, e.Seq)
			break
		}
		r.count, r.head = e.Seq, e.Hash
		r.tally.add(e)
		r.latest = append(r.latest, *e)
		n++
	}
	if len(r.latest) > 2*latestCount {
		r.latest = append(r.latest[:0:0], r.latest[len(r.latest)-latestCount:]...)
	}
	if n > 0 {
		if r.count == uint64(n) {
			r.mep = newMepFold(news[:n], r.now, r.key)
		} else if r.mep != nil {
			r.mep.add(news[:n])
		}
	}
	if n > 0 || r.err != nil {
		r.err = nil
		r.changedLocked()
	}
}

// checkpointsHold checks e against the checkpoints seen: the entry at a
// checkpoint's seq must have its hash. Requires r.mu held.
func (r *room) checkpointsHold(e *timeline.Entry) error {
	for _, c := range r.cps {
		if c.cp.Seq == e.Seq && c.cp.Hash != e.Hash {
			return &timeline.TamperError{Seq: e.Seq, Index: int(e.Seq - 1), Reason: fmt.Sprintf(
				"hash %.16s… is not the hash %.16s… that checkpoint key %s signed: an entry at or before seq %d was rewritten, or the record forked",
				e.Hash, c.cp.Hash, c.cp.KeyID, e.Seq)}
		}
	}
	return nil
}

// breakLocked marks the room broken by err, at the seq a TamperError or
// a KeyError names, else at seq. Requires r.mu held.
func (r *room) breakLocked(err error, seq uint64) {
	if te, ok := errors.AsType[*timeline.TamperError](err); ok && te.Seq > 0 {
		seq = te.Seq
	} else if ke, ok := errors.AsType[*timeline.KeyError](err); ok && ke.Seq > 0 {
		seq = ke.Seq
	}
	r.broken = &breakage{Seq: seq, Reason: err.Error()}
	r.changedLocked()
}

// breakAt marks the room broken at seq for reason.
func (r *room) breakAt(seq uint64, reason string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.broken != nil {
		return
	}
	r.broken = &breakage{Seq: seq, Reason: reason}
	r.changedLocked()
}

// tampered marks the room broken by err, an error of the source that
// wraps timeline.ErrTampered: at the seq a TamperError names, else at the
// entry after those held.
func (r *room) tampered(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.broken != nil {
		return
	}
	r.breakLocked(err, r.count+1)
}

// shrunk reports that the source now holds only n entries: fewer than the
// room has shown is a record cut from its end.
func (r *room) shrunk(n uint64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.broken != nil || n >= r.count {
		return
	}
	r.broken = &breakage{Seq: n + 1, Reason: fmt.Sprintf("the record shrank: it held %d entries, it now holds %d; entries were cut from its end", r.count, n)}
	r.changedLocked()
}

// audit checks a whole new read of the record: its chain verifies, it
// holds the head the room had shown when the read began (seen, head: see
// headOf; entries that arrive meanwhile are checked by the next audit),
// and it holds the head of each checkpoint seen. A record that fails is a
// broken room. It returns the entries after those the room holds, for add.
func (r *room) audit(entries []timeline.Entry, seen uint64, head string) []timeline.Entry {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.broken != nil {
		return nil
	}
	if err := timeline.Verify(entries, r.key); err != nil {
		r.breakLocked(err, 1) // a failure that names no seq: the record, from its start
		return nil
	}
	for _, c := range r.cps {
		if err := timeline.VerifyAgainst(entries, r.key, c.record, c.cp, c.pub); err != nil {
			r.breakLocked(err, c.cp.Seq)
			return nil
		}
	}
	n := uint64(len(entries))
	switch {
	case n < seen:
		r.broken = &breakage{Seq: n + 1, Reason: fmt.Sprintf("the record shrank: it held %d entries, it now holds %d; entries were cut from its end", seen, n)}
	case seen > 0 && entries[seen-1].Hash != head:
		r.broken = &breakage{Seq: seen, Reason: fmt.Sprintf("seq %d no longer has the hash this page showed (%.16s…, now %.16s…): an entry at or before it was rewritten, or the record forked", seen, head, entries[seen-1].Hash)}
	default:
		return entries[min(n, r.count):]
	}
	r.changedLocked()
	return nil
}

// fail records an error of the source, keeping what it holds.
func (r *room) fail(err error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil && err != nil && r.err.Error() == err.Error() {
		return
	}
	r.err = err
	r.changedLocked()
}

// addCheckpoint makes the room hold the record to cp, signed by pub, for
// the record named record. A checkpoint that does not verify is an error.
// The entries held already must hold its head.
func (r *room) addCheckpoint(cp timeline.Checkpoint, pub ed25519.PublicKey, record string) error {
	if err := cp.Verify(pub); err != nil {
		return err
	}
	if cp.Record != record {
		return fmt.Errorf("the checkpoint is of record %q, not of %q", cp.Record, record)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	r.cps = append(r.cps, seenCheckpoint{cp: cp, pub: pub, record: record})
	return nil
}

// held returns the number of entries held.
func (r *room) held() uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count
}

// headOf returns the seq and hash of the head held, and whether the room
// is broken.
func (r *room) headOf() (uint64, string, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.count, r.head, r.broken != nil
}

// checkpointBeyond returns the highest seq a checkpoint seen vouches for
// above seq, 0 if none does.
func (r *room) checkpointBeyond(seq uint64) uint64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out uint64
	for _, c := range r.cps {
		if c.cp.Seq > seq {
			out = max(out, c.cp.Seq)
		}
	}
	return out
}
