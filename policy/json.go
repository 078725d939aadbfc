package policy

import (
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// JSON. The types a tool would log or send ([Result], [Decision],
// [Change], [Approval], [Override], [Interval], [Risk], [Scope], [Quorum],
// [Readiness], [Verdict], [Rule], [Date]) marshal to JSON with snake_case fields,
// enums as their text ("deny", "R7"), times in RFC 3339, dates as "2006-01-02"
// and durations as a number of seconds (5400 for 1h30m, 0.5 for 500ms).
// Unmarshalling reads the same forms back.

// MarshalText returns "allow", "warn" or "deny"; other values are an error.
func (v Verdict) MarshalText() ([]byte, error) {
	if v > Deny {
		return nil, fmt.Errorf("policy: cannot marshal %v: %w", v, ErrInvalid)
	}
	return []byte(v.String()), nil
}

// UnmarshalText reads "allow", "warn" or "deny", as [ParseVerdict].
func (v *Verdict) UnmarshalText(b []byte) error {
	x, err := ParseVerdict(string(b))
	if err != nil {
		return err
	}
	*v = x
	return nil
}

// ParseVerdict reads "allow", "warn" or "deny", in any case.
func ParseVerdict(s string) (Verdict, error) {
	switch strings.ToLower(s) {
	case "allow":
		return Allow, nil
	case "warn":
		return Warn, nil
	case "deny":
		return Deny, nil
	}
	return 0, fmt.Errorf("policy: verdict %q: want allow, warn or deny: %w", s, ErrInvalid)
}

// MarshalText returns the date as "2006-01-02".
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText reads "2006-01-02", as [ParseDate].
func (d *Date) UnmarshalText(b []byte) error {
	x, err := ParseDate(string(b))
	if err != nil {
		return err
	}
	*d = x
	return nil
}

// approvalJSON is the JSON form of an Approval.
type approvalJSON struct {
	Role   string    `json:"role"`
	By     string    `json:"by"`
	At     time.Time `json:"at,omitzero"`
	Go     bool      `json:"go"`
	Reason string    `json:"reason,omitempty"`
}

// MarshalJSON writes {"role", "by", "at", "go", "reason"}; at is left out
// when zero, reason when empty.
func (a Approval) MarshalJSON() ([]byte, error) { return json.Marshal(approvalJSON(a)) }

// UnmarshalJSON reads what MarshalJSON writes.
func (a *Approval) UnmarshalJSON(b []byte) error {
	var j approvalJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*a = Approval(j)
	return nil
}

// intervalJSON is the JSON form of an Interval.
type intervalJSON struct {
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`
}

// MarshalJSON writes {"start", "end"}.
func (iv Interval) MarshalJSON() ([]byte, error) { return json.Marshal(intervalJSON(iv)) }

// UnmarshalJSON reads what MarshalJSON writes.
func (iv *Interval) UnmarshalJSON(b []byte) error {
	var j intervalJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return err
	}
	*iv = Interval(j)
	return nil
}

// changeJSON is the JSON form of a Change.
type changeJSON struct {
	Name        string            `json:"name,omitempty"`
	Environment string            `json:"environment,omitempty"`
	Start       time.Time         `json:"start"`
	Duration    timespan.Seconds  `json:"duration"`
	Now         time.Time         `json:"now,omitzero"`
	Location    string            `json:"location,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	ReadyAt     time.Time         `json:"ready_at,omitzero"`
	Approvals   []Approval        `json:"approvals,omitempty"`
	Outage      timespan.Seconds  `json:"outage"`
	OutageKnown bool              `json:"outage_known,omitempty"`
	Override    *Override         `json:"override,omitempty"`
	Risk        Risk              `json:"risk,omitzero"`
}

// MarshalJSON writes the change with snake_case fields: duration and
// outage in seconds, location as its zone name ("Europe/Paris"), zero
// times and empty fields left out.
func (c Change) MarshalJSON() ([]byte, error) {
	j := changeJSON{
		Name: c.Name, Environment: c.Environment, Start: c.Start, Duration: timespan.Seconds(c.Duration), Now: c.Now,
		Labels: c.Labels, ReadyAt: c.ReadyAt, Approvals: c.Approvals, Outage: timespan.Seconds(c.Outage),
		OutageKnown: c.OutageKnown, Override: c.Override, Risk: c.Risk,
	}
	if c.Location != nil {
		j.Location = c.Location.String()
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes. A location must be a zone
// that time.LoadLocation knows.
func (c *Change) UnmarshalJSON(b []byte) error {
	var j changeJSON
	if err := json.Unmarshal(b, &j); err != nil {
		if e, ok := err.(*timespan.Error); ok {
			return fmt.Errorf("policy: %w: %w", e, ErrInvalid)
		}
		return err
	}
	var loc *time.Location
	if j.Location != "" {
		var err error
		if loc, err = time.LoadLocation(j.Location); err != nil {
			return fmt.Errorf("policy: change location %q: %w", j.Location, ErrInvalid)
		}
	}
	*c = Change{
		Name: j.Name, Environment: j.Environment, Start: j.Start, Duration: time.Duration(j.Duration), Now: j.Now,
		Location: loc, Labels: j.Labels, ReadyAt: j.ReadyAt, Approvals: j.Approvals, Outage: time.Duration(j.Outage),
		OutageKnown: j.OutageKnown, Override: j.Override, Risk: j.Risk,
	}
	return nil
}

// MarshalJSON writes {"lead": seconds}, the lead in force.
func (r *Readiness) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Lead timespan.Seconds `json:"lead"`
	}{timespan.Seconds(r.lead())})
}

// MarshalJSON writes {"role", "count"}, the count in force.
func (q *Quorum) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Role  string `json:"role"`
		Count int    `json:"count"`
	}{q.Role, max(q.Count, 1)})
}
