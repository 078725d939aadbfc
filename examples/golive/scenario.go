package main

import (
	"bytes"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"
)

// scenario is a go-live told as data: the project, its people, when it
// moves from phase to phase, its meetings, rehearsals, runbook, policy,
// cutover and lessons. scenario.yaml documents the format.
type scenario struct {
	Project    string              `yaml:"project"`
	Zone       string              `yaml:"zone"`
	Country    string              `yaml:"country"`
	Created    localTime           `yaml:"created"`
	Plan       map[string]duration `yaml:"plan"`
	Team       []member            `yaml:"team"`
	GoLiveTeam []string            `yaml:"go_live_team"`
	MCOContact string              `yaml:"mco_contact"`
	Phases     map[string]move     `yaml:"phases"`
	Validation ticking             `yaml:"validation"`
	Runbook    []runbookStep       `yaml:"runbook"`
	Rehearsals []rehearsal         `yaml:"rehearsals"`
	Meetings   []meeting           `yaml:"meetings"`
	Policy     string              `yaml:"policy"`
	Cutover    cutover             `yaml:"cutover"`
	Review     meeting             `yaml:"review"`
	Lessons    []lesson            `yaml:"lessons"`
	Next       nextRollout         `yaml:"next_rollout"`
	Operations ticking             `yaml:"operations"`
	Neighbours []neighbour         `yaml:"neighbours"`
	loc        *time.Location      `yaml:"-"`
	// noSync writes the records without fsync: they are temporary.
	noSync bool `yaml:"-"`
}

type member struct {
	Name  string   `yaml:"name"`
	Roles []string `yaml:"roles"`
}

type move struct {
	At localTime `yaml:"at"`
	By string    `yaml:"by"`
}

// ticking says who checks a checklist's items, in list order, from a
// date, one every Every (default a day).
type ticking struct {
	By    string    `yaml:"by"`
	From  localTime `yaml:"from"`
	Every duration  `yaml:"every"`
}

type runbookStep struct {
	ID              string `yaml:"id"`
	Title           string `yaml:"title"`
	Owner           string `yaml:"owner"`
	Kind            string `yaml:"kind"`
	Impact          string `yaml:"impact"`
	Rollback        string `yaml:"rollback"`           // the procedure that undoes the step
	PointOfNoReturn bool   `yaml:"point_of_no_return"` // no rollback once it started
}

type rehearsal struct {
	At             localTime           `yaml:"at"`
	Environment    string              `yaml:"environment"`
	ProductionLike bool                `yaml:"production_like"`
	Rollback       bool                `yaml:"rollback"` // a rehearsal of the rollback: its steps run in reverse order
	Steps          map[string]duration `yaml:"steps"`
}

type meeting struct {
	At        localTime `yaml:"at"`
	Title     string    `yaml:"title"`
	Attendees []string  `yaml:"attendees"`
	Decisions []string  `yaml:"decisions"`
	NoActions string    `yaml:"no_actions"`
	Next      localTime `yaml:"next"`
	Actions   []struct {
		Title string    `yaml:"title"`
		Owner string    `yaml:"owner"`
		Due   localTime `yaml:"due"`
	} `yaml:"actions"`
	Done []struct {
		Action int       `yaml:"action"`
		By     string    `yaml:"by"`
		At     localTime `yaml:"at"`
	} `yaml:"done"`
}

type cutover struct {
	Name         string    `yaml:"name"`
	Team         string    `yaml:"team"`      // the rollout's team label (fleet.TeamLabel)
	Resources    []string  `yaml:"resources"` // what it touches, "kind:name"
	ConflictsBy  string    `yaml:"conflicts_by"`
	T0           localTime `yaml:"t0"`
	RescheduleBy string    `yaml:"reschedule_by"`
	Readiness    ticking   `yaml:"readiness"`
	Votes        []struct {
		Role   string    `yaml:"role"`
		By     string    `yaml:"by"`
		Go     bool      `yaml:"go"`
		Reason string    `yaml:"reason"`
		At     localTime `yaml:"at"`
	} `yaml:"votes"`
	DecideAt localTime           `yaml:"decide_at"`
	Steps    map[string][]string `yaml:"steps"`
	Notes    []struct {
		After string `yaml:"after"`
		By    string `yaml:"by"`
		Text  string `yaml:"text"`
	} `yaml:"notes"`
	DriftAfter string `yaml:"drift_after"`
}

// neighbour is another team's project in the same store, with one
// planned rollout: the schedule across projects weighs it against the
// scenario's go-live.
type neighbour struct {
	Project   string    `yaml:"project"`
	Dir       string    `yaml:"dir"` // its directory in the store
	Team      string    `yaml:"team"`
	People    []string  `yaml:"people"` // its go-live team, the first with the operations role
	Created   localTime `yaml:"created"`
	Why       string    `yaml:"why"` // why it runs rollouts only
	Rollout   string    `yaml:"rollout"`
	T0        localTime `yaml:"t0"`
	Resources []string  `yaml:"resources"`
	Runbook   []struct {
		ID       string   `yaml:"id"`
		Title    string   `yaml:"title"`
		Expected duration `yaml:"expected"`
	} `yaml:"runbook"`
}

// nextRollout is a later deployment of the industrialisation phase, which
// applies the lessons learned so far (R12).
type nextRollout struct {
	Name string    `yaml:"name"`
	T0   localTime `yaml:"t0"`
	By   string    `yaml:"by"`
	At   localTime `yaml:"at"`
}

type lesson struct {
	Text   string    `yaml:"text"`
	Action string    `yaml:"action"`
	By     string    `yaml:"by"`
	At     localTime `yaml:"at"`
}

