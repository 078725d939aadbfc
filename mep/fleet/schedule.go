package fleet

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/risk"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

// DefaultTrials is the number of simulated cutovers behind each
// rollout's P50 and P90 when Options.Trials is zero.
const DefaultTrials = 1000

// DefaultMaxOpen is how many records a schedule keeps open between scans
// when Options.MaxOpen is zero.
const DefaultMaxOpen = 64

// Options configure a [Schedule]. A nil *Options, like the zero value,
// means the defaults. The schedule copies them.
type Options struct {
	// Now is the clock that says where each rollout stands (planned,
	// running, ended). Nil: time.Now.
	Now func() time.Time
	// Location is the zone records' times are read in where the record
	// states none (records written before mepkit recorded a project's
	// options); a record that states its zone is read in it. Nil: UTC.
	Location *time.Location
	// Key is the HMAC key of the records, if they were written with one.
	Key []byte
	// Trials is the number of simulated cutovers per rollout for its P50
	// and P90 ends; 0: DefaultTrials.
	Trials int
	// MaxOpen is how many records the schedule keeps open between scans,
	// those read last, so that a rescan reads only what was appended to
	// them. An open record holds its entries and its project's state in
	// memory: about 5 MB for a record of 100 go-lives (0.9 MB of file).
	// A record not kept open is read again whole when it changes. 0:
	// DefaultMaxOpen; negative: every record.
	MaxOpen int
}

// Schedule is the forward schedule of change of a store of many
// projects: every rollout of every record, as its record says. It reads
// the store when opened and again at each [Schedule.Rescan], which reads
// only what changed: on files, the records whose size or modification
// time changed, and of those it keeps open (Options.MaxOpen) only the
// bytes appended; on PostgreSQL, the records whose last seq moved, and
// of those it keeps open only the new entries; each record on one of up
// to GOMAXPROCS goroutines. It never writes to a
// record and takes no file lock.
//
// Schedule is safe for simultaneous use by multiple goroutines: rescans
// run one at a time, and Snapshot never waits for one.
type Schedule struct {
	mu   sync.Mutex // guards snap
	snap *Snapshot

	scan  sync.Mutex // held by Rescan and Close; guards recs
	src   source
	opts  Options
	recs  map[string]*record
	open  atomic.Int64 // records whose project is open
	scans int64        // scans run; a record's read is the scan that read it

	rescans atomic.Int64 // rescans run, whole or of some records, for tests
}

// record is one project's record as last read.
type record struct {
	head    head
	p       *mep.Project
	sims    map[string]sim // by rollout name
	entries []Entry
	err     error
	now     time.Time // the project's clock (see clock)
	read    int64     // the scan that last read the record
}

// Scan says what a [Schedule.Rescan] read. A rescan of the records
// that notifications named ([Schedule.Watch] on PostgreSQL) counts the
// others as Unchanged.
type Scan struct {
	Records   int // records in the store, as the schedule holds them
	Opened    int // read whole: new, rewritten, or not kept open (Options.MaxOpen)
	Refreshed int // read from where the last scan stopped
	Unchanged int // not read
	Removed   int // gone from the store
	Failed    int // that do not read (see Snapshot.Errors)
}

// OpenDir returns the schedule of the projects in dir: each
// subdirectory (or symbolic link to one) that holds a [mep.RecordFile]
// is a project, and so is each file ending in ".jsonl", named after the
// file without ".jsonl" (with it when a directory or another file
// already has that name: the directory "billing" and the file
// "billing.jsonl" are two records). Names that start with "." are
// skipped. A record that does not read, or that cannot be looked at (a
// link that loops), is left out and reported in [Snapshot.Errors].
func OpenDir(ctx context.Context, dir string, opts *Options) (*Schedule, error) {
	return open(ctx, dirSource{dir}, opts)
}

// OpenDB returns the schedule of every record of db. It neither closes
// nor writes to db.
func OpenDB(ctx context.Context, db *pgstore.DB, opts *Options) (*Schedule, error) {
	return open(ctx, dbSource{db}, opts)
}

