package timeline

import "github.com/mepkit/mepkit/internal/enum"

// Impact is what a step does to the users of the system while it runs.
// The zero value is NoImpact.
type Impact uint8

// The impacts of a step, from none to the worst.
const (
	NoImpact   Impact = iota // users see nothing
	Disruption               // users are degraded (French: perturbation)
	Outage                   // users are cut off (French: coupure)
)

var impacts = enum.Enum[Impact]{Package: "timeline", Type: "Impact", What: "impact",
	Names:   []string{NoImpact: "none", Disruption: "disruption", Outage: "outage"},
	Aliases: map[string]Impact{"": NoImpact}, Invalid: ErrInvalid}

// String returns "none", "disruption" or "outage", and "Impact(N)" for an
// undeclared value.
func (i Impact) String() string { return impacts.String(i) }

// IsValid reports whether i is one of the declared impacts.
func (i Impact) IsValid() bool { return impacts.Valid(i) }

// MarshalText encodes i as its String form; an undeclared value is an
// error wrapping [ErrInvalid].
func (i Impact) MarshalText() ([]byte, error) { return impacts.MarshalText(i) }

// UnmarshalText decodes what [ParseImpact] reads.
func (i *Impact) UnmarshalText(b []byte) error { return impacts.UnmarshalText(i, b) }

// ParseImpact parses "none" (or the empty string), "disruption" or
// "outage", in any case and with spaces around trimmed. Any other text is
// an error wrapping [ErrInvalid].
func ParseImpact(s string) (Impact, error) { return impacts.Parse(s) }

// Outcome is how a step ended. The zero value is Done.
type Outcome uint8

// The outcomes of a step.
const (
	Done    Outcome = iota // the step did what it should
	Failed                 // the step failed
	Skipped                // the step was not carried out
)

var outcomes = enum.Enum[Outcome]{Package: "timeline", Type: "Outcome", What: "outcome",
	Names:   []string{Done: "done", Failed: "failed", Skipped: "skipped"},
	Aliases: map[string]Outcome{"": Done}, Invalid: ErrInvalid}

// String returns "done", "failed" or "skipped", and "Outcome(N)" for an
// undeclared value.
func (o Outcome) String() string { return outcomes.String(o) }

// IsValid reports whether o is one of the declared outcomes.
func (o Outcome) IsValid() bool { return outcomes.Valid(o) }

// MarshalText encodes o as its String form; an undeclared value is an
// error wrapping [ErrInvalid].
func (o Outcome) MarshalText() ([]byte, error) { return outcomes.MarshalText(o) }

// UnmarshalText decodes what [ParseOutcome] reads.
func (o *Outcome) UnmarshalText(b []byte) error { return outcomes.UnmarshalText(o, b) }

// ParseOutcome parses "done" (or the empty string), "failed" or
// "skipped", in any case and with spaces around trimmed. Any other text is
// an error wrapping [ErrInvalid].
func ParseOutcome(s string) (Outcome, error) { return outcomes.Parse(s) }
