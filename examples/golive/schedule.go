package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// prepare checks the planned T0 against the rollout's policies and, when
// the scenario has neighbours, against the schedule of every project in
// the store; it moves T0 to the first slot that fits both.
func prepare(ctx context.Context, s *scenario, n narrator, store string, r *mep.Rollout) error {
	for _, nb := range s.Neighbours {
		if err := plantNeighbour(store, nb, s); err != nil {
			return err
		}
		n.say("another team's record in the store: %s (team %s) plans %s for %s, touching %s",
			nb.Project, nb.Team, nb.Rollout, s.at(nb.T0).Format("Mon 2006-01-02 15:04"), strings.Join(nb.Resources, ", "))
	}
	t0 := r.T0()
	slot, why := t0, ""
	prop, err := r.Propose(ctx, t0, 3, 60*24*time.Hour)
	if err != nil {
		return err
	}
	v := r.GoNoGo().Evaluate(ctx, n.clk.now())
	if denials := v.Policy.Denials(); len(denials) > 0 {
		n.say("planned go-live %s refused by the policies:", t0.Format("Mon 2006-01-02 15:04"))
		for _, d := range denials {
			n.indent(d.String())
		}
		sayProposal(n, prop)
		slot, why = prop.Slots[0], "the planned date is refused: "+denials[0].String()
	}
	if len(s.Neighbours) > 0 {
		moved, reason, err := checkSchedule(ctx, s, n, store, r, slot, prop.Duration)
		if err != nil {
			return err
		}
		if !moved.IsZero() {
			slot, why = moved, reason
		}
	}
	if slot.Equal(t0) {
		return nil
	}
	if err := r.Reschedule(slot, s.Cutover.RescheduleBy, why); err != nil {
		return err
	}
	n.say("T0 moved to %s by %s", r.T0().Format("Mon 2006-01-02 15:04"), s.Cutover.RescheduleBy)
	return nil
}

// sayProposal prints the slots of a proposal.
func sayProposal(n narrator, prop mep.Proposal) {
	slots := make([]string, len(prop.Slots))
	for i, sl := range prop.Slots {
		slots[i] = sl.Format("Mon 2006-01-02 15:04")
	}
	// The slots are chosen where nine cutovers in ten, as simulated from
	// the rehearsals, end in the window: the P90, not the estimate.
	n.say("slots where the cutover fits at P%.0f (%s): %s", 100*prop.Quantile,
		timeline.FormatDuration(prop.Duration.Round(time.Minute)), strings.Join(slots, ", "))
	if len(prop.Fits) > 0 {
		n.indent(prop.Fits[0].String())
	}
}

// checkSchedule reads the store's schedule, turns the conflict check on
// for the rollout (recorded with who and why), and, when the slot
// chosen so far conflicts with another team's rollout, proposes again:
// it returns the new slot and why, or the zero time when slot is free.
func checkSchedule(ctx context.Context, s *scenario, n narrator, store string, r *mep.Rollout, slot time.Time, d time.Duration) (time.Time, string, error) {
	sched, err := fleet.OpenDir(ctx, store, &fleet.Options{Now: n.clk.now, Location: s.loc})
	if err != nil {
		return time.Time{}, "", err
	}
	defer sched.Close()
	snap := sched.Snapshot()
	if len(snap.Errors) > 0 {
		return time.Time{}, "", fmt.Errorf("store: %s", snap.Errors[0].Error())
	}
	projects := map[string]bool{}
	for _, e := range snap.Active() {
		projects[e.Project] = true
	}
	n.say("schedule of the store: %d planned rollouts in %d projects", len(snap.Active()), len(projects))
	conflicts := snap.Policy(s.Project, r.Name(), fleet.Rules{}, policy.Deny)
	d0 := conflicts.Evaluate(ctx, policy.Change{Start: slot, Duration: d, Location: s.loc})
	if d0.Verdict == policy.Deny {
		n.say("slot %s taken by another team:", slot.Format("Mon 2006-01-02 15:04"))
		n.indent(d0.String())
	}
	if err := r.GoNoGo().SetPolicies(policy.Set{conflicts}, []byte(s.Policy), s.Cutover.ConflictsBy,
		"no two teams change a shared resource at once: the store's schedule checked"); err != nil {
		return time.Time{}, "", &badScenario{err}
	}
	n.say("conflict check across the store's projects turned on by %s", s.Cutover.ConflictsBy)
	if d0.Verdict != policy.Deny {
		return time.Time{}, "", nil
	}
	prop, err := r.Propose(ctx, slot, 3, 60*24*time.Hour)
	if err != nil {
		return time.Time{}, "", err
	}
	sayProposal(n, prop)
	return prop.Slots[0], "the slot conflicts with another team's rollout: " + d0.Reason, nil
}

// plantNeighbour writes another team's project into the store: a
// project that runs rollouts only, its go-live team, and one planned
// rollout with its runbook's expected durations and its resources.
func plantNeighbour(store string, nb neighbour, s *scenario) error {
	clk := &clock{t: s.at(nb.Created)}
	dir := filepath.Join(store, nb.Dir)
	if err := os.Mkdir(dir, 0o755); err != nil {
		return err
	}
	p, err := mep.CreateFile(dir, nb.Project, &mep.Options{
		Now: clk.now, Location: s.loc, Country: s.Country, NoSync: s.noSync,
		RolloutsOnly: true, CreatedBy: nb.People[0], RolloutsOnlyReason: nb.Why,
	})
	if err != nil {
		return &badScenario{fmt.Errorf("neighbour %s: %w", nb.Dir, err)}
	}
	err = planNeighbour(p, nb, s)
	if cerr := p.Close(); err == nil {
		err = cerr
	}
	return err
}

// planNeighbour adds a neighbour's go-live team and its rollout.
func planNeighbour(p *mep.Project, nb neighbour, s *scenario) error {
	by := nb.People[0]
	for i, name := range nb.People {
		role := mep.RoleBuild
		if i == 0 {
			role = mep.RoleOperations
		}
		if err := p.Team().Add(mep.Member{Name: name, Roles: []mep.Role{role}}); err != nil {
			return &badScenario{fmt.Errorf("neighbour %s: %w", nb.Dir, err)}
		}
	}
	if err := p.Team().Choose(by, nb.People...); err != nil {
		return &badScenario{fmt.Errorf("neighbour %s: %w", nb.Dir, err)}
	}
	var runbook []mep.Step
	for _, st := range nb.Runbook {
		runbook = append(runbook, mep.Step{ID: st.ID, Title: st.Title, Owner: by, Expected: time.Duration(st.Expected)})
	}
	r, err := p.NewRollout(mep.RolloutOptions{
		Name: nb.Rollout, T0: s.at(nb.T0), Runbook: runbook,
		Labels: map[string]string{fleet.TeamLabel: nb.Team},
	})
	if err != nil {
		return &badScenario{fmt.Errorf("neighbour %s: %w", nb.Dir, err)}
	}
	if err := declare(r.Resources(), nb.Resources, by); err != nil {
		return &badScenario{fmt.Errorf("neighbour %s: %w", nb.Dir, err)}
	}
	return nil
}

// declare records the resources a rollout touches, written "kind:name".
func declare(rs mep.Resources, list []string, by string) error {
	for _, text := range list {
		res, err := mep.ParseResource(text)
		if err != nil {
			return &badScenario{fmt.Errorf("resources: %w", err)}
		}
		if err := rs.Declare(res.Kind, res.Name, by, "the runbook changes it"); err != nil {
			return &badScenario{err}
		}
	}
	return nil
}
