package policy

import (
	"context"
	"strings"
	"time"
)

// ConflictsName is the name of a [Conflicts] policy.
const ConflictsName = "conflicts"

// Conflicts asks that a change be checked against the other changes
// planned alongside it: those it shares a resource, an exclusive
// environment or a person with, in overlapping windows. Package policy
// knows no schedule; a program that reads one (package mep/fleet reads a
// store of records, Snapshot.Policy makes the check) sets Against before
// the set is evaluated, finding the policy with [As]. A policy file
// asks for it with "kind: conflicts".
//
// Until Against is set, Conflicts denies every change, saying that no
// schedule was given: a set that asks for the check never passes without
// it. With Against set, it returns Against's decision under its own
// name, a denial turned into a warning when Warn is set. Set Against
// once, before the policy is shared between goroutines.
type Conflicts struct {
	// Exclusive lists the environments where no two changes may overlap
	// ("prod"), for the program that makes Against (package mep hands
	// them to a check given in code through its WithExclusive method).
	Exclusive []string
	// Warn makes a conflict a warning rather than a denial.
	Warn bool
	// Against is the schedule's check of the change; nil: none given.
	Against Policy
}

// Name returns [ConflictsName].
func (c *Conflicts) Name() string { return ConflictsName }

// Evaluate returns Against's decision about ch, a denial made a warning
// when Warn is set, or, without Against, a denial saying so.
func (c *Conflicts) Evaluate(ctx context.Context, ch Change) Decision {
	if c.Against == nil {
		reason := "no schedule of the other changes was given to check this one against: the program that evaluates the set must read one (for instance gate -store)"
		if len(c.Exclusive) > 0 {
			reason += "; exclusive environments: " + strings.Join(c.Exclusive, ", ")
		}
		return Decision{Policy: ConflictsName, Verdict: Deny, Reason: reason}
	}
	d := c.Against.Evaluate(ctx, ch)
	d.Policy = ConflictsName
	if c.Warn && d.Verdict == Deny {
		d.Verdict, d.Next = Warn, time.Time{}
	}
	return d
}
