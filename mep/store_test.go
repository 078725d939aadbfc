package mep_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// fullProject returns a project in Preparation with something in every part.
func fullProject(t *testing.T, opts *mep.Options) (*mep.Project, *clock) {
	t.Helper()
	c := newClock(utc(2026, 1, 5, 9, 0))
	o := mep.Options{Now: c.now, Cadence: mep.Cadence{Days: 7}}
	if opts != nil {
		o.Key, o.Location = opts.Key, opts.Location
	}
	p, err := mep.New("billing v2", &o)
	require.NoError(t, err)
	staff(t, p)
	planAll(t, p)
	c.add(day(5))
	advance(t, p, mep.Build)
	require.NoError(t, p.ChooseTeam("Bea", "Otto", "Mia"))
	require.NoError(t, p.SetMCOContact("Bea"))
	c.add(day(70))
	advance(t, p, mep.Validation)
	p.SetValidation(checkAll(t, checklist.Validation(), c.now(), c.now()))
	c.add(day(5))
	advance(t, p, mep.Rehearsal)
	require.NoError(t, p.AddRehearsal(rehearsal(t, c.now())))
	c.add(day(5))
	advance(t, p, mep.Planning)
	_, err = p.GoBack(mep.Rehearsal, "Bea", "the rollback step was never timed")
	require.NoError(t, err)
	c.add(day(1))
	advance(t, p, mep.Planning)
	m, err := p.Tracker().Hold(mep.Minutes{At: c.now(), Title: "planning", Attendees: []string{"Bea", "Otto"},
		Decisions: []string{"T0 is 21:00"}, Notes: "quiet", Actions: []mep.ActionSpec{
			{Title: "print the runbook", Owner: "Otto"}, {Title: "call the client", Owner: "Sam"}}})
	require.NoError(t, err)
	require.NoError(t, p.Tracker().Done(m.Actions[0], "Otto", c.now().Add(time.Hour), "printed"))
	require.NoError(t, p.Tracker().Cancel(m.Actions[1], "Bea", c.now().Add(time.Hour), "the client called us"))
	_, err = p.Tracker().Hold(mep.Minutes{At: c.now().Add(day(7)), Attendees: []string{"Bea"}, NoActions: true})
	require.NoError(t, err)
	c.add(day(8))
	advance(t, p, mep.Preparation)
	t0 := c.now().Add(day(1))
	p.SetReadiness(checkAll(t, checklist.Preparation(), t0, t0.Add(-2*time.Hour)))
	require.NoError(t, p.SetGoDecision(mep.GoDecision{Decision: mep.Go, By: "Otto", At: t0.Add(-time.Hour), Reason: "all green"}))
	p.SetCutover(rehearsal(t, t0))
	_, err = p.AddLesson(mep.LessonSpec{From: "site-A", Text: "TTL", Action: "lower it", At: c.now()})
	require.NoError(t, err)
	require.NoError(t, p.ApplyLesson(1, "site-B", "Bea", c.now(), ""))
	return p, c
}

// same asserts that two projects hold the same state.
func same(t *testing.T, want, got *mep.Project, at time.Time) {
	t.Helper()
	assert.Equal(t, want.Name(), got.Name())
	assert.True(t, want.Created().Equal(got.Created()))
	assert.Equal(t, want.Phase(), got.Phase())
	assert.Equal(t, js(t, want.Transitions()), js(t, got.Transitions()))
	assert.Equal(t, want.Members(), got.Members())
	assert.Equal(t, want.Team(), got.Team())
	assert.Equal(t, want.MCOContact(), got.MCOContact())
	assert.Equal(t, js(t, want.Lessons()), js(t, got.Lessons()))
	assert.Equal(t, js(t, want.Tracker().Meetings()), js(t, got.Tracker().Meetings()))
	assert.Equal(t, js(t, want.Tracker().Actions()), js(t, got.Tracker().Actions()))
	assert.Equal(t, want.Tracker().Cadence(), got.Tracker().Cadence())
	assert.Equal(t, js(t, want.Budget(at)), js(t, got.Budget(at)))
	we, ge := want.Evidence(), got.Evidence()
	assert.Equal(t, js(t, we.Rehearsals), js(t, ge.Rehearsals))
	assert.Equal(t, js(t, we.Go), js(t, ge.Go))
	assert.Equal(t, js(t, we.Cutover), js(t, ge.Cutover))
	for _, pair := range [][2]*checklist.Run{{we.Validation, ge.Validation}, {we.Readiness, ge.Readiness}, {we.Operations, ge.Operations}} {
		if pair[0] == nil {
			assert.Nil(t, pair[1])
			continue
		}
		require.NotNil(t, pair[1])
		assert.Equal(t, pair[0].Digest(), pair[1].Digest())
	}
	assert.Equal(t, js(t, want.Journal().Entries()), js(t, got.Journal().Entries()))
	assert.Equal(t, want.CheckGate(at) == nil, got.CheckGate(at) == nil)
}

