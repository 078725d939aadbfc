// Command gate is a go-live gate for a CI pipeline: it reads a policy file
// (YAML or JSON, the format of package policyfile), evaluates one planned
// change against it and answers with its exit status whether the change may
// run when it is planned. When it may not, it prints the earliest start that
// the calendars of the file allow ([policy.Set.NextSlot]), so the job's log
// says when to plan it instead.
//
// Usage, from the repository root:
//
//	$ go build -o gate ./examples/gate
//	$ ./gate -policy examples/gate/deploy-policy.yaml \
//	      -start "2026-11-27 20:30" -duration 90m -env production \
//	      -now 2026-11-27T17:00:00+01:00 -ready-at 2026-11-27T18:45:00+01:00 \
//	      -approve operations:alice -outage 20m
//	change: to production, Fri 2026-11-27 20:30 CET to Fri 2026-11-27 22:00 CET (1h30m)
//	decided: Fri 2026-11-27 17:00 CET
//	DENY  friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET
//	ALLOW weekend-freeze: no Saturday or Sunday in Europe/Paris during the operation
//	ALLOW holidays-FR: no holiday or holiday eve in Europe/Paris during the operation
//	DENY  evening-window: Fri 2026-11-27 20:30 is outside the windows "Mon-Thu 20:00-23:30" in Europe/Paris; allowed again from Mon 2026-11-30 20:00 CET
//	ALLOW year-end: the operation is outside the freeze Fri 2026-12-18 00:00 CET to Mon 2027-01-04 00:00 CET
//	ALLOW readiness: ready at least 1h before the start
//	ALLOW require-go:operations: GO from operations by alice
//	ALLOW max-outage: expected outage within the limit of 30m
//	denied by friday-freeze, evening-window
//	next allowed slot: Mon 2026-11-30 20:00 CET (-start 2026-11-30T20:00:00+01:00)
//	$ echo $?
//	1
//	$ ./gate -help      # every flag
//
// A local -start ("2026-11-27 20:30") is read in the zone the policy file
// names at its top (zone: Europe/Paris), or in UTC when it names none; an
// RFC 3339 time is taken as given. -now defaults to the clock; without
// -ready-at the change is not ready yet, without -approve nobody has
// given the GO, and without -outage the expected outage is unknown: these
// are warnings (the first two only before their deadlines), which do not
// block. An -approve whose name is empty ("operations:" from an empty
// $GO_BY) counts as no GO, and the answer says so.
//
// In a CI job, the step just before the deployment judges the deployment
// as it runs now (-start now), and with -strict treats every warning (no GO
// yet, not ready yet) as a denial. It passes readiness and the GO from the
// pipeline's variables (GitLab CI here; READY_AT an RFC 3339 time, GO_BY a
// name):
//
//	deploy:
//	  stage: deploy
//	  script:
//	    - go run ./examples/gate -policy deploy-policy.yaml -start now -strict -duration 90m -env production -ready-at "$READY_AT" -approve "operations:$GO_BY" -outage "$OUTAGE" || exit 1
//	    - ./deploy.sh
//
// Or, in any shell step, as an early check when the change is planned
// (warnings, such as the GO still to come, do not fail it):
//
//	go run ./examples/gate -policy deploy-policy.yaml -start "$START" -duration 90m || exit 1
//
// With -json the same answer comes as one JSON object, for a bot or a
// dashboard. The file deploy-policy.yaml in this directory is a policy to
// start from: Friday and weekend freezes, French public holidays and their
// eves, evening windows, a year-end freeze, readiness one hour ahead (rule
// R7), the operations team's GO (R9) and a maximum outage.
//
// "gate demo" runs its demo: the embedded deploy-policy.yaml checks a change
// planned on a Tuesday evening (allowed) and the same change on a Friday
// (denied, with the next slot), shows the CI step, and exits 0.
//
// Scopes fail closed. A -env that the policy file does not know (not in
// its top-level environments list, or, when it has none, named by none of
// its scopes while some are scoped by environment) is bad input: a typo
// ("production" for "prod") must not leave out every policy scoped to
// "prod". A change without -env against policies scoped to environments
// gets a warning ("environment"), which -strict denies. RFC 3339 times
// are read as the policy file reads its own (policyfile.ParseTime): an
// offset of +24:00, which time.Parse takes for a whole day, is bad input.
//
// A held change can wait for its window instead of failing: with -wait
// the gate judges the change as it would start at each instant
// ([policy.Set.Wait]), sleeps until the next instant the answer may change
// (the end of the freeze, the opening of the window), asks again every
// -poll while a policy other than a calendar denies (a GO still to come,
// re-read from the -facts file at each wake-up), prints when it will wake
// and each change of the reasons, and exits 3 when -max passes with the
// change still denied:
//
//	go run ./examples/gate -policy deploy-policy.yaml -wait -max 72h -duration 90m -env production \
//	    -ready-at "$READY_AT" -approve "operations:$GO_BY" -outage 20m -announce 3h
//
// -announce D warns when a calendar starts blocking within D after the
// planned end ([policy.Announce]). "gate upcoming -policy FILE -days 14
// -format text|md|json|ics" lists when the calendars open and close
// ([policy.Set.Upcoming]). On GitHub Actions (GITHUB_ACTIONS=true) the
// gate appends a Markdown job summary to $GITHUB_STEP_SUMMARY and writes
// an ::error:: annotation per denial (to stderr with -json).
//
// Pointed at a store of records, a directory where each project keeps
// its mep record (-store DIR) or a timeline/pgstore database (-store
// postgres://...?schema=NAME, read only: the schema is never created
// or migrated, and the server is tried for 30 seconds), the gate also
// checks the change against the other teams' planned and running
// rollouts: -project and -rollout name the rollout the change is,
// whose record says what it touches (mep.Rollout.Resources) and who
// runs it. A rollout that overlaps it
// and shares a resource, a person or an environment named by -exclusive
// denies it (or warns, with -conflicts warn), naming the other rollout,
// and the next slot skips it (package mep/fleet, fleet.Snapshot.Policy):
//
//	go run ./examples/gate -policy deploy-policy.yaml -start "2026-11-24 20:30" -duration 90m -env production \
//	    -store /srv/golives -project payments -rollout v7
//	...
//	DENY  fleet-conflicts: conflicts with billing/v3 (team Ops-2) on database:billing, Tue 24 Nov 21:00-22:51 CET
//	denied by fleet-conflicts
//	next allowed slot: Wed 2026-11-25 20:00 CET (-start 2026-11-25T20:00:00+01:00)
//
// A rollout the store does not hold, or a -store directory that cannot
// be listed or database that cannot be read, is bad input; records of
// the store that do not read are a warning (fleet-store), which -strict
// denies, since their conflicts go unseen. The store is read once, when
// the gate starts, -wait included. A policy file can ask for the check
// itself ("kind: conflicts", with its exclusive environments and warn:
// true to warn only): with -store the file's entry gets the schedule and
// stands for -conflicts; without -store it denies every change, since the
// check it asks for cannot run.
//
// A policy file with "kind: fit" requires the operation to end within its
// window at P90 (or the quantile it names), which the gate simulates from
// the journals of the timed rehearsals ([risk.Simulate]), one
// -rehearsal FILE each; it prints where the figures stand on thin data.
// Without them such a file is bad input, which names the flag: the fit
// would otherwise only warn that it is not known, and let the change
// through.
//
// Exit status: 0 the change is allowed, 1 it is denied, 2 bad input (bad or
// missing flags, an unreadable or invalid policy file, an unknown zone, an
// environment the file does not know, a -rollout the -store does not
// hold, a fit policy without -rehearsal), 3 -wait waited past -max.
// With no arguments, or with -help, gate exits 2: it decided nothing, and
// a pipeline whose variables came out empty must not go on.
package main

