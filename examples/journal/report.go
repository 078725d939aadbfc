package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

func (c *cli) summary(args []string) error {
	fs := c.newFlags("summary", "[-tz ZONE]")
	tz := fs.String("tz", "", "show times in this IANA time `zone` (default: as recorded)")
	if err := fs.parseNone(args); err != nil {
		return err
	}
	loc, err := zone(*tz)
	if err != nil {
		return err
	}
	entries, err := c.entries(fs)
	if err != nil {
		return err
	}
	return timeline.WriteMarkdown(c.stdout, timeline.Summarize(inZone(entries, loc)))
}

func (c *cli) export(args []string) error {
	fs := c.newFlags("export", "-format md|csv|mermaid|jsonl [-baseline FILE] [-title T] [-tz ZONE]")
	format := fs.String("format", "", "md, csv, mermaid or jsonl (required)")
	baseline := fs.String("baseline", "", "mermaid: the rehearsal journal `file` to draw beside the run")
	title := fs.String("title", "", "md and mermaid: the title")
	tz := fs.String("tz", "", "show times in this IANA time `zone` (default: as recorded)")
	if err := fs.parseNone(args); err != nil {
		return err
	}
	switch *format {
	case "md", "csv", "mermaid", "jsonl":
	case "":
		return usagef("-format is required: md, csv, mermaid or jsonl")
	default:
		return usagef("-format %q: want md, csv, mermaid or jsonl", *format)
	}
	if *baseline != "" && *format != "mermaid" {
		return usagef("-baseline applies to -format mermaid only (for numbers, use journal compare)")
	}
	if *title != "" && (*format == "csv" || *format == "jsonl") {
		return usagef("-title applies to -format md and mermaid only")
	}
	loc, err := zone(*tz)
	if err != nil {
		return err
	}
	entries, err := c.entries(fs)
	if err != nil {
		return err
	}
	entries = inZone(entries, loc)
	switch *format {
	case "csv":
		return timeline.WriteCSV(c.stdout, entries)
	case "jsonl":
		return timeline.WriteJSONL(c.stdout, entries)
	case "md":
		if *title != "" {
			fmt.Fprintf(c.stdout, "# %s\n\n", markdownText(*title))
		}
		return timeline.WriteMarkdown(c.stdout, timeline.Summarize(entries))
	}
	var base *timeline.Summary
	if *baseline != "" {
		be, err := c.read(*baseline)
		if err != nil {
			return err
		}
		s := timeline.Summarize(inZone(be, loc))
		base = &s
	}
	return timeline.WriteMermaid(c.stdout, *title, timeline.Summarize(entries), base)
}

func (c *cli) compare(args []string) error {
	fs := c.newFlags("compare", "-baseline FILE")
	baseline := fs.String("baseline", "", "the rehearsal journal `file` (required)")
	if err := fs.parseNone(args); err != nil {
		return err
	}
	if *baseline == "" {
		return usagef("-baseline is required: the rehearsal's journal file")
	}
	base, err := c.read(*baseline)
	if err != nil {
		return err
	}
	actual, err := c.entries(fs)
	if err != nil {
		return err
	}
	bs, as := timeline.Summarize(base), timeline.Summarize(actual)
	writeComparison(c.stdout, timeline.Compare(bs, as), elapsed(bs), elapsed(as))
	for _, s := range []struct {
		name string
		s    timeline.Summary
	}{{"rehearsal", bs}, {"actual run", as}} {
		if !s.s.IsComplete() {
			fmt.Fprintf(c.stdout, "\nThe %s has %d step(s) still running, counted in no duration.\n", s.name, s.s.Open)
		}
	}
	return nil
}

// elapsed returns the elapsed time of each step of s.
func elapsed(s timeline.Summary) map[string]time.Duration {
	m := make(map[string]time.Duration)
	for _, t := range s.StepTotals() {
		m[t.Step] = t.Elapsed
	}
	return m
}

