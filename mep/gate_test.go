package mep_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// checkAll checks every item of l in list order at at.
func checkAll(t *testing.T, l checklist.List, t0, at time.Time) *checklist.Run {
	t.Helper()
	return doneRun(t, l.Name, t0, at, l.Items...)
}

func planAll(t *testing.T, p *mep.Project) {
	t.Helper()
	for _, ph := range mep.Phases() {
		d := day(5)
		if ph == mep.Build {
			d = day(75)
		}
		require.NoError(t, p.Plan(ph, d))
	}
}

func advance(t *testing.T, p *mep.Project, want mep.Phase) {
	t.Helper()
	tr, err := p.Advance("Lea", "")
	require.NoError(t, err)
	require.Equal(t, want, tr.To)
	require.Equal(t, want, p.Phase())
}

func gateErr(t *testing.T, err error) *mep.GateError {
	t.Helper()
	require.Error(t, err)
	require.ErrorIs(t, err, mep.ErrGate)
	var ge *mep.GateError
	require.True(t, errors.As(err, &ge), "%v", err)
	return ge
}

func unmetNames(ge *mep.GateError) []string {
	var out []string
	for _, u := range ge.Unmet {
		out = append(out, u.Criterion)
	}
	return out
}

func TestAdvanceListsEveryUnmetCriterion(t *testing.T) {
	c := newClock(utc(2026, 1, 5, 9, 0))
	p := newProject(t, c)
	_, err := p.Advance("Lea", "")
	ge := gateErr(t, err)
	assert.Equal(t, mep.Scoping, ge.From)
	assert.Equal(t, mep.Build, ge.To)
	assert.Equal(t, []string{"phase budget planned", "builders named"}, unmetNames(ge))
	assert.Contains(t, err.Error(), "[R2] phase budget planned: no planned time for scoping, build, validation")
	assert.Equal(t, mep.Scoping, p.Phase(), "a refused transition does not move")
	assert.Empty(t, p.Transitions())
	assert.Zero(t, p.Journal().Len(), "a refused transition is not journaled")

	assert.ErrorIs(t, p.CheckGate(c.now()), mep.ErrGate)
}

