package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"runtime/debug"
	"time"

	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// pollInterval is how often a file record is checked for changes.
const pollInterval = 100 * time.Millisecond

// fileFollower reads a journal file as it grows: only the complete lines
// after those already read (a last line being written waits for the
// next read). A file that shrinks or changes without growing is read and
// verified whole (see room.audit), and so is the whole file every audit.
type fileFollower struct {
	path    string
	r       *room
	off     int64 // bytes of complete lines read
	size    int64 // the size at the last read; -1: not read
	mod     time.Time
	audited time.Time
}

// followFile follows the journal file at path into r until ctx ends,
// reading and verifying it whole every audit (0: only when it changes
// other than by growing). A missing file is waited for.
func followFile(ctx context.Context, path string, r *room, audit time.Duration) {
	f := &fileFollower{path: path, r: r, size: -1, audited: time.Now()}
	t := time.NewTicker(pollInterval)
	defer t.Stop()
	for {
		f.poll(audit)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// poll reads what changed since the last poll.
func (f *fileFollower) poll(audit time.Duration) {
	fi, err := os.Stat(f.path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		if f.r.held() > 0 {
			f.r.shrunk(0)
			return
		}
		f.r.fail(fmt.Errorf("waiting for the journal file %s", f.path))
		return
	case err != nil:
		f.r.fail(err)
		return
	}
	first := f.size < 0
	if first {
		f.size, f.mod = fi.Size(), fi.ModTime()
		f.whole() // checks the checkpoints seen, a tail read could not
		return
	}
	grew := fi.Size() > f.size
	changed := fi.Size() != f.size || !fi.ModTime().Equal(f.mod)
	due := audit > 0 && time.Since(f.audited) >= audit
	f.size, f.mod = fi.Size(), fi.ModTime()
	switch {
	case changed && !grew || due || fi.Size() < f.off:
		f.whole()
	case changed:
		if err := f.tail(); err != nil {
			f.whole() // a line that does not decode where one should start
		}
	}
}

// tail reads the complete lines after those read.
func (f *fileFollower) tail() error {
	file, err := os.Open(f.path)
	if err != nil {
		return err
	}
	defer file.Close()
	data, err := io.ReadAll(io.NewSectionReader(file, f.off, 1<<62))
	if err != nil {
		return err
	}
	complete := data[:bytes.LastIndexByte(data, '\n')+1]
	if len(complete) == 0 {
		return nil
	}
	news, err := timeline.Read(bytes.NewReader(complete))
	if err != nil {
		return err
	}
	f.off += int64(len(complete))
	f.r.add(news)
	released(len(news))
	return nil
}

// whole reads and verifies the whole file against what the page showed. A
// complete line that does not decode breaks the room at its seq.
func (f *fileFollower) whole() {
	f.audited = time.Now()
	data, err := os.ReadFile(f.path)
	if err != nil {
		f.r.fail(err)
		return
	}
	complete := data[:bytes.LastIndexByte(data, '\n')+1]
	entries, err := timeline.Read(bytes.NewReader(complete))
	if err != nil {
		// A complete line that is not an entry: the record fails its
		// verification there (a line being written has no newline yet).
		// The entries before it are shown, once they verify.
		seq := uint64(len(entries) + 1)
		if seen, head, _ := f.r.headOf(); seq > seen {
			f.r.add(f.r.audit(entries, seen, head))
		}
		f.r.breakAt(seq, err.Error())
		return
	}
	f.off = int64(len(complete))
	seen, head, _ := f.r.headOf() // this goroutine alone adds to the room
	f.r.add(f.r.audit(entries, seen, head))
	released(len(entries))
}

// released returns the memory of a large read to the system once the
// room has folded it: the entries of a whole record are garbage then,
// and the server's memory is what the room and its clients hold.
func released(n int) {
	if n >= 10000 {
		debug.FreeOSMemory()
	}
}

// headPoll is how often a PostgreSQL record is checked for a head that
// moved back or changed under the page.
const headPoll = 2 * time.Second

// followPostgres follows the record of st until ctx ends, showing errors
// while it reconnects. The room verifies the chain as entries arrive: an
// entry that does not continue it breaks the page, and so does Follow's
// refusal of a record cut below, rewritten or forked under the entries it
// delivered (a *timeline.TamperError naming the seq), and a row that is
// not an entry (a *pgstore.RowError). Every headPoll it
// checks that the record still holds the head the page shows, and every
// audit (0: never) it reads and verifies the record whole.
func followPostgres(ctx context.Context, db *pgstore.DB, st *pgstore.Store, r *room, audit time.Duration) {
	go watchHead(ctx, st, r, audit)
	for ctx.Err() == nil {
		if _, _, broken := r.headOf(); broken {
			<-ctx.Done()
			return
		}
		err := db.Follow(ctx, st.Record(), r.held(), func(es []timeline.Entry) error {
			r.add(es)
			released(len(es))
			return nil
		})
		if ctx.Err() != nil {
			return
		}
		if errors.Is(err, timeline.ErrTampered) {
			// Cut below what it delivered, rewritten or forked: the
			// page is red, not an error of a source still live. A cut
			// is named as the head check names it: how many entries
			// the record still holds, and the first one missing.
			if seq, _, _ := r.headOf(); seq > 0 {
				if _, last, err := st.HashAt(ctx, seq); err == nil && last < seq {
					r.shrunk(last)
				}
			}
		}
		if refused(r, err) {
			continue
		}
		r.fail(err)
		select {
		case <-ctx.Done():
		case <-time.After(2 * time.Second):
		}
	}
}

// watchHead checks the head of the record in PostgreSQL against the one
// the room holds, and audits it whole every audit (0: never).
func watchHead(ctx context.Context, st *pgstore.Store, r *room, audit time.Duration) {
	t := time.NewTicker(headPoll)
	defer t.Stop()
	audited := time.Now()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		seq, head, broken := r.headOf()
		if broken {
			return
		}
		if audit > 0 && time.Since(audited) >= audit {
			audited = time.Now()
			// Follow may add entries while the record loads: the read
			// is checked against the head shown when it began.
			entries, err := st.LoadContext(ctx)
			if err == nil {
				r.audit(entries, seq, head) // what is new, Follow delivers
				released(len(entries))
			} else if refused(r, err) {
				return
			}
			continue
		}
		if cut := r.checkpointBeyond(seq); cut > 0 {
			if _, last, err := st.HashAt(ctx, cut); err == nil && last < cut {
				r.breakAt(last+1, fmt.Sprintf("missing: the record ends at seq %d but a checkpoint signed seq %d: entries were cut from its end", last, cut))
				return
			}
		}
		if seq == 0 {
			continue
		}
		hash, last, err := st.HashAt(ctx, seq)
		switch {
		case err != nil:
			continue // Follow shows the connection's errors
		case last < seq:
			r.shrunk(last)
		case hash != head:
			r.breakAt(seq, fmt.Sprintf("seq %d no longer has the hash this page showed (%.16s…, now %.16s…): an entry at or before it was rewritten, or the record forked", seq, head, hash))
		}
	}
}

// refused breaks r if err, of a read of the PostgreSQL record, says the
// record fails its verification: a row that is not an entry (a
// *pgstore.RowError), or one that does not hold what it should (wrapping
// timeline.ErrTampered). It reports whether it did; other errors, such
// as a lost connection, are the source's, for r.fail.
func refused(r *room, err error) bool {
	if re, ok := errors.AsType[*pgstore.RowError](err); ok {
		r.breakAt(re.Seq, err.Error())
		return true
	}
	if errors.Is(err, timeline.ErrTampered) {
		r.tampered(err)
		return true
	}
	return false
}

// readCheckpoint reads a signed checkpoint and the PEM public key of its
// signer.
func readCheckpoint(cpFile, pubFile string) (timeline.Checkpoint, ed25519.PublicKey, error) {
	text, err := os.ReadFile(cpFile)
	if err != nil {
		return timeline.Checkpoint{}, nil, fmt.Errorf("-checkpoint: %w", err)
	}
	cp, err := timeline.ParseCheckpoint(text)
	if err != nil {
		return timeline.Checkpoint{}, nil, fmt.Errorf("-checkpoint %s: %w", cpFile, err)
	}
	data, err := os.ReadFile(pubFile)
	if err != nil {
		return timeline.Checkpoint{}, nil, fmt.Errorf("-pub: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PUBLIC KEY" {
		return timeline.Checkpoint{}, nil, fmt.Errorf("-pub %s: not a PEM PUBLIC KEY", pubFile)
	}
	k, err := x509.ParsePKIXPublicKey(block.Bytes)
	if err != nil {
		return timeline.Checkpoint{}, nil, fmt.Errorf("-pub %s: %w", pubFile, err)
	}
	pub, ok := k.(ed25519.PublicKey)
	if !ok {
		return timeline.Checkpoint{}, nil, fmt.Errorf("-pub %s: not an Ed25519 key (%T)", pubFile, k)
	}
	return cp, pub, nil
}
