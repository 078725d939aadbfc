// Package meptest checks that a project's record replays to the state
// that wrote it, on any [timeline.Store].
package meptest

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// TestReplay runs random sequences of operations on projects whose
// record open keeps, then opens each record again with [mep.Open] and
// checks that the replayed project states what the writing one did: its
// phase and transitions, people, meetings and actions, lessons, and for
// each rollout its T0, votes, decision, readiness run, steps and notes.
// open must return the same store, empty at the first call of each
// round: a file at one path, one database table. rounds is the number of
// sequences; each has up to 200 operations.
func TestReplay(t *testing.T, rounds int, open func(round int) (timeline.Store, error)) {
	t.Helper()
	for round := range rounds {
		rng := rand.New(rand.NewPCG(uint64(round), 7))
		s, err := open(round)
		if err != nil {
			t.Fatalf("round %d: open: %v", round, err)
		}
		clk := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
		opts := &mep.Options{Now: func() time.Time { return clk }}
		ready := round%2 == 1
		if ready {
			// A project that runs rollouts only, its team and operations
			// readiness in place: its rollouts reach a GO and a cutover.
			opts.RolloutsOnly, opts.CreatedBy, opts.RolloutsOnlyReason = true, names[0], "in production"
		}
		p, err := mep.Create(s, "replay "+strconv.Itoa(round), opts)
		if err != nil {
			t.Fatalf("round %d: create: %v", round, err)
		}
		if ready {
			if err := staff(p, clk); err != nil {
				t.Fatalf("round %d: staff: %v", round, err)
			}
		}
		for range 1 + rng.IntN(200) {
			clk = clk.Add(time.Duration(rng.IntN(180)) * time.Minute)
			step(p, rng, &clk) // errors are part of the game: refused actions record nothing
		}
		want := Dump(p)
		if err := p.Close(); err != nil {
			t.Fatalf("round %d: close: %v", round, err)
		}
		s, err = open(round)
		if err != nil {
			t.Fatalf("round %d: reopen: %v", round, err)
		}
		q, err := mep.Open(s, opts)
		if err != nil {
			t.Fatalf("round %d: replay: %v", round, err)
		}
		if got := Dump(q); got != want {
			t.Errorf("round %d: the replayed state differs from the written one:\n got %s\nwant %s", round, got, want)
		}
		_ = q.Close()
	}
}

var (
	names = []string{"Ann", "Bob", "Cid", "Dee", "Eve"}
	roles = []mep.Role{mep.RoleSales, mep.RoleBuild, mep.RoleValidation, mep.RoleOperations, mep.RoleMCO}
)

// staff makes every name a member, with the operations role but for
// one, chooses them all as the go-live team, and records operations
// readiness done at now.
func staff(p *mep.Project, now time.Time) error {
	for i, n := range names {
		rs := []mep.Role{roles[i]}
		if roles[i] != mep.RoleOperations && i%2 == 0 {
			rs = append(rs, mep.RoleOperations)
		}
		if err := p.Team().Add(mep.Member{Name: n, Roles: rs}); err != nil {
			return err
		}
	}
	if err := p.Team().Choose(names[0], names...); err != nil {
		return err
	}
	if err := p.Team().SetMCOContact(names[1]); err != nil { // the builder
		return err
	}
	ops := checklist.Operations()
	if err := p.Operations().Start(ops, now.Add(24*time.Hour), names[0]); err != nil {
		return err
	}
	for _, it := range ops.Items {
		if err := p.Operations().Check(it.ID, names[0], now, ""); err != nil {
			return err
		}
	}
	return nil
}

