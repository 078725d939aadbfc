package mep_test

import (
	"context"
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
	opts := &mep.Options{Now: func() time.Time { return now }, NoSync: true, RolloutsOnly: true}

	p, _ := mep.CreateFile(filepath.Join(dir, "billing.jsonl"), "billing", opts)
	p.Team().Add(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO}})
	p.Team().Choose("olga", "olga")
	r, err := p.NewRollout(mep.RolloutOptions{
		Name: "go-live", T0: now.Add(6 * time.Hour),
		Runbook:   []mep.Step{{ID: "switch-dns", Impact: timeline.Outage, Expected: 10 * time.Minute}},
		Readiness: checklist.List{Name: "ready", Items: []checklist.Item{{ID: "backup", Title: "Configurations backed up", Deadline: -time.Hour}}},
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	r.Check("backup", "olga", now, "")
	now = now.Add(time.Hour)
	r.Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go})
	d, _ := r.Decide(context.Background(), now)
	fmt.Println(d.Verdict, "by", d.By)
	p.Close()

	q, _ := mep.OpenFile(filepath.Join(dir, "billing.jsonl"), opts)
	defer q.Close()
	r, _ = q.Rollout("go-live")
	fmt.Println(len(q.Record().Entries()), "facts; decided:", r.Decided().Verdict)
	// Output:
	// go by olga
	// 7 facts; decided: go
}
