package timeline

import "fmt"

// Impact is what a step does to the users of the system while it runs.
// The zero value is NoImpact.
type Impact uint8

// The impacts of a step, from none to the worst.
const (
	NoImpact   Impact = iota // users see nothing
	Disruption               // users are degraded (French: perturbation)
	Outage                   // users are cut off (French: coupure)
)

var impactNames = [...]string{NoImpact: "none", Disruption: "disruption", Outage: "outage"}

// String returns "none", "disruption" or "outage".
func (i Impact) String() string {
	if int(i) < len(impactNames) {
		return impactNames[i]
	}
	return fmt.Sprintf("Impact(%d)", uint8(i))
}

// IsValid reports whether i is one of the declared impacts.
func (i Impact) IsValid() bool { return int(i) < len(impactNames) }

// MarshalText encodes i as its String form; an undeclared value is an error.
func (i Impact) MarshalText() ([]byte, error) {
	if !i.IsValid() {
		return nil, fmt.Errorf("timeline: invalid impact %d", uint8(i))
	}
	return []byte(impactNames[i]), nil
}

// UnmarshalText decodes "none" (or ""), "disruption" or "outage".
func (i *Impact) UnmarshalText(b []byte) error {
	v, err := ParseImpact(string(b))
	if err != nil {
		return err
	}
	*i = v
	return nil
}

// ParseImpact parses "none" (or the empty string), "disruption" or "outage".
func ParseImpact(s string) (Impact, error) {
	switch s {
	case "", "none":
		return NoImpact, nil
	case "disruption":
		return Disruption, nil
	case "outage":
		return Outage, nil
	}
	return 0, fmt.Errorf("timeline: unknown impact %q (want none, disruption or outage)", s)
}

// Outcome is how a step ended. The zero value is Done.
type Outcome uint8

// The outcomes of a step.
const (
	Done    Outcome = iota // the step did what it should
	Failed                 // the step failed
	Skipped                // the step was not carried out
)

var outcomeNames = [...]string{Done: "done", Failed: "failed", Skipped: "skipped"}

// String returns "done", "failed" or "skipped".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", uint8(o))
}

// IsValid reports whether o is one of the declared outcomes.
func (o Outcome) IsValid() bool { return int(o) < len(outcomeNames) }

// MarshalText encodes o as its String form; an undeclared value is an error.
func (o Outcome) MarshalText() ([]byte, error) {
	if !o.IsValid() {
		return nil, fmt.Errorf("timeline: invalid outcome %d", uint8(o))
	}
	return []byte(outcomeNames[o]), nil
}

// UnmarshalText decodes "done" (or ""), "failed" or "skipped".
func (o *Outcome) UnmarshalText(b []byte) error {
	v, err := ParseOutcome(string(b))
	if err != nil {
		return err
	}
	*o = v
	return nil
}

// ParseOutcome parses "done" (or the empty string), "failed" or "skipped".
func ParseOutcome(s string) (Outcome, error) {
	switch s {
	case "", "done":
		return Done, nil
	case "failed":
		return Failed, nil
	case "skipped":
		return Skipped, nil
	}
	return 0, fmt.Errorf("timeline: unknown outcome %q (want done, failed or skipped)", s)
}
