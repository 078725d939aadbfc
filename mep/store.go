package mep

import (
	"bytes"
	"crypto/rand"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/internal/atomicfile"
	"github.com/mepkit/mepkit/internal/filelock"
	"github.com/mepkit/mepkit/timeline"
)

// ProjectFile is the name of the project file in a saved project's
// directory. It names the journal file (JSON Lines) saved beside it.
const ProjectFile = "project.json"

const storeVersion = 1

// lockName is the lock file that serialises saves into a directory.
const lockName = ".lock"

// journalName matches the journal files of a saved project:
// journal-GEN-RANDOM.jsonl, or journal-GEN.jsonl as earlier versions
// named them.
var journalName = regexp.MustCompile(`^journal-([1-9][0-9]{0,17})(?:-[0-9a-f]{16})?\.jsonl$`)

// LoadError reports a saved project that cannot be loaded: the file, and
// the error, often a *FieldError naming the field. When the file's content
// is at fault, errors.Is(err, ErrCorrupt) holds. When the file cannot be
// read (a missing file or directory, a permission denied), Err is, or
// wraps, the *fs.PathError, and errors.Is(err, ErrCorrupt) does not hold.
type LoadError struct {
	File string
	Err  error
}

func (e *LoadError) Error() string {
	return fmt.Sprintf("mep: load %s: %s", e.File, trimPrefix(e.Err.Error()))
}

// Unwrap returns the underlying error, preceded by [ErrCorrupt] unless it
// is a filesystem error (a *fs.PathError).
func (e *LoadError) Unwrap() []error {
	if _, ok := errors.AsType[*fs.PathError](e.Err); ok {
		return []error{e.Err}
	}
	return []error{ErrCorrupt, e.Err}
}

type fileProject struct {
	Version     int              `json:"version"`
	Name        string           `json:"name"`
	Created     time.Time        `json:"created"`
	Phase       Phase            `json:"phase"`
	Transitions []Transition     `json:"transitions"`
	Planned     map[Phase]string `json:"planned,omitempty"`
	Settings    fileSettings     `json:"settings"`
	Members     []Member         `json:"members"`
	Team        []string         `json:"team,omitempty"`
	MCOContact  string           `json:"mco_contact,omitempty"`
	Lessons     []Lesson         `json:"lessons"`
	Location    string           `json:"location"`
	ZoneOffset  *int             `json:"zone_offset,omitempty"` // seconds east of UTC: a fixed zone
	Cadence     Cadence          `json:"cadence"`
	Meetings    []Meeting        `json:"meetings"`
	Actions     []Action         `json:"actions"`
	Evidence    fileEvidence     `json:"evidence"`
	Journal     fileJournal      `json:"journal"`
}

type fileSettings struct {
	BuildShare    float64 `json:"build_share"`
	BuildMargin   float64 `json:"build_margin"`
	ReadinessLead string  `json:"readiness_lead"`
}

type fileEvidence struct {
	Validation json.RawMessage    `json:"validation,omitempty"` // checklist snapshot
	Rehearsals []timeline.Summary `json:"rehearsals,omitempty"`
	Readiness  json.RawMessage    `json:"readiness,omitempty"`
	Go         GoDecision         `json:"go"`
	Cutover    *timeline.Summary  `json:"cutover,omitempty"`
	Operations json.RawMessage    `json:"operations,omitempty"`
}

type fileJournal struct {
	File    string `json:"file"`
	Entries uint64 `json:"entries"`
	Head    string `json:"head,omitempty"`
}

