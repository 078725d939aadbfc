package report

import (
	"fmt"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/timeline"
)

// Verdicts of a go/no-go [Decision].
const (
	Undecided = "undecided" // no decision yet; what an empty Verdict means
	Go        = "go"        // the cutover may start (R9)
	NoGo      = "no-go"     // the cutover must not start
)

// Report is everything a report about a go-live says. It opens with a
// headline (the outcome, T0, the planned end and the window's end, the
// actual or expected end, the outage against its estimate), then the
// details: the go/no-go decision, the checklist, the timeline of the
// cutover with its durations and downtime, the rehearsal against the actual
// run, the actions, the lessons and the project's phase history.
//
// It is plain data: fill what you know and leave the rest zero. A section
// whose data is zero is left out, and the zero Report renders without
// error. The writers read the Report and never change it. Times are printed
// in Location; a nil Location prints each time in the location it carries.
//
// A Report marshals to JSON itself (see [Report.WriteJSON]): snake_case
// names, enums as text, durations as numbers of seconds in fields ending in
// _s, times as RFC 3339 in the location they carry, zero times left out.
type Report struct {
	Title      string         `json:"title,omitempty"`      // the report's heading; "" renders "Go-live report"
	Project    string         `json:"project,omitempty"`    // the project's name
	Rollout    string         `json:"rollout,omitempty"`    // the rollout or deployment this report is about
	Generated  time.Time      `json:"generated,omitzero"`   // when the report was produced; zero: not shown
	Location   *time.Location `json:"-"`                    // where times are shown; nil: as recorded (JSON: "location", its name)
	Phase      string         `json:"phase,omitempty"`      // the project's current phase, as mep.Phase prints it
	Outcome    Outcome        `json:"outcome"`              // where the rollout stands: the headline
	T0         time.Time      `json:"t0,omitzero"`          // the planned start of the cutover; zero: not planned
	PlannedEnd time.Time      `json:"planned_end,omitzero"` // T0 (or the actual start) plus the estimate; zero: unknown
	WindowEnd  time.Time      `json:"window_end,omitzero"`  // when the allowed window closes (the next blocked time); zero: none known
	Estimate   Estimate       `json:"estimate"`             // what the rehearsals predict for the whole cutover (R5)
	// Result is how the go-live ended for its users: its one end and
	// outage, whatever the outcome; nil: read from Actual (a go-live
	// without rollback). JSON: "result", left out when nil.
	Result *Result `json:"result,omitempty"`
	// Risk is the cutover's duration as simulated from the rehearsals
	// before it ran, and where its actual end fell; nil: no simulation.
	Risk *Risk `json:"risk,omitempty"`

	Decision  Decision `json:"decision"`  // the go/no-go decision (R9)
	Votes     []Vote   `json:"votes"`     // the approvals behind it, in the order given
	Overrides []string `json:"overrides"` // break-glass overrides, each as a sentence

	Checklist *Checklist `json:"checklist"` // the preparation checklist (R7, R8); nil: none

	Steps      []Step               `json:"steps"` // the runbook: titles, owners and expected durations, in order
	Actual     timeline.Summary     `json:"-"`     // the cutover as its journal says (R10); JSON: "actual"
	Rehearsal  *timeline.Summary    `json:"-"`     // the rehearsal to compare with (R5); nil: none; JSON: "rehearsal"
	Comparison *timeline.Comparison `json:"-"`     // rehearsal against actual; nil: computed from Rehearsal; JSON: "comparison"
	Drift      *Drift               `json:"drift"` // elapsed against expected while running; nil: none

	Actions []Action      `json:"actions"` // actions handed out by meetings (R6), in the order given
	Lessons []Lesson      `json:"lessons"` // lessons learned and the actions that apply them (R12)
	Notes   []Note        `json:"notes"`   // notes of the journal worth reading, in the order given
	Phases  []PhaseChange `json:"phases"`  // the project's phase transitions, oldest first (R1)
}

// Outcome is where a rollout stands, the first thing its report says. The
// zero value is Planned: nothing has started.
type Outcome uint8

