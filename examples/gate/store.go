package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/mep/fleet"
	"github.com/mepkit/mepkit/policy"
)

// storeOptions are the flags that point the gate at a store of records:
// -store DIR, -project NAME, -rollout NAME, -exclusive ENV and -conflicts.
type storeOptions struct {
	dir, project, rollout string
	exclusive             []string
	conflicts             string // deny or warn
}

// storeFlags registers the store's flags on fs.
func storeFlags(fs *flag.FlagSet, s *storeOptions) {
	fs.StringVar(&s.dir, "store", "", "")
	fs.StringVar(&s.project, "project", "", "")
	fs.StringVar(&s.rollout, "rollout", "", "")
	fs.Func("exclusive", "", func(v string) error {
		for _, env := range strings.Split(v, ",") {
			if env = strings.TrimSpace(env); env == "" {
				return fmt.Errorf("%q: want environment names separated by commas, e.g. prod", v)
			}
			s.exclusive = append(s.exclusive, env)
		}
		return nil
	})
	fs.StringVar(&s.conflicts, "conflicts", "deny", "")
}

// check reports flags of the store given without the others.
func (s *storeOptions) check() error {
	switch {
	case s.dir == "" && (s.project != "" || s.rollout != "" || len(s.exclusive) > 0):
		return flagError(errors.New("-project, -rollout and -exclusive need -store DIR"))
	case s.dir != "" && (s.project == "" || s.rollout == ""):
		return flagError(errors.New("-store needs -project NAME and -rollout NAME: the rollout of the store this change is"))
	case s.conflicts != "deny" && s.conflicts != "warn":
		return flagError(fmt.Errorf("-conflicts %q: want deny or warn", s.conflicts))
	}
	return nil
}

// storePolicies returns the policies the store adds to the file's set
// for change c: the schedule's conflicts (fleet.PolicyName) for the
// rollout named, and a warning ("fleet-store") naming the records that
// did not read, since a conflict with one of them would go unseen. None
// without -store.
//
// The file's own conflicts policies (kind: conflicts, policy.Conflicts)
// get the schedule's check, with their exclusive environments and those
// of -exclusive; the file then says how conflicts count, and -conflicts
// adds nothing. Without -store they stay unchecked and deny every change
// (fail closed).
//
// The schedule is read once, at c.Now: the rollouts' statuses are those
// of that instant. A rollout the store does not hold is bad input, as is
// a store that does not read: the conflicts must not pass unchecked
// because of a typo.
func (s *storeOptions) storePolicies(ctx context.Context, c policy.Change, file policy.Set) ([]policy.Policy, error) {
	if s.dir == "" {
		return nil, nil
	}
	now := c.Now
	sched, err := fleet.OpenDir(ctx, s.dir, &fleet.Options{Now: func() time.Time { return now }})
	if err != nil {
		return nil, badf("-store %s: %w", s.dir, err)
	}
	defer sched.Close()
	snap := sched.Snapshot()
	if _, ok := snap.Find(s.project, s.rollout); !ok {
		err := badf("-project %s -rollout %s: no such rollout in the store %s (%d rollouts read)",
			s.project, s.rollout, s.dir, len(snap.Entries))
		if len(snap.Errors) > 0 {
			err = badf("%w; %s", err, leftOut(snap.Errors))
		}
		return nil, err
	}
	var out []policy.Policy
	asked := false
	for _, q := range file {
		if fc, ok := policy.As[*policy.Conflicts](q); ok {
			rules := fleet.Rules{Exclusive: append(slices.Clone(s.exclusive), fc.Exclusive...)}
			fc.Against, asked = snap.Policy(s.project, s.rollout, rules, policy.Deny), true
		}
	}
	if !asked {
		verdict := policy.Deny
		if s.conflicts == "warn" {
			verdict = policy.Warn
		}
		out = append(out, snap.Policy(s.project, s.rollout, fleet.Rules{Exclusive: s.exclusive}, verdict))
	}
	if len(snap.Errors) > 0 {
		out = append(out, unread(snap.Errors))
	}
	return out, nil
}

// unread warns of the store's records that did not read: a conflict
// with one of their rollouts is not seen. -strict denies it.
func unread(errs []fleet.RecordError) policy.Policy {
	reason := leftOut(errs) + ", their conflicts unchecked"
	return policy.Func("fleet-store", func(context.Context, policy.Change) policy.Decision {
		return policy.Decision{Policy: "fleet-store", Verdict: policy.Warn, Reason: reason}
	})
}

// leftOut names the records that did not read, each with its error.
func leftOut(errs []fleet.RecordError) string {
	parts := make([]string, 0, len(errs))
	for _, e := range errs {
		parts = append(parts, e.Error())
	}
	return "records of the store left out: " + strings.Join(parts, "; ")
}