// localTime is a wall-clock time "2006-01-02 15:04", read in the
// scenario's zone once the whole file is decoded; one that the zone skips
// or passes twice is refused (checkTimes).
type localTime struct {
	text string
	line int // in the scenario file
}

func (l *localTime) UnmarshalYAML(n *yaml.Node) error {
	if _, err := time.Parse("2006-01-02 15:04", n.Value); err != nil {
		return fmt.Errorf("line %d: %q is not a time written 2006-01-02 15:04", n.Line, n.Value)
	}
	l.text, l.line = n.Value, n.Line
	return nil
}

// in returns the time in loc; the zero localTime gives the zero time.
func (l localTime) in(loc *time.Location) time.Time {
	if l.text == "" {
		return time.Time{}
	}
	t, _ := time.ParseInLocation("2006-01-02 15:04", l.text, loc)
	return t
}

type duration time.Duration

func (d *duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v < 0 {
		return fmt.Errorf("line %d: %q is not a duration such as 90m or 1h30m", n.Line, n.Value)
	}
	*d = duration(v)
	return nil
}

// parseScenario reads a scenario; unknown fields are errors with their line.
func parseScenario(data []byte) (*scenario, error) {
	var s scenario
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&s); err != nil {
		return nil, decodeError(err)
	}
	loc, err := s.zone()
	if err != nil {
		return nil, err
	}
	s.loc = loc
	if err := s.checkTimes(); err != nil {
		return nil, err
	}
	switch {
	case strings.TrimSpace(s.Project) == "":
		return nil, errors.New("scenario: project: missing")
	case s.Created.text == "":
		return nil, errors.New("scenario: created: missing")
	case len(s.Runbook) == 0:
		return nil, errors.New("scenario: runbook: no step")
	case s.Cutover.T0.text == "":
		return nil, errors.New("scenario: cutover.t0: missing")
	case s.Policy == "":
		return nil, errors.New("scenario: policy: missing")
	}
	for _, ph := range []string{"build", "validation", "rehearsal", "planning", "preparation", "review", "industrialization", "operations"} {
		if s.Phases[ph].At.text == "" || s.Phases[ph].By == "" {
			return nil, fmt.Errorf("scenario: phases.%s: missing (at and by)", ph)
		}
	}
	known := make(map[string]bool, len(s.Runbook))
	for _, st := range s.Runbook {
		known[st.ID] = true
	}
	for _, id := range slices.Sorted(maps.Keys(s.Cutover.Steps)) {
		if !known[id] {
			return nil, fmt.Errorf("scenario: cutover.steps: %q is not in the runbook", id)
		}
	}
	for _, st := range s.Runbook {
		if _, ok := s.Cutover.Steps[st.ID]; !ok {
			return nil, fmt.Errorf("scenario: cutover.steps: no duration for runbook step %q", st.ID)
		}
	}
	for i, n := range s.Cutover.Notes {
		if !known[n.After] {
			return nil, fmt.Errorf("scenario: cutover.notes[%d].after: %q is not in the runbook", i, n.After)
		}
	}
	dirs := map[string]bool{storeDir: true}
	for i, nb := range s.Neighbours {
		switch {
		case !validDir(nb.Dir):
			return nil, fmt.Errorf("scenario: neighbours[%d].dir: %q is not a plain directory name", i, nb.Dir)
		case dirs[nb.Dir]:
			return nil, fmt.Errorf("scenario: neighbours[%d].dir: %q is taken", i, nb.Dir)
		case len(nb.People) == 0:
			return nil, fmt.Errorf("scenario: neighbours[%d].people: missing", i)
		case nb.Created.text == "" || nb.T0.text == "":
			return nil, fmt.Errorf("scenario: neighbours[%d]: created and t0 are required", i)
		}
		dirs[nb.Dir] = true
	}
	if len(s.Neighbours) > 0 && s.Cutover.ConflictsBy == "" {
		return nil, errors.New("scenario: cutover.conflicts_by: missing (who turns the conflict check on)")
	}
	if d := s.Cutover.DriftAfter; d != "" && !known[d] {
		return nil, fmt.Errorf("scenario: cutover.drift_after: %q is not in the runbook", d)
	}
	return &s, nil
}

// storeDir is the directory of the scenario's own project in the store.
const storeDir = "golive"

// validDir reports whether name is a directory name of its own: not
// empty, no separator, not "." or "..", not hidden.
func validDir(name string) bool {
	return name != "" && !strings.ContainsAny(name, `/\:`) && !strings.HasPrefix(name, ".")
}

// at returns a scenario time in the scenario's zone.
func (s *scenario) at(l localTime) time.Time { return l.in(s.loc) }

// attempt is one try of a cutover step: how long it took and how it ended.
type attempt struct {
	d      time.Duration
	failed bool
}

// attempts parses the cutover's "10m" or "9m failed" entries of a step.
func attempts(step string, in []string) ([]attempt, error) {
	var out []attempt
	for _, a := range in {
		f := strings.Fields(a)
		if len(f) == 0 || len(f) > 2 || (len(f) == 2 && f[1] != "failed") {
			return nil, fmt.Errorf("scenario: cutover.steps.%s: %q is not \"DURATION\" or \"DURATION failed\"", step, a)
		}
		d, err := time.ParseDuration(f[0])
		if err != nil || d < 0 {
			return nil, fmt.Errorf("scenario: cutover.steps.%s: %q is not a duration", step, f[0])
		}
		out = append(out, attempt{d: d, failed: len(f) == 2})
	}
	return out, nil
}