// Outcomes of a rollout.
const (
	Planned    Outcome = iota // the cutover has not started
	Running                   // the cutover is under way
	Done                      // the cutover ended and the change stays
	RolledBack                // the cutover ended with the change undone
	Failed                    // the cutover stopped, neither done nor rolled back
)

var outcomeNames = [...]string{"planned", "running", "done", "rolled-back", "failed"}

// String returns "planned", "running", "done", "rolled-back" or "failed".
func (o Outcome) String() string {
	if int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return fmt.Sprintf("Outcome(%d)", o)
}

// IsFailure reports whether the rollout counts as a failed change: rolled
// back or failed.
func (o Outcome) IsFailure() bool { return o == RolledBack || o == Failed }

// MarshalText returns the String form; it fails for an unknown outcome.
func (o Outcome) MarshalText() ([]byte, error) {
	if int(o) >= len(outcomeNames) {
		return nil, fmt.Errorf("report: unknown outcome %d", o)
	}
	return []byte(outcomeNames[o]), nil
}

// UnmarshalText reads the String form.
func (o *Outcome) UnmarshalText(b []byte) error {
	for i, n := range outcomeNames {
		if string(b) == n {
			*o = Outcome(i)
			return nil
		}
	}
	return fmt.Errorf("report: unknown outcome %q: want planned, running, done, rolled-back or failed", b)
}

// Estimate is what the rehearsals predict for a whole cutover (R5). A zero
// field is unknown; when Estimate is zero and Rehearsal is set, the
// rehearsal's totals are the estimate.
type Estimate struct {
	Duration   time.Duration `json:"-"` // from the first step's start to the last step's end; JSON: duration_s
	Outage     time.Duration `json:"-"` // users cut off; JSON: outage_s
	Disruption time.Duration `json:"-"` // users degraded; JSON: disruption_s
}

// Result is how a go-live ended for its users, one figure each whatever
// its outcome: the headline prints it and the history counts it.
//
//   - Done: End is the last step's end; Outage and Disruption are the
//     union of the steps' outage and disruption intervals.
//   - Rolled back: End is the end of the last rollback step (the rollback
//     decision when there was nothing to roll back). Outage is the union of
//     the outage intervals of the forward attempts and of the rollback steps
//     (a rollback step affects users as the step it undoes) and, for each
//     outage step whose last attempt failed or was still running when the
//     rollback was decided, the interval from that attempt's start to End:
//     the service stayed cut until the rollback restored it. Disruption
//     follows the same rule, minus the outage. TimeToRestore runs from the
//     first failed step's end (without one, the rollback decision) to End.
//   - Failed (ended with a failure, neither accepted nor rolled back): End
//     is the last recorded step end; the figures are those recorded up to
//     it.
//
// Until the go-live is finished (its rollback included), End is zero and
// the other figures count what users went through so far, Ongoing set
// when a step still counts up to the report's time.
type Result struct {
	End           time.Time     `json:"end,omitzero"` // when the go-live ended; zero while it runs
	Duration      time.Duration `json:"-"`            // from the first step's start to End (so far while running); JSON: duration_s
	Outage        time.Duration `json:"-"`            // users cut off; JSON: outage_s
	Disruption    time.Duration `json:"-"`            // users degraded, outside the outage; JSON: disruption_s
	TimeToRestore time.Duration `json:"-"`            // rolled back: from the failure to End; zero: none or not known; JSON: time_to_restore_s, null when zero
	Ongoing       bool          `json:"ongoing"`      // some step still counts up to the report's time
}

// result returns r.Result, or, without one, the result Actual gives: its
// end once the outcome is Done, RolledBack or Failed, and its totals.
func (r *Report) result() Result {
	if r.Result != nil {
		return *r.Result
	}
	a := &r.Actual
	res := Result{Duration: a.Duration, Outage: a.Outage, Disruption: a.Disruption, Ongoing: a.Ongoing}
	if r.Outcome.isEnded() {
		res.End = a.End
	}
	return res
}

// isEnded reports whether o is an outcome that ends a go-live: done, rolled
// back or failed.
func (o Outcome) isEnded() bool { return o == Done || o == RolledBack || o == Failed }

