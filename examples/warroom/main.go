// Command warroom serves the live page of a go-live: the headline (T0,
// the step running, the drift against the plan and the expected end, the
// outage so far, the go/no-go), the chart of the steps and the latest
// entries of the record, updated as entries arrive, without reloading.
//
// Usage, from the repository root:
//
//	go run ./examples/warroom                       # a demonstration cutover on a local file record
//	go run ./examples/warroom -f cutover.jsonl      # follow a journal file (see examples/journal)
//	MEPKIT_POSTGRES=postgres://... go run ./examples/warroom -record golive-2026-11
//	go run ./examples/warroom -f cutover.jsonl -store /srv/projects   # and the schedule of every project
//
// It listens on 127.0.0.1:8080 unless -addr says otherwise. With neither
// -f nor a PostgreSQL DSN it plays an embedded cutover of about a minute,
// a project of package mep (team, readiness, the operations GO, the
// go/no-go, then the runbook's steps, one failing once), into a file
// record in a temporary directory, so that it runs on a fresh machine
// with nothing else installed. With -postgres DSN, or the DSN in
// $MEPKIT_POSTGRES, it follows the record named by -record (in the schema
// of -schema, default "mepkit") in PostgreSQL (LISTEN/NOTIFY, see
// timeline/pgstore); without -record it plays the demonstration into a
// schema of its own there, which it drops when it stops, leaving nothing
// behind. -demo plays the demonstration into the record given too (which
// must be empty). A record chained with an HMAC key (examples/journal
// -key-env, mep.Options.Key) is verified with the key held by the
// environment variable -key-env names; without it, such a record turns
// the page red at its first entry.
//
// The page says what it sees. It verifies the hash chain of each entry as
// it arrives, checks every 2 seconds that a PostgreSQL record still holds
// the head the page showed (and, for a file, reads it whole whenever it
// changes other than by growing), and reads and verifies the whole record
// every -audit (30s). A record that shrinks, forks, fails its chain, or
// does not hold the head of the signed checkpoint of -checkpoint (with the
// signer's public key in -pub, as examples/journal's checkpoint and keygen
// make them) turns the page red, with the seq at fault and why, and the
// page no longer says "live": it keeps what it verified before, and says
// so on every reload until the server restarts. An open tab stays red
// across a restart, and turns red if a restarted server shows fewer
// entries than the tab did.
//
// One fold of the record serves every client: each new entry updates it,
// and the live part of the page is rendered once per change (and once a
// second for the clock), then written as it is to each client of the
// events stream. A client holds at most one frame, the latest (one that
// lags skips those it missed), and one that does not take a frame within
// 10 seconds is dropped; a stream of a record that does not change gets a
// comment every 15 seconds, so that a client that went away is found;
// -max-clients (10,000) bounds the streams.
//
// A project's record written by package mep is folded by mep: the
// headline is the rollout's (-rollout NAME, default the last one) as mep
// sees it, with the drift and the expected end against the runbook's
// estimates. Any other record, such as the steps examples/journal
// records, gets its headline from its entries: T0 from the latest entry
// with a "t0" attribute (an RFC 3339 time), else the first step's start;
// the go/no-go from the latest entry of a kind "decision" or ending in
// ".decision", by its "verdict" (or "decision") attribute: go, no-go or
// undecided; the plan from -baseline FILE, a rehearsal's journal, else
// the decision's "estimate" attribute (a Go duration) for the expected end.
//
// # Schedule
//
// With -store DIR (a directory of project records, as package mep/fleet
// reads it: each subdirectory holding a record.jsonl and each file ending
// in ".jsonl") or, with -postgres, -store-schema SCHEMA (every record of
// that PostgreSQL schema), the page links to /schedule: the night's
// cutovers of every project side by side, on a time axis of whole hours,
// each rollout a bar from its T0 (or its start) to the end fleet plans
// with (P50 then P90 where the runbook or rehearsals say, else the window
// or the estimate; a cutover that ended, its end), with its project, team
// (the rollout label "team"), environment, resources and go-live team.
// Rollouts that overlap and share a resource, a person or an environment
// named by -exclusive ENVS are marked, both of them, and the conflicts are
// listed with what they share and when (fleet.Snapshot.Conflicts). ?day=YYYY-MM-DD chooses
// the day (the rollouts that start that day, and those of other days that
// run within its axis); without it, the day of the cutover running or
// planned next. Times are in -tz, else the machine's zone. The store is
// rescanned, reading only what changed, when the page is asked for, at
// most once every 2 seconds. A directory that does not exist, or a schema
// without records, stops the program at start; a record that does not
// read is named on the page and left out. The demonstration reads its own
// directory, or schema, where it writes a second project: team Payments'
// rollout this evening shares the database db-billing with team Billing's
// and overlaps it, so the schedule shows a conflict.
//
// The page is read-only: GET and HEAD on "/", "/events" (the
// Server-Sent Events that carry each update) and "/schedule", nothing else. Every value
// is escaped by html/template; the page loads nothing from elsewhere and
// runs one inline script, allowed by its hash in a strict
// Content-Security-Policy; without script it refreshes every 5 seconds.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // programs embed the zone database; the library does not

	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/timeline"
	"github.com/mepkit/mepkit/timeline/pgstore"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr, os.Getenv))
}

