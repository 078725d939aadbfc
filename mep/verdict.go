package mep

import (
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/internal/enum"
	"github.com/mepkit/mepkit/policy"
)

// Verdict is the outcome of a go/no-go, in the words of package policy.
// The zero value is [Undecided], never [Go].
type Verdict uint8

// The go/no-go outcomes.
const (
	Undecided Verdict = iota // no decision yet: the cutover may not start
	Go                       // go: the cutover may start (R9)
	NoGo                     // no-go: the cutover does not start
)

var verdicts = enum.Enum[Verdict]{Package: "mep", Type: "Verdict", What: "verdict",
	Names: []string{Undecided: "undecided", Go: "go", NoGo: "no-go"}, Aliases: map[string]Verdict{"": Undecided},
	Invalid: ErrInvalid, Fail: enumFail("verdict")}

// String returns "undecided", "go" or "no-go", or "Verdict(N)".
func (v Verdict) String() string { return verdicts.String(v) }

// MarshalText returns the verdict's name; an invalid value is an error.
func (v Verdict) MarshalText() ([]byte, error) { return verdicts.MarshalText(v) }

// UnmarshalText parses "undecided" (or ""), "go" or "no-go", ignoring
// case; anything else is a *FieldError.
func (v *Verdict) UnmarshalText(b []byte) error { return verdicts.UnmarshalText(v, b) }

// Decision is a go/no-go with every reason behind it (R9). The zero value
// is Undecided.
type Decision struct {
	Verdict Verdict
	By      string    // a Go: who gave it, the first operations voter that counts
	At      time.Time // when it was taken or evaluated
	T0      time.Time // the cutover start it is about
	// Reasons explain the verdict, one each, blocking reasons first: the
	// phase, policy denials and warnings, late or failed checklist items,
	// missing, stale or uncounted votes, a missing estimate.
	Reasons []Reason
	// Warnings do not change the verdict but deserve a look: lessons not
	// yet applied (R12), an estimate that does not come from a
	// production-like full rehearsal (R5), no holiday calendar (R11).
	Warnings []Reason
	// Policy is the policies' result for [T0, T0+Estimate).
	Policy   policy.Result
	Estimate time.Duration // the estimated duration checked, margin included
	Pending  int           // required readiness items not done
	Digest   string        // the readiness checklist's digest when decided
	// Late, Failed, Votes and Stale are the items and votes behind the
	// reasons; the record keeps them with the decision.
	Late   []checklist.Item
	Failed []checklist.Item
	Votes  []Vote // the votes that count
	Stale  []Vote // votes that do not count, each with its Stale reason
}

// Reason is one reason of a decision, as data: what it comes from, the
// rule of the method it enforces, and a sentence a person can act on.
// The record keeps its fields.
type Reason struct {
	// Source is what the reason comes from: a policy's name
	// ("friday-freeze"), or "phase", "checklist", "readiness",
	// "operations readiness", "team", "vote", "estimate", "lesson",
	// "holidays" or "policies".
	Source string `json:"source"`
	// Rule is the rule of the method it enforces; 0 for none (a policy of
	// the team's own, say).
	Rule policy.Rule `json:"rule,omitzero"`
	Text string      `json:"text"`
}

// String returns the reason as people read it: "source: text (R7)".
func (r Reason) String() string { return string(r.append(nil)) }

// append appends the reason as String writes it to b.
func (r Reason) append(b []byte) []byte {
	if r.Source != "" {
		b = append(append(b, r.Source...), ": "...)
	}
	b = append(b, r.Text...)
	if r.Rule != 0 {
		b = append(append(append(b, " ("...), r.Rule.String()...), ')')
	}
	return b
}

// reasons returns rs as people read them, one string each.
func reasonStrings(rs []Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.String()
	}
	return out
}

// clone returns a copy of d that shares no list or pointer with it: what a
// caller is handed is theirs to change.
func (d Decision) clone() Decision {
	d.Reasons, d.Warnings = slices.Clone(d.Reasons), slices.Clone(d.Warnings)
	d.Policy.Decisions = slices.Clone(d.Policy.Decisions)
	if o := d.Policy.Override; o != nil {
		c := *o
		d.Policy.Override = &c
	}
	d.Late, d.Failed = slices.Clone(d.Late), slices.Clone(d.Failed)
	for _, items := range [][]checklist.Item{d.Late, d.Failed} {
		for i := range items {
			items[i].DependsOn = slices.Clone(items[i].DependsOn)
		}
	}
	d.Votes, d.Stale = slices.Clone(d.Votes), slices.Clone(d.Stale)
	return d
}

// IsGo reports whether the verdict is Go.
func (d Decision) IsGo() bool { return d.Verdict == Go }

// String explains the decision: the verdict, then one reason per line,
// then the warnings.
func (d Decision) String() string {
	var b strings.Builder
	b.WriteString(strings.ToUpper(d.Verdict.String()))
	for _, r := range d.Reasons {
		b.WriteString("\n- ")
		b.WriteString(r.String())
	}
	for _, w := range d.Warnings {
		b.WriteString("\n- warning: ")
		b.WriteString(w.String())
	}
	return b.String()
}
