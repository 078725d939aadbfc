package main

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"

	"github.com/mepkit/mepkit/timeline"
)

// The layout of times in entry lines: wall time and zone abbreviation.
const timeLayout = "2006-01-02 15:04:05 MST"

// hashLen is how much of a hash an entry line shows; verify shows all of it.
const hashLen = 12

func (c *cli) start(args []string) error {
	fs := c.newFlags("start", "STEP [-actor A] [-impact none|disruption|outage]")
	actor := fs.String("actor", c.env("USER"), "who starts the step (default: $USER)")
	impact := fs.String("impact", "none", "what the step does to users: none, disruption or outage")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := needActor(*actor); err != nil {
		return err
	}
	step, err := oneStep(pos)
	if err != nil {
		return err
	}
	imp, err := timeline.ParseImpact(*impact)
	if err != nil {
		return usagef("-impact: %s", strings.TrimPrefix(err.Error(), "timeline: "))
	}
	return c.record(fs, func(j *timeline.Journal) (timeline.Entry, error) {
		return j.Start(step, *actor, imp)
	})
}

func (c *cli) end(args []string) error {
	fs := c.newFlags("end", "STEP [-actor A] [-outcome done|failed|skipped]")
	actor := fs.String("actor", c.env("USER"), "who ends the step (default: $USER)")
	outcome := fs.String("outcome", "done", "how the step ended: done, failed or skipped")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := needActor(*actor); err != nil {
		return err
	}
	step, err := oneStep(pos)
	if err != nil {
		return err
	}
	out, err := timeline.ParseOutcome(*outcome)
	if err != nil {
		return usagef("-outcome: %s", strings.TrimPrefix(err.Error(), "timeline: "))
	}
	if _, err := os.Stat(fs.file); fs.postgres == "" && errors.Is(err, os.ErrNotExist) {
		return fmt.Errorf("no journal at %s: nothing was started (wrong -f?)", fs.file)
	}
	return c.record(fs, func(j *timeline.Journal) (timeline.Entry, error) {
		return j.End(step, *actor, out)
	})
}

func (c *cli) note(args []string) error {
	fs := c.newFlags("note", "[-actor A] TEXT...")
	actor := fs.String("actor", c.env("USER"), "who writes the note (default: $USER)")
	pos, err := fs.parse(args)
	if err != nil {
		return err
	}
	if err := needActor(*actor); err != nil {
		return err
	}
	text := strings.TrimSpace(strings.Join(pos, " "))
	if text == "" {
		return usagef("no text to note (usage: journal note [-actor A] TEXT...)")
	}
	return c.record(fs, func(j *timeline.Journal) (timeline.Entry, error) {
		return j.Note(*actor, text)
	})
}

// oneStep returns the step named by the positional arguments.
func oneStep(pos []string) (string, error) {
	switch {
	case len(pos) == 0 || strings.TrimSpace(pos[0]) == "":
		return "", usagef("no step given")
	case len(pos) > 1:
		return "", usagef("one step at a time: got %q", pos)
	case hasControl(pos[0]):
		return "", usagef("step %q: a control character (a line break, a tab): name the step on one line", pos[0])
	}
	return pos[0], nil
}

// hasControl reports whether s holds a control character: a step or an
// actor with a line break would print as two entry lines, the second
// one forged.
func hasControl(s string) bool {
	return strings.IndexFunc(s, unicode.IsControl) >= 0
}

// needActor refuses an entry nobody signs: the journal is the record of
// who did what (R10), so an unset $USER is not silently "unknown".
func needActor(actor string) error {
	if strings.TrimSpace(actor) == "" {
		return usagef("who is acting? $USER is not set: give -actor NAME")
	}
	if hasControl(actor) {
		return usagef("-actor %q: a control character (a line break, a tab): give the name on one line", actor)
	}
	return nil
}

// record opens the file journal, records one entry with rec, and prints
// it. A torn last line that Open truncated is reported on stderr.
func (c *cli) record(fs *flags, rec func(*timeline.Journal) (timeline.Entry, error)) (err error) {
	key, err := fs.key(c.env)
	if err != nil {
		return err
	}
	j, err := c.open(fs, &timeline.Options{Now: c.now, Key: key})
	if err != nil {
		return explainOpen(err, key)
	}
	defer func() {
		if cerr := j.Close(); err == nil {
			err = cerr
		}
	}()
	if r := j.Recovery(); r.TornBytes > 0 {
		fmt.Fprintf(c.stderr, "journal: %s: truncated an incomplete last line (line %d, %d bytes) left by an interrupted write\n",
			fs.file, r.TornLine, r.TornBytes)
	}
	e, err := recordRetry(j, rec)
	if err != nil {
		return explainRecord(err, j)
	}
	fmt.Fprintln(c.stdout, entryLine(e, j.Entries()))
	return nil
}

// explainOpen adds what an operator can do about an Open error.
func explainOpen(err error, key []byte) error {
	switch {
	case errors.Is(err, timeline.ErrLocked):
		return fmt.Errorf("%w (another command is writing to it; try again)", err)
	case errors.Is(err, timeline.ErrWrongKey) && key == nil:
		return fmt.Errorf("%w (the journal was written with -key-env: give it here too)", err)
	case errors.Is(err, timeline.ErrWrongKey):
		return fmt.Errorf("%w (check the variable named by -key-env)", err)
	}
	return err
}

// explainRecord adds the running steps to a refused start or end.
func explainRecord(err error, j *timeline.Journal) error {
	if !errors.Is(err, timeline.ErrNotStarted) && !errors.Is(err, timeline.ErrAlreadyStarted) {
		return err
	}
	if running := j.Running(); len(running) > 0 {
		return fmt.Errorf("%w (running: %s)", err, strings.Join(running, ", "))
	}
	return fmt.Errorf("%w (no step is running)", err)
}

// entryLine prints e on one line: seq, time, kind, step, what the kind
// carries, actor and the start of the hash. For an end, entries give the
// duration of the attempt.
func entryLine(e timeline.Entry, entries []timeline.Entry) string {
	var b strings.Builder
	fmt.Fprintf(&b, "#%d %s %s", e.Seq, e.At.Format(timeLayout), e.Kind)
	if e.Step != "" {
		fmt.Fprintf(&b, " %s", e.Step)
	}
	switch e.Kind {
	case timeline.KindStart:
		fmt.Fprintf(&b, " impact=%s", e.Impact)
	case timeline.KindEnd:
		fmt.Fprintf(&b, " outcome=%s", e.Outcome)
		for _, sp := range timeline.Summarize(entries).Steps {
			if sp.EndSeq == e.Seq {
				if sp.Attempt > 1 {
					fmt.Fprintf(&b, " attempt=%d", sp.Attempt)
				}
				fmt.Fprintf(&b, " took=%s", timeline.FormatDuration(sp.Duration))
			}
		}
	}
	if e.Actor != "" {
		fmt.Fprintf(&b, " actor=%s", e.Actor)
	}
	if e.Text != "" {
		fmt.Fprintf(&b, " text=%q", e.Text)
	}
	fmt.Fprintf(&b, " hash=%s", e.Hash[:min(hashLen, len(e.Hash))])
	return b.String()
}