func js(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	require.NoError(t, err)
	return string(b)
}

func TestSaveLoadRoundTrip(t *testing.T) {
	key := []byte("secret")
	p, c := fullProject(t, &mep.Options{Key: key})
	dir := t.TempDir()
	require.NoError(t, p.Save(dir))

	q, err := mep.Load(dir, &mep.Options{Now: c.now, Key: key})
	require.NoError(t, err)
	same(t, p, q, c.now())
	assert.NoError(t, q.CheckGate(c.now().Add(day(1))), "the loaded evidence passes the Preparation gate")

	// The loaded project carries on: its journal continues the chain.
	c.add(day(1))
	_, err = q.Advance("Otto", "GO")
	require.NoError(t, err)
	assert.NoError(t, timeline.Verify(q.Journal().Entries(), key))

	// Saving again replaces the journal file.
	require.NoError(t, q.Save(dir))
	assert.Equal(t, []string{".lock", "journal-2-R.jsonl", "project.json"}, savedNames(t, dir))
	r, err := mep.Load(dir, &mep.Options{Now: c.now, Key: key})
	require.NoError(t, err)
	same(t, q, r, c.now())

	_, err = mep.Load(dir, &mep.Options{Key: []byte("wrong")})
	assert.ErrorIs(t, err, mep.ErrCorrupt)
	assert.ErrorIs(t, err, timeline.ErrWrongKey, "a wrong key does not verify, and is not taken for tampering")
}

// savedNames returns the names in dir, with the random part of journal
// file names, checked, replaced by "R".
func savedNames(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	for _, name := range dirNames(t, dir) {
		if m := journalName.FindStringSubmatch(name); m != nil {
			name = m[1] + "R.jsonl"
		}
		out = append(out, name)
	}
	return out
}

var journalName = regexp.MustCompile(`^(journal-[0-9]+-)[0-9a-f]{16}\.jsonl$`)

// journalFile returns the name of the one journal file in dir.
func journalFile(t *testing.T, dir string) string {
	t.Helper()
	var found []string
	for _, name := range dirNames(t, dir) {
		if journalName.MatchString(name) {
			found = append(found, name)
		}
	}
	require.Len(t, found, 1, "journal files in %s", dir)
	return found[0]
}

func dirNames(t *testing.T, dir string) []string {
	t.Helper()
	des, err := os.ReadDir(dir)
	require.NoError(t, err)
	var out []string
	for _, de := range des {
		out = append(out, de.Name())
	}
	return out
}

// TestCrashDuringSave leaves the directory as a crash would at each point
// of a save and checks the last complete save still loads.
func TestCrashDuringSave(t *testing.T) {
	p, c := fullProject(t, nil)
	dir := t.TempDir()
	require.NoError(t, p.Save(dir))
	saved, err := os.ReadFile(filepath.Join(dir, "project.json"))
	require.NoError(t, err)

	// The project moves on; a second save crashes at various points.
	c.add(day(1))
	_, err = p.Advance("Otto", "")
	require.NoError(t, err)
	next := t.TempDir()
	require.NoError(t, p.Save(next))
	newJournal, err := os.ReadFile(filepath.Join(next, journalFile(t, next)))
	require.NoError(t, err)

	// 1. A temporary file half written.
	require.NoError(t, os.WriteFile(filepath.Join(dir, ".project.json.tmp-123"), saved[:len(saved)/2], 0o644))
	// 2. The new journal renamed in place, the project file not yet.
	require.NoError(t, os.WriteFile(filepath.Join(dir, "journal-2.jsonl"), newJournal, 0o644))

	q, err := mep.Load(dir, &mep.Options{Now: c.now})
	require.NoError(t, err)
	assert.Equal(t, mep.Preparation, q.Phase(), "the last complete save")

	// The next save cleans up the leftovers of the crash.
	require.NoError(t, q.Save(dir))
	assert.Equal(t, []string{".lock", ".project.json.tmp-123", "journal-3-R.jsonl", "project.json"}, savedNames(t, dir))
}

