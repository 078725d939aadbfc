package policy_test

import (
	"context"
	"fmt"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// A change held by the Friday freeze resumes by itself at its end. The
// clock here is a fake one that jumps to the end of each sleep.
func ExampleSet_Wait() {
	paris, _ := time.LoadLocation("Europe/Paris")
	set := policy.Set{policy.FridayFreeze(paris), policy.WeekendFreeze(paris)}

	now := time.Date(2026, 11, 27, 16, 0, 0, 0, paris) // Friday afternoon
	opts := &policy.WaitOptions{
		Now: func() time.Time { return now },
		After: func(d time.Duration) <-chan time.Time {
			now = now.Add(d)
			ch := make(chan time.Time, 1)
			ch <- now
			return ch
		},
		OnChange: func(r policy.Result, until time.Time) {
			if !r.Allowed() {
				fmt.Println("waiting until", until.In(paris).Format("Mon 2006-01-02 15:04 MST"), "for", r.Denials()[0].Policy)
			}
		},
	}
	refresh := func(context.Context) (policy.Change, error) {
		return policy.Change{Name: "billing 4.2", Duration: 90 * time.Minute}, nil
	}
	res, err := set.Wait(context.Background(), refresh, opts)
	fmt.Println(res.Allowed(), err, now.Format("Mon 2006-01-02 15:04 MST"))
	// Output:
	// waiting until Mon 2026-11-30 00:00 CET for friday-freeze
	// true <nil> Mon 2026-11-30 00:00 CET
}

func ExampleSet_Upcoming() {
	paris, _ := time.LoadLocation("Europe/Paris")
	set := policy.Set{policy.FridayFreeze(paris), policy.WeekendFreeze(paris)}
	for _, t := range set.Upcoming(time.Date(2026, 11, 25, 12, 0, 0, 0, paris), 7*24*time.Hour) {
		fmt.Println(t.At.Format("Mon 15:04"), t.Edge, t.Policy, t.Rule, "free:", t.Free)
	}
	// Output:
	// Fri 00:00 closes friday-freeze R11 free: false
	// Sat 00:00 opens friday-freeze R11 free: false
	// Sat 00:00 closes weekend-freeze R11 free: false
	// Mon 00:00 opens weekend-freeze R11 free: true
}

func ExampleTransition_String() {
	paris, _ := time.LoadLocation("Europe/Paris")
	f := policy.Freeze("year-end", time.Date(2026, 12, 18, 0, 0, 0, 0, paris), time.Date(2027, 1, 4, 0, 0, 0, 0, paris))
	for _, t := range (policy.Set{f}).Upcoming(time.Date(2026, 12, 14, 9, 0, 0, 0, paris), 14*24*time.Hour) {
		fmt.Println(t)
	}
	// Output:
	// Fri 2026-12-18 00:00 CET year-end closes until Mon 2027-01-04 00:00 CET: Fri 2026-12-18 00:00 CET is in the freeze year-end (Fri 2026-12-18 00:00 CET to Mon 2027-01-04 00:00 CET) in Europe/Paris; allowed again from Mon 2027-01-04 00:00 CET
}

func ExampleEdge() {
	fmt.Println(policy.Closes, policy.Opens)
	b, _ := policy.Opens.MarshalText()
	fmt.Println(string(b))
	// Output:
	// closes opens
	// opens
}

// The change ends at 22:10 on a Thursday; the Friday freeze starts at
// midnight, and the announcement says so.
func ExampleAnnounce() {
	paris, _ := time.LoadLocation("Europe/Paris")
	set := policy.Set{policy.FridayFreeze(paris)}
	set = append(set, policy.Announce(3*time.Hour, set))
	c := policy.Change{
		Start:    time.Date(2026, 11, 26, 20, 30, 0, 0, paris),
		Duration: 100 * time.Minute,
		Now:      time.Date(2026, 11, 26, 21, 50, 0, 0, paris),
	}
	fmt.Println(set.Evaluate(context.Background(), c))
	// Output:
	// ALLOW friday-freeze: no Friday in Europe/Paris during the operation
	// WARN  announce: friday-freeze blocks go-lives from Fri 2026-11-27 00:00 CET, in 2h10m, 1h50m after the planned end of the operation: an overrun or a rollback would run into it
}
