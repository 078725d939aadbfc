package policytest_test

import (
	"fmt"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policytest"
)

func ExampleCheckCalendar() {
	paris, _ := time.LoadLocation("Europe/Paris")
	from := time.Date(2026, 10, 20, 0, 0, 0, 0, paris)
	err := policytest.CheckCalendar(policy.WeekendFreeze(paris), from, from.AddDate(0, 0, 14), 13*time.Minute)
	fmt.Println(err)
	// Output:
	// <nil>
}
