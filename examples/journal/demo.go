package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// demoStep is one line of the demo's runbook: how long it takes in each
// run. A failed actual attempt is retried after retry.
type demoStep struct {
	id        string
	impact    string
	rehearsal time.Duration // 0: not rehearsed
	actual    time.Duration
	failed    time.Duration // actual run: a first attempt that fails after this long; 0: none
}

var demoRunbook = []demoStep{
	{"backup-configs", "none", 12 * time.Minute, 10 * time.Minute, 0},
	{"stop-application", "outage", 3 * time.Minute, 4 * time.Minute, 0},
	{"migrate-database", "outage", 25 * time.Minute, 22 * time.Minute, 6 * time.Minute},
	{"switch-dns", "outage", 5 * time.Minute, 5 * time.Minute, 0},
	{"warm-caches", "disruption", 15 * time.Minute, 12 * time.Minute, 0},
	{"purge-cdn", "disruption", 0, 2 * time.Minute, 0}, // not rehearsed
	{"functional-tests", "none", 20 * time.Minute, 18 * time.Minute, 0},
}

// demo records a rehearsal and a cutover with this program's own commands,
// into a temporary directory and on a simulated clock, and prints the
// cutover's commands, its summary, the comparison and the verification.
func (c *cli) demo(args []string) error {
	fs := c.newFlags("demo", "")
	if err := fs.parseNone(args); err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "journal-demo-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		return err
	}

	d := &demoRun{cli: c, dir: dir, user: "alice"}
	fmt.Fprint(c.stdout, `# journal demo

A rehearsal on Tuesday 2026-11-17 and the cutover a week later, both from
20:00 Paris time, recorded with this program on a simulated clock. The
rehearsal is recorded quietly; the cutover is shown as an operator types
it, by alice ($USER). Run "journal help" for the commands.

`)
	// The rehearsal, quietly.
	quiet := &demoRun{cli: &cli{stdout: io.Discard, stderr: c.stderr}, dir: dir, user: "bob",
		at: time.Date(2026, 11, 17, 20, 0, 0, 0, paris)}
	for _, s := range demoRunbook {
		if s.rehearsal == 0 {
			continue
		}
		if err := quiet.cmd(0, "start", "-f", "rehearsal.jsonl", s.id, "-impact", s.impact); err != nil {
			return err
		}
		if err := quiet.cmd(s.rehearsal, "end", "-f", "rehearsal.jsonl", s.id); err != nil {
			return err
		}
	}

	// The cutover, as typed.
	d.at = time.Date(2026, 11, 24, 20, 0, 0, 0, paris)
	if err := d.cmd(0, "note", "GO given by operations"); err != nil {
		return err
	}
	for _, s := range demoRunbook {
		if err := d.cmd(time.Minute, start(s)...); err != nil {
			return err
		}
		if s.failed > 0 {
			if err := d.cmd(s.failed, "end", s.id, "-outcome", "failed"); err != nil {
				return err
			}
			if err := d.cmd(time.Minute, "note", "lock timeout raised to 30s, retrying"); err != nil {
				return err
			}
			if err := d.cmd(time.Minute, start(s)...); err != nil {
				return err
			}
		}
		if err := d.cmd(s.actual, "end", s.id); err != nil {
			return err
		}
	}
	fmt.Fprintln(c.stdout)
	if err := d.cmd(0, "summary", "-tz", "Europe/Paris"); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout)
	if err := d.cmd(0, "compare", "-baseline", "rehearsal.jsonl"); err != nil {
		return err
	}
	fmt.Fprintln(c.stdout)
	return d.cmd(0, "verify")
}

// start returns the command that starts s, as an operator types it: the
// default impact left out.
func start(s demoStep) []string {
	if s.impact == "none" {
		return []string{"start", s.id}
	}
	return []string{"start", s.id, "-impact", s.impact}
}

// demoRun runs commands of this program in dir, at a simulated time.
type demoRun struct {
	*cli
	dir  string
	user string // $USER
	at   time.Time
}

// cmd advances the clock by after, prints the command as typed and runs
// it with the journal files in the demo's directory.
func (d *demoRun) cmd(after time.Duration, args ...string) error {
	d.at = d.at.Add(after)
	fmt.Fprintf(d.stdout, "$ journal %s\n", shellJoin(args))
	argv := make([]string, 0, len(args)+2)
	for _, a := range args {
		if strings.HasSuffix(a, ".jsonl") {
			a = filepath.Join(d.dir, a)
		}
		argv = append(argv, a)
	}
	if !slices.Contains(args, "-f") {
		argv = slices.Insert(argv, 1, "-f", filepath.Join(d.dir, "cutover.jsonl"))
	}
	at := d.at
	env := func(name string) string {
		if name == "USER" {
			return d.user
		}
		return ""
	}
	if code := run(argv, d.stdout, d.stderr, env, func() time.Time { return at }); code != exitOK {
		return fmt.Errorf("%s exited with status %d", args[0], code)
	}
	return nil
}

// shellJoin quotes the arguments that a shell would split.
func shellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = a
		if a == "" || strings.ContainsAny(a, " \t'\"$\\") {
			out[i] = "'" + strings.ReplaceAll(a, "'", `'\''`) + "'"
		}
	}
	return strings.Join(out, " ")
}
