package mep_test

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// A project that runs rollouts only: its record on disk, a readiness
// checklist ticked, the operations team's GO, the go/no-go, then the
// record opened again.
func Example() {
	dir, _ := os.MkdirTemp("", "mep-example")
	defer os.RemoveAll(dir)
	now := time.Date(2026, 11, 12, 14, 0, 0, 0, time.UTC) // a Thursday
	opts := &mep.Options{Now: func() time.Time { return now }, NoSync: true, RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"}

	p, _ := mep.CreateFile(filepath.Join(dir, "billing.jsonl"), "billing", opts)
	p.Team().Add(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO, mep.RoleBuild}})
	p.Team().Choose("olga", "olga")
	p.Team().SetMCOContact("olga") // R3
	ops := checklist.Operations()  // R13: probes, backup process, known failures
	p.Operations().Start(ops, now, "olga")
	for _, it := range ops.Items {
		p.Operations().Check(it.ID, "olga", now, "")
	}
	r, err := p.NewRollout(mep.RolloutOptions{
		Name: "go-live", T0: now.Add(6 * time.Hour),
		Runbook: []mep.Step{{ID: "switch-dns", Impact: timeline.Outage, Expected: 10 * time.Minute}},
		Readiness: checklist.List{Name: "ready", Items: []checklist.Item{ // R8
			{ID: "backup", Title: "Configurations backed up", Deadline: -time.Hour, Purpose: checklist.ConfigBackup},
			{ID: "hardware", Title: "Old and new hardware verified", Deadline: -time.Hour, Purpose: checklist.HardwareVerified},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r.Readiness().Check("backup", "olga", now, "")
	r.Readiness().Check("hardware", "olga", now, "")
	now = now.Add(time.Hour)
	r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go})
	d, _ := r.GoNoGo().Decide(context.Background(), now)
	fmt.Println(d.Verdict, "by", d.By)
	p.Close()

	q, _ := mep.OpenFile(filepath.Join(dir, "billing.jsonl"), opts)
	defer q.Close()
	r, _ = q.Rollout("go-live")
	fmt.Println(len(q.Record()), "facts; decided:", r.GoNoGo().Decided().Verdict)
	// Output:
	// go by olga
	// 19 facts; decided: go
}

// Create a project, name its people, and walk it out of Scoping: the gate
// says what is missing until the plan is there (R1, R2).
func ExampleNew() {
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	p, err := mep.New("billing v2", &mep.Options{Now: func() time.Time { return now }})
	if err != nil {
		fmt.Println(err)
		return
	}
	p.Team().Add(mep.Member{Name: "bea", Roles: []mep.Role{mep.RoleBuild}})
	_, err = p.Advance("sam", "")
	fmt.Println(errors.Is(err, mep.ErrGate))

	for _, ph := range mep.Phases()[:mep.Industrialization] {
		p.Plan(ph, 40*time.Hour)
	}
	p.Plan(mep.Build, 840*time.Hour) // 75% of the time (R2)
	tr, err := p.Advance("sam", "scope signed")
	fmt.Println(tr.From, "->", tr.To, err)
	fmt.Printf("build share planned: %.0f%%\n", 100*p.Budget(now).PlannedBuild)
	// Output:
	// true
	// scoping -> build <nil>
	// build share planned: 75%
}

// A go/no-go: readiness ticked before T0-1h, then the operations team's
// GO, given once readiness was complete (R7, R9). The decision names
// every policy's answer.
func ExampleGoNoGo_Decide() {
	paris, _ := time.LoadLocation("Europe/Paris")
	now := time.Date(2026, 11, 17, 14, 0, 0, 0, paris) // a Tuesday
	p, _ := mep.New("billing v2", &mep.Options{Now: func() time.Time { return now }, Location: paris, Country: "FR", RolloutsOnly: true, CreatedBy: "Sam", RolloutsOnlyReason: "the product is in production"})
	p.Team().Add(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO, mep.RoleBuild}})
	p.Team().Choose("olga", "olga")
	p.Team().SetMCOContact("olga") // R3
	ops := checklist.Operations()  // R13: probes, backup process, known failures
	p.Operations().Start(ops, now, "olga")
	for _, it := range ops.Items {
		p.Operations().Check(it.ID, "olga", now, "")
	}
	r, err := p.NewRollout(mep.RolloutOptions{
		Name: "go-live", T0: time.Date(2026, 11, 17, 20, 0, 0, 0, paris),
		Runbook: []mep.Step{{ID: "switch-dns", Impact: timeline.Outage, Expected: 20 * time.Minute}},
		Readiness: checklist.List{Name: "ready", Items: []checklist.Item{ // R8
			{ID: "backup", Title: "Configurations backed up", Deadline: -time.Hour, Purpose: checklist.ConfigBackup},
			{ID: "hardware", Title: "Old and new hardware verified", Deadline: -time.Hour, Purpose: checklist.HardwareVerified},
		}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go}) // too early: readiness is not complete
	r.Readiness().Check("backup", "olga", now, "")
	r.Readiness().Check("hardware", "olga", now, "")
	fmt.Println(r.GoNoGo().Evaluate(context.Background(), now).Verdict)

	now = now.Add(time.Hour)
	r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go})
	d, _ := r.GoNoGo().Decide(context.Background(), now)
	fmt.Println(d.Verdict, "by", d.By)
	fmt.Println(d)
	// Output:
	// undecided
	// go by olga
	// GO
	// - friday-freeze: no Friday in Europe/Paris during the operation (R11)
	// - weekend-freeze: no Saturday or Sunday in Europe/Paris during the operation (R11)
	// - holidays-FR: no holiday or holiday eve in Europe/Paris during the operation (R11)
	// - readiness: ready at least 1h before the start (R7)
	// - require-go:operations: GO from operations by olga (R9)
}

// A record on disk read back: the project opened from its file states
// every fact it recorded, and goes on where it stopped.
func ExampleOpenFile() {
	dir, _ := os.MkdirTemp("", "mep-example")
	defer os.RemoveAll(dir)
	now := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	opts := &mep.Options{Now: func() time.Time { return now }, NoSync: true}

	p, _ := mep.CreateFile(dir, "billing v2", opts)
	p.Team().Add(mep.Member{Name: "bea", Roles: []mep.Role{mep.RoleBuild}})
	p.Tracker().Hold(mep.Minutes{At: now, Attendees: []string{"bea"},
		Actions: []mep.ActionSpec{{Title: "write the runbook", Owner: "bea", Due: now.Add(72 * time.Hour)}}})
	p.Close() // or a crash: every fact was written when its call returned

	q, err := mep.OpenFile(dir, opts)
	if err != nil {
		fmt.Println(err)
		return
	}
	defer q.Close()
	for _, a := range q.Tracker().Actions() {
		fmt.Println(a.ID, a.Title, a.Owner, a.Status, a.Due.Format(time.DateOnly))
	}
	now = now.Add(time.Hour)
	q.Tracker().Done(1, "bea", time.Time{}, "") // zero: at the project's clock
	fmt.Println(q.Tracker().Actions()[0].Status, len(q.Record()), "facts")
	// Output:
	// 1 write the runbook bea open 2026-03-05
	// done 4 facts
}
