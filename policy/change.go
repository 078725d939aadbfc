package policy

import "time"

// Change is a planned operation, as the policies see it. It is a plain
// value; the zero Duration means the operation is the single instant Start.
// The zero Change is an instant at the zero time, not ready, with no GO
// and an unknown outage: the policies judge it as such.
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
	// Location is the zone in which policies that have no zone of their own
	// ([ReadinessWindow], [RequireGo], [MaxOutage], and [Func] policies that
	// call [Change.Zone]) write the times of their reasons, so that every
	// reason of a Set reads in one zone. Nil: the location of Start. A
	// policy given a zone by [In] uses that zone instead; calendars always
	// use their own. Sets read by package policyfile give their zone-less
	// policies the file's zone.
	Location *time.Location
	// Labels are free-form attributes, for [Scoped] policies and user
	// policies ([Func]).
	Labels map[string]string
	// ReadyAt is when readiness was complete (rule R7); zero: not ready.
	ReadyAt time.Time
	// Approvals are the go/no-go decisions given so far (rule R9).
	Approvals []Approval
	// Outage is the expected user outage, from rehearsals (rule R5). A zero
	// Outage is unknown unless OutageKnown is set.
	Outage time.Duration
	// OutageKnown reports that Outage was measured, so that a zero Outage
	// means "no user outage" rather than "unknown". An Outage above zero is
	// known whatever this flag says.
	OutageKnown bool
	// Override, when non-nil, is a break-glass request: see [Set.Evaluate].
	Override *Override
	// Risk is what the rehearsals and lessons say about the change, for
	// risk checks ([Func] policies).
	Risk Risk
}

// Risk is what risk checks need to know about a change: its rehearsals,
// the lessons not yet applied, its point of no return. The zero Risk says
// nothing was rehearsed and nothing is known.
type Risk struct {
	// Rehearsals is the number of rehearsals recorded.
	Rehearsals int `json:"rehearsals"`
	// ProductionLike counts the rehearsals that were production-like and
	// covered the whole runbook.
	ProductionLike int `json:"production_like"`
	// FailedRehearsalSteps are the IDs of the steps that failed in a
	// rehearsal.
	FailedRehearsalSteps []string `json:"failed_rehearsal_steps,omitempty"`
	// UnappliedLessons are the texts of lessons not yet applied.
	UnappliedLessons []string `json:"unapplied_lessons,omitempty"`
	// PointOfNoReturn is the ID of the step after which the change cannot
	// be rolled back; "" if none.
	PointOfNoReturn string `json:"point_of_no_return,omitempty"`
	// Durations is how long the operation may take, as a simulation of
	// its rehearsals says (package risk's Distribution is one), for
	// [FitAt]; nil: not known. It is not carried in JSON.
	Durations Distribution `json:"-"`
}

// Distribution is how long an operation may take: the durations of many
// simulated runs of it. Package risk's Distribution satisfies it; so
// does any sample a team keeps. A Distribution handed to policies is
// read by several goroutines when they run at once.
type Distribution interface {
	// Quantile returns the duration that a share q of the runs do not
	// exceed, q between 0 and 1: Quantile(0.9) is the P90.
	Quantile(q float64) time.Duration
	// Above returns the share of the runs that take longer than limit,
	// between 0 and 1.
	Above(limit time.Duration) float64
}

// Zone returns the zone in which a policy without a zone of its own writes
// times for people: c.Location, or the location of c.Start when nil.
func (c Change) Zone() *time.Location { return c.zone() }

// zone is Zone, without copying the change.
func (c *Change) zone() *time.Location {
	if c.Location != nil {
		return c.Location
	}
	return c.Start.Location()
}

// Approval is one person's go/no-go decision for a role. The zero Approval
// is an undated No-Go from nobody for no role, which no [Quorum] counts.
type Approval struct {
	Role   string    // e.g. "operations"
	By     string    // who decided; an approval without By counts as nobody's GO
	At     time.Time // when; zero: undated, taken as given before Now
	Go     bool      // true for GO, false for No-Go
	Reason string    // why, above all for a No-Go
}

// Override is a break-glass request: a named person takes responsibility
// for running a change that policies deny. Both By and Reason are required;
// an Override without them, the zero Override included, is ignored and
// reported.
type Override struct {
	By     string
	Reason string
	At     time.Time // when it was granted; informational
}

// valid reports whether o names who and why.
func (o *Override) valid() bool { return o != nil && o.By != "" && o.Reason != "" }

// span returns the half-open interval of real time the operation occupies.
func (c *Change) span() (from, to time.Time) {
	from = c.Start.Round(0)
	if c.Duration <= 0 {
		return from, from.Add(time.Nanosecond)
	}
	return from, from.Add(c.Duration)
}

// instSpan returns span as instants, without its time arithmetic, except
// for a start past 2^62 Unix seconds: near the end of the range of
// time.Time, where Add saturates, it takes span's result.
func (c *Change) instSpan() (from, to inst) {
	from = instOf(c.Start)
	if from.s < 1<<62 {
		return from, from.add(c.duration())
	}
	_, end := c.span()
	return from, instOf(end)
}

// duration returns the length of the operation as the policies count it.
func (c *Change) duration() time.Duration {
	if c.Duration <= 0 {
		return time.Nanosecond
	}
	return c.Duration
}

// now returns when the decision is taken.
func (c *Change) now() time.Time {
	if c.Now.IsZero() {
		return c.Start.Round(0)
	}
	return c.Now.Round(0)
}