// Save writes the project to dir, creating it if needed: the project file
// ([ProjectFile], JSON) and the journal (JSON Lines) beside it. Each file
// is written to a temporary file, synced and renamed; the project file,
// renamed last, names the journal file it goes with, and older journal
// files are removed only after it. A crash during Save leaves the last
// complete save loadable.
//
// Save copies the project's state under its locks, then writes without
// holding them. User criteria (code) are not saved; nor are checklist
// observers. Saves of one project are serialised. Saves into one
// directory, from several Project values or processes, are serialised too:
// on unix, Save holds an exclusive advisory lock (flock) on the file
// ".lock" in dir while it writes, waiting for it while another save holds
// it. Elsewhere there is no lock: journal file names carry a random part,
// so that two saves never write the same journal file, but a concurrent
// save may remove the journal file that the other one's project file
// names.
//
// The project's location is saved by its name, for Load to find with
// time.LoadLocation, when the zone LoadLocation finds by that name agrees
// with it (offsets and abbreviations on 1 January and 1 July, every ten
// years from 1970 to 2050). Otherwise, a zone with a single offset, as
// time.FixedZone makes, is saved as its name and offset and loaded back
// as the same fixed zone: FixedZone("UTC+2", 7200) is kept, and so is
// FixedZone("CET", 3600), which is not the CET of time.LoadLocation with
// its summer time.
//
// Save returns a *FieldError naming the field, and writes nothing, for
// what [Load] would refuse: a location that is neither (field
// "location"), a cutover summary that [timeline.Summarize] would not have
// made (see [Project.SetCutover]).
func (p *Project) Save(dir string) error {
	p.saveMu.Lock()
	defer p.saveMu.Unlock()
	fp, entries, err := p.snapshot()
	if err != nil {
		return err
	}
	var jb bytes.Buffer
	if err := timeline.WriteJSONL(&jb, entries); err != nil {
		return fmt.Errorf("mep: save journal: %w", err)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("mep: save: %w", err)
	}
	lock, err := os.OpenFile(filepath.Join(dir, lockName), os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return fmt.Errorf("mep: save: %w", err)
	}
	defer lock.Close() // releases the lock
	if err := filelock.Wait(lock); err != nil {
		return fmt.Errorf("mep: save: %w", err)
	}
	old, gen, err := journalFiles(dir)
	if err != nil {
		return fmt.Errorf("mep: save: %w", err)
	}
	var unique [8]byte
	_, _ = rand.Read(unique[:]) // never fails
	fp.Journal.File = fmt.Sprintf("journal-%d-%x.jsonl", gen+1, unique)
	pb, err := json.MarshalIndent(fp, "", "\t")
	if err != nil {
		return fmt.Errorf("mep: save: %w", err)
	}
	pb = append(pb, '\n')
	if err := writeAtomic(dir, fp.Journal.File, jb.Bytes()); err != nil {
		return err
	}
	if err := writeAtomic(dir, ProjectFile, pb); err != nil {
		return err
	}
	for _, name := range old {
		// Best effort: a leftover journal file is ignored by Load and
		// removed by the next Save.
		_ = os.Remove(filepath.Join(dir, name))
	}
	return nil
}

// journalFiles lists the journal files in dir and the highest generation.
func journalFiles(dir string) (names []string, gen uint64, err error) {
	des, err := os.ReadDir(dir)
	if err != nil {
		return nil, 0, err
	}
	for _, de := range des {
		m := journalName.FindStringSubmatch(de.Name())
		if m == nil {
			continue
		}
		names = append(names, de.Name())
		if g, err := strconv.ParseUint(m[1], 10, 64); err == nil && g > gen {
			gen = g
		}
	}
	return names, gen, nil
}

// writeAtomic writes data to dir/name through a synced temporary file and
// a rename, then syncs dir.
func writeAtomic(dir, name string, data []byte) error {
	if err := atomicfile.WriteFile(filepath.Join(dir, name), data, 0o600); err != nil {
		return fmt.Errorf("mep: save %s: %w", name, err)
	}
	return nil
}

