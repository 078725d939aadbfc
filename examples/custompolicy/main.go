// Command custompolicy shows how a team adds its own rules to the policies
// that package policy ships, through its two extension points:
//
//   - a [policy.Func]: "no change to production while an incident is open",
//     reading the team's incident list and a label on the change, so that
//     the fix of the incident itself may still go (with a warning);
//   - a [policy.Calendar] written as a type: the quarter close, a freeze
//     from the 20th of the last month of each quarter to the 3rd of the
//     next, in the team's zone. Its Evaluate is derived from its Blocked,
//     and [policytest.CheckCalendar] checks that it keeps the Calendar
//     contract before the program trusts it.
//
// Both join a [policy.Set] with the Friday and weekend freezes (rule R11),
// the French public holidays and their eves, the evening windows and the
// readiness rule (R7). The set decides about a few planned changes, at
// fixed instants, and [policy.Set.NextSlot] proposes a start for the ones
// it denies. NextSlot honours every policy, and refuses every start while
// a policy denies without saying when it will allow (its Decision.Next):
// the incident rule is such a policy, so the program asks NextSlot without
// it and says that the change also waits for the incident to be resolved.
//
// Usage, from the repository root:
//
//	$ go run ./examples/custompolicy
//	custompolicy: two custom policies beside the built-in ones, in Europe/Paris
//	conformance: quarter-close keeps the policy.Calendar contract (CheckCalendar from 2026-01-01 to 2028-01-01, every 5h0m0s)
//	...
//	== search 2.0 to production, Wed 2026-11-25 20:30 CET for 1h, decided Wed 2026-11-25 18:00 CET
//	...
//	DENY  no-change-during-incident: incident INC-4711 (severity 1) is open since Wed 2026-11-25 14:10 CET; production changes wait until it is resolved, except its fix (label fixes=INC-4711)
//	ALLOW readiness: ready at least 1h0m0s before the start
//	denied; the calendars allow this start, so no other start helps: it waits until no-change-during-incident allows it
//	...
//	== ledger 7.1 to production, Thu 2027-03-25 20:30 CET for 2h, decided Thu 2027-03-25 12:00 CET
//	...
//	DENY  quarter-close: Thu 2027-03-25 20:30 CET is in the close of 2027-Q1 (Sat 2027-03-20 00:00 CET to Sat 2027-04-03 00:00 CEST) in Europe/Paris; allowed again from Sat 2027-04-03 00:00 CEST
//	...
//	denied; next allowed slot: Mon 2027-04-05 20:00 CEST
//
// The whole output is in testdata/custompolicy.golden. To write a calendar
// of your own, start from quarterclose.go: Blocked is the rule, Evaluate
// is derived from it, and a test calls policytest.CheckCalendar over a few
// years (main_test.go).
//
// The program takes no arguments and prints the same on every machine. It
// exits 0 even though some of its changes are denied: it is a showcase,
// not a gate (examples/gate is one). It exits 1 if the custom calendar
// fails its conformance check. With -h it prints its usage and exits 0
// without running; with an argument it exits 2.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // programs embed the zone database; the library does not

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policytest"
	"github.com/mepkit/mepkit/timeline"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

const usage = `usage: custompolicy

Show two custom policies (an incident rule and a quarter-close calendar)
deciding beside the built-in ones about a few planned changes, at fixed
instants. It takes no arguments and prints the same on every machine.
Exit status: 0 shown, 1 the custom calendar fails its conformance check,
2 bad usage.
`

const layout = "Mon 2006-01-02 15:04 MST"

// run is the whole program, minus the process: tests drive it. It returns
// the exit status.
func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("custompolicy", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {} // printed below, where it belongs
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			// Asked for help: the usage, on standard output, and nothing else.
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprint(stderr, usage)
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "custompolicy: unexpected argument %q: it takes none\n", fs.Arg(0))
		fmt.Fprint(stderr, usage)
		return 2
	}
	return show(stdout, stderr)
}

