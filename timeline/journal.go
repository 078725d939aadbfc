package timeline

import (
	"errors"
	"log/slog"
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
// The zero Journal is an empty in-memory journal with the defaults of
// New(nil): it records and verifies like one.
//
// Journal is safe for simultaneous use by multiple goroutines.
type Journal struct {
	mu   sync.Mutex
	cond sync.Cond // signalled when a flush or a refresh ends; L is &mu

	now    func() time.Time
	logger *slog.Logger
	key    []byte // nil: SHA-256 chain

	chain   *chain // nil until init
	steps   steps
	seq     uint64    // last sequence number assigned
	lastAt  time.Time // time of the last entry assigned
	entries entryLog  // durable entries (all of them, in memory)
	// undo is what rewind restores: the state, as of the last stored
	// entry, of each step that an entry assigned since changed (nil: the
	// step was unknown), and undoAt the time of the last stored entry.
	undo   steps
	undoAt time.Time

	store      Store   // nil: in memory only
	pending    []Entry // assigned, not yet stored
	spare      []Entry // recycled batch buffer
	flushing   bool    // a goroutine is storing a batch
	lastBatch  int     // entries in the last batch stored
	durable    uint64  // last sequence number stored
	failed     error   // sticky storage error
	closed     bool
	gen        uint64 // bumped when queued entries are dropped after a conflict
	conflict   error  // why the entries of the last dropped generation were not stored
	behind     error  // set by a conflict: the store holds entries this journal has not read; cleared by Refresh
	refreshing bool   // Refresh is reading what other writers appended
	buf        []byte // scratch for the line length check

	recovery Recovery
}

// New returns an empty journal kept in memory.
func New(opts *Options) *Journal {
	j := &Journal{}
	j.init(opts)
	return j
}

// initLocked gives a zero Journal the defaults of New(nil). Requires j.mu
// held.
func (j *Journal) initLocked() {
	if j.chain == nil {
		j.init(nil)
	}
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
	j.key = key
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
	if pl, ok := s.(PartLoader); ok {
		v := NewVerifier(j.key)
		if err := pl.LoadParts(func(part []Entry) error { return j.replayPart(v, part) }); err != nil {
			return nil, err
		}
		j.replayed(v)
	} else {
		loaded, err := s.Load()
		if err != nil {
			return nil, err
		}
		if err := j.replay(loaded); err != nil {
			return nil, err
		}
	}
	j.store = s
	return j, nil
}

// replay verifies loaded entries and makes them the journal's history.
func (j *Journal) replay(loaded []Entry) error {
	v := NewVerifier(j.key)
	if err := j.replayPart(v, loaded); err != nil {
		return err
	}
	j.replayed(v)
	return nil
}

// replayPart verifies the next loaded entries, continuing the chain that
// v checked so far, and adds them to the journal's history (which keeps
// part).
func (j *Journal) replayPart(v *Verifier, part []Entry) error {
	for i := range part {
		e := &part[i]
		if err := v.Add(*e); err != nil {
			return err
		}
		if err := j.steps.check(e); err != nil {
			return err
		}
		j.steps.apply(e)
		if e.At.After(j.lastAt) {
			j.lastAt = e.At
		}
	}
	j.entries.adopt(part)
	return nil
}

// replayed continues the journal after the entries that v verified.
func (j *Journal) replayed(v *Verifier) {
	j.chain = v.c
	j.seq = uint64(j.entries.len())
	j.durable = j.seq
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
// 0 and "" for an empty journal. Signed into a [Checkpoint] and kept
// elsewhere, they let [VerifyAgainst] detect entries removed from the end
// or rewritten.
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
	j.initLocked()
	if j.closed {
		j.mu.Unlock()
		return nil
	}
	j.closed = true
	j.cond.Broadcast() // Records waiting for a refresh give up
	for j.refreshing || j.flushing || (j.durable < j.seq && j.failed == nil) {
		if !j.refreshing && !j.flushing && len(j.pending) > 0 {
			j.storeBatch()
			continue
		}
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
