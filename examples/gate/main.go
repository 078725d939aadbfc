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
// Exit status: 0 the change is allowed, 1 it is denied, 2 bad input (bad or
// missing flags, an unreadable or invalid policy file, an unknown zone, an
// environment the file does not know).
// With no arguments, or with -help, gate exits 2: it decided nothing, and
// a pipeline whose variables came out empty must not go on.
package main

import (
	"context"
	_ "embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // programs embed the zone database; the library does not

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policyfile"
	"github.com/mepkit/mepkit/timeline"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr, time.Now))
}

// Exit statuses.
const (
	exitAllowed = 0 // the change may run
	exitDenied  = 1 // a policy denies it
	exitUsage   = 2 // bad flags or bad input
)

// localLayout is the local form of -start, -now and -ready-at.
const localLayout = "2006-01-02 15:04"

// displayLayout formats instants for people.
const displayLayout = "Mon 2006-01-02 15:04 MST"

const usage = `usage: gate -policy FILE -start TIME -duration D [flags]

Check a planned go-live against a policy file. Exit status: 0 allowed,
1 denied (the next allowed slot is printed), 2 bad input.

Flags:
  -policy FILE       the policy file, YAML or JSON (see package policyfile)
  -start TIME        the planned start: RFC 3339 (2026-11-24T20:30:00+01:00),
                     or "2026-11-24 20:30" read in the zone of the policy
                     file (its top-level zone), else in UTC; "now" for a
                     deployment that runs right after the gate
  -duration D        how long the operation lasts, a Go duration: 90m, 2h30m
  -env NAME          the target environment, e.g. production: one the
                     policy file lists (environments:), or, when it lists
                     none, one its scopes name; without -env, policies
                     scoped to environments warn that they were not applied
  -name NAME         the change's name, for the output
  -now TIME          when the decision is taken (default: the clock);
                     same forms as -start
  -ready-at TIME     when readiness was complete (default: not ready yet)
  -approve ROLE:NAME a GO from NAME for ROLE (repeatable)
  -reject ROLE:NAME:REASON
                     a No-Go from NAME for ROLE, and why (repeatable)
  -outage D          the expected user outage, from the rehearsals; 0s
                     for none (without it the outage is unknown: a warning)
  -horizon D         how far after -start to look for the next allowed
                     slot: a Go duration or a number of days (default 90d)
  -strict            deny on warnings too (no GO yet, not ready yet, an
                     ignored override): for the step just before deploying
  -json              print one JSON object instead of text

"gate demo" runs a demonstration on a built-in policy file and exits 0.
With no arguments, or with -help, gate prints this text and exits 2: it
decided nothing, so a pipeline must not go on.
`

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

// run is the whole program, minus the process: tests drive it. It returns
// the exit status.
func run(args []string, stdout, stderr io.Writer, now func() time.Time) int {
	switch {
	case len(args) == 0:
		// An empty $ARGS in a pipeline must never read as "allowed".
		fmt.Fprint(stderr, usage)
		return exitUsage
	case len(args) == 1 && args[0] == "demo":
		return demo(stdout, stderr)
	}
	return gate(args, stdout, stderr, now, readPolicy)
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
}

// readPolicy reads a policy file from disk, refusing one over the size
// limit of package policyfile before reading it.
func readPolicy(path string) (policyfile.File, error) { return policyfile.ParseFile(path, nil) }

// gate parses args, reads the policy file with load, decides and prints.
// It returns the exit status.
func gate(args []string, stdout, stderr io.Writer, clock func() time.Time, load func(string) (policyfile.File, error)) int {
	o, err := parseFlags(args)
	if errors.Is(err, flag.ErrHelp) {
		// Help decides nothing: a pipeline that asked for it stops.
		fmt.Fprint(stdout, usage)
		return exitUsage
	}
	var d *decision
	if err == nil {
		d, err = decide(o, clock, load)
	}
	if err == nil {
		if o.json {
			err = d.writeJSON(stdout)
		} else {
			err = d.writeText(stdout)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "gate: %v\n", err)
		var bad *badInput
		if !errors.As(err, &bad) {
			return exitDenied // the answer was not written: do not let the pipeline go on
		}
		if bad.flags {
			fmt.Fprintln(stderr, `run "gate -help" for the flags`)
		}
		return exitUsage
	}
	if d.Allowed {
		return exitAllowed
	}
	return exitDenied
}

// decision is gate's answer, as printed (its JSON form is the -json
// output).
type decision struct {
	Change    changeJSON     `json:"change"`
	Allowed   bool           `json:"allowed"`
	Verdict   string         `json:"verdict"` // the worst verdict: allow, warn or deny
	Decisions []decisionJSON `json:"decisions"`
	// NextSlot is the earliest start the calendars allow, when denied.
	NextSlot *time.Time `json:"next_slot,omitempty"`
	// Note explains a denial that moving the start does not clear, or
	// that no slot fits within the horizon.
	Note string `json:"note,omitempty"`
	// Ignored lists the -approve values that name nobody: no GO counted.
	Ignored []string `json:"ignored_approvals,omitempty"`

	result  policy.Result
	denials []string // names of the denying policies
}

type changeJSON struct {
	Name        string    `json:"name,omitempty"`
	Environment string    `json:"environment,omitempty"`
	Start       time.Time `json:"start"`
	End         time.Time `json:"end"`
	Duration    string    `json:"duration"`
	Now         time.Time `json:"now"`
	Zone        string    `json:"zone"`
}

