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
// new record there. -demo plays the demonstration into the record given
// too (which must be empty).
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
// The page is read-only: GET and HEAD on "/" and "/events" (the
// Server-Sent Events that carry each update), nothing else. Every value
// is escaped by html/template; the page loads nothing from elsewhere and
// runs one inline script, allowed by its hash in a strict
// Content-Security-Policy; without script it refreshes every 5 seconds.
package main

import (
	"bytes"
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
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"
	_ "time/tzdata" // programs embed the zone database; the library does not

	"github.com/mepkit/mepkit/mep"
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
	demo                            bool
	speed                           float64
	serveFor                        time.Duration
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
	if c.record != "" && c.dsn == "" {
		return c, errors.New("-record needs a PostgreSQL DSN: -postgres DSN or $MEPKIT_POSTGRES")
	}
	return c, nil
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
	s := &server{hub: newHub(), now: time.Now, rollout: c.rollout}
	if testHookServer != nil {
		testHookServer(s)
	}
	if c.tz != "" {
		loc, err := time.LoadLocation(c.tz)
		if err != nil {
			return fmt.Errorf("-tz: %w", err)
		}
		s.loc = loc
	}
	if c.baseline != "" {
		rehearsal, err := timeline.ReadFile(c.baseline)
		if err != nil {
			return fmt.Errorf("-baseline: %w", err)
		}
		s.plan = planFrom(rehearsal)
	}

	var demo timeline.Store // where the demonstration writes; nil: none
	switch {
	case c.file != "":
		s.title, s.source = filepath.Base(c.file), "file "+c.file
		if c.demo {
			fs, err := timeline.OpenFileStore(c.file, nil)
			if err != nil {
				return err
			}
			demo = fs
		}
		wg.Go(func() { followFile(ctx, c.file, nil, s.hub) })
	case c.dsn != "":
		db, err := pgstore.Open(ctx, c.dsn, &pgstore.Options{Schema: c.schema})
		if err != nil {
			return err
		}
		release = append(release, db.Close)
		record := c.record
		if record == "" {
			record = "warroom-demo-" + time.Now().UTC().Format("20060102-150405")
			c.demo = true
		}
		s.title, s.source = record, "PostgreSQL record "+record
		if c.demo {
			st, err := db.Store(record)
			if err != nil {
				return err
			}
			demo = st
		}
		wg.Go(func() { followPostgres(ctx, db, record, s.hub) })
	default:
		dir, err := os.MkdirTemp("", "warroom-")
		if err != nil {
			return err
		}
		release = append(release, func() { os.RemoveAll(dir) })
		path := filepath.Join(dir, "record.jsonl")
		fs, err := timeline.OpenFileStore(path, &timeline.FileStoreOptions{NoSync: true})
		if err != nil {
			return err
		}
		demo = fs
		s.title, s.source = "demonstration", "file record "+path
		wg.Go(func() { followFile(ctx, path, nil, s.hub) })
	}
	if demo != nil {
		p, r, err := demoProject(demo, c.speed)
		if err != nil {
			demo.Close()
			return fmt.Errorf("the demonstration: %w", err)
		}
		release = append(release, func() { p.Close() })
		wg.Go(func() {
			if err := runDemo(ctx, r, c.speed); err != nil && ctx.Err() == nil {
				logger.Error("warroom: the demonstration stopped", "err", err)
				s.hub.fail(fmt.Errorf("the demonstration stopped: %w", err))
			}
		})
	}

	l, err := net.Listen("tcp", c.addr)
	if err != nil {
		return err
	}
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
	mu      sync.Mutex // guards fold
	fold    mepFold
	rollout string // the rollout of a mep record to show; "": the last one

	streams       atomic.Int64 // event streams open
	hub           *hub
	plan          []plannedStep
	loc           *time.Location // nil: the zone of T0 or of the entries
	now           func() time.Time
	title, source string
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
		default:
			http.NotFound(w, r)
		}
	})
}

// view computes what the page shows now. A project's record written by
// package mep is folded by mep, which says where the rollout stands; any
// other record gets the headline of its entries (see compute).
func (s *server) view() (view, <-chan struct{}) {
	entries, changed, err := s.hub.snapshot()
	now := s.now()
	h, plan := headline{}, s.plan
	if isMepRecord(entries) {
		s.mu.Lock()
		p, ferr := s.fold.fold(entries, s.now)
		var r *mep.Rollout
		if ferr == nil {
			r, ferr = rolloutOf(p, s.rollout)
		}
		if ferr == nil {
			h, plan = fromRollout(r, now)
		}
		s.mu.Unlock()
		if ferr != nil {
			h = compute(entries, nil, now)
			err = errors.Join(err, ferr)
		}
	} else {
		h = compute(entries, s.plan, now)
	}
	return newView(h, entries, plan, s.loc, err), changed
}

func (s *server) page(w http.ResponseWriter, r *http.Request) {
	v, _ := s.view()
	var b bytes.Buffer
	if err := renderPage(&b, s.title, s.source, v); err != nil {
		http.Error(w, "rendering the page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if r.Method == http.MethodHead {
		return
	}
	w.Write(b.Bytes())
}

// tick is how often the events stream sends the page again without a new
// entry: the outage and the drift of a running step grow with the clock.
const tick = time.Second

// events streams the live part of the page as Server-Sent Events: at
// once, at each change of the record, and every tick.
func (s *server) events(w http.ResponseWriter, r *http.Request) {
	s.streams.Add(1)
	defer s.streams.Add(-1)
	rc := http.NewResponseController(w)
	w.Header().Set("Content-Type", "text/event-stream; charset=utf-8")
	w.Header().Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return
	}
	if _, err := io.WriteString(w, "retry: 1000\n\n"); err != nil {
		return
	}
	t := time.NewTicker(tick)
	defer t.Stop()
	var b bytes.Buffer
	for {
		v, changed := s.view()
		b.Reset()
		if err := renderLive(&b, v); err != nil {
			return
		}
		if err := writeEvent(w, "update", b.Bytes()); err != nil {
			return
		}
		if err := rc.Flush(); err != nil {
			return
		}
		select {
		case <-r.Context().Done():
			return
		case <-changed:
		case <-t.C:
		}
	}
}