// snapshot copies the project's state. It takes p.mu, then the tracker's.
func (p *Project) snapshot() (fileProject, []timeline.Entry, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	t := p.tracker
	t.mu.Lock()
	defer t.mu.Unlock()
	name, offset, err := saveZone(t.location())
	if err != nil {
		return fileProject{}, nil, err
	}
	fp := fileProject{
		Version:     storeVersion,
		Location:    name,
		ZoneOffset:  offset,
		Name:        p.name,
		Created:     p.created,
		Phase:       p.phase,
		Transitions: slices.Clone(p.transitions),
		Settings:    fileSettings{BuildShare: p.share, BuildMargin: p.margin, ReadinessLead: p.lead.String()},
		Members:     make([]Member, len(p.people.members)),
		Team:        slices.Clone(p.people.team),
		MCOContact:  p.people.mcoContact,
		Lessons:     make([]Lesson, len(p.lessons)),
		Cadence:     t.cadence,
		Meetings:    make([]Meeting, len(t.meetings)),
		Actions:     slices.Clone(t.actions),
	}
	for i, m := range p.people.members {
		fp.Members[i] = m.clone()
	}
	for i, l := range p.lessons {
		fp.Lessons[i] = l.clone()
	}
	for i, m := range t.meetings {
		fp.Meetings[i] = m.clone()
	}
	for ph, d := range p.planned {
		if d != 0 {
			if fp.Planned == nil {
				fp.Planned = make(map[Phase]string)
			}
			fp.Planned[Phase(ph)] = d.String()
		}
	}
	ev := p.evidence.clone()
	for i := range ev.Rehearsals {
		if err := checkSummary(fmt.Sprintf("evidence.rehearsals[%d]", i), &ev.Rehearsals[i]); err != nil {
			return fp, nil, err
		}
	}
	if ev.Cutover != nil {
		if err := checkSummary("evidence.cutover", ev.Cutover); err != nil {
			return fp, nil, err
		}
	}
	fp.Evidence.Rehearsals = ev.Rehearsals
	fp.Evidence.Go = ev.Go
	fp.Evidence.Cutover = ev.Cutover
	for _, r := range []struct {
		run *checklist.Run
		dst *json.RawMessage
	}{{ev.Validation, &fp.Evidence.Validation}, {ev.Readiness, &fp.Evidence.Readiness}, {ev.Operations, &fp.Evidence.Operations}} {
		if r.run == nil {
			continue
		}
		b, err := r.run.Snapshot()
		if err != nil {
			return fp, nil, fmt.Errorf("mep: save checklist run: %w", err)
		}
		*r.dst = b
	}
	entries := p.journal.Entries()
	fp.Journal.Entries = uint64(len(entries))
	if n := len(entries); n > 0 {
		fp.Journal.Head = entries[n-1].Hash
	}
	return fp, entries, nil
}

// maxZoneOffset bounds the offset of a saved fixed zone.
const maxZoneOffset = 24 * 60 * 60

// zoneProbes are the instants at which a zone that Load would find by its
// name must agree with the project's: 1 January and 1 July, every ten
// years from 1970 to 2050.
var zoneProbes = func() []time.Time {
	var ts []time.Time
	for y := 1970; y <= 2050; y += 10 {
		ts = append(ts, time.Date(y, time.January, 1, 12, 0, 0, 0, time.UTC), time.Date(y, time.July, 1, 12, 0, 0, 0, time.UTC))
	}
	return ts
}()

// saveZone returns how loc is saved: by its name, when time.LoadLocation
// loads a zone of that name that agrees with loc (abbreviation and offset)
// at every probe instant; else, for a zone with a single offset for all
// time (as time.FixedZone makes), by its name and that offset. time.Local
// is saved as "Local", which Load refuses without Options.Location. Any
// other zone is a *FieldError.
func saveZone(loc *time.Location) (name string, offset *int, err error) {
	name = loc.String()
	if loc == time.Local {
		return name, nil, nil
	}
	if name != "" && name != "Local" {
		if l, err := time.LoadLocation(name); err == nil && sameZone(l, loc) {
			return name, nil, nil
		}
	}
	t := time.Unix(0, 0).In(loc)
	if start, end := t.ZoneBounds(); start.IsZero() && end.IsZero() {
		if _, off := t.Zone(); -maxZoneOffset < off && off < maxZoneOffset {
			return name, &off, nil
		}
	}
	return "", nil, fieldErr("location", name, "time.LoadLocation does not load this zone by its name, and it is not a fixed zone")
}