func TestLoadRejectsBadFiles(t *testing.T) {
	p, _ := fullProject(t, nil)
	dir := t.TempDir()
	require.NoError(t, p.Save(dir))
	pj, err := os.ReadFile(filepath.Join(dir, "project.json"))
	require.NoError(t, err)
	jname := journalFile(t, dir)
	jl, err := os.ReadFile(filepath.Join(dir, jname))
	require.NoError(t, err)

	edit := func(f func(m map[string]any)) []byte {
		var m map[string]any
		require.NoError(t, json.Unmarshal(pj, &m))
		f(m)
		b, err := json.Marshal(m)
		require.NoError(t, err)
		return b
	}
	at := func(m map[string]any, key string, i int) map[string]any {
		return m[key].([]any)[i].(map[string]any)
	}
	tests := []struct {
		name  string
		pj    []byte
		jl    []byte
		field string // "" : not a field error
	}{
		{"version", edit(func(m map[string]any) { m["version"] = 9 }), jl, "version"},
		{"name", edit(func(m map[string]any) { m["name"] = " " }), jl, "name"},
		{"unknown field", edit(func(m map[string]any) { m["colour"] = "blue" }), jl, ""},
		{"phase", edit(func(m map[string]any) { m["phase"] = "cutover" }), jl, "phase"},
		{"bad phase", edit(func(m map[string]any) { m["phase"] = "nowhere" }), jl, "phase"},
		{"skip", edit(func(m map[string]any) { at(m, "transitions", 0)["to"] = "validation" }), jl, "transitions[0].to"},
		{"no reason", edit(func(m map[string]any) { at(m, "transitions", 4)["reason"] = "" }), jl, "transitions[4].reason"},
		{"member", edit(func(m map[string]any) { at(m, "members", 1)["roles"] = []string{} }), jl, "members[1].roles"},
		{"role", edit(func(m map[string]any) { at(m, "members", 1)["roles"] = []string{"chef"} }), jl, "role"},
		{"contact", edit(func(m map[string]any) { m["mco_contact"] = "Mia" }), jl, "mco_contact"},
		{"action owner", edit(func(m map[string]any) { at(m, "actions", 1)["owner"] = "" }), jl, "actions[1].owner"},
		{"action id", edit(func(m map[string]any) { at(m, "actions", 1)["id"] = 7 }), jl, "actions[1].id"},
		{"cancel reason", edit(func(m map[string]any) { at(m, "actions", 1)["note"] = "" }), jl, "actions[1].note"},
		{"meeting action", edit(func(m map[string]any) { at(m, "meetings", 0)["actions"] = []int{1, 5} }), jl, "meetings[0].actions[1]"},
		{"silent meeting", edit(func(m map[string]any) { at(m, "meetings", 1)["no_actions"] = false }), jl, "meetings[1].actions"},
		{"lesson", edit(func(m map[string]any) { at(m, "lessons", 0)["action"] = "" }), jl, "lessons[0].action"},
		{"planned", edit(func(m map[string]any) { m["planned"].(map[string]any)["build"] = "-3h" }), jl, "planned.build"},
		{"location", edit(func(m map[string]any) { m["location"] = "Mars/Olympus" }), jl, "location"},
		{"cadence", edit(func(m map[string]any) { m["cadence"] = map[string]any{"days": -1} }), jl, "cadence.days"},
		{"go", edit(func(m map[string]any) { m["evidence"].(map[string]any)["go"].(map[string]any)["by"] = "" }), jl, "evidence.go_decision.by"},
		{"open step not counted", edit(func(m map[string]any) {
			sp := summary(m, "rehearsals").Steps(0)
			sp["Open"], sp["End"], sp["Duration"] = true, "0001-01-01T00:00:00Z", 0
		}), jl, "evidence.rehearsals[0].open"},
		{"open step with an end", edit(func(m map[string]any) {
			sp := summary(m, "rehearsals").Steps(0)
			sp["Open"] = true
			summary(m, "rehearsals")["Open"] = 1
		}), jl, "evidence.rehearsals[0].steps[0].end"},
		{"summary duration", edit(func(m map[string]any) { summary(m, "rehearsals")["Duration"] = 1 }), jl, "evidence.rehearsals[0].duration"},
		{"summary backwards", edit(func(m map[string]any) {
			s := summary(m, "cutover")
			s["Start"], s["End"] = s["End"], s["Start"]
			s["Duration"] = -s["Duration"].(float64)
		}), jl, "evidence.cutover.end"},
		{"step backwards", edit(func(m map[string]any) {
			sp := summary(m, "cutover").Steps(0)
			sp["Start"], sp["End"] = sp["End"], sp["Start"]
			sp["Duration"] = -sp["Duration"].(float64)
		}), jl, "evidence.cutover.steps[0].end"},
		{"step duration", edit(func(m map[string]any) { summary(m, "cutover").Steps(0)["Duration"] = 1 }), jl, "evidence.cutover.steps[0].duration"},
		{"negative disruption", edit(func(m map[string]any) { summary(m, "cutover")["Disruption"] = -1 }), jl, "evidence.cutover.disruption"},
		{"outage too long", edit(func(m map[string]any) {
			s := summary(m, "rehearsals")
			s["Outage"] = s["Duration"].(float64) + 1
		}), jl, "evidence.rehearsals[0].outage"},
		{"impact too long", edit(func(m map[string]any) {
			s := summary(m, "rehearsals")
			s["Disruption"] = s["Duration"]
		}), jl, "evidence.rehearsals[0].disruption"},
		{"journal path", edit(func(m map[string]any) { m["journal"].(map[string]any)["file"] = "../etc/passwd" }), jl, "journal.file"},
		{"journal count", edit(func(m map[string]any) { m["journal"].(map[string]any)["entries"] = 3 }), jl, "journal.entries"},
		{"journal truncated", pj, jl[:bytes.LastIndexByte(jl[:len(jl)-1], '\n')+1], "journal.entries"},
		{"journal edited", pj, bytes.Replace(jl, []byte(`"actor":"Lea"`), []byte(`"actor":"Eve"`), 1), ""},
		{"checklist", edit(func(m map[string]any) { m["evidence"].(map[string]any)["readiness"] = map[string]any{"version": 1} }), jl, ""},
		{"not json", []byte("{"), jl, ""},
		{"trailing", append(slices(pj), []byte("{}")...), jl, "project"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{"project.json": {Data: tt.pj}, jname: {Data: tt.jl}}
			_, err := mep.LoadFS(fsys, nil)
			require.Error(t, err)
			assert.ErrorIs(t, err, mep.ErrCorrupt)
			var le *mep.LoadError
			require.True(t, errors.As(err, &le))
			if tt.field != "" {
				var fe *mep.FieldError
				require.True(t, errors.As(err, &fe), "%v", err)
				assert.Equal(t, tt.field, fe.Field, "%v", err)
				assert.Contains(t, err.Error(), tt.field)
			}
		})
	}
}

