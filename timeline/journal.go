package timeline

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime"
	"slices"
	"sort"
	"sync"
	"time"
)

// Options configure a journal. A nil *Options, like the zero value, means
// the defaults. A journal copies what it needs and never modifies Options.
type Options struct {
	Now    func() time.Time // clock for entries recorded without a time; nil: time.Now
	Key    []byte           // non-nil: HMAC-SHA256 chain with this key instead of SHA-256
	NoSync bool             // file journals: skip fsync (tests, rehearsals on a laptop)
	Logger *slog.Logger     // each recorded entry is also logged at Info; nil: silent
}

// Journal is an append-only, hash-chained record of what happens during a
// rehearsal or a cutover (rules R5 and R10 of the method).
//
// Entries get sequence numbers 1, 2, 3, ... in the order Record accepts
// them. Record validates each entry against those before it: a step ends
// only while an attempt of it runs, and a step started again after its end
// is a new attempt.
//
// A journal made by [New] lives in memory; one made by [Open] or
// [OpenStore] is durable: Record returns only once the entry is stored, and
// concurrent Records share the storage's syncs (group commit).
//
// Journal is safe for simultaneous use by multiple goroutines.
type Journal struct {
	mu   sync.Mutex
	cond sync.Cond // signalled when a flush ends; L is &mu

	now    func() time.Time
	logger *slog.Logger

	chain   *chain
	steps   steps
	seq     uint64    // last sequence number assigned
	lastAt  time.Time // time of the last entry assigned
	entries entryLog  // durable entries (all of them, in memory)

	store     Store   // nil: in memory only
	pending   []Entry // assigned, not yet stored
	spare     []Entry // recycled batch buffer
	flushing  bool    // a goroutine is storing a batch
	lastBatch int     // entries in the last batch stored
	durable   uint64  // last sequence number stored
	failed    error   // sticky storage error
	closed    bool

	recovery Recovery
}

// New returns an empty journal kept in memory.
func New(opts *Options) *Journal {
	j := &Journal{}
	j.init(opts)
	return j
}

func (j *Journal) init(opts *Options) {
	var o Options
	if opts != nil {
		o = *opts
	}
	j.now = o.Now
	if j.now == nil {
		j.now = time.Now
	}
	j.logger = o.Logger
	var key []byte
	if o.Key != nil {
		key = slices.Clone(o.Key)
		if key == nil {
			key = []byte{}
		}
	}
	j.chain = newChain(key)
	j.steps = steps{}
	j.cond.L = &j.mu
}

// OpenStore returns a journal that keeps its entries in s. It loads what s
// holds, verifies the hash chain (with opts.Key) and the order of steps, and
// continues the chain. On error the store is left open and unchanged; the
// caller closes it. Closing the journal closes the store.
func OpenStore(s Store, opts *Options) (*Journal, error) {
	j := &Journal{}
	j.init(opts)
	loaded, err := s.Load()
	if err != nil {
		return nil, err
	}
	if err := j.replay(loaded); err != nil {
		return nil, err
	}
	j.store = s
	return j, nil
}

// replay verifies loaded entries and makes them the journal's history.
func (j *Journal) replay(loaded []Entry) error {
	for i := range loaded {
		e := &loaded[i]
		if e.Seq != uint64(i)+1 {
			return &TamperError{Seq: uint64(i) + 1, Index: i, Reason: fmt.Sprintf("found seq %d (an entry was inserted, deleted or moved)", e.Seq)}
		}
		if got := j.chain.next(e); got != e.Hash {
			return &TamperError{Seq: e.Seq, Index: i, Reason: "hash does not match the entry and its predecessor"}
		}
		if err := j.steps.check(e); err != nil {
			return err
		}
		j.chain.advance()
		j.steps.apply(e)
		if e.At.After(j.lastAt) {
			j.lastAt = e.At
		}
	}
	j.entries.adopt(loaded)
	j.seq = uint64(len(loaded))
	j.durable = j.seq
	return nil
}

// Record appends e to the journal and returns it as stored, with Seq and
// Hash set. A zero At is taken from the clock, never earlier than the
// journal's latest entry (so a clock stepping back keeps time order); an At
// given by the caller is kept as is, stripped of its monotonic reading.
//
// Record returns an [*EntryError] for an entry that breaks the rules (an
// unknown kind, an end without a running start, ...) and leaves the journal
// unchanged. For a durable journal, Record returns once e is stored; a
// storage error is returned to every waiting and later Record, since what
// is stored can no longer be known: reopen the journal to continue. After
// Close, Record returns ErrClosed.
func (j *Journal) Record(e Entry) (Entry, error) {
	j.mu.Lock()
	if j.closed {
		j.mu.Unlock()
		return Entry{}, ErrClosed
	}
	if j.failed != nil {
		err := j.failed
		j.mu.Unlock()
		return Entry{}, err
	}
	e.Seq = j.seq + 1
	if e.At.IsZero() {
		e.At = j.now().Round(0)
		if e.At.Before(j.lastAt) {
			e.At = j.lastAt
		}
	} else {
		e.At = e.At.Round(0)
	}
	if err := j.steps.check(&e); err != nil {
		j.mu.Unlock()
		return Entry{}, err
	}
	if len(e.Attrs) == 0 {
		e.Attrs = nil
	} else {
		e = e.clone()
	}
	e.Hash = j.chain.next(&e)
	j.chain.advance()
	j.steps.apply(&e)
	j.seq = e.Seq
	if e.At.After(j.lastAt) {
		j.lastAt = e.At
	}
	if j.store == nil {
		j.entries.append(e)
		j.durable = e.Seq
	} else if err := j.flushUntil(e); err != nil {
		j.mu.Unlock()
		return Entry{}, err
	}
	j.mu.Unlock()
	if j.logger != nil {
		j.log(e)
	}
	return e.clone(), nil
}

