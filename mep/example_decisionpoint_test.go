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

// The latest moment to roll back, during a cutover: the window's end less
// the P90 of undoing the steps started so far, timed by the rollback
// rehearsals. Watch records the warning once that moment has passed with
// the cutover expected to end after its window.
func ExampleSwitchover_DecisionPoint() {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, paris) }
	now := at(16, 9, 0)
	p, _ := mep.New("billing v2", &mep.Options{Now: func() time.Time { return now }, Location: paris, Country: "FR",
		RolloutsOnly: true, CreatedBy: "olga", RolloutsOnlyReason: "billing v1 is in production"})
	p.Team().Add(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations, mep.RoleMCO, mep.RoleBuild}})
	p.Team().Choose("olga", "olga")
	p.Team().SetMCOContact("olga")
	ops := checklist.Operations()
	p.Operations().Start(ops, now, "olga")
	for _, it := range ops.Items {
		p.Operations().Check(it.ID, "olga", time.Time{}, "")
	}
	win, _ := policy.Windows("evenings", "Mon-Thu 21:00-23:30", paris)
	r, _ := p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: at(17, 21, 0), Policies: policy.Set{win},
		Runbook: []mep.Step{
			{ID: "migrate", Impact: timeline.Outage, Expected: 90 * time.Minute, Rollback: "restore the backup"},
			{ID: "switch", Impact: timeline.Outage, Expected: 10 * time.Minute, PointOfNoReturn: true},
		},
		Readiness: checklist.List{Name: "readiness", Items: []checklist.Item{
			{ID: "backup", Title: "Backed up", Deadline: -time.Hour, Purpose: checklist.ConfigBackup},
			{ID: "hardware", Title: "Hardware verified", Deadline: -time.Hour, Purpose: checklist.HardwareVerified},
		}}})
	for _, d := range []int{10, 9} { // two rollback rehearsals of the migration
		start := at(d, 21, 0)
		r.AddRehearsal(mep.RehearsalRun{Rollback: true, Summary: timeline.Summarize([]timeline.Entry{
			{Seq: 1, At: start, Kind: timeline.KindStart, Step: "migrate"},
			{Seq: 2, At: start.Add(25 * time.Minute), Kind: timeline.KindEnd, Step: "migrate"},
		})})
	}
	now = at(17, 18, 0)
	r.Readiness().Check("backup", "olga", time.Time{}, "")
	r.Readiness().Check("hardware", "olga", time.Time{}, "")
	r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go})
	r.GoNoGo().Decide(context.Background(), now)

	now = at(17, 21, 0)
	r.Cutover().Start("migrate", "olga")
	now = at(17, 22, 0)
	fmt.Println(r.Cutover().Drift(now))
	now = at(17, 23, 10) // the migration runs long
	dp, _ := r.Cutover().Watch()
	fmt.Println("passed:", dp.IsPassed(), "expected end:", dp.ExpectedEnd.Format("15:04"))
	// Output:
	// on time; expected end 22:40 CET (planned 22:40 CET); a rollback would take 25m; users cut off for 1h so far (ongoing); decide by 23:05 CET: after that a rollback (P90 25m) ends past the window, which closes at 23:30 CET
	// passed: true expected end: 23:20
}
