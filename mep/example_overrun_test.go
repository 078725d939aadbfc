package mep_test

import (
	"fmt"
	"time"

	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/risk"
	"github.com/mepkit/mepkit/timeline"
)

// How likely is a rollout's cutover to overrun its window? Its runbook
// and rehearsals say, and its policies say when the window closes.
func ExampleRollout_Overrun() {
	paris, _ := time.LoadLocation("Europe/Paris")
	at := func(d, h, m int) time.Time { return time.Date(2026, 11, d, h, m, 0, 0, paris) }
	project, _ := mep.New("billing v2", &mep.Options{Location: paris, RolloutsOnly: true,
		CreatedBy: "olga", RolloutsOnlyReason: "billing v1 is in production",
		Now: func() time.Time { return at(11, 9, 0) }})
	win, _ := policy.Windows("evenings", "Mon-Thu 20:00-23:30", paris)
	r, _ := project.NewRollout(mep.RolloutOptions{Name: "go-live", T0: at(12, 21, 0), Policies: policy.Set{win},
		Runbook: []mep.Step{
			{ID: "migrate", Impact: timeline.Outage},
			{ID: "smoke", Kind: mep.TestStep, Expected: 15 * time.Minute},
		}})
	for i, minutes := range []int{80, 95, 110, 90} { // four production-like rehearsals of the migration
		start := at(1+i, 21, 0)
		_ = r.AddRehearsal(mep.RehearsalRun{ProductionLike: true, Summary: timeline.Summarize([]timeline.Entry{
			{Seq: 1, At: start, Kind: timeline.KindStart, Step: "migrate"},
			{Seq: 2, At: start.Add(time.Duration(minutes) * time.Minute), Kind: timeline.KindEnd, Step: "migrate"},
		})})
	}
	o, err := r.Overrun(risk.Options{})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(o)
	for _, w := range o.Warnings {
		fmt.Println(w)
	}
	// Output:
	// end P50 22:47 CET, P90 23:09 CET (duration 1h47m, 2h9m); outage P50 1h32m, P90 1h54m; <1% chance to end after 23:30 CET
	// overrun: timed by no rehearsal, so taken from Expected with a log-spread of 0.25: smoke
}
