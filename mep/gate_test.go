package mep_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// TestWalkThroughTheMethod: every phase's gate refuses the move until its
// criteria hold, naming each one unmet, then lets the project on (R1).
func TestWalkThroughTheMethod(t *testing.T) {
	tests := []struct {
		from  mep.Phase
		unmet []string
	}{
		{mep.Scoping, []string{"phase budget planned"}},
		{mep.Build, nil}, // staffed by the fixture
		{mep.Validation, []string{"validation checklist complete", "installation procedures checked"}},
		{mep.Rehearsal, []string{"rehearsal timings recorded"}},
		{mep.Planning, []string{"planning meeting held"}},
		{mep.Preparation, []string{"readiness checklist complete in time", "operations readiness", "operations GO"}},
		{mep.Cutover, []string{"cutover journaled"}},
		{mep.Review, []string{"post-deployment meeting", "lessons recorded"}},
		{mep.Industrialization, []string{"lessons applied or waived"}},
	}
	g := newGolive(t, nil)
	for _, tt := range tests {
		require.Equal(t, tt.from, g.p.Phase())
		if tt.unmet != nil {
			if tt.from == mep.Preparation {
				g.c.set(g.t0.Add(-10 * time.Minute)) // the GO is checked at the move's instant
			}
			_, err := g.p.Advance("Sam", "")
			assert.Equal(t, tt.unmet, unmet(t, err), "leaving %s", tt.from)
			assert.Equal(t, tt.from, g.p.Phase(), "a refused gate does not move the project")
			ge := gateErr(t, err)
			assert.Equal(t, tt.from, ge.From)
			assert.Equal(t, tt.from+1, ge.To)
		}
		g.walk(tt.from + 1)
	}
	assert.Equal(t, mep.Operations, g.p.Phase())
	trs := g.p.Transitions()
	require.Len(t, trs, len(mep.Phases())-1)
	for i, tr := range trs {
		assert.Equal(t, mep.Phase(i), tr.From)
		assert.Equal(t, mep.Phase(i+1), tr.To)
		assert.Equal(t, "Sam", tr.By)
		assert.Less(t, tr.From, tr.To)
	}
	_, err := g.p.Advance("Sam", "")
	assert.ErrorIs(t, err, mep.ErrTransition, "nothing after operations")
	assert.ErrorIs(t, g.p.CheckGate(g.c.now()), mep.ErrTransition)
}

// TestGateBuildWantsTheRoundTable: Build's gate needs a go-live team with
// every MCO member and a builder as the MCO contact (R3); Scoping's a
// builder (R1).
func TestGateBuildWantsTheRoundTable(t *testing.T) {
	c := newClock(at(paris, 2026, 3, 2, 9, 0))
	p, err := mep.New("billing", &mep.Options{Now: c.now, Location: paris})
	require.NoError(t, err)
	planAll(t, p)
	assert.Equal(t, []string{"builders named"}, unmet(t, p.CheckGate(c.now())))
	require.NoError(t, p.Team().Add(mep.Member{Name: "Bea", Roles: []mep.Role{mep.RoleBuild}}))
	require.NoError(t, p.Team().Add(mep.Member{Name: "Mia", Roles: []mep.Role{mep.RoleMCO}}))
	require.NoError(t, p.CheckGate(c.now()))
	_, err = p.Advance("Sam", "")
	require.NoError(t, err)

	err = p.CheckGate(c.now())
	assert.Equal(t, []string{"go-live team"}, unmet(t, err))
	assert.Contains(t, err.Error(), "no go-live team chosen")
	require.NoError(t, p.Team().Choose("Sam", "Bea"))
	err = p.CheckGate(c.now())
	assert.Contains(t, err.Error(), "Mia")
	require.NoError(t, p.Team().Choose("Sam", "Bea", "Mia"))
	assert.Contains(t, p.CheckGate(c.now()).Error(), "contact")
	require.NoError(t, p.Team().SetMCOContact("Bea"))
	assert.NoError(t, p.CheckGate(c.now()))
}

// TestGatePlanningWantsNoOverdueAction: an action past due blocks the
// Planning gate, and names itself (R6).
func TestGatePlanningWantsNoOverdueAction(t *testing.T) {
	g := walk(t, mep.Planning)
	_, err := g.p.Tracker().Hold(mep.Minutes{At: g.c.now(), Attendees: []string{"Bea"},
		Actions: []mep.ActionSpec{{Title: "order the disks", Owner: "Otto"}}, Next: g.c.now().Add(day(2))})
	require.NoError(t, err)
	g.c.add(day(3))
	err = g.p.CheckGate(g.c.now())
	assert.Equal(t, []string{"no overdue action"}, unmet(t, err))
	assert.Contains(t, err.Error(), "order the disks (Otto)")
	require.NoError(t, g.p.Tracker().Done(1, "Otto", time.Time{}, ""))
	assert.NoError(t, g.p.CheckGate(g.c.now()))
}