// flushUntil queues e and returns once it is stored. Whoever finds no
// flush running stores every queued entry in one batch, so concurrent
// writers share one sync. Requires j.mu held; releases it while storing.
func (j *Journal) flushUntil(e Entry) error {
	j.pending = append(j.pending, e)
	for j.durable < e.Seq && j.failed == nil {
		if j.flushing {
			j.cond.Wait()
			continue
		}
		if j.lastBatch > 1 {
			// Writers just released by the last flush are about to queue
			// their next entries: let them, so this sync covers them too.
			j.mu.Unlock()
			runtime.Gosched()
			j.mu.Lock()
			if j.flushing || j.durable >= e.Seq || j.failed != nil {
				continue
			}
		}
		batch := j.pending
		j.pending = j.spare[:0]
		j.flushing = true
		j.mu.Unlock()
		err := j.store.Append(batch)
		j.mu.Lock()
		j.flushing = false
		if err != nil {
			j.failed = fmt.Errorf("timeline: journal unusable after a storage error: %w", err)
		} else {
			for _, e := range batch {
				j.entries.append(e)
			}
			j.durable = batch[len(batch)-1].Seq
		}
		j.lastBatch = len(batch)
		clear(batch)
		j.spare = batch[:0]
		j.cond.Broadcast()
	}
	if j.durable < e.Seq {
		return j.failed
	}
	return nil
}

func (j *Journal) log(e Entry) {
	attrs := make([]slog.Attr, 0, 8)
	attrs = append(attrs, slog.Uint64("seq", e.Seq), slog.Time("at", e.At), slog.String("kind", e.Kind))
	if e.Step != "" {
		attrs = append(attrs, slog.String("step", e.Step))
	}
	if e.Actor != "" {
		attrs = append(attrs, slog.String("actor", e.Actor))
	}
	if e.Text != "" {
		attrs = append(attrs, slog.String("text", e.Text))
	}
	if e.Kind == KindStart {
		attrs = append(attrs, slog.String("impact", e.Impact.String()))
	}
	if e.Kind == KindEnd {
		attrs = append(attrs, slog.String("outcome", e.Outcome.String()))
	}
	for _, k := range sortedKeys(e.Attrs) {
		attrs = append(attrs, slog.String(k, e.Attrs[k]))
	}
	j.logger.LogAttrs(context.Background(), slog.LevelInfo, "timeline: "+e.Kind, attrs...)
}

// Start records that step starts, with what it does to users.
func (j *Journal) Start(step, actor string, impact Impact) (Entry, error) {
	return j.Record(Entry{Kind: KindStart, Step: step, Actor: actor, Impact: impact})
}

// End records that the running attempt of step ends with outcome.
func (j *Journal) End(step, actor string, outcome Outcome) (Entry, error) {
	return j.Record(Entry{Kind: KindEnd, Step: step, Actor: actor, Outcome: outcome})
}

// Note records free text from actor.
func (j *Journal) Note(actor, text string) (Entry, error) {
	return j.Record(Entry{Kind: KindNote, Actor: actor, Text: text})
}

// Entries returns a copy of the stored entries, in sequence order.
func (j *Journal) Entries() []Entry {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.entries.all()
}

// Len returns the number of stored entries.
func (j *Journal) Len() int {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.entries.len()
}

// Head returns the sequence number and hash of the last stored entry, or
// 0 and "" for an empty journal. Keeping them elsewhere lets a later
// Verify detect entries removed from the end.
func (j *Journal) Head() (seq uint64, hash string) {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.entries.len() == 0 {
		return 0, ""
	}
	last := j.entries.last()
	return last.Seq, last.Hash
}

// Running returns the steps with an attempt started and not ended, sorted.
func (j *Journal) Running() []string {
	j.mu.Lock()
	defer j.mu.Unlock()
	var out []string
	for name, st := range j.steps {
		if st.open {
			out = append(out, name)
		}
	}
	sort.Strings(out)
	return out
}

// Recovery reports what Open repaired when it loaded the file: the zero
// value when nothing was.
func (j *Journal) Recovery() Recovery {
	j.mu.Lock()
	defer j.mu.Unlock()
	return j.recovery
}

// Close waits for Records in progress to be stored, closes the store and
// makes later Records fail with ErrClosed. It returns the storage error that
// made the journal unusable, if any, joined with the store's own. Closing a
// closed journal returns nil.
func (j *Journal) Close() error {
	j.mu.Lock()
	if j.closed {
		j.mu.Unlock()
		return nil
	}
	j.closed = true
	for j.flushing || (j.durable < j.seq && j.failed == nil) {
		j.cond.Wait()
	}
	s, failed := j.store, j.failed
	j.mu.Unlock()
	if s != nil {
		return errors.Join(failed, s.Close())
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
