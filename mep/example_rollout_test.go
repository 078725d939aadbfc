package mep_test

import (
	"context"
	"fmt"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

func ExampleRollout() {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, paris) }
	now := at(24, 12, 0)
	p, _ := mep.New("billing v2", &mep.Options{Now: func() time.Time { return now }, Location: paris})
	_ = p.AddMember(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations}})

	r, _ := p.NewRollout(mep.RolloutOptions{
		Name: "go-live", T0: at(24, 20, 30),
		Runbook: []mep.Step{
			{ID: "switch-dns", Impact: timeline.Outage, Expected: 20 * time.Minute},
			{ID: "smoke-tests", Kind: mep.TestStep, Expected: 15 * time.Minute},
		},
		Readiness: checklist.List{Name: "readiness", Items: []checklist.Item{
			{ID: "backup", Title: "Configurations backed up", Deadline: -time.Hour},
		}},
		Policies: policy.Set{policy.FridayFreeze(paris), policy.ReadinessWindow(time.Hour)},
	})

	ctx := context.Background()
	fmt.Println(r.Evaluate(ctx, at(24, 18, 0)))

	_ = r.Readiness().Check("backup", "olga", at(24, 18, 10), "")
	_, _ = r.Vote(mep.Vote{Role: "operations", By: "olga", Go: true, At: at(24, 19, 45)})
	v, _ := r.Decide(ctx, at(24, 19, 50))
	fmt.Println(v.Decision)

	now = at(24, 20, 30)
	_, _ = r.StartStep("switch-dns", "olga")
	now = at(24, 21, 0)
	fmt.Println(r.Drift(now))
	// Output:
	// UNDECIDED
	// - readiness: not ready yet; everything must be ready by Tue 2026-11-24 19:30 CET (1h before the start)
	// - require-go:operations: waiting for the GO from operations
	// - checklist: 1 required item(s) of "readiness" still to do
	// go
	// 10m late; expected end 21:15 CET (planned 21:05 CET)
}

func ExampleRollout_Propose() {
	paris, _ := time.LoadLocation("Europe/Paris")
	thursday := time.Date(2026, 11, 26, 23, 0, 0, 0, paris)
	p, _ := mep.New("billing v2", &mep.Options{Location: paris})
	r, _ := p.NewRollout(mep.RolloutOptions{
		Name: "go-live", T0: thursday,
		Runbook:  []mep.Step{{ID: "migrate", Impact: timeline.Outage, Expected: 2 * time.Hour}},
		Policies: policy.Set{policy.FridayFreeze(paris), policy.WeekendFreeze(paris)},
		Margin:   0.25,
	})
	prop, _ := r.Propose(context.Background(), thursday, 2, 30*24*time.Hour)
	fmt.Println("to fit:", prop.Duration)
	for _, d := range prop.Refused {
		fmt.Println("refused:", d)
	}
	for _, s := range prop.Slots {
		fmt.Println("slot:", s.Format("Mon 2006-01-02 15:04 MST"))
	}
	// Output:
	// to fit: 2h30m0s
	// refused: friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET
	// slot: Mon 2026-11-30 00:00 CET
	// slot: Mon 2026-12-07 00:00 CET
}