// TestGateCriteriaReadTheirInstant: the Preparation gate's readiness
// criterion is judged at the instant asked, not at the clock's.
func TestGateCriteriaReadTheirInstant(t *testing.T) {
	g := walk(t, mep.Preparation)
	g.prepare()
	tests := []struct {
		at   time.Time
		want []string
	}{
		{g.t0.Add(-11 * time.Hour), []string{"readiness checklist complete in time", "operations GO"}}, // before the ticks and the GO
		{g.t0.Add(-2 * time.Hour), []string{"operations GO"}},                                          // ready, not decided yet
		{g.t0.Add(-10 * time.Minute), nil},
	}
	for _, tt := range tests {
		err := g.p.CheckGate(tt.at)
		if tt.want == nil {
			assert.NoError(t, err, "%s", tt.at)
			continue
		}
		assert.Equal(t, tt.want, unmet(t, err), "%s", tt.at)
	}
}

// TestGoBackNeedsAReason: going back passes no gate but needs who and
// why, and is recorded (R1); skipping a phase is never allowed.
func TestGoBackNeedsAReason(t *testing.T) {
	g := walk(t, mep.Rehearsal)
	_, err := g.p.GoBack(mep.Validation, "Vic", "")
	assert.Equal(t, "reason", fieldErr(t, err).Field[len(fieldErr(t, err).Field)-6:])
	_, err = g.p.GoBack(mep.Planning, "Vic", "forward")
	assert.ErrorIs(t, err, mep.ErrTransition)
	_, err = g.p.GoBack(mep.Rehearsal, "Vic", "same")
	assert.ErrorIs(t, err, mep.ErrTransition)
	g.c.add(time.Hour)
	tr, err := g.p.GoBack(mep.Validation, "Vic", "the install procedure changed")
	require.NoError(t, err)
	assert.Less(t, tr.To, tr.From)
	assert.Equal(t, "the install procedure changed", tr.Reason)
	assert.Equal(t, mep.Validation, g.p.Phase())
	last := g.p.Transitions()[len(g.p.Transitions())-1]
	assert.Equal(t, tr, last)
	_, err = g.p.Advance("", "")
	fieldErr(t, err)
}

// TestUserCriteria: a user's criterion runs after the method's, is
// reported by name, and may read the project.
func TestUserCriteria(t *testing.T) {
	g := walk(t, mep.Build)
	errNoContract := errors.New("contract not signed")
	signed := false
	require.NoError(t, g.p.AddCriterion(mep.Build, mep.Criterion{Name: "contract signed", Check: func(p *mep.Project, _ time.Time) error {
		if p.Phase() != mep.Build {
			return errors.New("wrong phase")
		}
		if !signed {
			return errNoContract
		}
		return nil
	}}))
	err := g.p.CheckGate(g.c.now())
	assert.Equal(t, []string{"contract signed"}, unmet(t, err))
	assert.ErrorIs(t, err, errNoContract)
	signed = true
	assert.NoError(t, g.p.CheckGate(g.c.now()))

	for _, bad := range []struct {
		ph mep.Phase
		c  mep.Criterion
	}{
		{mep.Operations, mep.Criterion{Name: "x", Check: func(*mep.Project, time.Time) error { return nil }}},
		{mep.Phase(42), mep.Criterion{Name: "x", Check: func(*mep.Project, time.Time) error { return nil }}},
		{mep.Build, mep.Criterion{Name: " ", Check: func(*mep.Project, time.Time) error { return nil }}},
		{mep.Build, mep.Criterion{Name: "x"}},
	} {
		fieldErr(t, g.p.AddCriterion(bad.ph, bad.c))
	}
}

// TestAdvanceGivesUpWhileTheProjectKeepsChanging: a criterion that
// changes the project every time makes Advance give up with ErrChanged,
// without moving.
func TestAdvanceGivesUpWhileTheProjectKeepsChanging(t *testing.T) {
	g := walk(t, mep.Build)
	n := 0
	require.NoError(t, g.p.AddCriterion(mep.Build, mep.Criterion{Name: "busy", Check: func(p *mep.Project, _ time.Time) error {
		n++
		return p.Plan(mep.Build, time.Duration(n)*time.Hour)
	}}))
	_, err := g.p.Advance("Sam", "")
	assert.ErrorIs(t, err, timeline.ErrConflict)
	assert.Equal(t, mep.Build, g.p.Phase())
	assert.Equal(t, 8, n)
}