// sameZone reports whether a and b agree at every probe instant.
func sameZone(a, b *time.Location) bool {
	for _, t := range zoneProbes {
		an, ao := t.In(a).Zone()
		bn, bo := t.In(b).Zone()
		if an != bn || ao != bo {
			return false
		}
	}
	return true
}

// loadZone returns the zone saved as name and, for a fixed zone, offset.
func loadZone(name string, offset *int) (*time.Location, error) {
	if offset != nil {
		if !(-maxZoneOffset < *offset && *offset < maxZoneOffset) {
			return nil, fieldErr("zone_offset", strconv.Itoa(*offset), "not within a day of UTC")
		}
		return time.FixedZone(name, *offset), nil
	}
	loc, err := time.LoadLocation(name)
	if err != nil || name == "" || name == "Local" {
		return nil, fieldErr("location", name, "unknown time zone")
	}
	return loc, nil
}

// Load reads a project saved by [Project.Save] in dir. It is shorthand for
// LoadFS(os.DirFS(dir), opts).
func Load(dir string, opts *Options) (*Project, error) {
	return LoadFS(os.DirFS(dir), opts)
}

// LoadFS reads a saved project from the root of fsys, validating every
// field, and verifies its journal's hash chain with opts.Key. Options that
// are zero take the saved values (build share and margin, readiness lead,
// location, cadence: a cadence whose IsZero holds); Now is the new
// project's clock. A project saved with time.Local as its location needs
// opts.Location: the saved name "Local" is refused rather than read as
// this machine's zone. A fixed zone saved with its offset is loaded as
// time.FixedZone(name, offset). The loaded journal lives in memory.
//
// Errors are *LoadError values naming the file and wrapping the cause. A
// file that cannot be read gives the filesystem's *fs.PathError
// (errors.Is(err, fs.ErrNotExist) for a missing file or directory). Bad
// content wraps [ErrCorrupt] and the cause: a *FieldError naming the
// field, a JSON syntax error, a checklist snapshot error, or a timeline
// error such as [timeline.ErrTampered] for a journal that does not verify.
func LoadFS(fsys fs.FS, opts *Options) (*Project, error) {
	data, err := fs.ReadFile(fsys, ProjectFile)
	if err != nil {
		return nil, &LoadError{File: ProjectFile, Err: err}
	}
	var fp fileProject
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&fp); err != nil {
		return nil, &LoadError{File: ProjectFile, Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, &LoadError{File: ProjectFile, Err: fieldErr("project", "", "data after the project object")}
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	p, err := fp.project(o)
	if err != nil {
		return nil, &LoadError{File: ProjectFile, Err: err}
	}
	if err := p.loadJournal(fsys, fp.Journal); err != nil {
		return nil, &LoadError{File: fp.Journal.File, Err: err}
	}
	return p, nil
}

// project validates fp and builds the project, without its journal.
func (fp *fileProject) project(o Options) (*Project, error) {
	if fp.Version != storeVersion {
		return nil, fieldErr("version", strconv.Itoa(fp.Version), "unsupported version, want "+strconv.Itoa(storeVersion))
	}
	if strings.TrimSpace(fp.Name) == "" {
		return nil, fieldErr("name", fp.Name, "empty")
	}
	if fp.Created.IsZero() {
		return nil, fieldErr("created", "", "zero time")
	}
	if o.BuildShare == 0 {
		o.BuildShare = fp.Settings.BuildShare
	}
	if o.BuildMargin == 0 {
		o.BuildMargin = fp.Settings.BuildMargin
	}
	if o.ReadinessLead == 0 && fp.Settings.ReadinessLead != "" {
		d, err := time.ParseDuration(fp.Settings.ReadinessLead)
		if err != nil {
			return nil, fieldErr("settings.readiness_lead", fp.Settings.ReadinessLead, "not a duration")
		}
		o.ReadinessLead = d
	}
	if o.Location == nil {
		loc, err := loadZone(fp.Location, fp.ZoneOffset)
		if err != nil {
			return nil, err
		}
		o.Location = loc
	}
	s, err := resolve(&o)
	if err != nil {
		return nil, err
	}
	if err := fp.Cadence.Validate(); err != nil {
		return nil, err
	}
	p := &Project{settings: s, name: fp.Name, created: fp.Created.Round(0)}

	if err := p.loadTransitions(fp); err != nil {
		return nil, err
	}
	for ph, d := range fp.Planned {
		if !ph.IsValid() {
			return nil, fieldErr("planned", ph.String(), "invalid phase")
		}
		v, err := time.ParseDuration(d)
		if err != nil || v < 0 {
			return nil, fieldErr("planned."+ph.String(), d, "not a non-negative duration")
		}
		p.planned[ph] = v
	}
	for i, m := range fp.Members {
		if err := p.people.add(m); err != nil {
			return nil, prefixField(err, fmt.Sprintf("members[%d].", i))
		}
	}
	if len(fp.Team) > 0 {
		if err := p.people.setTeam(fp.Team); err != nil {
			return nil, err
		}
	}
	if fp.MCOContact != "" {
		if err := p.people.setMCOContact(fp.MCOContact); err != nil {
			return nil, err
		}
	}
	if err := p.loadLessons(fp.Lessons); err != nil {
		return nil, err
	}
	cad := fp.Cadence
	if !o.Cadence.IsZero() {
		cad = o.Cadence
	}
	t := &Tracker{loc: s.loc, cadence: cad}
	if err := t.load(fp.Meetings, fp.Actions); err != nil {
		return nil, err
	}
	p.tracker = t
	if err := p.loadEvidence(&fp.Evidence); err != nil {
		return nil, err
	}
	return p, nil
}

// prefixField adds a path prefix to a *FieldError's field.
func prefixField(err error, prefix string) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &FieldError{Field: prefix + strings.TrimPrefix(fe.Field, "member."), Value: fe.Value, Reason: fe.Reason}
	}
	return err
}

