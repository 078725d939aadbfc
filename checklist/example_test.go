package checklist_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/mepkit/mepkit/checklist"
)

func ExampleParse() {
	l, err := checklist.Parse([]byte(`
name: preparation
items:
  - id: old-hardware
    title: Old hardware verified against the checklist
    owner: ops
    deadline: -1h
  - id: config-backup
    title: Every impacted configuration backed up
    deadline: -1h
    depends_on: [old-hardware]
`))
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Name, len(l.Items), l.Items[1].Deadline)
	for _, w := range l.Lint() {
		fmt.Println(w)
	}
	// Output:
	// preparation 2 -1h0m0s
	// item "config-backup" has no owner; name who answers for it
}

func ExampleParse_error() {
	_, err := checklist.Parse([]byte(`
items:
  - id: old-hardware
    title: Old hardware verified
    deadline: one hour before
`))
	fmt.Println(err)
	var e *checklist.Error
	if errors.As(err, &e) {
		fmt.Println(e.Line, e.Item, e.Field, errors.Is(err, checklist.ErrInvalid))
	}
	// Output:
	// checklist: line 5: item "old-hardware": deadline: invalid value: want a duration such as "-1h" or "-30m", got "one hour before"
	// 5 old-hardware deadline true
}

// Every problem of a file is reported at once, in file order, each with
// its line, item and field.
func ExampleListError() {
	_, err := checklist.Parse([]byte(`
items:
  - id: old-hardware
    title: Old hardware verified
    deadline: one hour before
  - id: config-backup
    titel: Every impacted configuration backed up
    depends_on: [old-hardwre]
`))
	fmt.Println(err)
	var le *checklist.ListError
	if errors.As(err, &le) {
		for _, p := range le.Problems {
			fmt.Println(p.Line, p.Item, p.Field)
		}
	}
	// Output:
	// checklist: line 5: item "old-hardware": deadline: invalid value: want a duration such as "-1h" or "-30m", got "one hour before"
	// checklist: line 6: item "config-backup": title: empty title
	// checklist: line 7: item "config-backup": titel: unknown field: want one of id, title, section, owner, optional, deadline, depends_on, offline, purpose
	// checklist: line 8: item "config-backup": depends_on: unknown dependency: "old-hardwre"
	// 5 old-hardware deadline
	// 6 config-backup title
	// 7 config-backup titel
	// 8 config-backup depends_on
}