// deniedFS refuses to open name.
type deniedFS struct {
	fs.FS
	name string
}

func (d deniedFS) Open(name string) (fs.File, error) {
	if name == d.name {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrPermission}
	}
	return d.FS.Open(name)
}

// TestLoadFilesystemErrors checks that a file that cannot be read is not
// reported as corrupt: the error is the filesystem's.
func TestLoadFilesystemErrors(t *testing.T) {
	p, _ := fullProject(t, nil)
	dir := t.TempDir()
	require.NoError(t, p.Save(dir))
	jname := journalFile(t, dir)

	check := func(t *testing.T, err error, file string, target error) {
		t.Helper()
		require.Error(t, err)
		assert.ErrorIs(t, err, target)
		assert.NotErrorIs(t, err, mep.ErrCorrupt)
		var pe *fs.PathError
		assert.True(t, errors.As(err, &pe), "%v", err)
		var le *mep.LoadError
		require.True(t, errors.As(err, &le), "%v", err)
		assert.Equal(t, file, le.File)
	}
	t.Run("no directory", func(t *testing.T) {
		_, err := mep.Load(filepath.Join(t.TempDir(), "nowhere"), nil)
		check(t, err, "project.json", fs.ErrNotExist)
	})
	t.Run("empty directory", func(t *testing.T) {
		_, err := mep.Load(t.TempDir(), nil)
		check(t, err, "project.json", fs.ErrNotExist)
	})
	t.Run("project file denied", func(t *testing.T) {
		_, err := mep.LoadFS(deniedFS{os.DirFS(dir), "project.json"}, nil)
		check(t, err, "project.json", fs.ErrPermission)
	})
	t.Run("journal denied", func(t *testing.T) {
		_, err := mep.LoadFS(deniedFS{os.DirFS(dir), jname}, nil)
		check(t, err, jname, fs.ErrPermission)
	})
	t.Run("journal missing", func(t *testing.T) {
		require.NoError(t, os.Remove(filepath.Join(dir, jname)))
		_, err := mep.Load(dir, nil)
		check(t, err, jname, fs.ErrNotExist)
	})
}

