package policyfile_test

import (
	"context"
	"fmt"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
)

func ExampleParse() {
	set, err := policyfile.Parse([]byte(`
zone: Europe/Paris
policies:
  - kind: friday-freeze
  - kind: holidays
    country: FR
    eve: true
  - kind: windows
    name: maintenance
    spec: Mon-Thu 20:00-23:30
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	c := policy.Change{Start: time.Date(2026, 12, 24, 21, 0, 0, 0, paris), Duration: time.Hour}
	fmt.Println(set.Evaluate(context.Background(), c))
	// Output:
	// ALLOW friday-freeze: no Friday in Europe/Paris during the operation
	// DENY  holidays-FR: Thu 2026-12-24 is the eve of Noël (FR) in Europe/Paris; allowed again from Sat 2026-12-26 00:00 CET
	// ALLOW maintenance: the operation is within the windows "Mon-Thu 20:00-23:30" in Europe/Paris
}

func ExampleParse_error() {
	_, err := policyfile.Parse([]byte(`
zone: Europe/Paris
policies:
  - kind: cron
    cron: 0 3 30 2 *
    duration: 2h
`))
	fmt.Println(err)
	// Output:
	// policyfile: line 5: policies[0].cron: cron "0 3 30 2 *": never fires: no day matches (e.g. 30 February)
}

func ExampleParseWith() {
	f, err := policyfile.ParseWith([]byte(`
zone: Europe/Paris
policies:
  - kind: readiness
  - kind: require-go
    role: operations
    quorum: 2
    scope: {environments: [production]}
`), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	// A runner whose clock is in UTC: the reasons are in the file's zone.
	now := time.Date(2026, 11, 24, 19, 0, 0, 0, time.UTC)
	c := policy.Change{Start: now.Add(2 * time.Hour), Now: now, Environment: "production", Location: f.Zone}
	fmt.Println(f.Zone)
	fmt.Println(f.Set.Evaluate(context.Background(), c))
	// Output:
	// Europe/Paris
	// WARN  readiness: not ready yet; everything must be ready by Tue 2026-11-24 21:00 CET (1h before the start)
	// WARN  require-go:operations: waiting: 2 of the 2 GOs from operations still missing [scope: environment production]
}

func ExampleListError() {
	_, err := policyfile.Parse([]byte(`
zone: Europe/Paris
policies:
  - kind: readiness
    lead: 30m
  - kind: require-go
    quorum: 2
  - kind: windows
    spec: Mon-Thu 20:00-23:70
`))
	fmt.Println(err)
	// Output:
	// policyfile: 3 problems:
	// 	line 5: policies[0].lead: "30m" is below the minimum of 1h: the method wants everything ready at least one hour ahead (rule R7)
	// 	line 6: policies[1].role: missing: a require-go policy needs role
	// 	line 9: policies[2].spec: window spec "Mon-Thu 20:00-23:70": range 1, column 15: bad minutes in "23:70"
}

func ExampleFile_CheckEnvironment() {
	f, err := policyfile.ParseWith([]byte(`
zone: Europe/Paris
environments: [prod, staging]
policies:
  - kind: friday-freeze
    scope: {environments: [prod]}
`), nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(f.CheckEnvironment("prod"))
	fmt.Println(f.CheckEnvironment("production"))
	// Output:
	// <nil>
	// policyfile: unknown environment "production": the environments the policy file lists are prod, staging
}

func ExampleParseTime() {
	t, err := policyfile.ParseTime("2026-11-27T20:30:00+01:00")
	fmt.Println(t.UTC(), err)
	_, err = policyfile.ParseTime("2026-01-01T00:00:00+24:00")
	fmt.Println(err)
	// Output:
	// 2026-11-27 19:30:00 +0000 UTC <nil>
	// policyfile: time "2026-01-01T00:00:00+24:00": the offset +24:00 is out of range: RFC 3339 offsets run from -23:59 to +23:59
}

// A file that requires nine cutovers in ten to end in the window, and
// announces the closings after the operation. The durations come from a
// simulation of the rehearsals (package risk; here a sample of 100).
func ExampleParse_fit() {
	set, err := policyfile.Parse([]byte(`
zone: Europe/Paris
policies:
  - kind: windows
    name: evenings
    spec: Mon-Thu 20:00-23:30
  - kind: fit
    quantile: p90
  - kind: announce
    lead: 2h
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	var sample runs
	for i := range 100 {
		sample = append(sample, 90*time.Minute+time.Duration(i)*time.Minute/2) // 1h30m to 2h19m30s
	}
	paris, _ := time.LoadLocation("Europe/Paris")
	c := policy.Change{Start: time.Date(2026, 11, 12, 21, 30, 0, 0, paris), Duration: 90 * time.Minute,
		Now: time.Date(2026, 11, 12, 9, 0, 0, 0, paris), Risk: policy.Risk{Durations: sample}}
	fmt.Println(set.Evaluate(context.Background(), c))
	// Output:
	// ALLOW evenings: the operation is within the windows "Mon-Thu 20:00-23:30" in Europe/Paris
	// DENY  fit-p90: P90 end 23:45 CET, window ends 23:30 CET (evenings); 39% chance to overrun; start earlier, shorten the runbook or ask for a longer window
	// WARN  announce: evenings blocks go-lives from Thu 2026-11-12 23:30 CET, in 14h30m, 30m after the planned end of the operation: an overrun or a rollback would run into it
}

// A file that asks for the check against the other changes of a shared
// schedule: until the program that reads the schedule gives the check,
// the change is refused.
func ExampleParse_conflicts() {
	set, err := policyfile.Parse([]byte(`
zone: Europe/Paris
policies:
  - kind: conflicts
    exclusive: [production]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	c, _ := policy.As[*policy.Conflicts](set[0])
	fmt.Println("exclusive:", c.Exclusive)
	ch := policy.Change{Environment: "production", Start: time.Date(2026, 11, 12, 21, 0, 0, 0, time.UTC), Duration: time.Hour}
	fmt.Println(set.Evaluate(context.Background(), ch).Verdict())

	// The program that reads the schedule gives its check.
	c.Against = policy.Func("schedule", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Verdict: policy.Allow, Reason: "no other change overlaps"}
	})
	r := set.Evaluate(context.Background(), ch)
	fmt.Println(r.Verdict(), r.Decisions[0].Policy+":", r.Decisions[0].Reason)
	// Output:
	// exclusive: [production]
	// deny
	// allow conflicts: no other change overlaps
}