// config is what the flags say.
type config struct {
	addr, file, dsn, record, schema string
	baseline, tz                    string
	rollout                         string
	checkpoint, pub                 string
	keyEnv                          string
	key                             []byte // from $keyEnv; nil: a plain chain
	store, storeSchema              string
	exclusive                       []string
	demo                            bool
	speed                           float64
	serveFor, audit                 time.Duration
	maxClients                      int
}

func parse(args []string, stderr io.Writer, env func(string) string) (config, error) {
	var c config
	fs := flag.NewFlagSet("warroom", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.addr, "addr", "127.0.0.1:8080", "`address` to listen on")
	fs.StringVar(&c.file, "f", "", "follow the journal `file` (JSON Lines, as examples/journal writes it)")
	fs.StringVar(&c.dsn, "postgres", env("MEPKIT_POSTGRES"), "follow a record in PostgreSQL at this `DSN` (default $MEPKIT_POSTGRES)")
	fs.StringVar(&c.record, "record", "", "the `name` of the PostgreSQL record (default: a new record for the demonstration)")
	fs.StringVar(&c.schema, "schema", pgstore.DefaultSchema, "the PostgreSQL `schema` that holds the records")
	fs.StringVar(&c.baseline, "baseline", "", "a rehearsal's journal `file`: the plan the steps are compared with")
	fs.StringVar(&c.tz, "tz", "", "show times in this `zone` (default: the zone of T0 or of the entries)")
	fs.BoolVar(&c.demo, "demo", false, "play the demonstration cutover into the record (the default without -f and -record)")
	fs.Float64Var(&c.speed, "speed", 1, "play the demonstration this many `times` faster than real time")
	fs.StringVar(&c.rollout, "rollout", "", "the `name` of the rollout to show, in a project's record written by mep (default: the last one)")
	fs.DurationVar(&c.serveFor, "for", 0, "stop after this `duration` (0: until interrupted)")
	fs.StringVar(&c.checkpoint, "checkpoint", "", "a signed checkpoint `file` (journal checkpoint) the record must hold; with -pub")
	fs.StringVar(&c.pub, "pub", "", "the Ed25519 public key `file` (PEM) of the checkpoint's signer")
	fs.StringVar(&c.keyEnv, "key-env", "", "verify the record's HMAC chain with the key in this environment `variable` (as examples/journal -key-env)")
	fs.DurationVar(&c.audit, "audit", 30*time.Second, "read and verify the whole record again this `often` (0: never)")
	fs.StringVar(&c.store, "store", "", "show on /schedule the night's cutovers of the project records in this `directory` (package mep/fleet)")
	fs.StringVar(&c.storeSchema, "store-schema", "", "show on /schedule the night's cutovers of every record in this PostgreSQL `schema`, with -postgres")
	fs.Func("exclusive", "with -store or -store-schema, `environments` where no two rollouts may overlap, separated by commas (repeatable)", func(v string) error {
		for _, env := range strings.Split(v, ",") {
			if env = strings.TrimSpace(env); env == "" {
				return fmt.Errorf("%q: want environment names separated by commas, e.g. prod", v)
			}
			c.exclusive = append(c.exclusive, env)
		}
		return nil
	})
	fs.IntVar(&c.maxClients, "max-clients", 10000, "serve the live updates to at most this many `clients` at once (0: no limit)")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	if c.speed <= 0 {
		return c, fmt.Errorf("-speed %v: want a number above 0", c.speed)
	}
	if c.file != "" && c.record != "" {
		return c, errors.New("-f and -record: follow a file or a PostgreSQL record, not both")
	}
	if (c.checkpoint == "") != (c.pub == "") {
		return c, errors.New("-checkpoint and -pub go together: the checkpoint and the public key of its signer")
	}
	if c.audit < 0 || c.maxClients < 0 {
		return c, errors.New("-audit and -max-clients: want 0 or more")
	}
	if c.store != "" && c.storeSchema != "" {
		return c, errors.New("-store and -store-schema: the schedule reads a directory or a PostgreSQL schema, not both")
	}
	if len(c.exclusive) > 0 && c.store == "" && c.storeSchema == "" {
		return c, errors.New("-exclusive needs -store DIR or -store-schema SCHEMA: the schedule it applies to")
	}
	if c.storeSchema != "" && c.dsn == "" {
		return c, errors.New("-store-schema needs a PostgreSQL DSN: -postgres DSN or $MEPKIT_POSTGRES")
	}
	if c.record != "" && c.dsn == "" {
		return c, errors.New("-record needs a PostgreSQL DSN: -postgres DSN or $MEPKIT_POSTGRES")
	}
	return c, c.readKey(env)
}

