package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// writeText writes the answer for people: the change, one line per
// decision, the verdict and, when denied, the next slot.
func (d *decision) writeText(w io.Writer) error {
	var b strings.Builder
	c := d.Change
	b.WriteString("change:")
	if name := strings.TrimSpace(c.Name); name != "" {
		b.WriteString(" " + name)
	}
	if env := strings.TrimSpace(c.Environment); env != "" {
		b.WriteString(" to " + env + ",")
	}
	fmt.Fprintf(&b, " %s to %s (%s)\n", c.Start.Format(displayLayout), c.End.Format(displayLayout), c.Duration)
	fmt.Fprintf(&b, "decided: %s\n", c.Now.Format(displayLayout))
	for _, a := range d.Ignored {
		fmt.Fprintf(&b, "note: -approve %q names nobody: no GO counted\n", a)
	}
	for _, w := range d.Rehearsals {
		fmt.Fprintf(&b, "note: rehearsals: %s\n", w)
	}
	if len(d.result.Decisions) > 0 {
		b.WriteString(d.result.String() + "\n")
	}
	switch {
	case d.Allowed && d.result.Verdict() == policy.Warn:
		b.WriteString("allowed, with warnings: the change may run\n")
	case d.Allowed:
		b.WriteString("allowed: the change may run\n")
	default:
		b.WriteString("denied by " + strings.Join(d.denials, ", ") + "\n")
		if d.NextSlot != nil {
			fmt.Fprintf(&b, "next allowed slot: %s (-start %s)\n", d.NextSlot.Format(displayLayout), d.NextSlot.Format(time.RFC3339))
		}
		if d.Note != "" {
			b.WriteString(d.Note + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeJSON writes the answer as one indented JSON object.
func (d *decision) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}

// oneLine is err on one line, for the job's log: a driver's error can
// take several, one per address it tried.
func oneLine(err error) string {
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
	return b.String()
}
