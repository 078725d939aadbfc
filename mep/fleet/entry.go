package fleet

import (
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/report"
)

// DefaultSpan is how long a rollout is taken to last, from T0, when
// neither its rehearsals, its window nor its runbook's estimate say.
const DefaultSpan = time.Hour

// TeamLabel is the rollout label that names the team running it
// ("Ops-2"); without it the team is the project's name.
const TeamLabel = "team"

// FixesLabel is the rollout label that links a rollout made to fix an
// earlier one: its value names the rollout it fixes, "name" in the same
// project or "project/name" in another. Metrics count the fixed rollout
// as a failed change and the fix as rework.
const FixesLabel = "fixes"

// Entry is one rollout of a store as the schedule sees it: where it
// stands, when it runs, and what and whom it needs. Times are in T0's
// location. An Entry is a value: the schedule never changes one it handed
// out.
type Entry struct {
	// Record names the record in the store (its directory or file name,
	// or its pgstore record name): two records may hold projects of the
	// same name.
	Record  string `json:"record,omitempty"`
	Project string `json:"project"`
	Rollout string `json:"rollout"`
	// Status is planned, running, done, rolled-back or failed.
	Status report.Outcome `json:"status"`
	// T0 is the planned start of the cutover.
	T0 time.Time `json:"t0"`
	// WindowEnd is when the rollout's policies next block after T0,
	// within a week; zero: no window.
	WindowEnd time.Time `json:"window_end,omitzero"`
	// P50 and P90 are the instants by which half and nine in ten of the
	// simulated cutovers end (mep.Rollout.Overrun), rounded up to the
	// minute; zero when no rehearsal nor step estimate says how long the
	// cutover takes.
	P50 time.Time `json:"p50,omitzero"`
	P90 time.Time `json:"p90,omitzero"`
	// Estimate is the expected duration from the runbook and rehearsals;
	// zero: unknown.
	Estimate time.Duration `json:"-"`
	// Outage is the expected user outage from the runbook and rehearsals;
	// Steps the runbook's length.
	Outage time.Duration `json:"-"`
	Steps  int           `json:"steps,omitempty"`
	// PastWindow is the chance, from 0 to 1, that the cutover ends after
	// WindowEnd (mep.Overrun.PastWindow); 0 without a window.
	PastWindow  float64           `json:"past_window,omitempty"`
	Environment string            `json:"environment,omitempty"`
	Labels      map[string]string `json:"labels,omitempty"`
	// Team is the label TeamLabel, or else the project's name.
	Team string `json:"team"`
	// People are the project's go-live team (mep.Team.Chosen), sorted.
	People    []string       `json:"people,omitempty"`
	Resources []mep.Resource `json:"resources,omitempty"`

	// What the cutover did, once it started: its start and end (zero
	// while it runs), its duration, and, for a failed or rolled-back
	// one, the time until users had the service back.
	Started       time.Time     `json:"started,omitzero"`
	Ended         time.Time     `json:"ended,omitzero"`
	Duration      time.Duration `json:"-"`
	TimeToRestore time.Duration `json:"-"`
	// FailedSteps counts the cutover's attempts that failed (a retry
	// that then succeeded included); OverdueActions the project's
	// actions that were overdue when the cutover ended (due before, and
	// not done or cancelled by then).
	FailedSteps    int `json:"failed_steps,omitempty"`
	OverdueActions int `json:"overdue_actions,omitempty"`
}

// End returns the end the schedule plans with: P90 when known, else the
// window's end, else T0 plus the estimate, else T0 plus [DefaultSpan].
// A cutover that ended ends at its end.
func (e *Entry) End() time.Time {
	switch {
	case !e.Ended.IsZero():
		return e.Ended
	case !e.P90.IsZero():
		return e.P90
	case !e.WindowEnd.IsZero() && e.WindowEnd.After(e.T0):
		return e.WindowEnd
	case e.Estimate > 0:
		return e.T0.Add(e.Estimate)
	}
	return e.T0.Add(DefaultSpan)
}

// Start returns when the cutover started, or else T0.
func (e *Entry) Start() time.Time {
	if !e.Started.IsZero() {
		return e.Started
	}
	return e.T0
}

// IsActive reports whether the rollout is planned or running.
func (e *Entry) IsActive() bool { return e.Status == report.Planned || e.Status == report.Running }

// isSelf reports whether o is cand itself: the same rollout of the same
// record (a candidate the snapshot does not hold matches none).
func isSelf(cand, o *Entry) bool {
	return cand.Record == o.Record && cand.Project == o.Project && cand.Rollout == o.Rollout
}

// ID returns "project/rollout".
func (e *Entry) ID() string { return e.Project + "/" + e.Rollout }