// show runs the demonstration; it returns the exit status.
func show(stdout, stderr io.Writer) int {
	paris, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		fmt.Fprintln(stderr, "custompolicy:", err)
		return 1
	}
	qc, err := newQuarterClose(paris, 20, 3)
	if err != nil {
		fmt.Fprintln(stderr, "custompolicy:", err)
		return 1
	}
	fmt.Fprintln(stdout, "custompolicy: two custom policies beside the built-in ones, in", paris)

	// A user calendar is checked before it is trusted: NextSlot relies on
	// Blocked, the decisions on Evaluate, and they must agree.
	from, to, step := policy.Date{Year: 2026, Month: 1, Day: 1}.In(paris), policy.Date{Year: 2028, Month: 1, Day: 1}.In(paris), 5*time.Hour
	if err := policytest.CheckCalendar(qc, from, to, step); err != nil {
		fmt.Fprintln(stderr, "custompolicy: the quarter-close calendar breaks the contract:", err)
		return 1
	}
	fmt.Fprintf(stdout, "conformance: %s keeps the policy.Calendar contract (CheckCalendar from %s to %s, every %s)\n",
		qc.Name(), from.Format(time.DateOnly), to.Format(time.DateOnly), step)

	holidays, err := policy.Holidays("FR", paris, true)
	if err != nil {
		fmt.Fprintln(stderr, "custompolicy:", err)
		return 1
	}
	evenings, err := policy.Windows("evening-window", "Mon-Thu 20:00-23:30", paris)
	if err != nil {
		fmt.Fprintln(stderr, "custompolicy:", err)
		return 1
	}
	set := policy.Set{
		policy.FridayFreeze(paris),
		policy.WeekendFreeze(paris),
		holidays,
		evenings,
		qc,
		noChangeDuringIncident(incidents(paris)),
		policy.ReadinessWindow(time.Hour),
	}

	ctx := context.Background()
	for _, c := range changes(paris) {
		fmt.Fprintf(stdout, "\n== %s to %s, %s for %s, decided %s\n",
			c.Name, c.Environment, c.Start.Format(layout), timeline.FormatDuration(c.Duration), c.Now.Format(layout))
		if fix := c.Labels["fixes"]; fix != "" {
			fmt.Fprintf(stdout, "   (label fixes=%s)\n", fix)
		}
		res := set.Evaluate(ctx, c)
		fmt.Fprintln(stdout, res)
		if res.Allowed() {
			fmt.Fprintln(stdout, "allowed")
			continue
		}
		stays := startless(set, res)
		// NextSlot honours every policy: without those that stay, it
		// finds the start the others allow.
		slotSet := policy.Set{}
		for _, p := range set {
			if !slices.Contains(stays, p.Name()) {
				slotSet = append(slotSet, p)
			}
		}
		next, err := slotSet.NextSlot(ctx, c, 180*24*time.Hour)
		switch {
		case err != nil:
			fmt.Fprintln(stdout, "denied; no allowed slot within 180 days:", err)
		case next.Equal(c.Start):
			fmt.Fprintln(stdout, "denied; the calendars allow this start, so no other start helps: it waits until", strings.Join(stays, ", "), "allows it")
		case len(stays) > 0:
			fmt.Fprintln(stdout, "denied; next allowed slot by the calendars:", next.Format(layout)+", but", strings.Join(stays, ", "), "still denies")
		default:
			fmt.Fprintln(stdout, "denied; next allowed slot:", next.Format(layout))
		}
	}
	return 0
}

// startless returns the names of the policies that deny r for a reason
// that moving the start does not clear: those that are not calendars and
// propose no later start (Decision.Next), as the incident rule.
func startless(set policy.Set, r policy.Result) []string {
	calendars := map[string]bool{}
	for _, p := range set {
		if _, ok := p.(policy.Calendar); ok {
			calendars[p.Name()] = true
		}
	}
	var names []string
	for _, d := range r.Denials() {
		if !calendars[d.Policy] && d.Next.IsZero() {
			names = append(names, d.Policy)
		}
	}
	return names
}

// incident is an entry of the team's incident tracker.
type incident struct {
	ID       string
	Severity int
	Opened   time.Time
	Resolved time.Time // zero: still open
}

// openAt reports whether the incident is open at t.
func (in incident) openAt(t time.Time) bool {
	return !in.Opened.After(t) && (in.Resolved.IsZero() || in.Resolved.After(t))
}

