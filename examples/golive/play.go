package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/mep/report"
	"github.com/mepkit/mepkit/policy/policyfile"
	"github.com/mepkit/mepkit/risk"
	"github.com/mepkit/mepkit/timeline"
)

// badScenario is a scenario whose data the library refuses: an unknown
// role or phase, a policy that does not parse, ...
type badScenario struct{ err error }

func (e *badScenario) Error() string { return "scenario: " + e.err.Error() }
func (e *badScenario) Unwrap() error { return e.err }

// clock is the simulated clock the whole go-live runs on.
type clock struct{ t time.Time }

func (c *clock) now() time.Time          { return c.t }
func (c *clock) set(t time.Time)         { c.t = t }
func (c *clock) advance(d time.Duration) { c.t = c.t.Add(d) }

// narrator prints what happens, one dated line per event.
type narrator struct {
	w   io.Writer
	clk *clock
}

func (n narrator) say(format string, args ...any) {
	fmt.Fprintf(n.w, "- %s  %s\n", n.clk.now().Format("2006-01-02 15:04 MST"), fmt.Sprintf(format, args...))
}

// indent prints a multi-line explanation under the last line.
func (n narrator) indent(text string) {
	for _, line := range strings.Split(text, "\n") {
		fmt.Fprintf(n.w, "    %s\n", line)
	}
}