// jsonSummary is a timeline.Summary decoded as a map.
type jsonSummary map[string]any

// Steps returns step i of s.
func (s jsonSummary) Steps(i int) map[string]any { return s["Steps"].([]any)[i].(map[string]any) }

// summary returns the cutover summary, or the first rehearsal, in the
// evidence of m.
func summary(m map[string]any, which string) jsonSummary {
	ev := m["evidence"].(map[string]any)
	if which == "cutover" {
		return ev["cutover"].(map[string]any)
	}
	return ev[which].([]any)[0].(map[string]any)
}

func slices(b []byte) []byte { return append([]byte(nil), b...) }

// TestLoadGolden loads the saved project kept in testdata, so that the
// format stays readable by later versions.
func TestLoadGolden(t *testing.T) {
	dir := filepath.Join("testdata", "project")
	if os.Getenv("MEP_UPDATE_GOLDEN") != "" {
		p, _ := fullProject(t, &mep.Options{Location: load(t, "Europe/Paris")})
		require.NoError(t, os.RemoveAll(dir))
		require.NoError(t, p.Save(dir))
	}
	p, err := mep.Load(dir, nil)
	require.NoError(t, err)
	assert.Equal(t, "billing v2", p.Name())
	assert.Equal(t, mep.Preparation, p.Phase())
	assert.Equal(t, "Europe/Paris", p.Location().String())
	assert.Len(t, p.Tracker().Actions(), 2)
	assert.Len(t, p.Transitions(), 7)
	assert.NoError(t, timeline.Verify(p.Journal().Entries(), nil))
	assert.True(t, strings.HasPrefix(p.Journal().Entries()[0].Kind, "mep.phase"))
}

func FuzzLoad(f *testing.F) {
	// The saved project in testdata (25 KB) is TestLoadGolden's: as a seed,
	// the fuzzer spends minutes minimising inputs that size, at 0 execs/s.
	f.Add([]byte(`{"version":1,"name":"x","created":"2026-01-01T00:00:00Z","phase":"scoping","transitions":[],"settings":{},"members":[],"lessons":[],"location":"UTC","cadence":{},"meetings":[],"actions":[],"evidence":{"go":{"decision":"undecided"}},"journal":{"file":"journal-1.jsonl","entries":0}}`), []byte{})
	f.Add([]byte(`{}`), []byte("{}\n"))
	f.Fuzz(func(t *testing.T, pj, jl []byte) {
		if len(pj)+len(jl) > 4<<10 {
			t.Skip("large input: minimising it stalls the fuzzer")
		}
		fsys := fstest.MapFS{"project.json": {Data: pj}, "journal-1.jsonl": {Data: jl}}
		p, err := mep.LoadFS(fsys, nil)
		if err != nil {
			// The project file may name a journal file that is not there.
			if !errors.Is(err, mep.ErrCorrupt) && !errors.Is(err, fs.ErrNotExist) {
				t.Fatalf("error wraps neither ErrCorrupt nor fs.ErrNotExist: %v", err)
			}
			return
		}
		// Loading is deterministic. (Saving and loading back is tested
		// without the fuzzer: with a directory and four fsyncs per input,
		// minimising one input took the fuzzer minutes at 0 execs/s.)
		q, err := mep.LoadFS(fsys, nil)
		if err != nil {
			t.Fatalf("second load: %v", err)
		}
		if js(t, p.Journal().Entries()) != js(t, q.Journal().Entries()) || p.Phase() != q.Phase() {
			t.Fatal("second load differs")
		}
		_ = q.CheckGate(q.Created())
		_ = q.Budget(q.Created())
		_ = q.Tracker().Agenda(q.Created())
	})
}

