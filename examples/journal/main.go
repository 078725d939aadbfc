// Command journal is an operator's command line for a live cutover: each
// step of the runbook is started and ended as it happens, notes are added
// on the way, and the file it keeps (a hash-chained JSON Lines journal,
// synced to disk before each command returns) gives the summary, the
// exports for the report, the comparison with the rehearsal and a proof
// that nobody edited it afterwards (rules R5 and R10 of the method).
//
// Usage, from the repository root (the journal is cutover.jsonl in the
// current directory unless -f says otherwise; the actor is $USER unless
// -actor says otherwise):
//
//	$ go build -o journal ./examples/journal
//	$ ./journal note GO given by operations
//	#1 2026-11-24 20:00:00 CET note actor=alice text="GO given by operations" hash=cbb4cd05f1f9
//	$ ./journal start migrate-database -impact outage
//	#2 2026-11-24 20:17:00 CET start migrate-database impact=outage actor=alice hash=9e014992877d
//	$ ./journal end migrate-database -outcome failed
//	#3 2026-11-24 20:23:00 CET end migrate-database outcome=failed took=6m00s actor=alice hash=486c4d38ef6f
//	$ ./journal start migrate-database -impact outage
//	#4 2026-11-24 20:25:00 CET start migrate-database impact=outage actor=alice hash=a3ad8deee47d
//	$ ./journal end migrate-database
//	#5 2026-11-24 20:47:00 CET end migrate-database outcome=done attempt=2 took=22m00s actor=alice hash=ee5916903e4f
//	$ ./journal end switch-dns
//	journal end: entry 6 (step "switch-dns"): step not started (no step is running)
//	$ echo $?
//	1
//	$ ./journal summary -tz Europe/Paris     # Markdown: steps, outage, disruption
//	$ ./journal compare -baseline rehearsal.jsonl
//	$ ./journal export -format mermaid -baseline rehearsal.jsonl -title Cutover
//	$ ./journal export -format csv > cutover.csv
//	$ ./journal verify
//	ok: 5 entries, head ee5916903e4f563a6ec9048beef6dad78481fdee5052ca465fa39f6a097e1a68
//	$ MEP_KEY=... ./journal start -f keyed.jsonl -key-env MEP_KEY backup   # an HMAC chain
//
// Every subcommand takes -f FILE (default cutover.jsonl) and -key-env NAME,
// which makes the chain an HMAC-SHA256 keyed with the value of the
// environment variable NAME; without it the chain is plain SHA-256. Flags
// may come before the command ("journal -f F start X") or before or after
// the step name; "--" ends them, for a note that starts with a dash:
// journal note -- -5% disk left. When $USER is not set, start, end and
// note want -actor: the journal does not sign entries with a guess.
//
// With -postgres DSN -record NAME (and -schema, default "mepkit"), every
// command works on a record in PostgreSQL (timeline/pgstore) instead of
// the file (-f with it is bad usage): operators on several machines append to one record, and a
// command that finds it moved on catches up and tries again.
//
// Without a key the chain proves nothing against whoever can write the
// file or the database: an edit with the chain recomputed, or entries cut
// from the end, still verify. A signed checkpoint closes that gap up to
// its seq. "journal keygen" writes an Ed25519 key pair (PEM, mode 0600;
// keep the private key off the journal's machines), "journal checkpoint
// -key checkpoint.key -o head.txt" signs the journal's verified head (its
// seq and hash, the -record name if any, and the time), and "journal
// verify -checkpoint head.txt -pub checkpoint.key.pub" checks the journal
// against it: a truncation, a rewrite or a fork at or before the
// checkpoint fails with the seq, exit status 1:
//
//	$ ./journal keygen
//	key 7f4d9fe0: private key in checkpoint.key (keep it off the journal's machines), public key in checkpoint.key.pub
//	$ ./journal checkpoint -key checkpoint.key -o head.txt
//	checkpoint of seq 5, head ee5916903e4f563a6ec9048beef6dad78481fdee5052ca465fa39f6a097e1a68, signed by key 7f4d9fe0: head.txt
//	$ ./journal verify -checkpoint head.txt -pub checkpoint.key.pub
//	ok: 5 entries, head ee5916903e4f563a6ec9048beef6dad78481fdee5052ca465fa39f6a097e1a68
//	checkpoint ok: seq 5, signed by key 7f4d9fe0 at 2026-11-24T19:48:00Z, is in the journal
//
// "journal demo" runs its demo: a rehearsal and a cutover recorded into a
// temporary directory on a simulated clock, then the summary, the
// comparison and the verification, the same on every machine. With no
// arguments journal prints its usage and exits 2, and so does a command's
// -h: neither did what a script asked for.
//
// Exit status: 0 on success, 1 when the operation is refused or fails (a
// step ended that is not running, a tampered journal, an unreadable file),
// 2 for bad usage or bad input (an unknown subcommand or flag, an unknown
// time zone or impact, no actor, a journal file that does not exist).
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // programs embed the zone database; the library does not

	"github.com/mepkit/mepkit/timeline/pgstore"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, os.Getenv, time.Now))
}

