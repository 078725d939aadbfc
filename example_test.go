package mepkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy/policyfile"
	"github.com/mepkit/mepkit/timeline"
)

// A go-live from its policy file to its first step: the planned Friday is
// refused, the next slot is proposed, the GO is voted and decided.
func Example() {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, paris) }
	now := at(20, 9, 0)
	clock := func() time.Time { return now }

	set, err := policyfile.Parse([]byte(`
zone: Europe/Paris
policies:
  - kind: friday-freeze
  - kind: weekend-freeze
  - kind: windows
    spec: Mon-Thu 20:00-23:30
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	project, _ := mep.New("billing v2", &mep.Options{Now: clock, Location: paris, RolloutsOnly: true,
		CreatedBy: "olga", RolloutsOnlyReason: "billing v1 is in production; this project runs its upgrade"})
	_ = project.Team().Add(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO, mep.RoleBuild}})
	_ = project.Team().Choose("olga", "olga") // the go-live team (R3)
	_ = project.Team().SetMCOContact("olga")
	ops := checklist.Operations() // probes, backup process, known failures (R13)
	_ = project.Operations().Start(ops, at(23, 9, 0), "olga")
	for _, it := range ops.Items {
		_ = project.Operations().Check(it.ID, "olga", now, "")
	}
	r, _ := project.NewRollout(mep.RolloutOptions{
		Name: "go-live", T0: at(27, 20, 30), Policies: set,
		Runbook: []mep.Step{
			{ID: "switch-dns", Impact: timeline.Outage, Expected: 30 * time.Minute},
			{ID: "smoke-tests", Kind: mep.TestStep, Expected: 20 * time.Minute},
		},
		Readiness: checklist.List{Name: "readiness", Items: []checklist.Item{
			{ID: "backup", Title: "Configurations backed up", Deadline: -time.Hour, Purpose: checklist.ConfigBackup},
			{ID: "hardware", Title: "Old and new hardware verified", Deadline: -time.Hour, Purpose: checklist.HardwareVerified},
		}},
	})

	ctx := context.Background()
	p, _ := r.Propose(ctx, r.T0(), 1, 30*24*time.Hour)
	fmt.Println("refused:", p.Refused[0])
	_ = r.Reschedule(p.Slots[0], "olga", "Friday freeze")
	fmt.Println("T0:", r.T0().Format("Mon 2006-01-02 15:04"))

	// Every fact is stamped by the project's clock (zero times: now).
	now = at(30, 17, 0)
	_ = r.Readiness().Check("backup", "olga", time.Time{}, "")
	_ = r.Readiness().Check("hardware", "olga", time.Time{}, "")
	now = at(30, 19, 30)
	_, _ = r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go})
	now = at(30, 19, 45)
	d, _ := r.GoNoGo().Decide(ctx, now)
	fmt.Println("decision:", d.Verdict)

	now = r.T0()
	fmt.Println("step switch-dns started:", r.Cutover().Start("switch-dns", "olga"))
	// Output:
	// refused: friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET
	// T0: Mon 2026-11-30 20:00
	// decision: go
	// step switch-dns started: <nil>
}