// play runs the scenario through every phase of the method and returns
// the report of its go-live.
//
// The project's record is a file in the directory store, beside the
// records of the scenario's neighbours (other teams' projects), so that
// the schedule across projects (package mep/fleet) sees them all.
func play(s *scenario, w io.Writer, store string) (*report.Report, error) {
	ctx := context.Background()
	clk := &clock{t: s.at(s.Created)}
	n := narrator{w: w, clk: clk}
	fmt.Fprintf(w, "# %s: the go-live, phase by phase\n\n", s.Project)

	dir := filepath.Join(store, storeDir)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return nil, err
	}
	p, err := mep.CreateFile(dir, s.Project, &mep.Options{Now: clk.now, Location: s.loc, Country: s.Country, NoSync: s.noSync})
	if err != nil {
		return nil, &badScenario{err}
	}
	defer p.Close()
	n.say("project created, phase %s", p.Phase())
	for _, name := range slices.Sorted(maps.Keys(s.Plan)) {
		d := s.Plan[name]
		ph, err := mep.ParsePhase(name)
		if err != nil {
			return nil, &badScenario{fmt.Errorf("plan: %w", err)}
		}
		if err := p.Plan(ph, time.Duration(d)); err != nil {
			return nil, &badScenario{err}
		}
	}
	for _, m := range s.Team {
		var roles []mep.Role
		for _, r := range m.Roles {
			role, err := mep.ParseRole(r)
			if err != nil {
				return nil, &badScenario{fmt.Errorf("team: %s: %w", m.Name, err)}
			}
			roles = append(roles, role)
		}
		if err := p.Team().Add(mep.Member{Name: m.Name, Roles: roles}); err != nil {
			return nil, &badScenario{err}
		}
	}
	advance := func(to mep.Phase, why string) error {
		mv, ok := s.Phases[to.String()]
		if !ok {
			return &badScenario{fmt.Errorf("phases: no date for %s", to)}
		}
		clk.set(s.at(mv.At))
		t, err := p.Advance(mv.By, why)
		if err != nil {
			return err
		}
		n.say("%s → %s (%s): %s", t.From, t.To, t.By, why)
		return nil
	}

	// Scoping → Build: a plan and builders.
	if err := advance(mep.Build, "contract signed, phase budget planned"); err != nil {
		return nil, err
	}
	// The round table picks the go-live team (R3).
	if err := p.Team().Choose(s.Phases[mep.Build.String()].By, s.GoLiveTeam...); err != nil {
		return nil, &badScenario{err}
	}
	if err := p.Team().SetMCOContact(s.MCOContact); err != nil {
		return nil, &badScenario{err}
	}
	n.say("round table: go-live team %s; %s is the MCO team's contact", strings.Join(p.Team().Chosen(), ", "), s.MCOContact)
	if err := advance(mep.Validation, "first deliveries installed on the validation platform"); err != nil {
		return nil, err
	}

	// Validation (R4): the gate refuses to move on before the checklist.
	validation := p.Validation()
	if err := validation.Start(checklist.Validation(), s.at(s.Phases[mep.Rehearsal.String()].At), s.Validation.By); err != nil {
		return nil, err
	}
	if err := p.CheckGate(clk.now()); err != nil {
		n.say("gate out of validation, checked early:")
		n.indent(err.Error())
	}
	if err := tick(clk, validation, checklist.Validation(), s.Validation, s.loc); err != nil {
		return nil, err
	}
	n.say("validation checklist: %d items checked by %s, installation procedures included, offline where possible", len(validation.Run().Results()), s.Validation.By)
	if err := advance(mep.Rehearsal, "deliverables and installation procedures validated"); err != nil {
		return nil, err
	}

	// The rollout: runbook, readiness checklist, policies.
	if _, err := policyfile.Parse([]byte(s.Policy)); err != nil {
		return nil, &badScenario{fmt.Errorf("policy: %w", err)}
	}
	runbook, err := s.runbook()
	if err != nil {
		return nil, err
	}
	var labels map[string]string
	if s.Cutover.Team != "" {
		labels = map[string]string{fleet.TeamLabel: s.Cutover.Team}
	}
	r, err := p.NewRollout(mep.RolloutOptions{
		Name: s.Cutover.Name, T0: s.at(s.Cutover.T0), Runbook: runbook, Labels: labels,
		Readiness: checklist.Preparation(), PolicyFile: []byte(s.Policy),
	})
	if err != nil {
		return nil, &badScenario{err}
	}
	// What the cutover touches, for the schedule across projects.
	if err := declare(r.Resources(), s.Cutover.Resources, s.Cutover.RescheduleBy); err != nil {
		return nil, err
	}

	// Rehearsals (R5): timed runs of the same runbook.
	for _, reh := range s.Rehearsals {
		sum, err := rehearse(s, reh, runbook)
		if err != nil {
			return nil, err
		}
		clk.set(sum.End) // recorded once it ran
		if err := r.AddRehearsal(mep.RehearsalRun{Summary: sum, Environment: reh.Environment, ProductionLike: reh.ProductionLike, Rollback: reh.Rollback}); err != nil {
			return nil, &badScenario{err}
		}
		if reh.Rollback {
			n.say("rollback rehearsal of %s%s: %s to undo the steps that can be undone",
				sum.Start.Format("2006-01-02"), conditions(reh), timeline.FormatDuration(sum.Duration))
			continue
		}
		n.say("rehearsal of %s%s: %s in all, users cut off %s, degraded %s",
			sum.Start.Format("2006-01-02"), conditions(reh), timeline.FormatDuration(sum.Duration),
			timeline.FormatDuration(sum.Outage), timeline.FormatDuration(sum.Disruption))
	}
	est := r.Estimate()
	n.say("estimate for the go-live: %s, of which %s of outage", timeline.FormatDuration(est.Total), timeline.FormatDuration(est.Outage))
	if err := advance(mep.Planning, "runbook rehearsed and timed"); err != nil {
		return nil, err
	}

	// Planning (R6): meetings end with actions.
	for _, m := range s.Meetings {
		clk.set(s.at(m.At))
		min := mep.Minutes{At: clk.now(), Title: m.Title, Attendees: m.Attendees, Decisions: m.Decisions, Next: s.at(m.Next)}
		for _, a := range m.Actions {
			min.Actions = append(min.Actions, mep.ActionSpec{Title: a.Title, Owner: a.Owner, Due: s.at(a.Due)})
		}
		min.NoActions = m.NoActions
		held, err := p.Tracker().Hold(min)
		if err != nil {
			return nil, &badScenario{err}
		}
		n.say("%s: %d attendees, %d action(s) handed out, next meeting %s", held.Title, len(held.Attendees), len(held.Actions), held.Next.Format("2006-01-02"))
		for _, d := range m.Done {
			clk.set(s.at(d.At))
			if err := p.Tracker().Done(d.Action, d.By, clk.now(), ""); err != nil {
				return nil, &badScenario{err}
			}
		}
	}
	if err := advance(mep.Preparation, "steps final, actions closed"); err != nil {
		return nil, err
	}

	// Preparation: is the planned T0 allowed? If not, when?
	if err := prepare(ctx, s, n, store, r); err != nil {
		return nil, err
	}
	// The chance to overrun the window, from the rehearsals, on the
	// runbook's critical path (seeded: the same figures every run).
	o, err := r.Overrun(risk.Options{}) // as Propose draws them
	if err != nil {
		return nil, err
	}
	n.say("overrun risk at T0 %s: %s", r.T0().Format("Mon 2006-01-02 15:04"), o)

	// Operations readiness (R13): probes, backups and known failures
	// before the first go-live.
	ops := p.Operations()
	if err := ops.Start(checklist.Operations(), r.T0(), s.Operations.By); err != nil {
		return nil, err
	}
	if err := tick(clk, ops, checklist.Operations(), s.Operations, s.loc); err != nil {
		return nil, err
	}
	n.say("operations readiness: probes, backup process and known failures checked by %s (R13)", s.Operations.By)

	// Readiness (R7, R8), everything by T-1h.
	if err := tick(clk, r.Readiness(), r.Readiness().Run().List(), s.Cutover.Readiness, s.loc); err != nil {
		return nil, err
	}
	if !r.Readiness().Run().Ready() {
		return nil, &badScenario{errors.New("cutover.readiness: the readiness checklist is not complete")}
	}
	clk.set(r.Readiness().Run().ReadyAt().In(s.loc))
	n.say("readiness checklist complete (%d items, due by %s)", len(r.Readiness().Run().Results()), r.T0().Add(-time.Hour).Format("15:04"))
	for _, vt := range s.Cutover.Votes {
		clk.set(s.at(vt.At))
		role, err := mep.ParseRole(vt.Role)
		if err != nil {
			return nil, &badScenario{err}
		}
		verdict := mep.NoGo
		if vt.Go {
			verdict = mep.Go
		}
		if _, err := r.GoNoGo().Vote(mep.Vote{Role: role, By: vt.By, Verdict: verdict, Reason: vt.Reason, At: clk.now()}); err != nil {
			return nil, &badScenario{err}
		}
		n.say("vote: %s", r.GoNoGo().Votes()[len(r.GoNoGo().Votes())-1])
	}
	clk.set(s.at(s.Cutover.DecideAt))
	v, err := r.GoNoGo().Decide(ctx, clk.now())
	if err != nil {
		return nil, err
	}
	n.say("go/no-go: %s", strings.ToUpper(v.Verdict.String()))
	for _, reason := range v.Reasons {
		n.indent(reason.String())
	}
	if !v.IsGo() {
		return nil, errors.New("the go-live did not get its GO")
	}
	if err := advanceNow(p, n, v.By, "operations GO"); err != nil {
		return nil, err
	}

	// The cutover (R9, R10): every step timestamped.
	clk.set(r.T0())
	for _, st := range runbook {
		tries, err := attempts(st.ID, s.Cutover.Steps[st.ID])
		if err != nil {
			return nil, &badScenario{err}
		}
		for _, a := range tries {
			if err := r.Cutover().Start(st.ID, st.Owner); err != nil {
				return nil, err
			}
			clk.advance(a.d)
			outcome := timeline.Done
			if a.failed {
				outcome = timeline.Failed
			}
			if err := r.Cutover().End(st.ID, st.Owner, outcome); err != nil {
				return nil, err
			}
			n.say("%s %s after %s", st.ID, outcome, timeline.FormatDuration(a.d))
		}
		for _, note := range s.Cutover.Notes {
			if note.After == st.ID {
				if err := r.Cutover().Note(note.By, note.Text); err != nil {
					return nil, err
				}
				n.say("note from %s: %s", note.By, note.Text)
			}
		}
		if st.ID == s.Cutover.DriftAfter {
			// The drift says the latest moment to roll back, from the
			// rollback rehearsals; Watch records it as a warning once
			// passed with the cutover expected past its window.
			n.say("drift: %s", r.Cutover().Drift(clk.now()))
			if _, err := r.Cutover().Watch(); err != nil {
				return nil, err
			}
		}
	}
	sum, err := r.Cutover().Finish(s.Phases[mep.Review.String()].By)
	if err != nil {
		return nil, err
	}
	n.say("cutover over: %s in all, users cut off %s (estimate %s)", timeline.FormatDuration(sum.Duration),
		timeline.FormatDuration(sum.Outage), timeline.FormatDuration(est.Outage))

	// Review (R6, R12): the post-deployment meeting, with operations,
	// collects the lessons.
	if err := advance(mep.Review, "cutover journaled, observation period over"); err != nil {
		return nil, err
	}
	if m := s.Review; m.Title != "" {
		clk.set(s.at(m.At))
		held, err := p.Tracker().Hold(mep.Minutes{At: clk.now(), Title: m.Title, Attendees: m.Attendees, NoActions: m.NoActions, Next: s.at(m.Next)})
		if err != nil {
			return nil, &badScenario{err}
		}
		n.say("%s: %d attendees, operations present", held.Title, len(held.Attendees))
	}
	for _, l := range s.Lessons {
		if !s.at(l.At).IsZero() {
			clk.set(s.at(l.At))
		}
		if _, err := r.Learn(l.Text, l.Action, l.By); err != nil {
			return nil, &badScenario{err}
		}
		n.say("lesson: %s → %s", l.Text, l.Action)
	}
	if err := advance(mep.Industrialization, "lessons recorded"); err != nil {
		return nil, err
	}
	if s.Next.Name != "" {
		clk.set(s.at(s.Next.At))
		if _, err := p.NewRollout(mep.RolloutOptions{
			Name: s.Next.Name, T0: s.at(s.Next.T0), Runbook: runbook, Labels: labels,
			Readiness: checklist.Preparation(), PolicyFile: []byte(s.Policy),
		}); err != nil {
			return nil, &badScenario{err}
		}
		todo := p.Lessons().Unapplied(s.Next.Name)
		n.say("next deployment %s: %d lesson(s) to apply", s.Next.Name, len(todo))
		for _, l := range todo {
			if err := p.Lessons().Apply(l.ID, s.Next.Name, s.Next.By, clk.now(), "in the runbook", false); err != nil {
				return nil, &badScenario{err}
			}
			n.indent(fmt.Sprintf("applied by %s: %s", s.Next.By, l.Action))
		}
	}
	if err := advance(mep.Operations, "every lesson applied; deployments run by the runbook"); err != nil {
		return nil, err
	}
	b := p.Budget(clk.now())
	n.say("phase budget: build took %.0f%% of the project's time (planned %.0f%%)", b.ActualBuild*100, b.PlannedBuild*100)
	for _, warn := range b.Warnings {
		n.indent(warn)
	}
	return r.Report(clk.now()), nil
}