func (p *Project) loadTransitions(fp *fileProject) error {
	ph, last := Scoping, fp.Created
	for i, t := range fp.Transitions {
		field := fmt.Sprintf("transitions[%d]", i)
		switch {
		case !t.From.IsValid() || !t.To.IsValid():
			return fieldErr(field, "", "invalid phase")
		case t.From != ph:
			return fieldErr(field+".from", t.From.String(), "the project was in "+ph.String())
		case t.To == t.From:
			return fieldErr(field+".to", t.To.String(), "same phase")
		case t.To > t.From && t.To != t.From+1:
			return fieldErr(field+".to", t.To.String(), "skips a phase")
		case t.To < t.From && strings.TrimSpace(t.Reason) == "":
			return fieldErr(field+".reason", "", "going back needs a reason")
		case strings.TrimSpace(t.By) == "":
			return fieldErr(field+".by", t.By, "empty")
		case t.At.IsZero() || t.At.Before(last):
			return fieldErr(field+".at", t.At.Format(time.RFC3339), "zero or before the previous transition")
		}
		t.At = t.At.Round(0)
		p.transitions = append(p.transitions, t)
		ph, last = t.To, t.At
	}
	if fp.Phase != ph {
		return fieldErr("phase", fp.Phase.String(), "the transitions end in "+ph.String())
	}
	p.phase = ph
	return nil
}

