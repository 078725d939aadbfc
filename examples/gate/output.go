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

// decision is gate's answer, as printed (its JSON form is the -json
// output).
type decision struct {
	Change    changeJSON     `json:"change"`
	Allowed   bool           `json:"allowed"`
	Verdict   string         `json:"verdict"` // the worst verdict: allow, warn or deny
	Decisions []decisionJSON `json:"decisions"`
	// NextSlot is the earliest start the calendars allow, when denied.
	NextSlot *time.Time `json:"next_slot,omitempty"`
	// Note explains a denial that moving the start does not clear, or
	// that no slot fits within the horizon.
	Note string `json:"note,omitempty"`
	// Ignored lists the -approve values that name nobody: no GO counted.
	Ignored []string `json:"ignored_approvals,omitempty"`
	// Rehearsals are the warnings of the simulation of the -rehearsal
	// files: where its figures stand on thin data.
	Rehearsals []string `json:"rehearsal_warnings,omitempty"`
	// Waited is, with -wait, how long the gate waited, and WaitedPast
	// whether -max passed with the change still denied.
	Waited     string `json:"waited,omitempty"`
	WaitedPast bool   `json:"waited_past_max,omitempty"`

	result  policy.Result
	denials []string // names of the denying policies
}

type changeJSON struct {
	Name        string    `json:"name,omitempty"`
	Environment string    `json:"environment,omitempty"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Duration    string    `json:"duration"`
	Now         time.Time `json:"now"`
	Zone        string    `json:"zone"`
}

type decisionJSON struct {
	Policy     string      `json:"policy"`
	Index      int         `json:"index"` // the policy's position in the file, -1 for none
	Rule       policy.Rule `json:"rule,omitzero"`
	Verdict    string      `json:"verdict"`
	Reason     string      `json:"reason"`
	Next       *time.Time  `json:"next,omitempty"`
	Overridden bool        `json:"overridden,omitempty"`
}
