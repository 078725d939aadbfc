package mep_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"github.com/mepkit/mepkit/mep"
)

func ExampleProject_Advance() {
	now := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	p, _ := mep.New("billing v2", &mep.Options{Now: func() time.Time { return now }})

	_, err := p.Advance("lea", "kick-off done")
	var ge *mep.GateError
	if errors.As(err, &ge) {
		for _, u := range ge.Unmet {
			fmt.Printf("[%s] %s\n", u.Rule, u.Criterion)
		}
	}

	_ = p.AddMember(mep.Member{Name: "bea", Roles: []mep.Role{mep.RoleBuild}})
	for _, ph := range mep.Phases() {
		_ = p.Plan(ph, 5*24*time.Hour)
	}
	_ = p.Plan(mep.Build, 100*24*time.Hour)
	t, err := p.Advance("lea", "kick-off done")
	fmt.Println(t.From, "->", t.To, err)
	// Output:
	// [R2] phase budget planned
	// [R1] builders named
	// scoping -> build <nil>
}

func ExampleTracker_Hold() {
	paris, _ := time.LoadLocation("Europe/Paris")
	tr, _ := mep.NewTracker(&mep.TrackerOptions{Location: paris, Cadence: mep.Cadence{Days: 7}})

	m, _ := tr.Hold(mep.Minutes{
		At:        time.Date(2026, 3, 24, 10, 0, 0, 0, paris),
		Attendees: []string{"bea", "otto"},
		Actions: []mep.ActionSpec{
			{Title: "back up the router configuration", Owner: "otto"},
		},
	})
	a, _ := tr.Action(m.Actions[0])
	fmt.Println("next meeting:", m.Next.Format("Mon 2 Jan 15:04 MST"))
	fmt.Println("action due:  ", a.Due.Format("Mon 2 Jan 15:04 MST"), "owner", a.Owner)

	ag := tr.Agenda(time.Date(2026, 4, 1, 9, 0, 0, 0, paris))
	fmt.Println("overdue on 1 April:", len(ag.Overdue))
	// Output:
	// next meeting: Tue 31 Mar 10:00 CEST
	// action due:   Tue 31 Mar 10:00 CEST owner otto
	// overdue on 1 April: 1
}

func ExampleProject_Unapplied() {
	p, _ := mep.New("billing v2", nil)
	at := time.Date(2026, 4, 2, 9, 0, 0, 0, time.UTC)
	_, _ = p.AddLesson(mep.LessonSpec{From: "site-A", Text: "the DNS TTL was a day long", Action: "lower the TTL the day before", At: at})
	_, _ = p.AddLesson(mep.LessonSpec{From: "site-A", Text: "nobody had the badge", Action: "ask for badges a week before", At: at})
	_ = p.ApplyLesson(1, "site-B", "bea", at.AddDate(0, 0, 7), "")

	for _, l := range p.Unapplied("site-B") {
		fmt.Println("site-B still owes:", l.Action)
	}
	// Output:
	// site-B still owes: ask for badges a week before
}

func ExampleProject_Budget() {
	p, _ := mep.New("billing v2", nil)
	_ = p.Plan(mep.Scoping, 10*24*time.Hour)
	_ = p.Plan(mep.Build, 40*24*time.Hour)
	_ = p.Plan(mep.Validation, 30*24*time.Hour)
	_ = p.Plan(mep.Cutover, 20*24*time.Hour)
	b := p.Budget(p.Created())
	fmt.Printf("build: %.0f%% of the plan\n", b.PlannedBuild*100)
	for _, w := range b.Warnings {
		fmt.Println(w)
	}
	// Output:
	// build: 40% of the plan
	// plan: build takes 40% of the project's time, expected about 75% (±10 points); check the estimates of the other phases (R2)
}

func ExampleProject_WriteICS() {
	p, _ := mep.New("billing v2", nil)
	at := time.Date(2026, 3, 2, 10, 0, 0, 0, time.UTC)
	_, _ = p.Tracker().Hold(mep.Minutes{
		At: at, Title: "planning", Attendees: []string{"bea"},
		Next:    at.AddDate(0, 0, 7),
		Actions: []mep.ActionSpec{{Title: "print the runbook", Owner: "bea"}},
	})
	var b strings.Builder
	_ = p.WriteICS(&b, mep.ICSOptions{Stamp: at})
	// Lines end with CRLF, as RFC 5545 wants; shown here with LF.
	fmt.Print(strings.ReplaceAll(b.String(), "\r\n", "\n"))
	// Output:
	// BEGIN:VCALENDAR
	// VERSION:2.0
	// PRODID:-//mepkit//mep//EN
	// CALSCALE:GREGORIAN
	// X-WR-CALNAME:billing v2
	// BEGIN:VEVENT
	// UID:meeting-1@billing-v2.mepkit
	// DTSTAMP:20260302T100000Z
	// DTSTART:20260302T100000Z
	// DTEND:20260302T110000Z
	// SUMMARY:planning
	// DESCRIPTION:Attendees: bea\nAction #1 (bea\, due 2026-03-09): print the run
	//  book
	// CATEGORIES:meeting
	// END:VEVENT
	// BEGIN:VEVENT
	// UID:meeting-2@billing-v2.mepkit
	// DTSTAMP:20260302T100000Z
	// DTSTART:20260309T100000Z
	// DTEND:20260309T110000Z
	// SUMMARY:Next meeting
	// DESCRIPTION:Carried over:\n#1 print the runbook (bea\, due 2026-03-09)
	// CATEGORIES:meeting
	// END:VEVENT
	// BEGIN:VEVENT
	// UID:action-1@billing-v2.mepkit
	// DTSTAMP:20260302T100000Z
	// DTSTART;VALUE=DATE:20260309
	// SUMMARY:Due: print the runbook (bea)
	// DESCRIPTION:Action #1\, owner bea\, from meeting 1
	// CATEGORIES:action,open
	// END:VEVENT
	// END:VCALENDAR
}

func ExampleLoad() {
	dir, _ := os.MkdirTemp("", "mep-example-")
	defer os.RemoveAll(dir)

	p, _ := mep.New("billing v2", nil)
	_ = p.AddMember(mep.Member{Name: "bea", Roles: []mep.Role{mep.RoleBuild, mep.RoleMCO}})
	if err := p.Save(dir); err != nil {
		fmt.Println(err)
		return
	}
	q, err := mep.Load(dir, nil)
	fmt.Println(q.Name(), q.Phase(), len(q.Members()), err)
	// Output:
	// billing v2 scoping 1 <nil>
}
