package policy_test

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
)

func ExampleFridayFreeze() {
	paris, _ := time.LoadLocation("Europe/Paris")
	ff := policy.FridayFreeze(paris)

	// Thursday 23:00 for two hours touches Friday.
	c := policy.Change{Start: time.Date(2026, 11, 26, 23, 0, 0, 0, paris), Duration: 2 * time.Hour}
	d := ff.Evaluate(context.Background(), c)
	fmt.Println(d.Verdict)
	fmt.Println(d)
	// Output:
	// deny
	// friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET
}

func ExampleSet_NextSlot() {
	paris, _ := time.LoadLocation("Europe/Paris")
	hol, _ := policy.Holidays("FR", paris, true)
	win, _ := policy.Windows("maintenance", "Mon-Thu 20:00-23:30", paris)
	set := policy.Set{policy.FridayFreeze(paris), policy.WeekendFreeze(paris), hol, win, policy.ReadinessWindow(time.Hour)}

	// Planned for Christmas Eve, a Thursday; ready since the 20th.
	c := policy.Change{
		Start:    time.Date(2026, 12, 24, 20, 0, 0, 0, paris),
		Duration: 2 * time.Hour,
		ReadyAt:  time.Date(2026, 12, 20, 12, 0, 0, 0, paris),
	}
	next, err := set.NextSlot(context.Background(), c, 365*24*time.Hour)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(next.Format("Mon 2006-01-02 15:04 MST"))
	// Output:
	// Mon 2026-12-28 20:00 CET
}

// A change that is not ready, judged as it starts (Now left zero): the
// slot NextSlot proposes holds when the moved change keeps its Now.
func ExampleSet_NextSlot_notReady() {
	paris, _ := time.LoadLocation("Europe/Paris")
	win, _ := policy.Windows("maintenance", "Mon-Thu 20:00-23:30", paris)
	set := policy.Set{win, policy.ReadinessWindow(time.Hour)}

	c := policy.Change{Start: time.Date(2026, 11, 24, 20, 0, 0, 0, paris), Duration: time.Hour}
	fmt.Println(set.Evaluate(context.Background(), c).Allowed())

	next, err := set.NextSlot(context.Background(), c, 30*24*time.Hour)
	if err != nil {
		fmt.Println(err)
		return
	}
	moved := c
	moved.Start = next
	moved.Now = c.Start // keep Now where it was: a zero Now would follow Start
	fmt.Println(next.Format("Mon 2006-01-02 15:04 MST"))
	fmt.Println(set.Evaluate(context.Background(), moved))
	// Output:
	// false
	// Tue 2026-11-24 21:00 CET
	// ALLOW maintenance: the operation is within the windows "Mon-Thu 20:00-23:30" in Europe/Paris
	// WARN  readiness: not ready yet; everything must be ready by Tue 2026-11-24 20:00 CET (1h before the start)
}

func ExampleSet_Evaluate() {
	paris, _ := time.LoadLocation("Europe/Paris")
	set := policy.Set{
		policy.FridayFreeze(paris),
		policy.ReadinessWindow(time.Hour),
		policy.Mandatory(policy.RequireGo("operations")),
	}
	start := time.Date(2026, 11, 27, 10, 0, 0, 0, paris)
	c := policy.Change{
		Start:     start,
		Duration:  30 * time.Minute,
		ReadyAt:   start.Add(-2 * time.Hour),
		Approvals: []policy.Approval{{Role: "operations", By: "bob", Go: true}},
		Override:  &policy.Override{By: "alice", Reason: "security fix for CVE-2026-1234"},
	}
	r := set.Evaluate(context.Background(), c)
	fmt.Println(r.Allowed())
	fmt.Println(r)
	// Output:
	// true
	// DENY  friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET (overridden by alice: security fix for CVE-2026-1234)
	// ALLOW readiness: ready at least 1h before the start
	// ALLOW require-go:operations: GO from operations by bob
}