func (p *Project) loadLessons(ls []Lesson) error {
	for i, l := range ls {
		field := fmt.Sprintf("lessons[%d]", i)
		switch {
		case l.ID != i+1:
			return fieldErr(field+".id", strconv.Itoa(l.ID), "want "+strconv.Itoa(i+1))
		case l.At.IsZero():
			return fieldErr(field+".at", "", "zero time")
		case strings.TrimSpace(l.From) == "":
			return fieldErr(field+".from", l.From, "empty")
		case strings.TrimSpace(l.Text) == "":
			return fieldErr(field+".text", l.Text, "empty")
		case strings.TrimSpace(l.Action) == "":
			return fieldErr(field+".action", l.Action, "empty")
		}
		for k, a := range l.Applied {
			af := fmt.Sprintf("%s.applied[%d]", field, k)
			switch {
			case strings.TrimSpace(a.Rollout) == "":
				return fieldErr(af+".rollout", a.Rollout, "empty")
			case strings.TrimSpace(a.By) == "":
				return fieldErr(af+".by", a.By, "empty")
			case a.At.IsZero():
				return fieldErr(af+".at", "", "zero time")
			}
			l.Applied[k].At = a.At.Round(0)
		}
		l.At = l.At.Round(0)
		p.lessons = append(p.lessons, l.clone())
	}
	return nil
}

// load validates and installs meetings and actions into an empty tracker.
func (t *Tracker) load(ms []Meeting, as []Action) error {
	for i, a := range as {
		field := fmt.Sprintf("actions[%d]", i)
		switch {
		case a.ID != i+1:
			return fieldErr(field+".id", strconv.Itoa(a.ID), "want "+strconv.Itoa(i+1))
		case a.Meeting < 0 || a.Meeting > len(ms):
			return fieldErr(field+".meeting", strconv.Itoa(a.Meeting), "no such meeting")
		case strings.TrimSpace(a.Title) == "":
			return fieldErr(field+".title", a.Title, "empty")
		case strings.TrimSpace(a.Owner) == "":
			return fieldErr(field+".owner", a.Owner, "empty")
		case a.Due.IsZero():
			return fieldErr(field+".due", "", "zero time")
		case !a.Status.IsValid():
			return fieldErr(field+".status", a.Status.String(), "invalid status")
		case a.Status == ActionOpen && (!a.ClosedAt.IsZero() || a.ClosedBy != ""):
			return fieldErr(field+".closed_at", "", "set on an open action")
		case a.Status != ActionOpen && (a.ClosedAt.IsZero() || strings.TrimSpace(a.ClosedBy) == ""):
			return fieldErr(field+".closed_at", "", "a closed action needs closed_at and closed_by")
		case a.Status == ActionCancelled && strings.TrimSpace(a.Note) == "":
			return fieldErr(field+".note", "", "a cancelled action needs a reason")
		}
		a.Due, a.ClosedAt = a.Due.Round(0), a.ClosedAt.Round(0)
		t.actions = append(t.actions, a)
	}
	for i, m := range ms {
		field := fmt.Sprintf("meetings[%d]", i)
		switch {
		case m.ID != i+1:
			return fieldErr(field+".id", strconv.Itoa(m.ID), "want "+strconv.Itoa(i+1))
		case m.At.IsZero():
			return fieldErr(field+".at", "", "zero time")
		case len(m.Attendees) == 0:
			return fieldErr(field+".attendees", "", "no attendee")
		case len(m.Actions) == 0 && !m.NoActions:
			return fieldErr(field+".actions", "", "no action and no_actions not set")
		case len(m.Actions) > 0 && m.NoActions:
			return fieldErr(field+".no_actions", "", "set while actions are handed out")
		case !m.Next.IsZero() && !m.Next.After(m.At):
			return fieldErr(field+".next", "", "not after the meeting")
		}
		for k, a := range m.Attendees {
			if strings.TrimSpace(a) == "" {
				return fieldErr(fmt.Sprintf("%s.attendees[%d]", field, k), a, "empty")
			}
		}
		for k, id := range m.Actions {
			if id < 1 || id > len(as) || as[id-1].Meeting != m.ID {
				return fieldErr(fmt.Sprintf("%s.actions[%d]", field, k), strconv.Itoa(id), "not an action of this meeting")
			}
		}
		m.At, m.Next = m.At.Round(0), m.Next.Round(0)
		t.meetings = append(t.meetings, m.clone())
		if t.latest == 0 || !m.At.Before(t.meetings[t.latest-1].At) {
			t.latest = len(t.meetings)
		}
	}
	for i, a := range as {
		if a.Meeting != 0 && !slices.Contains(ms[a.Meeting-1].Actions, a.ID) {
			return fieldErr(fmt.Sprintf("actions[%d].meeting", i), strconv.Itoa(a.Meeting), "the meeting does not list the action")
		}
	}
	return nil
}

