package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
)

func flagError(err error) error {
	return &badInput{err: err, flags: true}
}

func parseFlags(args []string) (*options, error) {
	o := &options{horizon: days(90 * 24 * time.Hour)}
	fs := flag.NewFlagSet("gate", flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are reported once, by gate
	fs.Usage = func() {}
	fs.StringVar(&o.policyFile, "policy", "", "")
	fs.StringVar(&o.start, "start", "", "")
	fs.DurationVar(&o.duration, "duration", 0, "")
	fs.StringVar(&o.env, "env", "", "")
	fs.StringVar(&o.name, "name", "", "")
	fs.StringVar(&o.now, "now", "", "")
	fs.StringVar(&o.readyAt, "ready-at", "", "")
	fs.Var(approvalFlag{&o.approvals, &o.unnamed, true}, "approve", "")
	fs.Var(approvalFlag{&o.approvals, &o.unnamed, false}, "reject", "")
	fs.DurationVar(&o.outage, "outage", 0, "")
	fs.Var(&o.horizon, "horizon", "")
	fs.BoolVar(&o.json, "json", false, "")
	fs.BoolVar(&o.strict, "strict", false, "")
	fs.BoolVar(&o.wait, "wait", false, "")
	fs.DurationVar(&o.max, "max", 72*time.Hour, "")
	fs.DurationVar(&o.poll, "poll", time.Minute, "")
	fs.StringVar(&o.facts, "facts", "", "")
	fs.DurationVar(&o.announce, "announce", 0, "")
	storeFlags(fs, &o.store)
	fs.Var(&o.rehearsals, "rehearsal", "")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil, err
		}
		return nil, flagError(err)
	}
	fs.Visit(func(f *flag.Flag) { o.outageKnown = o.outageKnown || f.Name == "outage" })
	if o.wait && o.start == "" {
		o.start = "now" // the change runs when the wait ends
	}
	switch {
	case fs.NArg() > 0:
		return nil, flagError(fmt.Errorf("unexpected argument %q: every input is a flag", fs.Arg(0)))
	case o.policyFile == "":
		return nil, flagError(errors.New("-policy FILE is required"))
	case o.start == "":
		return nil, flagError(errors.New("-start TIME is required"))
	case o.duration <= 0:
		return nil, flagError(errors.New("-duration is required and must be positive, e.g. 90m"))
	case o.outage < 0:
		return nil, flagError(errors.New("-outage must not be negative"))
	case o.wait && (o.start != "now" || o.now != ""):
		return nil, flagError(errors.New("-wait judges the change as it starts when the wait ends: give no -start other than now, and no -now"))
	case o.max <= 0 || o.poll <= 0:
		return nil, flagError(errors.New("-max and -poll must be positive"))
	case o.announce < 0:
		return nil, flagError(errors.New("-announce must not be negative"))
	}
	if err := o.store.check(); err != nil {
		return nil, err
	}
	return o, nil
}

// approvalFlag collects -approve ROLE:NAME or -reject ROLE:NAME:REASON.
// An -approve whose NAME is empty counts as no approval: it is kept in
// unnamed, for the answer to say so.
type approvalFlag struct {
	list    *[]policy.Approval
	unnamed *[]string
	goes    bool // -approve
}

func (f approvalFlag) String() string { return "" }

func (f approvalFlag) Set(s string) error {
	if f.goes {
		role, by, ok := strings.Cut(s, ":")
		if !ok || strings.TrimSpace(role) == "" {
			return fmt.Errorf("%q: want ROLE:NAME, e.g. operations:alice", s)
		}
		if strings.TrimSpace(by) == "" {
			// "operations:$GO_BY" with GO_BY still empty: nobody has
			// given the GO yet, which is a state, not a mistake.
			*f.unnamed = append(*f.unnamed, s)
			return nil
		}
		*f.list = append(*f.list, policy.Approval{Role: role, By: by, Go: true})
		return nil
	}
	parts := strings.SplitN(s, ":", 3)
	if len(parts) != 3 || strings.TrimSpace(parts[0]) == "" || strings.TrimSpace(parts[1]) == "" || strings.TrimSpace(parts[2]) == "" {
		return fmt.Errorf("%q: want ROLE:NAME:REASON, e.g. operations:bob:backup not verified", s)
	}
	*f.list = append(*f.list, policy.Approval{Role: parts[0], By: parts[1], Go: false, Reason: parts[2]})
	return nil
}

// days is a positive duration written as a Go duration or as "90d".
type days time.Duration

const day = 24 * time.Hour

func (d *days) String() string {
	if v := time.Duration(*d); v%day == 0 {
		return strconv.FormatInt(int64(v/day), 10) + "d"
	}
	return time.Duration(*d).String()
}

func (d *days) Set(s string) error {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		i, err := strconv.Atoi(n)
		if err != nil || i <= 0 || i > 100*366 {
			return fmt.Errorf("%q: want a number of days such as 90d, or a Go duration", s)
		}
		*d = days(time.Duration(i) * day)
		return nil
	}
	v, err := time.ParseDuration(s)
	if err != nil || v <= 0 {
		return fmt.Errorf("%q: want a number of days such as 90d, or a Go duration", s)
	}
	*d = days(v)
	return nil
}