import (
	"context"
	_ "embed"
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
	"github.com/mepkit/mepkit/policy/policyfile"
	"github.com/mepkit/mepkit/timeline"
)

func main() {
	os.Exit(runSys(os.Args[1:], os.Stdout, os.Stderr, &system{now: time.Now, after: time.After, getenv: os.Getenv}))
}

// system is what gate takes from its process: the clock, its timers and
// the environment. Tests give fakes.
type system struct {
	now    func() time.Time
	after  func(time.Duration) <-chan time.Time  // nil: time.After
	getenv func(string) string                   // nil: no variables
	load   func(string) (policyfile.File, error) // nil: readPolicy
}

func (s *system) env(name string) string {
	if s.getenv == nil {
		return ""
	}
	return s.getenv(name)
}

// Exit statuses.
const (
	exitAllowed = 0 // the change may run
	exitDenied  = 1 // a policy denies it
	exitUsage   = 2 // bad flags or bad input
	exitWaited  = 3 // -wait: still denied when -max passed
)

// localLayout is the local form of -start, -now and -ready-at.
const localLayout = "2006-01-02 15:04"

// displayLayout formats instants for people.
const displayLayout = "Mon 2006-01-02 15:04 MST"

// badInput is an error that exits with status 2.
type badInput struct {
	err   error
	flags bool // a flag error: point at -help
}