// TestWalkThroughTheMethod takes a project from Scoping to Operations
// through every built-in gate, feeding each the evidence it reads.
func TestWalkThroughTheMethod(t *testing.T) {
	c := newClock(utc(2026, 1, 5, 9, 0))
	p := newProject(t, c)
	staff(t, p)
	planAll(t, p)
	c.add(day(5))
	advance(t, p, mep.Build)

	c.add(day(70))
	_, err := p.Advance("Lea", "")
	ge := gateErr(t, err)
	assert.Equal(t, []string{"go-live team"}, unmetNames(ge))
	var te *mep.TeamError
	assert.True(t, errors.As(err, &te), "team problems are reachable through the gate error")
	require.NoError(t, p.ChooseTeam("Bea", "Otto", "Mia"))
	require.NoError(t, p.SetMCOContact("Bea"))
	advance(t, p, mep.Validation)

	c.add(day(5))
	_, err = p.Advance("Lea", "")
	ge = gateErr(t, err)
	assert.Equal(t, []string{"validation checklist complete", "installation procedures checked"}, unmetNames(ge))
	p.SetValidation(checkAll(t, checklist.Validation(), c.now(), c.now()))
	advance(t, p, mep.Rehearsal)

	c.add(day(5))
	ge = gateErr(t, p.CheckGate(c.now()))
	assert.Equal(t, []string{"rehearsal timings recorded"}, unmetNames(ge))
	require.NoError(t, p.AddRehearsal(rehearsal(t, c.now())))
	advance(t, p, mep.Planning)

	c.add(day(1))
	ge = gateErr(t, p.CheckGate(c.now()))
	assert.Equal(t, []string{"planning meeting held"}, unmetNames(ge))
	_, err = p.Tracker().Hold(mep.Minutes{
		At: c.now(), Attendees: []string{"Bea", "Otto"},
		Actions: []mep.ActionSpec{{Title: "book the room", Owner: "Otto", Due: c.now().Add(day(2))}},
	})
	require.NoError(t, err)
	c.add(day(3))
	ge = gateErr(t, p.CheckGate(c.now()))
	assert.Equal(t, []string{"no overdue action"}, unmetNames(ge))
	assert.Contains(t, ge.Error(), "#1 book the room (Otto)")
	require.NoError(t, p.Tracker().Done(1, "Otto", c.now(), ""))
	advance(t, p, mep.Preparation)

	t0 := c.now().Add(day(2))
	ge = gateErr(t, p.CheckGate(c.now()))
	assert.Equal(t, []string{"readiness checklist complete in time", "operations GO"}, unmetNames(ge))
	ready := checkAll(t, checklist.Preparation(), t0, t0.Add(-3*time.Hour))
	p.SetReadiness(ready)
	require.NoError(t, p.SetGoDecision(mep.GoDecision{Decision: mep.Go, By: "Otto", At: t0.Add(-30 * time.Minute)}))
	c.set(t0)
	advance(t, p, mep.Cutover)

	ge = gateErr(t, p.CheckGate(c.now()))
	assert.Equal(t, []string{"cutover journaled"}, unmetNames(ge))
	p.SetCutover(rehearsal(t, c.now()))
	c.add(time.Hour)
	advance(t, p, mep.Review)

	c.add(day(2))
	ge = gateErr(t, p.CheckGate(c.now()))
	assert.Equal(t, []string{"lessons recorded"}, unmetNames(ge))
	_, err = p.AddLesson(mep.LessonSpec{From: "site-A", Text: "DNS TTL too long", Action: "lower the TTL to 300s a day before"})
	require.NoError(t, err)
	advance(t, p, mep.Industrialization)

	c.add(day(30))
	ge = gateErr(t, p.CheckGate(c.now()))
	assert.Equal(t, []string{"operations-readiness checklist complete", "probes in place", "backup process", "known failures recorded"}, unmetNames(ge))
	p.SetOperations(checkAll(t, checklist.Operations(), c.now(), c.now()))
	advance(t, p, mep.Operations)

	_, err = p.Advance("Lea", "")
	assert.ErrorIs(t, err, mep.ErrTransition, "Operations is the last phase")

	// Every transition is journaled: who, when, from, to.
	var phases []timeline.Entry
	for _, e := range p.Journal().Entries() {
		if e.Kind == "mep.phase" {
			phases = append(phases, e)
		}
	}
	trs := p.Transitions()
	require.Len(t, trs, mep.NumPhases-1)
	require.Len(t, phases, len(trs))
	for i, tr := range trs {
		assert.Equal(t, mep.Phase(i), tr.From)
		assert.Equal(t, mep.Phase(i+1), tr.To)
		assert.Equal(t, "Lea", phases[i].Actor)
		assert.True(t, tr.At.Equal(phases[i].At))
		assert.Equal(t, tr.From.String(), phases[i].Attrs["from"])
		assert.Equal(t, tr.To.String(), phases[i].Attrs["to"])
	}
	assert.NoError(t, timeline.Verify(p.Journal().Entries(), nil))
}