// Exit statuses.
const (
	exitOK     = 0 // success
	exitFailed = 1 // the operation was refused or failed
	exitUsage  = 2 // bad usage or bad input
)

const usage = `usage: journal <command> [flags] [arguments]

Record a cutover as it happens, then report on it.

Commands:
  start STEP [-actor A] [-impact none|disruption|outage]
                          a step of the runbook starts
  end STEP [-actor A] [-outcome done|failed|skipped]
                          the running step ends
  note [-actor A] TEXT... a note for the record
  summary [-tz ZONE]      Markdown summary: steps, durations, outage, disruption
  export -format md|csv|mermaid|jsonl [-baseline FILE] [-title T] [-tz ZONE]
                          the journal for a report, to standard output;
                          mermaid with -baseline draws the rehearsal beside it
  compare -baseline FILE  rehearsal against actual, per step and in total
  verify [-checkpoint FILE -pub PUBFILE]
                          check the hash chain: nobody edited the file;
                          with a signed checkpoint, nobody rewrote or cut
                          it up to the checkpoint either
  checkpoint -key KEYFILE [-o FILE]
                          sign the journal's head (its seq and hash)
  keygen [-key FILE] [-pub FILE]
                          write an Ed25519 key pair for checkpoints
                          (checkpoint.key and checkpoint.key.pub, mode 0600)
  demo                    a rehearsal and a cutover on a simulated clock
  help                    this text

Every command takes:
  -f FILE        the journal file (default cutover.jsonl)
  -postgres DSN -record NAME [-schema S]
                 a record in PostgreSQL instead, shared with other writers
  -key-env NAME  HMAC-SHA256 chain keyed with the value of $NAME
                 (default: plain SHA-256 chain)

The actor defaults to $USER; when it is not set, give -actor. Flags may
come before the command or after the step name; "--" ends them.
With no arguments, and for a command's -h, journal prints the usage and
exits 2: nothing was done. "journal help" exits 0.

Exit status: 0 success, 1 refused or failed, 2 bad usage or input.
`

// usageError is bad usage or bad input: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// cli is what a command runs with: everything outside the program.
type cli struct {
	stdout, stderr io.Writer
	env            func(string) string
	now            func() time.Time
}

// command is one subcommand: it parses its own flags.
type command func(c *cli, args []string) error

// lookup returns the subcommand called name.
func lookup(name string) (command, bool) {
	switch name {
	case "start":
		return (*cli).start, true
	case "end":
		return (*cli).end, true
	case "note":
		return (*cli).note, true
	case "summary":
		return (*cli).summary, true
	case "export":
		return (*cli).export, true
	case "compare":
		return (*cli).compare, true
	case "verify":
		return (*cli).verify, true
	case "checkpoint":
		return (*cli).checkpoint, true
	case "keygen":
		return (*cli).keygen, true
	case "demo":
		return (*cli).demo, true
	}
	return nil, false
}

