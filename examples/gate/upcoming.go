package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
)

const upcomingUsage = `usage: gate upcoming -policy FILE [-days 14] [-format text|md|json|ics] [-now TIME]

List when the calendars of a policy file open and close in the coming
days: freezes that start and end, windows that open and close, holidays
and their eves, in the zone of the file. Exit status: 0 listed, 2 bad input.

Flags:
  -policy FILE   the policy file, YAML or JSON
  -days N        how many days ahead (default 14)
  -format F      text (default), md (a Markdown table), json, or ics (an
                 iCalendar file of the blocked intervals)
  -now TIME      from when (default: the clock): RFC 3339, or
                 "2026-11-24 20:30" in the zone of the file
`

// upcoming runs "gate upcoming".
func upcoming(args []string, stdout, stderr io.Writer, sys *system) int {
	fs := flag.NewFlagSet("gate upcoming", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.Usage = func() {}
	var file, format, now string
	var n int
	fs.StringVar(&file, "policy", "", "")
	fs.IntVar(&n, "days", 14, "")
	fs.StringVar(&format, "format", "text", "")
	fs.StringVar(&now, "now", "", "")
	err := fs.Parse(args)
	switch {
	case errors.Is(err, flag.ErrHelp):
		fmt.Fprint(stdout, upcomingUsage)
		return exitUsage
	case err != nil:
		err = flagError(err)
	case fs.NArg() > 0:
		err = flagError(fmt.Errorf("unexpected argument %q: every input is a flag", fs.Arg(0)))
	case file == "":
		err = flagError(errors.New("-policy FILE is required"))
	case n <= 0 || n > 3660:
		err = flagError(fmt.Errorf("-days %d: want 1 to 3660", n))
	case format != "text" && format != "md" && format != "json" && format != "ics":
		err = flagError(fmt.Errorf("-format %q: want text, md, json or ics", format))
	}
	if err == nil {
		err = listUpcoming(stdout, sys, file, now, format, n)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gate upcoming: %v\n", err)
		var bad *badInput
		if !errors.As(err, &bad) {
			return exitDenied // the answer was not written
		}
		if bad.flags {
			fmt.Fprintln(stderr, `run "gate upcoming -help" for the flags`)
		}
		return exitUsage
	}
	return exitAllowed
}

// listUpcoming reads the file and writes the transitions in format.
func listUpcoming(w io.Writer, sys *system, file, now, format string, n int) error {
	f, err := sys.load(file)
	if err != nil {
		return &badInput{err: err}
	}
	loc := f.Zone
	if loc == nil {
		loc = time.UTC
	}
	from := sys.now().Round(0).In(loc)
	if now != "" {
		if from, err = parseTime("now", now, loc); err != nil {
			return err
		}
		from = from.In(loc)
	}
	horizon := time.Duration(n) * day
	to := from.Add(horizon)
	if format == "ics" {
		return f.Set.WriteICS(w, from, to, &policy.ICSOptions{Stamp: from})
	}
	ts := f.Set.Upcoming(from, horizon)
	var b strings.Builder
	switch format {
	case "json":
		return writeUpcomingJSON(w, from, to, ts)
	case "md":
		fmt.Fprintf(&b, "### Go-live calendar, %s to %s (%s)\n\n", from.Format(displayLayout), to.Format(displayLayout), loc)
		b.WriteString("| When | | Policy | Rule | Until / since | Go-lives | Why |\n| --- | --- | --- | --- | --- | --- | --- |\n")
		for _, t := range ts {
			other, free := t.Blocked.End, "blocked"
			if t.Edge == policy.Opens {
				other = t.Blocked.Start
			}
			if t.Free {
				free = "allowed"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s | %s |\n", t.At.Format(displayLayout), t.Edge, mdCell(t.Policy),
				ruleText(t.Rule), other.Format(displayLayout), free, mdCell(t.Reason))
		}
	default:
		fmt.Fprintf(&b, "go-live calendar, %s to %s (%s):\n", from.Format(displayLayout), to.Format(displayLayout), loc)
		for _, t := range ts {
			b.WriteString(t.String() + "\n")
		}
		if len(ts) == 0 {
			b.WriteString("nothing opens or closes\n")
		}
	}
	_, err = io.WriteString(w, b.String())
	return err
}

func ruleText(r policy.Rule) string {
	if r == policy.NoRule {
		return ""
	}
	return r.String()
}

func writeUpcomingJSON(w io.Writer, from, to time.Time, ts []policy.Transition) error {
	out := struct {
		From        time.Time           `json:"from"`
		To          time.Time           `json:"to"`
		Transitions []policy.Transition `json:"transitions"`
	}{From: from, To: to, Transitions: ts}
	if out.Transitions == nil {
		out.Transitions = []policy.Transition{}
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(out)
}