func TestReadinessAndGoCriteria(t *testing.T) {
	t0 := utc(2026, 3, 10, 21, 0)
	tests := []struct {
		name    string
		readyAt time.Time
		goDec   mep.GoDecision
		unmet   []string
		message string
	}{
		{"ready and go", t0.Add(-2 * time.Hour), mep.GoDecision{Decision: mep.Go, By: "Otto", At: t0.Add(-time.Hour)}, nil, ""},
		{"ready 30 minutes late", t0.Add(-30 * time.Minute), mep.GoDecision{Decision: mep.Go, By: "Otto", At: t0.Add(-10 * time.Minute)},
			[]string{"readiness checklist complete in time"}, "readiness items late"},
		{"go before readiness", t0.Add(-2 * time.Hour), mep.GoDecision{Decision: mep.Go, By: "Otto", At: t0.Add(-3 * time.Hour)},
			[]string{"operations GO"}, "before readiness was complete"},
		{"go from a builder", t0.Add(-2 * time.Hour), mep.GoDecision{Decision: mep.Go, By: "Bea", At: t0.Add(-time.Hour)},
			[]string{"operations GO"}, "not a member with the operations role"},
		{"no-go", t0.Add(-2 * time.Hour), mep.GoDecision{Decision: mep.NoGo, By: "Otto", At: t0.Add(-time.Hour), Reason: "backup failed"},
			[]string{"operations GO"}, "no-go given by Otto: backup failed"},
		{"undecided", t0.Add(-2 * time.Hour), mep.GoDecision{}, []string{"operations GO"}, "no go/no-go decision yet"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newProject(t, newClock(t0.Add(-day(3))))
			staff(t, p)
			p.SetReadiness(checkAll(t, checklist.Preparation(), t0, tt.readyAt))
			require.NoError(t, p.SetGoDecision(tt.goDec))
			var crit []mep.Criterion
			crit = append(crit, p.Gate(mep.Preparation)...)
			var unmet []string
			var msgs string
			for _, c := range crit {
				if err := c.Check(p, t0); err != nil {
					unmet = append(unmet, c.Name)
					msgs += err.Error()
				}
			}
			assert.Equal(t, tt.unmet, unmet)
			assert.Contains(t, msgs, tt.message)
		})
	}
}

func TestGoBackNeedsAReasonAndIsJournaled(t *testing.T) {
	c := newClock(utc(2026, 1, 5, 9, 0))
	p := newProject(t, c)
	staff(t, p)
	planAll(t, p)
	advance(t, p, mep.Build)

	_, err := p.GoBack(mep.Scoping, "Lea", " ")
	var fe *mep.FieldError
	require.True(t, errors.As(err, &fe))
	assert.Equal(t, "transition.reason", fe.Field)
	_, err = p.GoBack(mep.Build, "Lea", "why not")
	assert.ErrorIs(t, err, mep.ErrTransition, "not an earlier phase")
	_, err = p.GoBack(mep.Phase(42), "Lea", "why not")
	assert.ErrorIs(t, err, mep.ErrTransition)
	_, err = p.Advance("", "")
	assert.ErrorIs(t, err, mep.ErrInvalid)

	c.add(time.Hour)
	tr, err := p.GoBack(mep.Scoping, "Sam", "the client doubled the scope")
	require.NoError(t, err)
	assert.True(t, tr.IsBack())
	assert.Equal(t, mep.Scoping, p.Phase())
	entries := p.Journal().Entries()
	last := entries[len(entries)-1]
	assert.Equal(t, "mep.phase", last.Kind)
	assert.Equal(t, "Sam", last.Actor)
	assert.Equal(t, "the client doubled the scope", last.Text)
	assert.Equal(t, "back", last.Attrs["direction"])
	assert.Equal(t, "build", last.Attrs["from"])
	assert.True(t, p.EnteredAt().Equal(c.now()))
}

