package policy_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"time"

	"github.com/mepkit/mepkit/policy"
)

func ExampleAs() {
	set := policy.Set{
		policy.FridayFreeze(time.UTC),
		policy.Mandatory(policy.ReadinessWindow(2 * time.Hour)),
		policy.Scoped(policy.Scope{Environments: []string{"production"}}, policy.RequireQuorum("operations", 2)),
	}
	for _, p := range set {
		if r, ok := policy.As[*policy.Readiness](p); ok {
			fmt.Println("ready", r.Lead, "ahead")
		}
		if q, ok := policy.As[*policy.Quorum](p); ok {
			fmt.Println(q.Count, "GO from", q.Role)
		}
	}
	// Output:
	// ready 2h0m0s ahead
	// 2 GO from operations
}

func ExampleRequireQuorum() {
	paris, _ := time.LoadLocation("Europe/Paris")
	q := policy.RequireQuorum("operations", 2)
	start := time.Date(2026, 11, 24, 20, 0, 0, 0, paris)
	c := policy.Change{Start: start, Now: start.Add(-time.Hour), Approvals: []policy.Approval{
		{Role: "operations", By: "ann", Go: true},
		{Role: "operations", By: "Ann", Go: true}, // the same person
	}}
	fmt.Println(q.Evaluate(context.Background(), c))
	c.Approvals = append(c.Approvals, policy.Approval{Role: "operations", By: "bob", Go: true})
	fmt.Println(q.Evaluate(context.Background(), c))
	// Output:
	// require-go:operations: waiting: 1 of the 2 GOs from operations still missing (GO so far by Ann)
	// require-go:operations: GO from operations by Ann, bob (2 of the 2 needed)
}

func ExampleScoped() {
	paris, _ := time.LoadLocation("Europe/Paris")
	gold := policy.Scope{Environments: []string{"production"}, Labels: map[string]string{"tier": "gold"}}
	ff := policy.Scoped(gold, policy.FridayFreeze(paris))
	friday := time.Date(2026, 11, 27, 10, 0, 0, 0, paris)
	for _, env := range []string{"production", "staging"} {
		c := policy.Change{Start: friday, Duration: time.Hour, Environment: env, Labels: map[string]string{"tier": "gold"}}
		fmt.Println(ff.Evaluate(context.Background(), c))
	}
	// Output:
	// friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET [scope: environment production, label tier=gold]
	// friday-freeze: out of scope: the change is for staging [scope: environment production, label tier=gold]
}

func ExampleIn() {
	paris, _ := time.LoadLocation("Europe/Paris")
	// A CI runner's clock is in UTC; the team reads Paris time.
	now := time.Date(2026, 11, 24, 8, 9, 0, 0, time.UTC)
	c := policy.Change{Start: now, Now: now}
	fmt.Println(policy.ReadinessWindow(time.Hour).Evaluate(context.Background(), c))
	fmt.Println(policy.In(paris, policy.ReadinessWindow(time.Hour)).Evaluate(context.Background(), c))
	// Output:
	// readiness: not ready at the deadline Tue 2026-11-24 07:09 UTC (1h before the start); the earliest start is 1h after readiness
	// readiness: not ready at the deadline Tue 2026-11-24 08:09 CET (1h before the start); the earliest start is 1h after readiness
}

func ExampleResult_MarshalJSON() {
	paris, _ := time.LoadLocation("Europe/Paris")
	set := policy.Set{policy.FridayFreeze(paris), policy.MaxOutage(30 * time.Minute)}
	r := set.Evaluate(context.Background(), policy.Change{Start: time.Date(2026, 11, 27, 10, 0, 0, 0, paris), Duration: time.Hour})
	enc := json.NewEncoder(os.Stdout)
	enc.SetIndent("", "  ")
	_ = enc.Encode(r)
	// Output:
	// {
	//   "allowed": false,
	//   "verdict": "deny",
	//   "decisions": [
	//     {
	//       "policy": "friday-freeze",
	//       "index": 0,
	//       "verdict": "deny",
	//       "rule": "R11",
	//       "reason": "Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET",
	//       "next": "2026-11-28T00:00:00+01:00"
	//     },
	//     {
	//       "policy": "max-outage",
	//       "index": 1,
	//       "verdict": "warn",
	//       "rule": "R5",
	//       "reason": "expected outage unknown (the limit is 30m); measure it in a rehearsal, or state that there is none"
	//     }
	//   ]
	// }
}

func ExampleRule() {
	paris, _ := time.LoadLocation("Europe/Paris")
	set := policy.Set{policy.ReadinessWindow(time.Hour), policy.FridayFreeze(paris), policy.MaxOutage(30 * time.Minute)}
	r := set.Evaluate(context.Background(), policy.Change{
		Start: time.Date(2026, 11, 27, 21, 0, 0, 0, paris), Duration: time.Hour,
		ReadyAt: time.Date(2026, 11, 27, 19, 30, 0, 0, paris), OutageKnown: true,
	})
	for _, d := range r.Decisions {
		fmt.Println(d.Rule, d.Verdict, d.Policy)
	}
	// Output:
	// R7 allow readiness
	// R11 deny friday-freeze
	// R5 allow max-outage
}

func ExampleSet_PolicyOf() {
	paris, _ := time.LoadLocation("Europe/Paris")
	set := policy.Set{policy.FridayFreeze(paris), policy.Mandatory(policy.ReadinessWindow(2 * time.Hour))}
	r := set.Evaluate(context.Background(), policy.Change{
		Start: time.Date(2026, 11, 26, 21, 0, 0, 0, paris), Duration: time.Hour,
		ReadyAt: time.Date(2026, 11, 26, 20, 0, 0, 0, paris),
	})
	for _, d := range r.Denials() {
		if rw, ok := policy.As[*policy.Readiness](set.PolicyOf(d)); ok {
			fmt.Printf("decision from policy %d (%s, %v): lead %v\n", d.Index, d.Rule, d.Verdict, rw.Lead)
		}
	}
	// Output:
	// decision from policy 1 (R7, deny): lead 2h0m0s
}