// writeComparison prints c as a Markdown table: per step, then in total,
// with the difference and its percentage of the rehearsal; then the steps
// that only one run has, with their time in that run.
func writeComparison(w io.Writer, c timeline.Comparison, base, actual map[string]time.Duration) {
	fmt.Fprintf(w, "| Step | Rehearsal | Actual | Delta |\n|------|----------:|-------:|------:|\n")
	row := func(name string, d timeline.Delta) {
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", name,
			timeline.FormatDuration(d.Baseline), timeline.FormatDuration(d.Actual), delta(d))
	}
	for _, s := range c.Steps {
		row(markdownText(s.Step), s.Delta)
	}
	row("**Total**", c.Duration)
	row("**Outage**", c.Outage)
	row("**Disruption**", c.Disruption)
	if len(c.Missing) > 0 {
		fmt.Fprintf(w, "\nMissing (rehearsed, not run):\n")
		for _, s := range c.Missing {
			fmt.Fprintf(w, "- %s (%s in the rehearsal)\n", markdownText(s), timeline.FormatDuration(base[s]))
		}
	}
	if len(c.Added) > 0 {
		fmt.Fprintf(w, "\nAdded (run, never rehearsed):\n")
		for _, s := range c.Added {
			fmt.Fprintf(w, "- %s (%s)\n", markdownText(s), timeline.FormatDuration(actual[s]))
		}
	}
}

// delta prints a difference with its sign and, when the rehearsal took
// any time, its percentage of it.
func delta(d timeline.Delta) string {
	s := timeline.FormatDuration(d.Diff())
	if d.Diff() > 0 {
		s = "+" + s
	}
	if pct, ok := d.Percent(); ok {
		s += fmt.Sprintf(" (%+.0f%%)", pct)
	}
	return s
}

func (c *cli) verify(args []string) error {
	fs := c.newFlags("verify", "[-checkpoint FILE -pub PUBFILE]")
	cpFile := fs.String("checkpoint", "", "also check the journal against the signed checkpoint in this `file`")
	pubFile := fs.String("pub", "", "the public key `file` of the checkpoint's signer")
	if err := fs.parseNone(args); err != nil {
		return err
	}
	key, err := fs.key(c.env)
	if err != nil {
		return err
	}
	if *cpFile != "" || *pubFile != "" {
		return c.verifyCheckpoint(fs, key, *cpFile, *pubFile)
	}
	// A torn last line is a failure here, not a note: the file is not what
	// was recorded, whatever the rest says. VerifyFile checks as it reads,
	// in bounded memory, whatever the size of the journal.
	n, head, err := c.verifyChain(fs, key)
	if err != nil {
		if e := missing(err, fs.file); e != err {
			return e
		}
		return explainOpen(err, key)
	}
	if n == 0 {
		fmt.Fprintf(c.stdout, "ok: 0 entries\n")
		return nil
	}
	fmt.Fprintf(c.stdout, "ok: %d entries, head %s\n", n, head)
	return nil
}

// read reads a journal file without changing it. An incomplete last line
// (an interrupted write, which the next start, end or note truncates) is
// reported on stderr and left out.
func (c *cli) read(path string) ([]timeline.Entry, error) {
	if err := regular(path); err != nil {
		return nil, err
	}
	entries, err := timeline.ReadFile(path)
	if errors.Is(err, timeline.ErrTornWrite) {
		fmt.Fprintf(c.stderr, "journal: %s: ignoring an incomplete last line: %s\n", path, message(err))
		return entries, nil
	}
	return entries, missing(err, path)
}

// missing turns a file that does not exist into bad input (exit status
// 2): a mistyped -f or -baseline is not a tampered journal (status 1).
func missing(err error, path string) error {
	if errors.Is(err, fs.ErrNotExist) {
		return usagef("no journal at %s (wrong -f or -baseline?)", path)
	}
	return err
}

// inZone returns entries with their times in loc; a nil loc keeps them as
// recorded. Only the presentation changes: hashes cover the instant.
func inZone(entries []timeline.Entry, loc *time.Location) []timeline.Entry {
	if loc == nil {
		return entries
	}
	for i := range entries {
		entries[i].At = entries[i].At.In(loc)
	}
	return entries
}

// noArgs refuses positional arguments where a command takes none.
func noArgs(pos []string) error {
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	return nil
}

// markdownText escapes s for a Markdown table cell or list item: Markdown
// punctuation gets a backslash, HTML characters become entities and line
// breaks become spaces, so that a step name cannot change the document.
func markdownText(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case strings.ContainsRune("\\`*_[]|#~!{}()", r):
			b.WriteByte('\\')
			b.WriteRune(r)
		case r == '<':
			b.WriteString("&lt;")
		case r == '>':
			b.WriteString("&gt;")
		case r == '&':
			b.WriteString("&amp;")
		case r == '"':
			b.WriteString("&quot;")
		case strings.ContainsRune("\n\r\t\v\f\u2028\u2029", r):
			b.WriteByte(' ')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
