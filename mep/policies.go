package mep

import (
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// This file is where mep meets package policy's types: what it finds in a
// policy set.

// readinessLead reports whether q is, or wraps, the readiness window (R7),
// and its lead.
func readinessLead(q policy.Policy) (time.Duration, bool) {
	if q == nil {
		return 0, false
	}
	r, ok := policy.As[*policy.Readiness](q)
	if !ok {
		return 0, false
	}
	return r.Lead, true
}

// quorumOf reports whether q is, or wraps, a policy that requires GOs of
// a role (R9): the role and how many people.
func quorumOf(q policy.Policy) (role string, n int, ok bool) {
	if q == nil {
		return "", 0, false
	}
	r, ok := policy.As[*policy.Quorum](q)
	if !ok {
		return "", 0, false
	}
	return strings.ToLower(strings.TrimSpace(r.Role)), max(r.Count, 1), true
}

// requireQuorum returns the policy that requires n distinct people with
// role to give GO.
func requireQuorum(role string, n int) policy.Policy { return policy.RequireQuorum(role, n) }

// readinessWindow returns the readiness window with lead (R7).
func readinessWindow(lead time.Duration) policy.Policy { return policy.ReadinessWindow(lead) }

// methodFreeze returns the method's freeze (R11): Fridays, weekends and,
// with a country, its public holidays and their eves, in loc.
func methodFreeze(loc *time.Location, country string) (policy.Set, error) {
	// Mandatory: no break-glass override lifts the method's freeze, only
	// the project's recorded opt-out (R11).
	set := policy.Set{policy.Mandatory(policy.FridayFreeze(loc)), policy.Mandatory(policy.WeekendFreeze(loc))}
	if country != "" {
		h, err := policy.Holidays(country, loc, true)
		if err != nil {
			return nil, fieldErr("options.country", country, err.Error())
		}
		set = append(set, policy.Mandatory(h))
	}
	return set, nil
}

// risk is what a risk check needs to know of a rollout (policy.Change's
// Risk); labels completes it.
type risk struct {
	rehearsals, productionLike int
	failedSteps, unapplied     []string
	pointOfNoReturn            string
}

// setRisk fills what c carries of r.
func setRisk(c *policy.Change, r risk) {
	c.Risk = policy.Risk{
		Rehearsals: r.rehearsals, ProductionLike: r.productionLike, FailedRehearsalSteps: r.failedSteps,
		UnappliedLessons: r.unapplied, PointOfNoReturn: r.pointOfNoReturn,
	}
}
