package mep

import (
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/timeline"
)

// Vote is one person's go or no-go for a role (R9).
type Vote struct {
	Role   string    `json:"role"`             // a Role name, e.g. "operations"
	By     string    `json:"by"`               // a project member with that role
	Go     bool      `json:"go"`               // true: GO; false: No-Go
	Reason string    `json:"reason,omitempty"` // required for a No-Go
	At     time.Time `json:"at"`               // zero: the project's clock
	// T0 is the cutover start the vote was given for; set by Vote. A vote
	// counts only until T0 moves, even if it later moves back.
	T0 time.Time `json:"t0"`
	// Digest is the readiness checklist's digest when the vote was given
	// (checklist.Run.Digest), so the vote cites the exact state it saw;
	// set by Vote.
	Digest string `json:"digest"`

	gen uint64 // the rollout's T0 generation when given
}

// String describes the vote for people, e.g. "GO from operations by olga".
func (v Vote) String() string {
	s := "GO"
	if !v.Go {
		s = "No-Go"
	}
	s += " from " + v.Role + " by " + v.By
	if v.Reason != "" {
		s += ": " + v.Reason
	}
	return s
}

func (v Vote) approval() policy.Approval {
	return policy.Approval{Role: v.Role, By: v.By, At: v.At, Go: v.Go, Reason: v.Reason}
}

// Vote records a go or no-go and returns it with T0 and Digest set. It is
// journaled (kind vote). It returns a *NotFoundError for a voter who is not
// a project member, and a *FieldError for a role the voter does not hold,
// an unknown role, or a No-Go without a reason. A later vote by the same
// person for the same role replaces the earlier one.
func (r *Rollout) Vote(v Vote) (Vote, error) {
	role, err := ParseRole(v.Role)
	if err != nil {
		return Vote{}, fieldErr("vote.role", v.Role, "unknown role")
	}
	m, ok := r.p.Member(v.By)
	if !ok {
		return Vote{}, &NotFoundError{What: "member", Key: v.By}
	}
	if !m.Has(role) {
		return Vote{}, fieldErr("vote.role", v.Role, v.By+" does not hold this role")
	}
	if !v.Go && strings.TrimSpace(v.Reason) == "" {
		return Vote{}, fieldErr("vote.reason", "", "a No-Go needs a reason")
	}
	v.Role = role.String()
	r.mu.Lock()
	defer r.mu.Unlock()
	if v.At.IsZero() {
		v.At = r.p.now()
	}
	v.At = v.At.Round(0)
	v.T0, v.gen = r.t0, r.gen
	v.Digest = r.readiness.Digest()
	decision := "go"
	if !v.Go {
		decision = "no-go"
	}
	if _, err := r.journal.Record(timeline.Entry{
		At: v.At, Kind: kindVote, Actor: v.By, Text: v.Reason,
		Attrs: map[string]string{"role": v.Role, "vote": decision, "t0": v.T0.Format(time.RFC3339), "checklist_digest": v.Digest},
	}); err != nil {
		return Vote{}, fmt.Errorf("mep: journal vote: %w", err)
	}
	r.votes = append(r.votes, v)
	return v, nil
}

// currentVotes returns the votes given by now for the current T0, and
// those given before T0 last moved (even if it moved back since). Votes
// dated after now are in neither. Requires r.mu held.
func (r *Rollout) currentVotes(now time.Time) (current, stale []Vote) {
	for _, v := range r.votes {
		switch {
		case v.At.After(now):
		case v.gen == r.gen:
			current = append(current, v)
		default:
			stale = append(stale, v)
		}
	}
	return current, stale
}
