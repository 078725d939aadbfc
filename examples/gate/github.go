package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
)

// github writes, on GitHub Actions (GITHUB_ACTIONS=true), an ::error::
// annotation per denial (to stdout, or to stderr with -json, which keeps
// stdout one JSON object) and appends a Markdown job summary to the file
// named by $GITHUB_STEP_SUMMARY. Elsewhere it does nothing.
func (d *decision) github(o *options, sys *system, stdout, stderr io.Writer) error {
	if sys.env("GITHUB_ACTIONS") != "true" {
		return nil
	}
	out := stdout
	if o.json {
		out = stderr
	}
	var b strings.Builder
	for _, dec := range d.result.Denials() {
		fmt.Fprintf(&b, "::error title=%s::%s\n", escapeProperty("go-live denied by "+dec.Policy), escapeData(dec.Reason))
	}
	if d.WaitedPast {
		fmt.Fprintf(&b, "::error title=%s::%s\n", escapeProperty("go-live gate"), escapeData("waited "+d.Waited+", past -max: still denied"))
	}
	if _, err := io.WriteString(out, b.String()); err != nil {
		return err
	}
	path := sys.env("GITHUB_STEP_SUMMARY")
	if path == "" {
		return nil
	}
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("job summary: %w", err)
	}
	_, err = io.WriteString(f, d.markdown())
	return errors.Join(err, f.Close())
}

// markdown is the job summary: the answer, the change, a table of the
// decisions and the next slot.
func (d *decision) markdown() string {
	var b strings.Builder
	c := d.Change
	switch {
	case d.WaitedPast:
		b.WriteString("### :hourglass: Go-live gate: still denied after waiting " + d.Waited + "\n\n")
	case d.Allowed && d.Verdict == "warn":
		b.WriteString("### :warning: Go-live gate: allowed, with warnings\n\n")
	case d.Allowed:
		b.WriteString("### :white_check_mark: Go-live gate: allowed\n\n")
	default:
		b.WriteString("### :no_entry: Go-live gate: denied\n\n")
	}
	name := strings.TrimSpace(c.Name)
	if name == "" {
		name = "the change"
	}
	fmt.Fprintf(&b, "%s", mdCell(name))
	if env := strings.TrimSpace(c.Environment); env != "" {
		fmt.Fprintf(&b, " to **%s**", mdCell(env))
	}
	fmt.Fprintf(&b, ", %s to %s (%s), decided %s", c.Start.Format(displayLayout), c.End.Format(displayLayout), c.Duration, c.Now.Format(displayLayout))
	if d.Waited != "" {
		fmt.Fprintf(&b, " after waiting %s", d.Waited)
	}
	b.WriteString(".\n\n| Verdict | Policy | Rule | Reason |\n| --- | --- | --- | --- |\n")
	for _, dec := range d.Decisions {
		v := dec.Verdict
		if dec.Overridden {
			v += " (overridden)"
		}
		rule := ""
		if dec.Rule != 0 {
			rule = dec.Rule.String()
		}
		fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", v, mdCell(dec.Policy), rule, mdCell(dec.Reason))
	}
	if d.NextSlot != nil {
		fmt.Fprintf(&b, "\nNext allowed slot: **%s** (`-start %s`)\n", d.NextSlot.Format(displayLayout), d.NextSlot.Format(time.RFC3339))
	}
	if d.Note != "" {
		b.WriteString("\n" + mdCell(d.Note) + "\n")
	}
	b.WriteString("\n")
	return b.String()
}

// mdCell escapes text for a Markdown table cell: pipes, and line breaks.
func mdCell(s string) string {
	s = strings.ReplaceAll(s, "|", `\|`)
	return strings.ReplaceAll(s, "\n", "<br>")
}

// escapeData escapes the message of a workflow command.
func escapeData(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A").Replace(s)
}

// escapeProperty escapes a property of a workflow command.
func escapeProperty(s string) string {
	return strings.NewReplacer("%", "%25", "\r", "%0D", "\n", "%0A", ":", "%3A", ",", "%2C").Replace(s)
}