// TestAdvanceConcurrent: two goroutines advancing at once move the project
// one phase each, never past a gate, under -race.
func TestAdvanceConcurrent(t *testing.T) {
	g := walk(t, mep.Build)
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			_, _ = g.p.Advance("Sam", "")
			_ = g.p.Phase()
			_ = g.p.Transitions()
		})
	}
	wg.Wait()
	// Validation's gate needs the validation checklist: nobody passed it.
	assert.Equal(t, mep.Validation, g.p.Phase())
}

// TestGateValidationWantsInstallationProcedures: a validation checklist
// without installation procedures does not pass (R4).
func TestGateValidationWantsInstallationProcedures(t *testing.T) {
	g := walk(t, mep.Validation)
	l := checklist.List{Name: "deliverables only", Items: []checklist.Item{{ID: "deliverables", Title: "Deliverables"}}}
	tickAll(t, g.p.Validation(), l, g.c.now(), "Vic")
	err := g.p.CheckGate(g.c.now())
	assert.Equal(t, []string{"installation procedures checked"}, unmet(t, err))
	assert.Contains(t, err.Error(), "installation procedures")
}

// TestGateOperationsReadinessNamesWhatIsMissing: R13 wants probes, a
// backup process and the known failures, named one by one.
func TestGateOperationsReadinessNamesWhatIsMissing(t *testing.T) {
	g := walk(t, mep.Preparation)
	l := checklist.List{Name: "ops", Items: []checklist.Item{{ID: "technical-probes", Title: "Probes", Section: "probes", Purpose: checklist.Probes}}}
	tickAll(t, g.p.Operations(), l, g.c.now(), "Mia")
	err := g.p.CheckGate(g.c.now())
	assert.Contains(t, err.Error(), "backup process")
	assert.Contains(t, err.Error(), "known recurring failures")
	assert.NotContains(t, err.Error(), "for the probes")
}

// Items count by their purpose, not by their words (R4, R13): an item
// called backup or uninstall-old-icons is not a backup process or an
// installation procedure.
func TestGateCountsPurposesNotWords(t *testing.T) {
	g := walk(t, mep.Validation)
	l := checklist.List{Name: "v", Items: []checklist.Item{{ID: "uninstall-old-icons", Title: "Old icons", Section: "install"}}}
	tickAll(t, g.p.Validation(), l, g.c.now(), "Vic")
	err := g.p.CheckGate(g.c.now())
	assert.Equal(t, []string{"installation procedures checked"}, unmet(t, err))

	g = walk(t, mep.Preparation)
	ops := checklist.List{Name: "ops", Items: []checklist.Item{
		{ID: "probes", Title: "Probes", Section: "probes"},
		{ID: "backup", Title: "Backup", Section: "backup"},
		{ID: "failures", Title: "Known failures", Section: "failures"},
	}}
	tickAll(t, g.p.Operations(), ops, g.c.now(), "Mia")
	err = g.p.CheckGate(g.c.now())
	require.Error(t, err)
	for _, want := range []string{"no item for the probes", "no item for the backup process", "no item for the known recurring failures"} {
		assert.Contains(t, err.Error(), want)
	}
}

// TestProjectConcurrentUse: the views of a project written and read from
// several goroutines at once, under -race; the record stays one chain.
func TestProjectConcurrentUse(t *testing.T) {
	g := walk(t, mep.Planning)
	when := g.c.now()
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			for k := range 10 {
				_, err := g.p.Tracker().Assign(mep.ActionSpec{Title: "a", Owner: "Bea", Due: when.Add(day(30))}, "Sam", when)
				assert.NoError(t, err)
				assert.NoError(t, g.p.Plan(mep.Review, time.Duration(40+i+k)*time.Hour))
				_ = g.p.Team().Chosen()
				_ = g.p.Tracker().Agenda(when)
				_ = g.p.Budget(when)
				_ = g.p.Lessons().All()
				_ = g.p.CheckGate(when)
				_ = g.r.GoNoGo().Evaluate(bg, when)
			}
		})
	}
	wg.Wait()
	assert.Len(t, g.p.Tracker().Actions(), 40)
	assert.NoError(t, timeline.Verify(g.p.Record(), nil))
}

// TestBadOptions: options that cannot work are refused when the project
// is made.
func TestBadOptions(t *testing.T) {
	for name, o := range map[string]mep.Options{
		"unknown country": {Country: "XX"},
		"lead under 1h":   {ReadinessLead: 59 * time.Minute},
		"share of 1":      {BuildShare: 1},
		"margin of 1":     {BuildMargin: 1},
	} {
		_, err := mep.New("x", &o)
		assert.ErrorIs(t, err, mep.ErrInvalid, name)
	}
	_, err := mep.New(" ", nil)
	fieldErr(t, err)
	p, err := mep.New("x", &mep.Options{Country: "FR", ReadinessLead: 2 * time.Hour})
	require.NoError(t, err)
	assert.Equal(t, "x", p.Name())
}