func ExampleWindows() {
	paris, _ := time.LoadLocation("Europe/Paris")
	w, err := policy.Windows("maintenance", "Mon-Thu 20:00-23:30, Fri 22:00-02:00", paris)
	if err != nil {
		fmt.Println(err)
		return
	}
	from := time.Date(2026, 11, 26, 0, 0, 0, 0, paris) // a Thursday
	for _, iv := range (policy.Set{w}).Free(from, from.AddDate(0, 0, 3)) {
		fmt.Println(iv.Start.Format("Mon 15:04"), "to", iv.End.Format("Mon 15:04"))
	}
	_, err = policy.Windows("maintenance", "Mon-Thu 20:00-23:30, Fri 22h-02h", paris)
	fmt.Println(err)
	// Output:
	// Thu 20:00 to Thu 23:30
	// Fri 22:00 to Sat 02:00
	// policy: window spec "Mon-Thu 20:00-23:30, Fri 22h-02h": range 2, column 26: bad time "22h", want HH:MM
}

func ExampleHolidayCalendar() {
	paris, _ := time.LoadLocation("Europe/Paris")
	// Alsace-Moselle: the French holidays plus Good Friday and 26 December.
	fr, _ := policy.CountryHolidays("FR")
	src := policy.JoinHolidays(fr, policy.Easter("Vendredi saint", -2), policy.Annual("Saint-Étienne", time.December, 26))
	h := policy.HolidayCalendar("holidays-FR-57", src, paris, false)

	d := h.Evaluate(context.Background(), policy.Change{Start: time.Date(2027, 3, 26, 21, 0, 0, 0, paris)})
	fmt.Println(d)
	// Output:
	// holidays-FR-57: Fri 2027-03-26 is Vendredi saint in Europe/Paris; allowed again from Sat 2027-03-27 00:00 CET
}

func ExampleCron() {
	paris, _ := time.LoadLocation("Europe/Paris")
	// Month-end closing: from 17:30 on the last day of each month, 30 hours.
	c, err := policy.Cron("month-end", "30 17 L * *", 30*time.Hour, paris)
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, iv := range c.Blocked(time.Date(2027, 1, 15, 0, 0, 0, 0, paris), time.Date(2027, 3, 15, 0, 0, 0, 0, paris)) {
		fmt.Println(iv.Start.Format("Mon Jan 2 15:04"), "to", iv.End.Format("Mon Jan 2 15:04"))
	}
	_, err = policy.Cron("never", "0 0 30 2 *", time.Hour, paris)
	fmt.Println(err)
	// Output:
	// Sun Jan 31 17:30 to Mon Feb 1 23:30
	// Sun Feb 28 17:30 to Mon Mar 1 23:30
	// policy: cron "0 0 30 2 *": never fires: no day matches (e.g. 30 February)
}

func ExampleSet_WriteICS() {
	paris, _ := time.LoadLocation("Europe/Paris")
	set := policy.Set{policy.Freeze("year-end", time.Date(2026, 12, 18, 0, 0, 0, 0, paris), time.Date(2027, 1, 4, 0, 0, 0, 0, paris))}
	stamp := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	var buf bytes.Buffer
	err := set.WriteICS(&buf, time.Date(2026, 12, 1, 0, 0, 0, 0, paris), time.Date(2027, 2, 1, 0, 0, 0, 0, paris),
		&policy.ICSOptions{Name: "Freezes", Stamp: stamp})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Lines end with CRLF; show a few properties of the event.
	for _, line := range strings.Split(buf.String(), "\r\n") {
		if strings.HasPrefix(line, "DTSTART") || strings.HasPrefix(line, "DTEND") || strings.HasPrefix(line, "SUMMARY") {
			fmt.Println(line)
		}
	}
	// Output:
	// DTSTART;VALUE=DATE:20261218
	// DTEND;VALUE=DATE:20270104
	// SUMMARY:No go-live: year-end
}