// TestConcurrentSaves saves two Project values into one directory at the
// same time, round after round: the directory always loads, as one of them.
func TestConcurrentSaves(t *testing.T) {
	dir := t.TempDir()
	c := newClock(utc(2026, 1, 5, 9, 0))
	var ps [2]*mep.Project
	for i := range ps {
		p, err := mep.New(fmt.Sprintf("writer %d", i), &mep.Options{Now: c.now})
		require.NoError(t, err)
		ps[i] = p
	}
	for round := range 50 {
		var wg sync.WaitGroup
		for i, p := range ps {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range i + 1 { // the writers' journals differ in length
					_, err := p.AddLesson(mep.LessonSpec{From: p.Name(), Text: fmt.Sprint(round), Action: "save", At: c.now()})
					assert.NoError(t, err)
				}
				assert.NoError(t, p.Save(dir), "writer %d, round %d", i, round)
			}()
		}
		wg.Wait()
		q, err := mep.Load(dir, nil)
		require.NoError(t, err, "round %d", round)
		switch q.Name() {
		case "writer 0":
			assert.Len(t, q.Lessons(), round+1)
		case "writer 1":
			assert.Len(t, q.Lessons(), 2*(round+1))
		default:
			t.Fatalf("loaded %q", q.Name())
		}
		var journals []string
		for _, name := range dirNames(t, dir) {
			if strings.HasPrefix(name, "journal-") {
				journals = append(journals, name)
			}
		}
		assert.Len(t, journals, 1, "round %d: older journal files are removed", round)
	}
}

// TestLoadOptionsOverrideSavedValues checks that options that are not zero
// replace the saved values, and zero ones keep them.
func TestLoadOptionsOverrideSavedValues(t *testing.T) {
	p, c := fullProject(t, nil)
	dir := t.TempDir()
	require.NoError(t, p.Save(dir))

	q, err := mep.Load(dir, &mep.Options{Now: c.now})
	require.NoError(t, err)
	assert.Equal(t, mep.Cadence{Days: 7}, q.Tracker().Cadence(), "saved")
	assert.Equal(t, mep.DefaultBuildMargin, q.Budget(c.now()).Margin, "saved")

	fortnight := mep.Cadence{Days: 14, Weekdays: true}
	q, err = mep.Load(dir, &mep.Options{Now: c.now, Cadence: fortnight, BuildMargin: 0.2, Location: load(t, "Europe/Paris")})
	require.NoError(t, err)
	assert.Equal(t, fortnight, q.Tracker().Cadence(), "opts.Cadence")
	assert.Equal(t, 0.2, q.Budget(c.now()).Margin, "opts.BuildMargin")
	assert.Equal(t, "Europe/Paris", q.Location().String())
	assert.Equal(t, "Europe/Paris", q.Tracker().Location().String())
}

// TestBadSummaries checks that a summary that Load would refuse is refused
// by AddRehearsal, and by Save for the cutover.
func TestBadSummaries(t *testing.T) {
	c := newClock(utc(2026, 1, 5, 9, 0))
	good := rehearsal(t, c.now())
	open := good
	open.Steps = append([]timeline.Span(nil), good.Steps...)
	open.Steps[0].Open, open.Steps[0].End, open.Steps[0].Duration = true, time.Time{}, 0
	long := good
	long.Outage = good.Duration + time.Minute

	p := newProject(t, c)
	require.NoError(t, p.AddRehearsal(good))
	for _, tt := range []struct {
		s     timeline.Summary
		field string
	}{{open, "rehearsal.open"}, {long, "rehearsal.outage"}} {
		var fe *mep.FieldError
		require.True(t, errors.As(p.AddRehearsal(tt.s), &fe))
		assert.Equal(t, tt.field, fe.Field)
	}
	assert.Len(t, p.Evidence().Rehearsals, 1)

	dir := t.TempDir()
	p.SetCutover(open)
	err := p.Save(dir)
	var fe *mep.FieldError
	require.True(t, errors.As(err, &fe), "%v", err)
	assert.Equal(t, "evidence.cutover.open", fe.Field)
	assert.Empty(t, dirNames(t, dir), "nothing written")
	p.SetCutover(good)
	require.NoError(t, p.Save(dir))
	_, err = mep.Load(dir, nil)
	assert.NoError(t, err)
}