// step makes one random operation on p at the clock *clk, which some
// operations move forward.
func step(p *mep.Project, rng *rand.Rand, clk *time.Time) {
	now := *clk
	who := names[rng.IntN(len(names))]
	rollouts := p.Rollouts()
	var r *mep.Rollout
	if len(rollouts) > 0 {
		r, _ = p.Rollout(rollouts[rng.IntN(len(rollouts))])
	}
	k := rng.IntN(28)
	switch {
	case slices.Contains(projectSteps, k):
		projectStep(p, rng, k, who, now)
	case r == nil:
	case k == 26:
		tickAll(r, who, now)
	case k == 27:
		// Readiness done, the go/no-go half an hour before T0, then the
		// first step.
		tickAll(r, who, now)
		if at := r.T0().Add(-30 * time.Minute); at.After(now) {
			*clk = at
		}
		_, _ = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: who, Verdict: mep.Go, At: *clk})
		_, _ = r.GoNoGo().Decide(context.Background(), *clk)
		_ = r.Cutover().Start("a", who)
	default:
		rolloutStep(r, rng, k, who, now)
	}
}

// tickAll checks every item of r's readiness list by who at now.
func tickAll(r *mep.Rollout, who string, now time.Time) {
	for _, it := range r.Readiness().Run().List().Items {
		_ = r.Readiness().Check(it.ID, who, now, "")
	}
}

// projectSteps are the calls of step on the project itself.
var projectSteps = []int{0, 1, 2, 3, 4, 5, 13, 15, 17, 21, 22, 24}

// projectStep plays call k of step on the project.
func projectStep(p *mep.Project, rng *rand.Rand, k int, who string, now time.Time) {
	switch k {
	case 0:
		_ = p.Team().Add(mep.Member{Name: who, Roles: []mep.Role{roles[rng.IntN(len(roles))], mep.RoleOperations}})
	case 1:
		_ = p.Team().Choose(who, names[:1+rng.IntN(len(names))]...)
	case 2:
		_ = p.Plan(mep.Phase(rng.IntN(len(mep.Phases()))), time.Duration(rng.IntN(1000))*time.Hour)
	case 3:
		_, _ = p.Tracker().Hold(mep.Minutes{At: now, Attendees: []string{who}, Next: now.Add(48 * time.Hour),
			Actions: []mep.ActionSpec{{Title: "do " + strconv.Itoa(rng.IntN(9)), Owner: who}}})
	case 4:
		_ = p.Tracker().Done(1+rng.IntN(5), who, now, "")
	case 5:
		_, _ = p.NewRollout(mep.RolloutOptions{Name: "r" + strconv.Itoa(rng.IntN(3)), T0: now.Add(72 * time.Hour),
			Runbook: []mep.Step{{ID: "a", Expected: time.Minute}, {ID: "b", Expected: time.Minute}}})
	case 13:
		_, _ = p.Advance(who, "")
	case 15:
		_ = p.Validation().Start(checklist.Validation(), now, who)
		_ = p.Validation().Check(checklist.Validation().Items[0].ID, who, now, "")
	case 17:
		_ = p.OptOutOfFreeze(who, "a 24/7 shop")
	case 21:
		_ = p.Lessons().Apply(1+rng.IntN(3), "r"+strconv.Itoa(rng.IntN(3)), who, now, "n/a", rng.IntN(2) == 0)
	case 22:
		_ = p.Team().Invite(who, "Guest")
	case 24:
		o := mep.Options{ReadinessLead: time.Duration(1+rng.IntN(3)) * time.Hour, Country: []string{"FR", "-", "DE"}[rng.IntN(3)]}
		_ = p.SetOptions(o, who, "the board asked")
	}
}

// policyFiles are the policy files a rollout's policies change to.
var policyFiles = []string{"", "policies:\n  - kind: max-outage\n    limit: 5m\n",
	"policies:\n  - kind: windows\n    name: evenings\n    windows: [\"Mon-Thu 18:00-23:59\"]\n"}

