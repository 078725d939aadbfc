package report

import (
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

// Report is everything a report about a go-live says: the project's phase
// and history, the go/no-go decision, the checklist, the timeline of the
// cutover with its durations and downtime, the rehearsal against the actual
// run, the actions and the lessons. It is plain data: fill what you know
// and leave the rest zero; every section of a zero field is rendered as
// empty or left out, and the zero Report renders without error.
//
// The writers read the Report and never change it. Times are printed in
// Location; a nil Location prints each time in the location it carries.
type Report struct {
	Title     string         // the report's heading; "" renders "Go-live report"
	Project   string         // the project's name
	Rollout   string         // the rollout or deployment this report is about
	Generated time.Time      // when the report was produced; zero: not shown
	Location  *time.Location // where times are shown; nil: as recorded
	Phase     string         // the project's current phase, as mep.Phase prints it
	History   []PhaseChange  // phase transitions, oldest first (R1)

	Decision  Decision // the go/no-go decision (R9)
	Votes     []Vote   // the approvals behind it, in the order given
	Overrides []string // break-glass overrides, each as a sentence

	Checklist *Checklist // the preparation checklist (R7, R8); nil: none

	Actual     timeline.Summary     // the cutover as its journal says (R10)
	Rehearsal  *timeline.Summary    // the rehearsal to compare with (R5); nil: none
	Expected   []ExpectedStep       // expected duration per step, from the rehearsals
	Comparison *timeline.Comparison // rehearsal against actual; nil: none
	Drift      *Drift               // elapsed against expected while running; nil: none

	Actions []Action // actions handed out by meetings (R6), in the order given
	Lessons []Lesson // lessons learned and the actions that apply them (R12)
	Notes   []Note   // notes of the journal worth reading, in the order given
}

// PhaseChange is one transition between phases of the project (R1).
type PhaseChange struct {
	From, To string    // phase names; From is "" for the first phase
	By       string    // who made it
	Reason   string    // why, or the gate that allowed it
	At       time.Time // when
}

// Decision is the go/no-go decision. The zero value is undecided, never go.
type Decision struct {
	Verdict string    // Undecided (or ""), Go or NoGo
	Reasons []string  // why, each a sentence a person can act on
	At      time.Time // when it was taken; zero while undecided
}

// IsGo reports whether the verdict is Go.
func (d Decision) IsGo() bool { return d.Verdict == Go }

// verdict returns the verdict with "" read as Undecided.
func (d Decision) verdict() string {
	if d.Verdict == "" {
		return Undecided
	}
	return d.Verdict
}

// Vote is one approval or refusal given for the go/no-go.
type Vote struct {
	Role   string    // the role voting, e.g. "operations"
	By     string    // the person
	Go     bool      // true: go; false: no-go
	Reason string    // why
	At     time.Time // when
	Digest string    // digest of the checklist state the vote saw; "" if none
}

// Checklist is the state of a checklist run at the time of the report.
type Checklist struct {
	Name     string             // the list's name
	Items    []ChecklistItem    // in list order
	Progress checklist.Progress // counts of the items
	Ready    bool               // every required item done or waived, none failed
	ReadyAt  time.Time          // when the last required item was done; zero if not ready
}

// ChecklistItem is where one item of a checklist stands.
type ChecklistItem struct {
	ID, Title, Section, Owner string           // from the checklist's item
	Status                    checklist.Status // pending, done, failed or waived
	By                        string           // who made the last change
	At                        time.Time        // when; zero while pending
	Note                      string           // its note, or the reason of a waiver
	Due                       time.Time        // its deadline; zero: none
	Late                      bool             // past its deadline: pending, or done after it (R7)
	Optional                  bool             // not required for readiness
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

// ExpectedStep is what the rehearsals say one step will take.
type ExpectedStep struct {
	Step     string          // the step's ID, as in the journal
	Impact   timeline.Impact // the worst impact seen in rehearsal
	Expected time.Duration   // the expected duration: the median over rehearsals
	Min, Max time.Duration   // the shortest and longest seen
	Runs     int             // rehearsals in which the step ended
}

// ExpectedFrom returns the expected duration of each step of f, in f's
// order: the median elapsed time, with its minimum and maximum.
func ExpectedFrom(f timeline.Forecast) []ExpectedStep {
	out := make([]ExpectedStep, 0, len(f.Steps))
	for _, s := range f.Steps {
		out = append(out, ExpectedStep{
			Step: s.Step, Impact: s.Impact, Expected: s.Elapsed.Median,
			Min: s.Elapsed.Min, Max: s.Elapsed.Max, Runs: s.Runs,
		})
	}
	return out
}

// Drift is how a running cutover stands against its forecast.
type Drift struct {
	At          time.Time     // when it was measured
	Elapsed     time.Duration // time from the start of the cutover to At
	Expected    time.Duration // what the forecast allowed for the steps done by At
	ExpectedEnd time.Time     // when the cutover is now expected to end; zero: unknown
}

// Behind returns Elapsed - Expected: positive when the cutover is late.
func (d Drift) Behind() time.Duration { return d.Elapsed - d.Expected }

// Action is an action handed out by a meeting (R6).
type Action struct {
	ID      string    // the action's identifier
	Title   string    // what to do
	Owner   string    // who does it
	Status  string    // "open", "done" or "cancelled"; "" reads as "open"
	Due     time.Time // when it is due
	Overdue bool      // open and past Due when the report was made
	Meeting string    // the meeting that handed it out; "" if none
}

// status returns the status with "" read as "open".
func (a Action) status() string {
	if a.Status == "" {
		return "open"
	}
	return a.Status
}

// Lesson is a lesson learned (retex) and the action that applies it (R12).
type Lesson struct {
	ID      string // the lesson's identifier
	Text    string // what was learned
	Action  string // what later deployments do to apply it
	Applied bool   // applied in the rollout this report is about
}

// Note is a note from the journal.
type Note struct {
	At   time.Time // when it was written
	By   string    // who wrote it
	Text string    // what it says
}