// noChangeDuringIncident returns a policy, written with policy.Func, that
// denies a change to production while an incident is open at the time of
// the decision (Change.Now). A change labelled fixes=ID, the fix of the
// open incident ID, gets a warning instead. Other environments are not
// concerned. The list is read, never written, so the policy is safe for
// concurrent use, as a Policy must be.
func noChangeDuringIncident(list []incident) policy.Policy {
	return policy.Func("no-change-during-incident", func(_ context.Context, c policy.Change) policy.Decision {
		if c.Environment != "production" {
			return policy.Decision{Verdict: policy.Allow, Reason: "incidents freeze production only, not " + c.Environment}
		}
		now := c.Now
		if now.IsZero() {
			now = c.Start // as the Change documents: zero Now means Start
		}
		var fixing []string
		for _, in := range list {
			if !in.openAt(now) {
				continue
			}
			if c.Labels["fixes"] == in.ID {
				fixing = append(fixing, in.ID)
				continue
			}
			return policy.Decision{Verdict: policy.Deny, Reason: fmt.Sprintf(
				"incident %s (severity %d) is open since %s; production changes wait until it is resolved, except its fix (label fixes=%s)",
				in.ID, in.Severity, in.Opened.Format(layout), in.ID)}
		}
		if len(fixing) > 0 {
			return policy.Decision{Verdict: policy.Warn, Reason: "incident " + strings.Join(fixing, ", ") +
				" is open and this change is its fix: watch it closely"}
		}
		return policy.Decision{Verdict: policy.Allow, Reason: "no incident open at " + now.Format(layout)}
	})
}

// incidents is the incident tracker of the example.
func incidents(loc *time.Location) []incident {
	return []incident{
		{ID: "INC-4690", Severity: 2, Opened: time.Date(2026, 11, 20, 9, 12, 0, 0, loc), Resolved: time.Date(2026, 11, 20, 16, 40, 0, 0, loc)},
		{ID: "INC-4711", Severity: 1, Opened: time.Date(2026, 11, 25, 14, 10, 0, 0, loc), Resolved: time.Date(2026, 11, 26, 9, 30, 0, 0, loc)},
	}
}

// changes are the planned changes of the example, each with the instant
// of the decision.
func changes(loc *time.Location) []policy.Change {
	at := func(y int, m time.Month, d, h, min int) time.Time { return time.Date(y, m, d, h, min, 0, 0, loc) }
	return []policy.Change{
		{ // Allowed: a Tuesday evening, before the incident was opened.
			Name: "billing 4.2", Environment: "production",
			Start: at(2026, 11, 24, 20, 30), Duration: 90 * time.Minute,
			Now: at(2026, 11, 24, 18, 0), ReadyAt: at(2026, 11, 24, 17, 30),
		},
		{ // Denied by the incident rule; the calendars allow the start.
			Name: "search 2.0", Environment: "production",
			Start: at(2026, 11, 25, 20, 30), Duration: time.Hour,
			Now: at(2026, 11, 25, 18, 0), ReadyAt: at(2026, 11, 25, 17, 0),
		},
		{ // The fix of the incident goes, with a warning.
			Name: "payments hotfix", Environment: "production",
			Start: at(2026, 11, 25, 20, 0), Duration: 30 * time.Minute,
			Now: at(2026, 11, 25, 18, 30), ReadyAt: at(2026, 11, 25, 18, 15),
			Labels: map[string]string{"fixes": "INC-4711"},
		},
		{ // Staging is not frozen by incidents.
			Name: "search 2.0", Environment: "staging",
			Start: at(2026, 11, 25, 20, 30), Duration: time.Hour,
			Now: at(2026, 11, 25, 18, 0), ReadyAt: at(2026, 11, 25, 17, 0),
		},
		{ // The day after, the incident is resolved: allowed.
			Name: "search 2.0", Environment: "production",
			Start: at(2026, 11, 26, 20, 30), Duration: time.Hour,
			Now: at(2026, 11, 26, 18, 0), ReadyAt: at(2026, 11, 26, 17, 0),
		},
		{ // Denied by the quarter close; the next slot is after Easter.
			Name: "ledger 7.1", Environment: "production",
			Start: at(2027, 3, 25, 20, 30), Duration: 2 * time.Hour,
			Now: at(2027, 3, 25, 12, 0), ReadyAt: at(2027, 3, 25, 11, 0),
		},
		{ // Denied on a Friday, and by the evening windows.
			Name: "ledger 7.1", Environment: "production",
			Start: at(2027, 1, 15, 21, 0), Duration: 2 * time.Hour,
			Now: at(2027, 1, 15, 12, 0), ReadyAt: at(2027, 1, 15, 11, 0),
		},
	}
}