func TestUserCriteria(t *testing.T) {
	c := newClock(utc(2026, 1, 5, 9, 0))
	p := newProject(t, c)
	staff(t, p)
	planAll(t, p)
	signed := false
	require.NoError(t, p.AddCriterion(mep.Scoping, mep.Criterion{
		Name: "contract signed",
		Check: func(p *mep.Project, at time.Time) error {
			if !signed {
				return fmt.Errorf("contract of %s not signed at %s", p.Name(), at.Format(time.DateOnly))
			}
			return nil
		},
	}))
	gate := p.Gate(mep.Scoping)
	require.Len(t, gate, 3)
	assert.Equal(t, "contract signed", gate[2].Name)
	assert.Empty(t, gate[2].Rule)

	_, err := p.Advance("Lea", "")
	ge := gateErr(t, err)
	assert.Equal(t, []string{"contract signed"}, unmetNames(ge))
	assert.Contains(t, err.Error(), "contract signed: contract of billing v2 not signed at 2026-01-05")
	signed = true
	advance(t, p, mep.Build)

	for _, bad := range []struct {
		ph mep.Phase
		c  mep.Criterion
	}{
		{mep.Operations, mep.Criterion{Name: "x", Check: func(*mep.Project, time.Time) error { return nil }}},
		{mep.Phase(20), mep.Criterion{Name: "x", Check: func(*mep.Project, time.Time) error { return nil }}},
		{mep.Build, mep.Criterion{Check: func(*mep.Project, time.Time) error { return nil }}},
		{mep.Build, mep.Criterion{Name: "x"}},
	} {
		assert.ErrorIs(t, p.AddCriterion(bad.ph, bad.c), mep.ErrInvalid)
	}
	assert.Nil(t, mep.Builtin(mep.Operations))
}

func TestBadOptions(t *testing.T) {
	for _, tt := range []struct {
		opts  mep.Options
		field string
	}{
		{mep.Options{BuildShare: 1.5}, "options.build_share"},
		{mep.Options{BuildShare: -0.1}, "options.build_share"},
		{mep.Options{BuildMargin: -1}, "options.build_margin"},
		{mep.Options{BuildMargin: 1}, "options.build_margin"},
		{mep.Options{BuildMargin: 1.5}, "options.build_margin"},
		{mep.Options{ReadinessLead: -time.Hour}, "options.readiness_lead"},
		{mep.Options{Cadence: mep.Cadence{Days: -7}}, "cadence.days"},
	} {
		_, err := mep.New("x", &tt.opts)
		var fe *mep.FieldError
		require.True(t, errors.As(err, &fe), "%+v: %v", tt.opts, err)
		assert.Equal(t, tt.field, fe.Field)
	}
	_, err := mep.New(" ", nil)
	assert.ErrorIs(t, err, mep.ErrInvalid)
	p, err := mep.New("defaults", nil)
	require.NoError(t, err)
	assert.Equal(t, time.UTC, p.Location())
}

func TestProjectConcurrentUse(t *testing.T) {
	c := utc(2026, 1, 5, 9, 0)
	p, err := mep.New("race", &mep.Options{Now: func() time.Time { return c }})
	require.NoError(t, err)
	planAll(t, p)
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				name := fmt.Sprintf("m%d-%d", g, i)
				assert.NoError(t, p.AddMember(mep.Member{Name: name, Roles: []mep.Role{mep.RoleBuild}}))
				_, _ = p.Advance(name, "")
				_ = p.CheckGate(c)
				_ = p.Budget(c)
				_, err := p.AddLesson(mep.LessonSpec{From: "a", Text: name, Action: "b", At: c})
				assert.NoError(t, err)
				_ = p.Unapplied("b")
				_, err = p.Tracker().Hold(mep.Minutes{At: c, Attendees: []string{name}, NoActions: true})
				assert.NoError(t, err)
				_ = p.Tracker().Agenda(c)
			}
		}()
	}
	wg.Wait()
	assert.Len(t, p.Members(), 160)
	assert.Equal(t, mep.Build, p.Phase(), "only the first Advance passes; the Build gate wants a team")
	assert.Len(t, p.Lessons(), 160)
	assert.NoError(t, timeline.Verify(p.Journal().Entries(), nil))
}