func (p *Project) loadEvidence(fe *fileEvidence) error {
	for i := range fe.Rehearsals {
		field := fmt.Sprintf("evidence.rehearsals[%d]", i)
		if len(fe.Rehearsals[i].Steps) == 0 {
			return fieldErr(field+".steps", "", "no step")
		}
		if err := checkSummary(field, &fe.Rehearsals[i]); err != nil {
			return err
		}
	}
	if fe.Cutover != nil {
		if err := checkSummary("evidence.cutover", fe.Cutover); err != nil {
			return err
		}
	}
	if err := fe.Go.validate(); err != nil {
		return prefixField(err, "evidence.")
	}
	p.evidence.Rehearsals = fe.Rehearsals
	p.evidence.Go = fe.Go
	p.evidence.Cutover = fe.Cutover
	for _, r := range []struct {
		name string
		data json.RawMessage
		dst  **checklist.Run
	}{{"validation", fe.Validation, &p.evidence.Validation}, {"readiness", fe.Readiness, &p.evidence.Readiness}, {"operations", fe.Operations, &p.evidence.Operations}} {
		if len(r.data) == 0 || string(r.data) == "null" {
			continue
		}
		var head struct {
			List checklist.List `json:"list"`
		}
		if err := json.Unmarshal(r.data, &head); err != nil {
			return fmt.Errorf("mep: evidence.%s: %w", r.name, err)
		}
		run, err := checklist.Restore(head.List, r.data)
		if err != nil {
			return fmt.Errorf("mep: evidence.%s: %w", r.name, err)
		}
		*r.dst = run
	}
	return nil
}

// loadJournal reads, checks and installs the journal.
func (p *Project) loadJournal(fsys fs.FS, fj fileJournal) error {
	if !journalName.MatchString(fj.File) {
		return fieldErr("journal.file", fj.File, "not a journal file name")
	}
	f, err := fsys.Open(fj.File)
	if err != nil {
		return err
	}
	entries, err := timeline.Read(f)
	_ = f.Close()
	if err != nil {
		return err
	}
	if uint64(len(entries)) != fj.Entries {
		return fieldErr("journal.entries", strconv.FormatUint(fj.Entries, 10), fmt.Sprintf("the file holds %d entries", len(entries)))
	}
	if n := len(entries); n > 0 && entries[n-1].Hash != fj.Head {
		return fieldErr("journal.head", fj.Head, "does not match the last entry")
	}
	j, err := timeline.OpenStore(&memStore{entries: entries}, &timeline.Options{Now: p.settings.now, Key: p.key})
	if err != nil {
		return err
	}
	p.journal = j
	p.tracker.journal = j
	return nil
}

// memStore hands loaded entries to a journal that then lives in memory.
type memStore struct{ entries []timeline.Entry }

func (s *memStore) Load() ([]timeline.Entry, error) { e := s.entries; s.entries = nil; return e, nil }
func (s *memStore) Append([]timeline.Entry) error   { return nil }
func (s *memStore) Close() error                    { return nil }