// tzif returns a zone named name, with a summer offset in 2026, built from
// TZif data (RFC 8536, version 1).
func tzif(t *testing.T, name string) *time.Location {
	t.Helper()
	var b bytes.Buffer
	b.WriteString("TZif")
	b.Write(make([]byte, 16)) // version 1, reserved
	abbr := "STD\x00DST\x00"
	be := func(v int32) { b.Write([]byte{byte(v >> 24), byte(v >> 16), byte(v >> 8), byte(v)}) }
	for _, n := range []int32{0, 0, 0, 2, 2, int32(len(abbr))} { // isut, isstd, leap, time, type, char counts
		be(n)
	}
	be(int32(utc(2026, 3, 29, 1, 0).Unix()))
	be(int32(utc(2026, 10, 25, 1, 0).Unix()))
	b.Write([]byte{1, 0}) // the types the transitions switch to
	be(3600)
	b.Write([]byte{0, 0}) // STD
	be(7200)
	b.Write([]byte{1, 4}) // DST
	b.WriteString(abbr)
	loc, err := time.LoadLocationFromTZData(name, b.Bytes())
	require.NoError(t, err)
	return loc
}

// TestSaveLoadZones checks that a project loads back in the zone it was
// saved in, or is refused at Save when it could not.
func TestSaveLoadZones(t *testing.T) {
	jan, jul := utc(2026, 1, 15, 12, 0), utc(2026, 7, 15, 12, 0)
	for _, tt := range []struct {
		name     string
		loc      *time.Location
		byName   bool // saved by name only
		refused  bool
		wantName string
	}{
		{"UTC", time.UTC, true, false, "UTC"},
		{"Europe/Paris", load(t, "Europe/Paris"), true, false, "Europe/Paris"},
		{"fixed, unknown name", time.FixedZone("UTC+2", 2*3600), false, false, "UTC+2"},
		{"fixed, name of a zone with summer time", time.FixedZone("CET", 3600), false, false, "CET"},
		{"fixed, name of another offset", time.FixedZone("UTC", -3*3600), false, false, "UTC"},
		{"fixed, no name", time.FixedZone("", 5*3600+30*60), false, false, ""},
		{"fixed, named Local", time.FixedZone("Local", 3600), false, false, "Local"},
		{"unknown zone with summer time", tzif(t, "Mars/Olympus"), false, true, ""},
		{"known name, other rules", tzif(t, "Europe/Paris"), false, true, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock(utc(2026, 1, 5, 9, 0))
			p, err := mep.New("zones", &mep.Options{Now: c.now, Location: tt.loc, Cadence: mep.Cadence{Months: 1}})
			require.NoError(t, err)
			dir := t.TempDir()
			err = p.Save(dir)
			if tt.refused {
				var fe *mep.FieldError
				require.True(t, errors.As(err, &fe), "%v", err)
				assert.Equal(t, "location", fe.Field)
				assert.Empty(t, dirNames(t, dir), "nothing written")
				return
			}
			require.NoError(t, err)
			pj, err := os.ReadFile(filepath.Join(dir, "project.json"))
			require.NoError(t, err)
			assert.Equal(t, tt.byName, !bytes.Contains(pj, []byte(`"zone_offset"`)))

			q, err := mep.Load(dir, nil)
			require.NoError(t, err)
			assert.Equal(t, tt.wantName, q.Location().String())
			for _, at := range []time.Time{jan, jul} {
				wn, wo := at.In(tt.loc).Zone()
				gn, gotOff := at.In(q.Location()).Zone()
				assert.Equal(t, wo, gotOff, "offset at %s", at)
				assert.Equal(t, wn, gn, "abbreviation at %s", at)
				assert.Equal(t, mep.Cadence{Months: 1}.Next(at, tt.loc).Format(time.RFC3339),
					mep.Cadence{Months: 1}.Next(at, q.Tracker().Location()).Format(time.RFC3339))
			}
		})
	}

	t.Run("bad offset", func(t *testing.T) {
		p, err := mep.New("zones", &mep.Options{Location: time.FixedZone("X", 3600)})
		require.NoError(t, err)
		dir := t.TempDir()
		require.NoError(t, p.Save(dir))
		path := filepath.Join(dir, "project.json")
		pj, err := os.ReadFile(path)
		require.NoError(t, err)
		pj = bytes.Replace(pj, []byte(`"zone_offset": 3600`), []byte(`"zone_offset": 90000`), 1)
		require.NoError(t, os.WriteFile(path, pj, 0o644))
		_, err = mep.Load(dir, nil)
		var fe *mep.FieldError
		require.True(t, errors.As(err, &fe), "%v", err)
		assert.Equal(t, "zone_offset", fe.Field)
	})
}
