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