// readKey reads the HMAC key of -key-env. The demonstration writes a plain
// chain: a key would make every entry fail its verification.
func (c *config) readKey(env func(string) string) error {
	if c.keyEnv == "" {
		return nil
	}
	if c.demo || c.file == "" && c.record == "" {
		return fmt.Errorf("-key-env %s: the demonstration writes a plain chain; follow a keyed record with -f FILE or -record NAME", c.keyEnv)
	}
	v := env(c.keyEnv)
	if v == "" {
		return fmt.Errorf("-key-env %s: the environment variable %s is not set or empty", c.keyEnv, c.keyEnv)
	}
	c.key = []byte(v)
	return nil
}

// run is the program minus the process; it returns the exit status: 0
// once ctx ends or -for elapses, 1 when it cannot serve, 2 for bad usage.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, env func(string) string) int {
	c, err := parse(args, stderr, env)
	if errors.Is(err, flag.ErrHelp) {
		return 2
	}
	if err != nil {
		fmt.Fprintf(stderr, "warroom: %v\n", err)
		return 2
	}
	if c.serveFor > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, c.serveFor)
		defer cancel()
	}
	if err := serve(ctx, c, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "warroom: %v\n", err)
		return 1
	}
	return 0
}

// serve sets the source up, then serves the page until ctx ends.
func serve(ctx context.Context, c config, stdout, stderr io.Writer) error {
	// The goroutines that read the record and play the demonstration end
	// before the resources they use are released, last opened first.
	var wg sync.WaitGroup
	var release []func()
	ctx, cancel := context.WithCancel(ctx)
	defer func() {
		cancel()
		wg.Wait()
		for i := len(release) - 1; i >= 0; i-- {
			release[i]()
		}
	}()
	logger := slog.New(slog.NewTextHandler(stderr, nil))
	s, err := newServer(c)
	if err != nil {
		return err
	}
	// No Location: mep.Open refuses a zone other than the one a record
	// states, and fleet passes its own to every record; the page shows
	// times in s.zone() whatever the records' zones.
	fopts := &fleet.Options{Now: s.now}
	var sched *fleet.Schedule
	var schedSource string
	if c.store != "" {
		// Before anything else, so that a wrong directory stops the
		// program at once.
		if sched, err = openStoreDir(ctx, c.store, fopts); err != nil {
			return err
		}
		release = append(release, closer(sched))
		schedSource = "directory " + c.store
	}
	// A schema other than the followed record's is opened before the
	// record, as a directory is, so that a wrong name stops the program
	// before it creates or changes anything.
	ownSchema := c.storeSchema != "" && (c.record == "" || c.storeSchema != c.schema)
	if ownSchema {
		if sched, err = openStoreSchema(ctx, c, nil, &release, fopts); err != nil {
			return err
		}
		schedSource = "PostgreSQL schema " + c.storeSchema
	}
	o, err := s.follow(ctx, c, &wg, &release, stdout)
	if err != nil {
		return err
	}
	if c.storeSchema != "" && !ownSchema {
		if sched, err = openStoreSchema(ctx, c, o.db, &release, fopts); err != nil {
			if o.demo != nil {
				o.demo.Close()
			}
			return err
		}
		schedSource = "PostgreSQL schema " + c.storeSchema
	}
	if o.demo != nil {
		evening := demoEvening(time.Now(), c.speed, s.zone())
		p, r, err := demoProject(o.demo, c.speed, evening)
		if err != nil {
			o.demo.Close()
			return fmt.Errorf("the demonstration: %w", err)
		}
		release = append(release, func() { p.Close() })
		wg.Go(func() {
			if err := runDemo(ctx, r, c.speed); err != nil && ctx.Err() == nil {
				logger.Error("warroom: the demonstration stopped", "err", err)
				s.room.fail(fmt.Errorf("the demonstration stopped: %w", err))
			}
		})
		// Where the demonstration owns the store, another team's project
		// joins it, and the schedule page reads it.
		if o.ownDir != "" || o.ownDB {
			p2, err := o.neighbour(evening)
			if err != nil {
				return fmt.Errorf("the demonstration: %w", err)
			}
			release = append(release, func() { p2.Close() })
		}
		if sched == nil && o.ownDir != "" {
			if sched, err = openStoreDir(ctx, o.ownDir, fopts); err != nil {
				return err
			}
			release = append(release, closer(sched))
			schedSource = "the demonstration's directory " + o.ownDir
		}
		if sched == nil && o.ownDB {
			if sched, err = openStoreDB(ctx, o.db, fopts); err != nil {
				return err
			}
			release = append(release, closer(sched))
			schedSource = "the demonstration's PostgreSQL schema " + o.db.Schema()
		}
	}
	if sched != nil {
		s.sched = newSchedule(sched, schedSource, s.zone())
		s.sched.rules = fleet.Rules{Exclusive: c.exclusive}
	}
	return s.listen(ctx, c.addr, stdout)
}