// run is the whole program, minus the process: tests drive it. It returns
// the exit status.
func run(args []string, stdout, stderr io.Writer, env func(string) string, now func() time.Time) int {
	c := &cli{stdout: stdout, stderr: stderr, env: env, now: now}
	if len(args) == 0 {
		// An empty command line in a script must not read as success.
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	lead, name, rest, err := splitCommand(args)
	if err != nil {
		fmt.Fprintf(stderr, "journal: %v\n", err)
		return exitUsage
	}
	switch name {
	case "help", "-h", "-help", "--help":
		fmt.Fprint(stdout, usage)
		return exitOK
	case "":
		fmt.Fprintf(stderr, "journal: no command after the flags %q (run \"journal help\" for the list)\n", lead)
		return exitUsage
	}
	cmd, ok := lookup(name)
	if !ok {
		fmt.Fprintf(stderr, "journal: unknown command %q (run \"journal help\" for the list)\n", name)
		return exitUsage
	}
	// Flags typed before the command ("journal -f F start X") are the
	// command's flags, as if typed after it.
	err = cmd(c, slices.Concat(lead, rest)) // a new slice: args stay as the caller gave them
	switch {
	case err == nil:
		return exitOK
	case errors.Is(err, flag.ErrHelp):
		return exitUsage // "verify -h" verified nothing
	}
	fmt.Fprintf(stderr, "journal %s: %s\n", name, message(err))
	var ue *usageError
	if errors.As(err, &ue) {
		return exitUsage
	}
	return exitFailed
}

// valueFlags are the flags that take a value in the next argument.
var valueFlags = map[string]bool{
	"f": true, "key-env": true, "actor": true, "impact": true, "outcome": true,
	"tz": true, "format": true, "baseline": true, "title": true,
	"postgres": true, "record": true, "schema": true,
	"key": true, "pub": true, "o": true, "checkpoint": true,
}

// splitCommand finds the command in args: the first argument that is
// neither a flag nor a flag's value. It returns the flags before it, its
// name ("" if there is none) and the arguments after it. A help flag
// before any command is the command. Every flag takes a value, so an
// unknown flag before the command is an error: its value cannot be told
// from the command.
func splitCommand(args []string) (lead []string, name string, rest []string, err error) {
	for i := 0; i < len(args); i++ {
		a := args[i]
		if !strings.HasPrefix(a, "-") || a == "-" {
			return args[:i], a, args[i+1:], nil
		}
		switch a {
		case "-h", "-help", "--help":
			return args[:i], a, args[i+1:], nil
		}
		flagName, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !valueFlags[flagName] {
			return nil, "", nil, usagef("flag provided but not defined: -%s", flagName)
		}
		if !hasValue {
			i++ // its value
		}
	}
	return args, "", nil, nil
}

// message is err for the command line, on one line (a driver's error
// can take several, one per address tried): the library's package prefix
// ("timeline: "), which can come twice when one error wraps another, is
// left out after the command's own prefix.
func message(err error) string {
	var b strings.Builder
	for _, l := range strings.Split(err.Error(), "\n") {
		l = strings.TrimSpace(l)
		switch {
		case l == "":
			continue
		case b.Len() == 0:
		case strings.HasSuffix(b.String(), ":"):
			b.WriteString(" ") // "2 problems: line 3: ...; line 9: ..."
		default:
			b.WriteString("; ")
		}
		b.WriteString(l)
	}
	s := b.String()
	for {
		switch {
		case strings.HasPrefix(s, "timeline: "):
			s = strings.TrimPrefix(s, "timeline: ")
			continue
		case strings.Contains(s, ": timeline: "):
			s = strings.ReplaceAll(s, ": timeline: ", ": ")
			continue
		}
		return s
	}
}

// flags is a subcommand's flag set with the flags every command shares.
type flags struct {
	*flag.FlagSet
	out      io.Writer
	file     string
	keyEnv   string
	synopsis string
	postgres string // DSN; "": the file of -f
	record   string // the record's name in PostgreSQL
	schema   string // the PostgreSQL schema that holds the records
}

func (c *cli) newFlags(name, synopsis string) *flags {
	fs := &flags{FlagSet: flag.NewFlagSet(name, flag.ContinueOnError), out: c.stdout, synopsis: synopsis}
	fs.SetOutput(io.Discard) // errors are reported once, by run
	fs.Usage = func() {}
	fs.StringVar(&fs.file, "f", "cutover.jsonl", "the journal `file`")
	fs.StringVar(&fs.keyEnv, "key-env", "", "HMAC key from the environment variable `NAME` (default: plain SHA-256 chain)")
	fs.StringVar(&fs.postgres, "postgres", "", "work on a record in PostgreSQL at this `DSN` instead of the file")
	fs.StringVar(&fs.record, "record", "", "the `name` of the PostgreSQL record, which checkpoints also carry")
	fs.StringVar(&fs.schema, "schema", pgstore.DefaultSchema, "the PostgreSQL `schema` that holds the records")
	return fs
}

// parseNone parses flags for a command that takes no positional argument.
func (fs *flags) parseNone(args []string) error {
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	return noArgs(pos)
}

// parse parses flags and positional arguments in any order, as operators
// type them ("start migrate-db -impact outage"); "--" ends the flags. It
// prints the help for -h and returns flag.ErrHelp.
func (fs *flags) parse(args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			if errors.Is(err, flag.ErrHelp) {
				fmt.Fprintf(fs.out, "usage: journal %s %s\n\n", fs.Name(), fs.synopsis)
				fs.SetOutput(fs.out)
				fs.PrintDefaults()
				return nil, err
			}
			return nil, &usageError{err.Error()}
		}
		rest := fs.Args()
		if len(rest) == 0 {
			return pos, fs.oneJournal()
		}
		if used := args[:len(args)-len(rest)]; len(used) > 0 && used[len(used)-1] == "--" {
			return append(pos, rest...), fs.oneJournal()
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// oneJournal refuses -f with -postgres: the command works on the file or
// on the record, and an operator who named both would not know which.
func (fs *flags) oneJournal() error {
	if fs.postgres == "" {
		return nil
	}
	var file bool
	fs.Visit(func(f *flag.Flag) { file = file || f.Name == "f" })
	if file {
		return usagef("-f %s and -postgres: the journal is a file or a PostgreSQL record, not both", fs.file)
	}
	return nil
}

// key returns the HMAC key named by -key-env, or nil for a plain chain.
func (fs *flags) key(env func(string) string) ([]byte, error) {
	if fs.keyEnv == "" {
		return nil, nil
	}
	v := env(fs.keyEnv)
	if v == "" {
		return nil, usagef("-key-env %s: the environment variable %s is not set or empty", fs.keyEnv, fs.keyEnv)
	}
	return []byte(v), nil
}

// zone loads the location named by -tz; "" means none.
func zone(name string) (*time.Location, error) {
	if name == "" {
		return nil, nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, usagef("-tz: unknown time zone %q (want an IANA name such as Europe/Paris, or UTC)", name)
	}
	return loc, nil
}