func (e *badInput) Error() string { return e.err.Error() }
func (e *badInput) Unwrap() error { return e.err }

func badf(format string, args ...any) error {
	return &badInput{err: fmt.Errorf(format, args...)}
}

// run is the whole program on the given clock, in an empty environment.
func run(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	return runSys(args, stdout, stderr, &system{now: now})
}

// runSys is the whole program, minus the process: tests drive it. It
// returns the exit status.
func runSys(args []string, stdout, stderr io.Writer, sys *system) int {
	if sys.load == nil {
		sys.load = readPolicy
	}
	if sys.after == nil {
		sys.after = time.After
	}
	switch {
	case len(args) == 0:
		// An empty $ARGS in a pipeline must never read as "allowed".
		fmt.Fprint(stderr, usage)
		return exitUsage
	case len(args) == 1 && args[0] == "demo":
		return demo(stdout, stderr)
	case args[0] == "upcoming":
		return upcoming(args[1:], stdout, stderr, sys)
	}
	return gate(args, stdout, stderr, sys)
}

// options are the parsed flags, before the times are read in a zone.
type options struct {
	policyFile          string
	start, now, readyAt string
	duration, outage    time.Duration
	outageKnown         bool // -outage was given, 0s included
	env, name           string
	approvals           []policy.Approval
	unnamed             []string // -approve values that name nobody
	horizon             days
	json                bool
	strict              bool
	wait                bool          // -wait
	max, poll, announce time.Duration // -max, -poll, -announce
	facts               string        // -facts FILE
	store               storeOptions  // -store DIR|URL -project NAME -rollout NAME
	rehearsals          filesFlag     // -rehearsal FILE, repeatable
}

// readPolicy reads a policy file from disk, refusing one that is not a
// regular file (a named pipe, a device, a directory) and one over the
// size limit of package policyfile before reading it.
func readPolicy(path string) (policyfile.File, error) {
	if err := regular("-policy", path); err != nil {
		return policyfile.File{}, err
	}
	return policyfile.ParseFile(path, nil)
}

// gate parses args, reads the policy file with sys.load, decides (or
// waits, with -wait) and prints. It returns the exit status.
func gate(args []string, stdout, stderr io.Writer, sys *system) int {
	o, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		// Help decides nothing: a pipeline that asked for it stops.
		fmt.Fprint(stdout, usage)
		return exitUsage
	}
	var d *decision
	switch {
	case err != nil:
	case o.wait:
		d, err = waitFor(o, sys, stdout, stderr)
	default:
		d, err = decide(o, sys)
	}
	if err == nil {
		if o.json {
			err = d.writeJSON(stdout)
		} else {
			err = d.writeText(stdout)
		}
	}
	if err == nil {
		err = d.github(o, sys, stdout, stderr)
	}
	if err != nil {
		fmt.Fprintf(stderr, "gate: %s\n", oneLine(err))
		var bad *badInput
		if !errors.As(err, &bad) {
			return exitDenied // the answer was not written: do not let the pipeline go on
		}
		if bad.flags {
			fmt.Fprintln(stderr, `run "gate -help" for the flags`)
		}
		return exitUsage
	}
	switch {
	case d.WaitedPast:
		return exitWaited
	case d.Allowed:
		return exitAllowed
	}
	return exitDenied
}

// plan is what a decision needs: the Set, its zone and the change.
type plan struct {
	set   policy.Set
	loc   *time.Location
	c     policy.Change
	facts string // -facts: re-read at each refresh
	// warnings are the simulation's of the rehearsals (-rehearsal): where
	// the figures stand on thin data.
	warnings []string
}

// prepare reads the policy file and the change the flags describe.
func prepare(o *options, clock func() time.Time, load func(string) (policyfile.File, error)) (*plan, error) {
	file, err := load(o.policyFile)
	if err != nil {
		// A *policyfile.ListError names the file and, for each problem,
		// the line and the field.
		return nil, &badInput{err: err}
	}
	// An environment the file does not know fails closed: the policies
	// scoped to the one meant would otherwise be left out.
	if err := file.CheckEnvironment(o.env); err != nil {
		return nil, badf("-env: %w", err)
	}
	p := &plan{set: file.Set, loc: file.Zone, facts: o.facts}
	if p.loc == nil {
		p.loc = time.UTC
	}
	if o.env == "" && len(file.ScopedEnvironments) > 0 {
		p.set = append(slices.Clip(p.set), noEnvironment(file.ScopedEnvironments))
	}
	if o.announce > 0 {
		p.set = append(slices.Clip(p.set), policy.Announce(o.announce, p.set))
	}
	if p.c, err = newChange(o, clock, p.loc); err != nil {
		return nil, err
	}
	fleetSet, err := o.store.storePolicies(context.Background(), p.c, p.set)
	if err != nil {
		return nil, err
	}
	p.set = append(slices.Clip(p.set), fleetSet...)
	if err := needDurations(p.set, o.rehearsals); err != nil {
		return nil, err
	}
	if len(o.rehearsals) > 0 {
		dist, warnings, err := durations(o.rehearsals)
		if err != nil {
			return nil, err
		}
		p.c.Risk.Durations = dist
		p.warnings = warnings
	}
	return p, nil
}