// closer returns a function that closes sched.
func closer(sched *fleet.Schedule) func() { return func() { sched.Close() } }

// openStoreSchema opens the schedule of -store-schema, on db when it is
// that schema's, else (db nil or another schema's) on a database of its
// own, released by release.
func openStoreSchema(ctx context.Context, c config, db *pgstore.DB, release *[]func(), fopts *fleet.Options) (*fleet.Schedule, error) {
	if db == nil || db.Schema() != c.storeSchema {
		// NoMigrate: a schema that does not hold records is an error,
		// not one to create.
		var err error
		if db, err = pgstore.Open(ctx, c.dsn, &pgstore.Options{Schema: c.storeSchema, NoMigrate: true}); err != nil {
			if se, ok := errors.AsType[*pgstore.SchemaError](err); ok && se.Found == 0 {
				return nil, fmt.Errorf("-store-schema %s: no records there: the schema does not exist or holds no mepkit tables", c.storeSchema)
			}
			return nil, fmt.Errorf("-store-schema %s: %w", c.storeSchema, err)
		}
		*release = append(*release, db.Close)
	}
	sched, err := openStoreDB(ctx, db, fopts)
	if err != nil {
		return nil, err
	}
	*release = append(*release, closer(sched))
	return sched, nil
}

// newServer returns the server the flags describe, without a source yet.
func newServer(c config) (*server, error) {
	s := &server{now: time.Now, rollout: c.rollout, maxStreams: int64(c.maxClients)}
	s.room = newRoom(c.key, s.now)
	if testHookServer != nil {
		testHookServer(s)
	}
	if c.tz != "" {
		loc, err := time.LoadLocation(c.tz)
		if err != nil {
			return nil, fmt.Errorf("-tz: %w", err)
		}
		s.loc = loc
	}
	if c.baseline != "" {
		rehearsal, err := timeline.ReadFile(c.baseline)
		if err != nil {
			return nil, fmt.Errorf("-baseline: %w", err)
		}
		s.plan = planFrom(rehearsal)
	}
	return s, nil
}

// listen serves the page on addr until ctx ends.
func (s *server) listen(ctx context.Context, addr string, stdout io.Writer) error {
	l, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	s.done = ctx.Done()
	srv := &http.Server{Handler: s.routes(), ReadHeaderTimeout: 5 * time.Second, IdleTimeout: time.Minute,
		BaseContext: func(net.Listener) context.Context { return ctx }}
	fmt.Fprintf(stdout, "warroom: serving %s on http://%s/\n", s.source, l.Addr())
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(l) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shut, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	srv.Shutdown(shut)
	return nil
}

// testHookServer, when set by a test, is given each server serve makes.
var testHookServer func(*server)

// server serves the page of one record.
type server struct {
	rollout string // the rollout of a mep record to show; "": the last one

	streams       atomic.Int64  // event streams open
	dropped       atomic.Int64  // event streams ended by a write that failed: a client that did not read in time, or went away
	maxStreams    int64         // event streams served at most; 0: no limit
	writeTimeout  time.Duration // 0: writeTimeout
	keepAlive     time.Duration // 0: keepAlive
	room          *room
	frames        frames
	fanOut        fanOut
	done          <-chan struct{} // closed when the server stops, which ends the event streams; nil: never
	plan          []plannedStep
	loc           *time.Location // nil: the zone of T0 or of the entries
	now           func() time.Time
	title, source string
	sched         *schedule // the schedule page's; nil: no store given
}

// zone is where the schedule shows times: -tz, else the machine's zone.
func (s *server) zone() *time.Location {
	if s.loc != nil {
		return s.loc
	}
	return time.Local
}

func (s *server) routes() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		protect(w.Header())
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "read-only: GET and HEAD only", http.StatusMethodNotAllowed)
			return
		}
		switch r.URL.Path {
		case "/":
			s.page(w, r)
		case "/events":
			s.events(w, r)
		case "/schedule":
			s.scheduleHandler(w, r)
		default:
			http.NotFound(w, r)
		}
	})
}

// tick is how often the events stream sends the page again without a new
// entry: the outage and the drift of a running step grow with the clock.
const tick = time.Second