func ExampleParseFile() {
	l, err := checklist.ParseFile("testdata/example.yaml", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(l.Name, len(l.Items), "items")

	// The size limit applies before the file is read.
	_, err = checklist.ParseFile("testdata/example.yaml", &checklist.ParseOptions{MaxBytes: 512})
	fmt.Println(errors.Is(err, checklist.ErrTooLarge))
	// Output:
	// preparation 4 items
	// true
}

func ExampleList_Validate() {
	l := checklist.List{Items: []checklist.Item{
		{ID: "a", Title: "A", DependsOn: []string{"b"}},
		{ID: "b", Title: "B", DependsOn: []string{"a"}},
	}}
	fmt.Println(l.Validate())
	// Output:
	// checklist: item "a": depends_on: dependency cycle "a" -> "b" -> "a"
}

func ExampleRun() {
	paris, _ := time.LoadLocation("Europe/Paris")
	t0 := time.Date(2026, 6, 9, 21, 0, 0, 0, paris) // a Tuesday evening
	r, _ := checklist.NewRun(checklist.Preparation(), t0)

	r.Observe(func(e checklist.Event) {
		fmt.Printf("#%d %s %s by %s at %s\n", e.Seq, e.Kind, e.Item, e.By, e.At.Format("15:04"))
	})
	at := func(h, m int) time.Time { return time.Date(2026, 6, 9, h, m, 0, 0, paris) }
	_ = r.Check("old-hardware-verified", "alice", at(17, 0), "serials match")
	err := r.Check("new-hardware-verified", "alice", at(17, 5), "")
	fmt.Println(err)
	_ = r.Fail("new-hardware-installed", "bob", at(17, 30), "rack rails missing")
	_ = r.Check("new-hardware-installed", "bob", at(18, 10), "rails found")

	p := r.Progress()
	fmt.Printf("%d/%d done, %d required pending, ready: %t\n", p.Done, p.Total, p.RequiredPending, r.Ready())
	fmt.Println("late at 20:30:", len(r.Late(at(20, 30))), "items")
	// Output:
	// #1 check old-hardware-verified by alice at 17:00
	// checklist: check "new-hardware-verified": earlier required items of the section not done: "new-hardware-installed" comes first
	// #2 fail new-hardware-installed by bob at 17:30
	// #3 check new-hardware-installed by bob at 18:10
	// 2/11 done, 7 required pending, ready: false
	// late at 20:30: 9 items
}

func ExampleRun_Waive() {
	t0 := time.Date(2026, 6, 9, 19, 0, 0, 0, time.UTC)
	r, _ := checklist.NewRun(checklist.Preparation(), t0)
	at := t0.Add(-3 * time.Hour)

	fmt.Println(r.Waive("other-env-backup", "lead", at, ""))
	fmt.Println(r.Waive("other-env-backup", "lead", at, "no other environment on this site"))
	fmt.Println(r.Waive("config-backup", "lead", at, "no time"))
	// Output:
	// checklist: waive "other-env-backup": a waiver needs a reason
	// <nil>
	// checklist: waive "config-backup": required item cannot be waived: the list does not allow waiving required items
}

func ExampleRun_Reschedule() {
	t0 := time.Date(2026, 6, 9, 19, 0, 0, 0, time.UTC)
	r, _ := checklist.NewRun(checklist.Preparation(), t0)
	res, _ := r.Result("config-backup")
	fmt.Println("due", res.Due.Format(time.RFC3339))

	_ = r.Reschedule(t0.AddDate(0, 0, 1), "lead", t0.Add(-2*time.Hour), "storage not delivered")
	res, _ = r.Result("config-backup")
	fmt.Println("due", res.Due.Format(time.RFC3339))
	// Output:
	// due 2026-06-09T18:00:00Z
	// due 2026-06-10T18:00:00Z
}

func ExampleRun_Snapshot() {
	t0 := time.Date(2026, 6, 9, 19, 0, 0, 0, time.UTC)
	l := checklist.Operations()
	r, _ := checklist.NewRun(l, t0)
	_ = r.Check("technical-probes", "mco", t0.Add(-48*time.Hour), "")

	data, _ := r.Snapshot()
	back, err := checklist.Restore(l, data)
	fmt.Println(err, back.Digest() == r.Digest())

	_, err = checklist.Restore(checklist.Preparation(), data)
	fmt.Println(errors.Is(err, checklist.ErrMismatch))
	// Output:
	// <nil> true
	// true
}

// A go/no-go asks for purposes, not words: the list must have an item of
// each purpose its rule names, and every such item must be done.
func ExampleRun_Coverage() {
	l := checklist.List{Name: "readiness", Mode: checklist.DoConfirm, WaiveRequired: true, Items: []checklist.Item{
		{ID: "old-hw", Title: "Old hardware verified", Purpose: checklist.HardwareVerified},
		{ID: "new-hw", Title: "New hardware verified", Purpose: checklist.HardwareVerified},
		{ID: "cfg", Title: "Configurations backed up", Purpose: checklist.ConfigBackup},
		{ID: "uninstall-old-icons", Title: "Old icons uninstalled"},
	}}
	fmt.Println("missing:", l.Missing(checklist.InstallProcedure, checklist.HardwareVerified, checklist.ConfigBackup))

	t0 := time.Date(2026, 6, 9, 21, 0, 0, 0, time.UTC)
	r, _ := checklist.NewRun(l, t0)
	_ = r.Check("old-hw", "olga", t0.Add(-3*time.Hour), "")
	_ = r.Waive("cfg", "lead", t0.Add(-2*time.Hour), "nothing changes")
	for _, c := range r.Coverage(checklist.HardwareVerified, checklist.ConfigBackup) {
		fmt.Printf("R8 %t: %s\n", c.Met(), c)
	}
	// Output:
	// missing: [install-procedure]
	// R8 false: hardware-verified not done: "new-hw" pending
	// R8 false: config-backup not done: "cfg" waived (a waiver does not count)
}

// Clone gives a run to try things on: a what-if that leaves the run as it
// was.
func ExampleRun_Clone() {
	l := checklist.List{Name: "preparation", Items: []checklist.Item{
		{ID: "hardware", Title: "Hardware verified", Purpose: checklist.HardwareVerified},
		{ID: "backup", Title: "Configurations backed up", Purpose: checklist.ConfigBackup},
	}}
	t0 := time.Date(2026, 6, 9, 21, 0, 0, 0, time.UTC)
	r, _ := checklist.NewRun(l, t0)
	_ = r.Check("hardware", "olga", t0.Add(-3*time.Hour), "")

	whatIf := r.Clone()
	_ = whatIf.Check("backup", "olga", t0.Add(-2*time.Hour), "")
	fmt.Println("what-if ready:", whatIf.Ready(), whatIf.ReadyAt().Format(time.Kitchen))
	fmt.Println("run ready:", r.Ready(), r.Progress().RequiredPending, "pending")
	// Output:
	// what-if ready: true 7:00PM
	// run ready: false 1 pending
}