// TestAdvanceGivesUpWhileTheProjectKeepsChanging checks that Advance does
// not move on a check that the project's state no longer matches.
func TestAdvanceGivesUpWhileTheProjectKeepsChanging(t *testing.T) {
	c := newClock(utc(2026, 1, 5, 9, 0))
	p := newProject(t, c)
	staff(t, p)
	planAll(t, p)
	calls := 0
	require.NoError(t, p.AddCriterion(mep.Scoping, mep.Criterion{
		Name: "a newcomer every time",
		Check: func(p *mep.Project, _ time.Time) error {
			calls++
			return p.AddMember(mep.Member{Name: fmt.Sprintf("new%d", calls), Roles: []mep.Role{mep.RoleBuild}})
		},
	}))
	entries := p.Journal().Len()
	_, err := p.Advance("Lea", "")
	require.Error(t, err)
	assert.ErrorIs(t, err, mep.ErrChanged)
	assert.NotErrorIs(t, err, mep.ErrGate)
	assert.Contains(t, err.Error(), "retry")
	assert.Equal(t, 8, calls, "the gate is checked eight times")
	assert.Equal(t, mep.Scoping, p.Phase(), "no move on a stale check")
	assert.Empty(t, p.Transitions())
	assert.Equal(t, entries, p.Journal().Len(), "nothing journaled")
}

// TestAdvanceSeesChangesOutsideTheProjectState checks that a change to an
// attached checklist run or to the tracker while the gate is checked makes
// Advance check it again.
func TestAdvanceSeesChangesOutsideTheProjectState(t *testing.T) {
	for _, tt := range []struct {
		name   string
		change func(t *testing.T, p *mep.Project, run *checklist.Run, at time.Time)
	}{
		{"checklist item checked", func(t *testing.T, _ *mep.Project, run *checklist.Run, at time.Time) {
			assert.NoError(t, run.Check("a", "Vic", at, ""))
		}},
		{"meeting held", func(t *testing.T, p *mep.Project, _ *checklist.Run, at time.Time) {
			_, err := p.Tracker().Hold(mep.Minutes{At: at, Attendees: []string{"Bea"}, NoActions: true})
			assert.NoError(t, err)
		}},
		{"action done", func(t *testing.T, p *mep.Project, _ *checklist.Run, at time.Time) {
			assert.NoError(t, p.Tracker().Done(1, "Otto", at, ""))
		}},
		{"cadence changed", func(t *testing.T, p *mep.Project, _ *checklist.Run, _ time.Time) {
			assert.NoError(t, p.Tracker().SetCadence(mep.Cadence{Days: 14}))
		}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := newClock(utc(2026, 1, 5, 9, 0))
			p := newProject(t, c)
			staff(t, p)
			planAll(t, p)
			run, err := checklist.NewRun(checklist.List{Name: "v", Items: []checklist.Item{{ID: "a", Title: "a"}}}, c.now())
			require.NoError(t, err)
			p.SetValidation(run)
			_, err = p.Tracker().Assign(mep.ActionSpec{Title: "call", Owner: "Otto", Due: c.now().Add(day(1))}, "Bea", c.now())
			require.NoError(t, err)
			calls := 0
			require.NoError(t, p.AddCriterion(mep.Scoping, mep.Criterion{
				Name: "changes once",
				Check: func(p *mep.Project, at time.Time) error {
					calls++
					if calls == 1 {
						tt.change(t, p, run, at)
					}
					return nil
				},
			}))
			advance(t, p, mep.Build)
			assert.Equal(t, 2, calls, "checked again after the change")
		})
	}
}