// advanceNow moves the project on at the clock's time.
func advanceNow(p *mep.Project, n narrator, by, why string) error {
	t, err := p.Advance(by, why)
	if err != nil {
		return err
	}
	n.say("%s → %s (%s): %s", t.From, t.To, t.By, why)
	return nil
}

// checker checks checklist items: a project's checklist or a rollout's
// readiness.
type checker interface {
	Check(id, by string, at time.Time, note string) error
}

// tick checks every item of list, in list order, as the scenario says,
// moving the clock to each tick: the record stamps every fact with the
// project's clock and refuses one dated later.
func tick(clk *clock, run checker, list checklist.List, t ticking, loc *time.Location) error {
	every := time.Duration(t.Every)
	if every == 0 {
		every = 24 * time.Hour
	}
	at := t.From.in(loc)
	for _, it := range list.Items {
		clk.set(at)
		if err := run.Check(it.ID, t.By, time.Time{}, ""); err != nil {
			return &badScenario{err}
		}
		at = at.Add(every)
	}
	return nil
}

// runbook converts the scenario's runbook.
func (s *scenario) runbook() ([]mep.Step, error) {
	var out []mep.Step
	for _, st := range s.Runbook {
		impact, err := timeline.ParseImpact(st.Impact)
		if err != nil {
			return nil, &badScenario{fmt.Errorf("runbook: %s: %w", st.ID, err)}
		}
		var kind mep.StepKind
		if err := kind.UnmarshalText([]byte(st.Kind)); err != nil {
			return nil, &badScenario{fmt.Errorf("runbook: %s: %w", st.ID, err)}
		}
		out = append(out, mep.Step{ID: st.ID, Title: st.Title, Owner: st.Owner, Kind: kind, Impact: impact,
			Rollback: st.Rollback, PointOfNoReturn: st.PointOfNoReturn})
	}
	return out, nil
}