// PhaseChange is one transition between phases of the project (R1).
type PhaseChange struct {
	From   string    `json:"from,omitempty"`   // phase name; "" for the first phase
	To     string    `json:"to"`               // phase name
	By     string    `json:"by,omitempty"`     // who made it
	Reason string    `json:"reason,omitempty"` // why, or the gate that allowed it
	At     time.Time `json:"at,omitzero"`      // when
}

// Decision is the go/no-go decision. The zero value is undecided, never go.
type Decision struct {
	Verdict string    `json:"verdict"`           // Undecided (or ""), Go or NoGo; any other text reads, and is written, as "undecided"
	Reasons []string  `json:"reasons,omitempty"` // why, each a sentence a person can act on
	At      time.Time `json:"at,omitzero"`       // when it was taken; zero while undecided
}

// IsGo reports whether the verdict is Go.
func (d Decision) IsGo() bool { return d.Verdict == Go }

// verdict returns the verdict, Go or NoGo, else Undecided: "" and any
// other text ("GO", "go " and the like) are no decision, never a GO.
func (d Decision) verdict() string {
	if d.Verdict == Go || d.Verdict == NoGo {
		return d.Verdict
	}
	return Undecided
}

// Vote is one approval or refusal given for the go/no-go.
type Vote struct {
	Role   string    `json:"role"`             // the role voting, e.g. "operations"
	By     string    `json:"by"`               // the person
	Go     bool      `json:"go"`               // true: go; false: no-go
	Reason string    `json:"reason,omitempty"` // why
	At     time.Time `json:"at,omitzero"`      // when
	Digest string    `json:"digest,omitempty"` // digest of the checklist state the vote saw; "" if none
}

// Checklist is the state of a checklist run at the time of the report.
type Checklist struct {
	Name     string             `json:"name,omitempty"`    // the list's name
	Ready    bool               `json:"ready"`             // every required item done or waived, none failed
	ReadyAt  time.Time          `json:"ready_at,omitzero"` // when the last required item was done; zero if not ready
	Progress checklist.Progress `json:"-"`                 // counts of the items; JSON: progress {done, waived, failed, total, required_pending}
	Items    []ChecklistItem    `json:"items"`             // in list order
}

// ChecklistItem is where one item of a checklist stands.
type ChecklistItem struct {
	ID       string           `json:"id"`                // from the checklist's item
	Title    string           `json:"title,omitempty"`   // from the checklist's item
	Section  string           `json:"section,omitempty"` // from the checklist's item
	Owner    string           `json:"owner,omitempty"`   // from the checklist's item
	Status   checklist.Status `json:"status"`            // pending, done, failed or waived
	By       string           `json:"by,omitempty"`      // who made the last change
	At       time.Time        `json:"at,omitzero"`       // when; zero while pending
	Note     string           `json:"note,omitempty"`    // its note, or the reason of a waiver
	Due      time.Time        `json:"due,omitzero"`      // its deadline; zero: none
	Late     bool             `json:"late"`              // past its deadline: pending, or done after it (R7)
	Optional bool             `json:"optional"`          // not required for readiness
}

// ChecklistFrom returns the state of run as a [Checklist]; items past their
// deadline at now are marked Late. A nil run gives nil.
func ChecklistFrom(run *checklist.Run, now time.Time) *Checklist {
	if run == nil {
		return nil
	}
	late := make(map[string]bool)
	for _, it := range run.Late(now) {
		late[it.ID] = true
	}
	results := run.Results()
	c := &Checklist{
		Name:     run.List().Name,
		Items:    make([]ChecklistItem, 0, len(results)),
		Progress: run.Progress(),
		Ready:    run.Ready(),
		ReadyAt:  run.ReadyAt(),
	}
	for _, r := range results {
		c.Items = append(c.Items, ChecklistItem{
			ID: r.Item.ID, Title: r.Item.Title, Section: r.Item.Section, Owner: r.Item.Owner,
			Status: r.Status, By: r.By, At: r.At, Note: r.Note, Due: r.Due,
			Late: late[r.Item.ID], Optional: r.Item.Optional,
		})
	}
	return c
}

