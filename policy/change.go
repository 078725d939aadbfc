package policy

import "time"

// Change is a planned operation, as the policies see it. It is a plain
// value; the zero Duration means the operation is the single instant Start.
type Change struct {
	Name, Environment string
	// Start is the planned start of the operation (T0).
	Start time.Time
	// Duration is how long the operation lasts: the whole of
	// [Start, Start+Duration) must be allowed. Zero or negative: the instant
	// Start alone.
	Duration time.Duration
	// Now is when the decision is taken; zero means Start.
	Now time.Time
	// Labels are free-form attributes for user policies ([Func]).
	Labels map[string]string
	// ReadyAt is when readiness was complete (rule R7); zero: not ready.
	ReadyAt time.Time
	// Approvals are the go/no-go decisions given so far (rule R9).
	Approvals []Approval
	// Outage is the expected user outage, from rehearsals (rule R5).
	Outage time.Duration
	// Override, when non-nil, is a break-glass request: see [Set.Evaluate].
	Override *Override
}

// Approval is one person's go/no-go decision for a role.
type Approval struct {
	Role   string    // e.g. "operations"
	By     string    // who decided
	At     time.Time // when; zero: undated, taken as given before Now
	Go     bool      // true for GO, false for No-Go
	Reason string    // why, above all for a No-Go
}

// Override is a break-glass request: a named person takes responsibility
// for running a change that policies deny. Both By and Reason are required;
// an Override without them is ignored and reported.
type Override struct {
	By     string
	Reason string
	At     time.Time // when it was granted; informational
}

// valid reports whether o names who and why.
func (o *Override) valid() bool { return o != nil && o.By != "" && o.Reason != "" }

// span returns the half-open interval of real time the operation occupies.
func (c Change) span() (from, to time.Time) {
	from = c.Start.Round(0)
	if c.Duration <= 0 {
		return from, from.Add(time.Nanosecond)
	}
	return from, from.Add(c.Duration)
}

// duration returns the length of the operation as the policies count it.
func (c Change) duration() time.Duration {
	if c.Duration <= 0 {
		return time.Nanosecond
	}
	return c.Duration
}

// now returns when the decision is taken.
func (c Change) now() time.Time {
	if c.Now.IsZero() {
		return c.Start.Round(0)
	}
	return c.Now.Round(0)
}