// conditions says how close to production a rehearsal ran.
func conditions(reh rehearsal) string {
	switch {
	case reh.Environment != "" && reh.ProductionLike:
		return " (" + reh.Environment + ", production-like)"
	case reh.Environment != "":
		return " (" + reh.Environment + ")"
	}
	return ""
}

// rehearse records a rehearsal of the runbook in a journal of its own.
func rehearse(s *scenario, reh rehearsal, runbook []mep.Step) (timeline.Summary, error) {
	c := &clock{t: s.at(reh.At)}
	j := timeline.New(&timeline.Options{Now: c.now})
	order := runbook
	if reh.Rollback {
		order = slices.Clone(runbook)
		slices.Reverse(order)
	}
	for _, st := range order {
		d, ok := reh.Steps[st.ID]
		if !ok {
			continue
		}
		if _, err := j.Start(st.ID, st.Owner, st.Impact); err != nil {
			return timeline.Summary{}, err
		}
		c.advance(time.Duration(d))
		if _, err := j.End(st.ID, st.Owner, timeline.Done); err != nil {
			return timeline.Summary{}, err
		}
	}
	known := make(map[string]bool, len(runbook))
	for _, st := range runbook {
		known[st.ID] = true
	}
	for _, id := range slices.Sorted(maps.Keys(reh.Steps)) {
		if !known[id] {
			return timeline.Summary{}, &badScenario{fmt.Errorf("rehearsal %s: step %q is not in the runbook", reh.At.text, id)}
		}
	}
	return timeline.Summarize(j.Entries()), nil
}