func open(ctx context.Context, src source, opts *Options) (*Schedule, error) {
	s := &Schedule{src: src, recs: map[string]*record{}}
	if opts != nil {
		s.opts = *opts
	}
	if s.opts.Now == nil {
		s.opts.Now = time.Now
	}
	if s.opts.Trials == 0 {
		s.opts.Trials = DefaultTrials
	}
	if s.opts.MaxOpen == 0 {
		s.opts.MaxOpen = DefaultMaxOpen
	}
	if s.opts.Trials < 0 || s.opts.Trials > risk.MaxTrials {
		return nil, fmt.Errorf("fleet: options: trials %d not between 0 and %d", s.opts.Trials, risk.MaxTrials)
	}
	if _, err := s.Rescan(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

// Rescan reads what changed in the store since the last scan and
// returns what it read. It returns an error only when the store cannot
// be listed; a record that does not read is counted in Scan.Failed and
// reported by [Snapshot.Errors].
func (s *Schedule) Rescan(ctx context.Context) (Scan, error) {
	heads, err := s.src.heads(ctx)
	if err != nil {
		return Scan{}, err
	}
	return s.update(ctx, heads, nil)
}

// update reads the records of heads whose head moved. With names nil,
// heads is the whole store, and a record the schedule holds that heads
// lacks is gone; otherwise heads are those of the records named that
// exist, and only a record named may be gone.
func (s *Schedule) update(ctx context.Context, heads []head, names []string) (Scan, error) {
	s.scan.Lock()
	defer s.scan.Unlock()
	s.rescans.Add(1)
	s.scans++
	now := s.opts.Now().Round(0)
	var sc Scan
	seen := make(map[string]bool, len(heads))
	changed := false
	var work []job
	for _, h := range heads {
		seen[h.name] = true
		rec := s.recs[h.name]
		switch {
		case rec != nil && rec.err == nil && rec.head == h:
			continue // counted in Unchanged below
		case rec != nil && rec.err == nil && h.grew(rec.head):
			// A record not kept open is read again whole, its
			// simulations kept.
			work = append(work, job{h: h, rec: rec, whole: rec.p == nil, reopen: rec.p == nil})
		default:
			work = append(work, job{h: h, rec: rec, whole: true})
		}
	}
	s.makeRoom(work)
	err := s.run(ctx, work, now)
	for _, j := range work {
		if !j.done {
			continue
		}
		old := s.recs[j.h.name]
		s.recs[j.h.name] = j.rec
		// A record that fails again as it did, unchanged, is read again
		// (its failure may pass) but makes no new snapshot.
		changed = changed || !sameFailure(old, j.rec)
		switch {
		case j.rec.err != nil:
			sc.Failed++
		case j.whole:
			sc.Opened++
		default:
			sc.Refreshed++
		}
	}
	if err != nil {
		// What was read stands: the snapshot shows it, since the next
		// scan will not find it changed.
		if changed {
			s.publish(now)
		}
		return sc, err
	}
	gone := func(name string) {
		if rec := s.recs[name]; rec != nil && !seen[name] {
			s.shut(rec)
			delete(s.recs, name)
			sc.Removed++
			changed = true
		}
	}
	if names == nil {
		for name := range s.recs {
			gone(name)
		}
	}
	for _, name := range names {
		gone(name)
	}
	sc.Records = len(s.recs)
	sc.Unchanged = sc.Records - sc.Opened - sc.Refreshed - sc.Failed
	if changed || s.Snapshot() == nil {
		s.publish(now)
	}
	return sc, nil
}

// sameFailure reports whether a record that failed to read as old fails
// again as now: the same head, the same error.
func sameFailure(old, now *record) bool {
	return old != nil && old.err != nil && now.err != nil && old.head == now.head && old.err.Error() == now.err.Error()
}

// publish makes the snapshot of the records at now the current one;
// requires s.scan held.
func (s *Schedule) publish(now time.Time) {
	snap := s.snapshotLocked(now)
	s.mu.Lock()
	s.snap = snap
	s.mu.Unlock()
}

// job is a record to read in a scan: rec is nil for a new record, and
// after [Schedule.run] the record as read.
type job struct {
	h      head
	rec    *record
	whole  bool // read whole: new, rewritten, failed or not kept open; else refreshed
	reopen bool // read whole because it was not kept open
	done   bool // read
}

// run reads the records of work, each on one of at most GOMAXPROCS
// goroutines, and folds each at now; requires s.scan held. Each record
// is read by one goroutine, and the schedule's other fields only read.
// It returns ctx's error if ctx ends first: the jobs not done are left
// as they were.
func (s *Schedule) run(ctx context.Context, work []job, now time.Time) error {
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(work)) {
		wg.Go(func() {
			for i := range next {
				s.load(&work[i], now)
			}
		})
	}
	var err error
	for i := range work {
		if err = ctx.Err(); err != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	return err
}

// load reads j's record, whole or what was appended to it, and folds it
// at now. A refresh that fails (a file rewritten, say) reads the record
// again whole.
func (s *Schedule) load(j *job, now time.Time) {
	j.done = true
	if !j.whole {
		j.rec.now = now
		if j.rec.p.Refresh() != nil {
			j.whole = true // a file rewritten, say
		}
	}
	if j.whole {
		old := j.rec
		if old != nil {
			s.shut(old)
		}
		j.rec = s.read(j.h, now)
		if j.rec.err != nil {
			return
		}
		if j.reopen {
			j.rec.sims = old.sims
		}
	}
	j.rec.head, j.rec.read = j.h, s.scans
	j.rec.entries = fold(j.h.name, j.rec.p, j.rec.sims, s.opts.Trials)
	if max := s.opts.MaxOpen; max >= 0 && s.open.Load() > int64(max) {
		s.shut(j.rec) // past the records kept open: folded, and let go
	}
}

// makeRoom closes the records read longest ago, not in work, so that the
// records of work that it reads whole can stay open within MaxOpen;
// requires s.scan held.
func (s *Schedule) makeRoom(work []job) {
	max := s.opts.MaxOpen
	if max < 0 {
		return
	}
	busy := make(map[*record]bool, len(work))
	coming := 0 // records work opens
	for _, j := range work {
		busy[j.rec] = true
		if j.whole {
			coming++
		}
	}
	excess := int(s.open.Load()) + coming - max
	if excess <= 0 {
		return
	}
	var idle []*record
	for _, rec := range s.recs {
		if rec.p != nil && !busy[rec] {
			idle = append(idle, rec)
		}
	}
	slices.SortFunc(idle, func(a, b *record) int { return cmp.Compare(a.read, b.read) })
	for _, rec := range idle[:min(excess, len(idle))] {
		s.shut(rec)
	}
}

// read opens the record of h whole, with now as the project's clock.
func (s *Schedule) read(h head, now time.Time) *record {
	rec := &record{head: h, sims: map[string]sim{}, now: now}
	open := func(loc *time.Location) (*mep.Project, error) {
		st, err := s.src.store(h)
		if err != nil {
			return nil, err
		}
		return mep.Open(st, &mep.Options{Now: rec.clock, Location: loc, Key: s.opts.Key})
	}
	// Without a Location, a record is read in the zone it states, or UTC
	// (mep's default) when it states none. With one, a record that states
	// another zone is read in its own: opened again.
	var err error
	rec.p, err = open(s.opts.Location)
	if fe := (*mep.FieldError)(nil); s.opts.Location != nil && errors.As(err, &fe) && fe.Field == "options.location" {
		rec.p, err = open(nil)
	}
	if err != nil {
		rec.p, rec.err = nil, fmt.Errorf("fleet: record %q: %w", h.name, err)
	} else {
		s.open.Add(1)
	}
	return rec
}

// clock is the project's clock: the instant of the scan that reads the
// record, so that every rollout of a snapshot stands where it stood at
// the snapshot's At.
func (rec *record) clock() time.Time { return rec.now }

// shut closes the project of rec, if open.
func (s *Schedule) shut(rec *record) {
	if rec.p != nil {
		rec.p.Close()
		rec.p = nil
		s.open.Add(-1)
	}
}

// Close releases the records the schedule holds open. The last
// snapshot stays valid; Rescan must not be called after Close.
func (s *Schedule) Close() error {
	s.scan.Lock()
	defer s.scan.Unlock()
	for _, rec := range s.recs {
		s.shut(rec)
	}
	return nil
}

// Snapshot returns the schedule as of the last scan. It is shared:
// treat it as read-only.
func (s *Schedule) Snapshot() *Snapshot {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.snap
}

// snapshotLocked builds the snapshot of the records; requires s.scan
// held.
func (s *Schedule) snapshotLocked(now time.Time) *Snapshot {
	snap := &Snapshot{At: now}
	names := make([]string, 0, len(s.recs))
	for name := range s.recs {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		rec := s.recs[name]
		if rec.err != nil {
			snap.Errors = append(snap.Errors, RecordError{Record: name, Err: rec.err})
			continue
		}
		snap.Entries = append(snap.Entries, rec.entries...)
	}
	sortEntries(snap.Entries)
	return snap
}

// RecordError reports a record of the store that does not read. Its
// text prints on one line: it quotes the record's name, and names its
// file as it is unless the path holds a control character (a line break,
// ESC, ...), a line separator or invalid UTF-8, quoted then as
// strconv.Quote does; Record keeps the name as it is.
type RecordError struct {
	Record string // the record's name: its directory, file or PostgreSQL record
	Err    error
}

func (e RecordError) Error() string { return e.Err.Error() }

// Unwrap returns the error.
func (e RecordError) Unwrap() error { return e.Err }