// decide reads the policy file and evaluates the change.
func decide(o *options, sys *system) (*decision, error) {
	p, err := prepare(o, sys.now, sys.load)
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	c, err := p.refresh(ctx)
	if err != nil {
		return nil, err
	}
	return p.judge(ctx, o, c, p.set.Evaluate(ctx, c)), nil
}

// judge turns the Result of c into gate's answer.
func (p *plan) judge(ctx context.Context, o *options, c policy.Change, res policy.Result) *decision {
	loc := p.loc
	d := &decision{
		Change: changeJSON{
			Name: c.Name, Environment: c.Environment,
			Start: c.Start.In(loc), End: c.Start.Add(c.Duration).In(loc),
			Duration: timeline.FormatDuration(c.Duration), Now: c.Now.In(loc), Zone: loc.String(),
		},
		Allowed:    res.Allowed() && !(o.strict && res.Verdict() != policy.Allow),
		Verdict:    res.Verdict().String(),
		Ignored:    o.unnamed,
		Rehearsals: p.warnings,
		result:     res,
	}
	for _, dec := range res.Decisions {
		dj := decisionJSON{Policy: dec.Policy, Index: dec.Index, Rule: dec.Rule, Verdict: dec.Verdict.String(), Reason: dec.Reason, Overridden: dec.Overridden}
		if !dec.Next.IsZero() {
			next := dec.Next
			dj.Next = &next
		}
		d.Decisions = append(d.Decisions, dj)
	}
	if !d.Allowed {
		d.explain(ctx, o, p.set, c, loc)
	}
	return d
}

// noEnvironment warns about a change that names no environment while
// policies of the file are scoped to some: they were left out, which
// -strict denies.
func noEnvironment(scoped []string) policy.Policy {
	reason := "the change names no environment (-env), and policies of the file apply only to " +
		strings.Join(scoped, ", ") + ": they were not applied"
	return policy.Func("environment", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Policy: "environment", Verdict: policy.Warn, Reason: reason}
	})
}

// explain fills in a denial: the policies it comes from, and the next
// start that the calendars allow or why there is none.
func (d *decision) explain(ctx context.Context, o *options, set policy.Set, c policy.Change, loc *time.Location) {
	res := d.result
	// A denial from a policy that is not a calendar and says no later start
	// (a No-Go, a missing GO, too long an outage) stays whatever the start.
	calendars := map[string]bool{}
	for _, p := range set {
		if _, ok := p.(policy.Calendar); ok {
			calendars[p.Name()] = true
		}
	}
	var stays []string
	for _, dec := range res.Denials() {
		d.denials = append(d.denials, dec.Policy)
		if !calendars[dec.Policy] && dec.Next.IsZero() {
			stays = append(stays, dec.Policy)
		}
	}
	if o.strict {
		for _, dec := range res.Decisions {
			if dec.Verdict == policy.Warn || dec.Overridden {
				d.denials = append(d.denials, dec.Policy+" (a warning, denied by -strict)")
			}
		}
	}
	horizon := time.Duration(o.horizon)
	// The slot is searched without the policies that stay: NextSlot would
	// otherwise refuse every start (a *policy.RefusedError naming them).
	slotSet := make(policy.Set, 0, len(set))
	for _, p := range set {
		if p != nil && !slices.Contains(stays, p.Name()) {
			slotSet = append(slotSet, p)
		}
	}
	next, err := slotSet.NextSlot(ctx, c, horizon)
	switch {
	case errors.Is(err, policy.ErrNoSlot):
		d.Note = "no allowed slot within " + o.horizon.String() + " of the start"
	case err != nil:
		d.Note = "no next slot: " + err.Error()
	case next.Equal(c.Start):
		d.Note = "the calendars allow this start; moving it does not clear " + strings.Join(stays, ", ")
	default:
		next = next.In(loc)
		d.NextSlot = &next
		if len(stays) > 0 {
			d.Note = "moving the start does not clear " + strings.Join(stays, ", ")
		}
	}
}