// TestGateCriteriaReadTheirInstant checks that the criteria judge the
// project as it was at the instant they are given, and that a GO from an
// earlier stay in Preparation does not count.
func TestGateCriteriaReadTheirInstant(t *testing.T) {
	p, c := fullProject(t, nil) // in Preparation: ready at T0-2h, GO at T0-1h
	t0 := c.now().Add(day(1))
	require.NoError(t, p.CheckGate(t0))
	ge := gateErr(t, p.CheckGate(t0.Add(-90*time.Minute)))
	assert.Equal(t, []string{"operations GO"}, unmetNames(ge), "the GO is not given yet")
	assert.Contains(t, ge.Error(), "GO given at "+t0.Add(-time.Hour).Format(time.RFC3339)+", after")
	ge = gateErr(t, p.CheckGate(t0.Add(-3*time.Hour)))
	assert.Equal(t, []string{"readiness checklist complete in time", "operations GO"}, unmetNames(ge), "nor is readiness complete")
	assert.Contains(t, ge.Error(), "readiness checklist complete at "+t0.Add(-2*time.Hour).Format(time.RFC3339)+", after")

	// Back to Planning: a meeting counts once held.
	c.set(t0)
	_, err := p.GoBack(mep.Planning, "Otto", "the DBA is ill")
	require.NoError(t, err)
	_, err = p.Tracker().Hold(mep.Minutes{At: t0.Add(time.Hour), Attendees: []string{"Bea", "Otto"}, NoActions: true})
	require.NoError(t, err)
	ge = gateErr(t, p.CheckGate(t0.Add(30*time.Minute)))
	assert.Equal(t, []string{"planning meeting held"}, unmetNames(ge), "the meeting is not held yet")
	c.add(time.Hour)
	advance(t, p, mep.Preparation)

	// The GO of the first stay in Preparation does not count.
	ge = gateErr(t, p.CheckGate(c.now()))
	assert.Equal(t, []string{"operations GO"}, unmetNames(ge))
	assert.Contains(t, ge.Error(), "a GO from an earlier stay does not count")
	_, err = p.Advance("Otto", "")
	gateErr(t, err)
	assert.Equal(t, mep.Preparation, p.Phase())
	require.NoError(t, p.SetGoDecision(mep.GoDecision{Decision: mep.Go, By: "Otto", At: c.now()}))
	advance(t, p, mep.Cutover)
}

// TestGoDecisionResetIsJournaled checks that resetting a go/no-go leaves a
// trace in the journal, and that resetting nothing does not.
func TestGoDecisionResetIsJournaled(t *testing.T) {
	c := newClock(utc(2026, 3, 10, 18, 0))
	p := newProject(t, c)
	require.NoError(t, p.SetGoDecision(mep.GoDecision{}))
	assert.Zero(t, p.Journal().Len(), "nothing to reset")

	require.NoError(t, p.SetGoDecision(mep.GoDecision{Decision: mep.Go, By: "Otto", At: c.now()}))
	require.Equal(t, 1, p.Journal().Len())
	c.add(time.Hour)
	require.NoError(t, p.SetGoDecision(mep.GoDecision{}))
	assert.Equal(t, mep.Undecided, p.Evidence().Go.Decision)
	entries := p.Journal().Entries()
	require.Len(t, entries, 2)
	e := entries[1]
	assert.Equal(t, "mep.decision", e.Kind)
	assert.Equal(t, map[string]string{"decision": "undecided", "event": "reset", "previous": "go"}, e.Attrs)
	assert.True(t, e.At.Equal(c.now()), "at the project clock's time")

	require.NoError(t, p.SetGoDecision(mep.GoDecision{}))
	assert.Equal(t, 2, p.Journal().Len(), "already undecided")
	require.NoError(t, p.SetGoDecision(mep.GoDecision{Decision: mep.NoGo, By: "Otto", At: c.now(), Reason: "backup failed"}))
	require.NoError(t, p.SetGoDecision(mep.GoDecision{By: "Lea", At: c.now().Add(time.Minute), Reason: "new T0"}))
	e = p.Journal().Entries()[3]
	assert.Equal(t, map[string]string{"decision": "undecided", "event": "reset", "previous": "no-go"}, e.Attrs)
	assert.Equal(t, "Lea", e.Actor)
	assert.Equal(t, "new T0", e.Text)
	assert.True(t, e.At.Equal(c.now().Add(time.Minute)))
	assert.NoError(t, timeline.Verify(p.Journal().Entries(), nil))
}