// Step is one step of the runbook: what it is, who carries it out, and
// what the rehearsals say it takes. The report names steps by Title (by ID
// when Title is empty) and matches them with the journal's spans by ID.
type Step struct {
	ID       string          `json:"id"`              // the step's ID, as in the journal
	Title    string          `json:"title,omitempty"` // for people; "": the ID
	Owner    string          `json:"owner,omitempty"` // who carries it out
	Impact   timeline.Impact `json:"impact"`          // what it does to users (the worst seen in rehearsal)
	Expected time.Duration   `json:"-"`               // the expected duration; zero: unknown; JSON: expected_s
	Min      time.Duration   `json:"-"`               // the shortest seen in rehearsal; JSON: min_s
	Max      time.Duration   `json:"-"`               // the longest seen in rehearsal; JSON: max_s
	Runs     int             `json:"runs"`            // rehearsals in which the step ended
}

// ExpectedFrom returns the steps of f, in f's order, with their expected
// duration (the median elapsed time over the rehearsals), minimum and
// maximum. Titles and owners are left for the caller to fill.
func ExpectedFrom(f timeline.Forecast) []Step {
	out := make([]Step, 0, len(f.Steps))
	for _, s := range f.Steps {
		out = append(out, Step{
			ID: s.Step, Impact: s.Impact, Expected: s.Elapsed.Median,
			Min: s.Elapsed.Min, Max: s.Elapsed.Max, Runs: s.Runs,
		})
	}
	return out
}

// Drift is how a running cutover stands against its forecast.
type Drift struct {
	At          time.Time     `json:"at,omitzero"`           // when it was measured
	Elapsed     time.Duration `json:"-"`                     // time from the start of the cutover to At; JSON: elapsed_s
	Expected    time.Duration `json:"-"`                     // what the forecast allowed for the steps done by At; JSON: expected_s
	ExpectedEnd time.Time     `json:"expected_end,omitzero"` // when the cutover is now expected to end; zero: unknown
}

// Behind returns Elapsed - Expected: positive when the cutover is late.
// JSON writes it as behind_s.
func (d Drift) Behind() time.Duration { return d.Elapsed - d.Expected }

// Action is an action handed out by a meeting (R6).
type Action struct {
	ID      string    `json:"id"`                // the action's identifier
	Title   string    `json:"title"`             // what to do
	Owner   string    `json:"owner,omitempty"`   // who does it
	Status  string    `json:"status"`            // "open", "done" or "cancelled"; "" reads (and is written) as "open"
	Due     time.Time `json:"due,omitzero"`      // when it is due
	Overdue bool      `json:"overdue"`           // open and past Due when the report was made
	Meeting string    `json:"meeting,omitempty"` // the meeting that handed it out; "" if none
}

// status returns the status with "" read as "open".
func (a Action) status() string {
	if a.Status == "" {
		return "open"
	}
	return a.Status
}

// Lesson is a lesson learned (retex) and the action that applies it (R12),
// with its application as it stands in the rollout the report is about.
type Lesson struct {
	ID        string    `json:"id"`                   // the lesson's identifier
	Text      string    `json:"text"`                 // what was learned
	Action    string    `json:"action,omitempty"`     // what later deployments do to apply it
	From      string    `json:"from,omitempty"`       // the rollout whose review taught it; equal to Report.Rollout: learned in this one
	Applied   bool      `json:"applied"`              // applied in the rollout this report is about
	AppliedBy string    `json:"applied_by,omitempty"` // who recorded the application; "" if none
	AppliedAt time.Time `json:"applied_at,omitzero"`  // when; zero if not applied
}

// Note is a note from the journal.
type Note struct {
	At   time.Time `json:"at,omitzero"`  // when it was written
	By   string    `json:"by,omitempty"` // who wrote it
	Text string    `json:"text"`         // what it says
}

// estimate returns r.Estimate, or the rehearsal's totals when Estimate is
// zero.
func (r *Report) estimate() Estimate {
	if r.Estimate == (Estimate{}) && r.Rehearsal != nil {
		return Estimate{Duration: r.Rehearsal.Duration, Outage: r.Rehearsal.Outage, Disruption: r.Rehearsal.Disruption}
	}
	return r.Estimate
}