type decisionJSON struct {
	Policy     string     `json:"policy"`
	Verdict    string     `json:"verdict"`
	Reason     string     `json:"reason"`
	Next       *time.Time `json:"next,omitempty"`
	Overridden bool       `json:"overridden,omitempty"`
}

// decide reads the policy file and evaluates the change.
func decide(o *options, clock func() time.Time, load func(string) (policyfile.File, error)) (*decision, error) {
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
	set, loc := file.Set, file.Zone
	if loc == nil {
		loc = time.UTC
	}
	if o.env == "" && len(file.ScopedEnvironments) > 0 {
		set = append(slices.Clip(set), noEnvironment(file.ScopedEnvironments))
	}
	c, err := newChange(o, clock, loc)
	if err != nil {
		return nil, err
	}

	ctx := context.Background()
	res := set.Evaluate(ctx, c)
	d := &decision{
		Change: changeJSON{
			Name: c.Name, Environment: c.Environment,
			Start: c.Start.In(loc), End: c.Start.Add(c.Duration).In(loc),
			Duration: timeline.FormatDuration(c.Duration), Now: c.Now.In(loc), Zone: loc.String(),
		},
		Allowed: res.Allowed() && !(o.strict && res.Verdict() != policy.Allow),
		Verdict: res.Verdict().String(),
		Ignored: o.unnamed,
		result:  res,
	}
	for _, dec := range res.Decisions {
		dj := decisionJSON{Policy: dec.Policy, Verdict: dec.Verdict.String(), Reason: dec.Reason, Overridden: dec.Overridden}
		if !dec.Next.IsZero() {
			next := dec.Next
			dj.Next = &next
		}
		d.Decisions = append(d.Decisions, dj)
	}
	if d.Allowed {
		return d, nil
	}

	d.explain(ctx, o, set, c, loc)
	return d, nil
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

// newChange returns the change the flags describe, its times read in loc.
func newChange(o *options, clock func() time.Time, loc *time.Location) (policy.Change, error) {
	var err error
	c := policy.Change{
		Name:        o.name,
		Environment: o.env,
		Location:    loc, // every reason in the file's zone, whatever the runner's clock

		Duration:    o.duration,
		Approvals:   o.approvals,
		Outage:      o.outage,
		OutageKnown: o.outageKnown,
	}
	if o.now == "" {
		c.Now = clock().Round(0)
	} else if c.Now, err = parseTime("now", o.now, loc); err != nil {
		return c, err
	}
	if o.start == "now" {
		c.Start = c.Now // the deployment runs right after the gate
	} else if c.Start, err = parseTime("start", o.start, loc); err != nil {
		return c, err
	}
	if o.readyAt != "" {
		if c.ReadyAt, err = parseTime("ready-at", o.readyAt, loc); err != nil {
			return c, err
		}
	}

	return c, nil
}

// parseTime reads an RFC 3339 time, as a policy file reads its own
// (policyfile.ParseTime: offsets within ±23:59), or a local
// "2006-01-02 15:04" in loc.
func parseTime(name, s string, loc *time.Location) (time.Time, error) {
	t, err := policyfile.ParseTime(s)
	if err == nil {
		return t, nil
	}
	if strings.ContainsRune(s, 'T') {
		// RFC 3339 meant (the local form has no T), and refused: say why
		// (an offset of a day, say).
		why := strings.TrimPrefix(err.Error(), "policyfile: time "+strconv.Quote(s)+": ")
		return time.Time{}, badf("-%s %q: %s", name, s, why)
	}
	t, err = time.ParseInLocation(localLayout, s, loc)
	if err != nil {
		return time.Time{}, badf("-%s %q: want RFC 3339 (2026-11-24T20:30:00+01:00) or %q in %s", name, s, localLayout, loc)
	}
	if t.Format(localLayout) != s {
		return time.Time{}, badf("-%s %q: that local time does not exist in %s (the clocks change); give it in RFC 3339", name, s, loc)
	}
	return t, nil
}

// writeText writes the answer for people: the change, one line per
// decision, the verdict and, when denied, the next slot.
func (d *decision) writeText(w io.Writer) error {
	var b strings.Builder
	c := d.Change
	b.WriteString("change:")
	if name := strings.TrimSpace(c.Name); name != "" {
		b.WriteString(" " + name)
	}
	if env := strings.TrimSpace(c.Environment); env != "" {
		b.WriteString(" to " + env + ",")
	}
	fmt.Fprintf(&b, " %s to %s (%s)\n", c.Start.Format(displayLayout), c.End.Format(displayLayout), c.Duration)
	fmt.Fprintf(&b, "decided: %s\n", c.Now.Format(displayLayout))
	for _, a := range d.Ignored {
		fmt.Fprintf(&b, "note: -approve %q names nobody: no GO counted\n", a)
	}
	if len(d.result.Decisions) > 0 {
		b.WriteString(d.result.String() + "\n")
	}
	switch {
	case d.Allowed && d.result.Verdict() == policy.Warn:
		b.WriteString("allowed, with warnings: the change may run\n")
	case d.Allowed:
		b.WriteString("allowed: the change may run\n")
	default:
		b.WriteString("denied by " + strings.Join(d.denials, ", ") + "\n")
		if d.NextSlot != nil {
			fmt.Fprintf(&b, "next allowed slot: %s (-start %s)\n", d.NextSlot.Format(displayLayout), d.NextSlot.Format(time.RFC3339))
		}
		if d.Note != "" {
			b.WriteString(d.Note + "\n")
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// writeJSON writes the answer as one indented JSON object.
func (d *decision) writeJSON(w io.Writer) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(d)
}