// rolloutStep plays call k of step on the rollout r.
func rolloutStep(r *mep.Rollout, rng *rand.Rand, k int, who string, now time.Time) {
	items := checklist.Preparation().Items
	switch k {
	case 6:
		_ = r.Readiness().Check(items[rng.IntN(len(items))].ID, who, now, "")
	case 7:
		_ = r.Readiness().Fail(items[rng.IntN(len(items))].ID, who, now, "broken")
	case 8:
		_, _ = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: who, Verdict: mep.Go, At: now})
	case 9:
		_, _ = r.GoNoGo().Decide(context.Background(), now)
	case 10:
		_ = r.Reschedule(now.Add(96*time.Hour), who, "later")
	case 11:
		_ = r.Cutover().Note(who, "note "+strconv.Itoa(rng.IntN(9)))
	case 12:
		_, _ = r.Learn("lesson", "apply it", who)
	case 14:
		_ = r.Cutover().Start([]string{"a", "b"}[rng.IntN(2)], who)
		_ = r.Cutover().End([]string{"a", "b"}[rng.IntN(2)], who, timeline.Outcome(rng.IntN(2)))
	case 16:
		j := timeline.New(&timeline.Options{Now: func() time.Time { return now }})
		_, _ = j.Start("a", who, timeline.Outage)
		_, _ = j.End("a", who, timeline.Outcome(rng.IntN(2)))
		_ = r.AddRehearsal(mep.RehearsalRun{Summary: timeline.Summarize(j.Entries()), Environment: "preprod",
			ProductionLike: rng.IntN(2) == 0, Rollback: rng.IntN(4) == 0})
	case 18:
		_ = r.Cutover().Skip([]string{"a", "b"}[rng.IntN(2)], who, "not needed")
	case 19:
		_ = r.Cutover().Rollback(who, "broken")
	case 20:
		_ = r.GoNoGo().Override(who, "urgent")
	case 23:
		_, _ = r.Cutover().Finish(who)
	case 25:
		// A file only: policies given in code are not attached again
		// when the record is opened, and every decision would be No-Go.
		_ = r.GoNoGo().SetPolicies(nil, []byte(policyFiles[rng.IntN(len(policyFiles))]), who, "the board asked")
	}
}

// Dump returns what p states, as JSON with times in UTC, with each
// rollout's estimate and its decision as it stands 30 minutes before T0:
// two projects with the same dump state the same facts and decide alike.
func Dump(p *mep.Project) string {
	type rolloutDump struct {
		T0         time.Time
		Votes      []mep.Vote
		Decided    mep.Decision
		Readiness  string
		Summary    timeline.Summary
		Notes      []mep.Note
		Rehearsals int
		Estimate   mep.Estimate
		Evaluate   string
	}
	d := struct {
		Name        string
		Created     time.Time
		Phase       mep.Phase
		Transitions []mep.Transition
		Members     []mep.Member
		Team        []string
		Meetings    []mep.Meeting
		Actions     []mep.Action
		Lessons     []mep.Lesson
		Validation  string
		Budget      mep.Budget
		Rollouts    map[string]rolloutDump
	}{
		Name: p.Name(), Created: p.Created().UTC(), Phase: p.Phase(), Transitions: p.Transitions(),
		Members: p.Team().Members(), Team: p.Team().Chosen(), Meetings: p.Tracker().Meetings(),
		Actions: p.Tracker().Actions(), Lessons: p.Lessons().All(), Budget: p.Budget(p.Created().Add(1000 * time.Hour)),
		Rollouts: map[string]rolloutDump{},
	}
	if run := p.Validation().Run(); run != nil {
		d.Validation = run.Digest()
	}
	for _, name := range p.Rollouts() {
		r, _ := p.Rollout(name)
		d.Rollouts[name] = rolloutDump{
			T0: r.T0(), Votes: r.GoNoGo().Votes(), Decided: r.GoNoGo().Decided(), Readiness: r.Readiness().Run().Digest(),
			Summary: r.Cutover().Summary(), Notes: r.Cutover().Notes(), Rehearsals: len(r.Rehearsals()), Estimate: r.Estimate(),
			Evaluate: r.GoNoGo().Evaluate(context.Background(), r.T0().Add(-30*time.Minute)).String(),
		}
	}
	b, err := json.Marshal(d)
	if err != nil {
		return fmt.Sprintf("dump: %v", err)
	}
	var v any
	_ = json.Unmarshal(b, &v)
	return string(b)
}
