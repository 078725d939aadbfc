package mep

import (
	"fmt"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// Vote is one person's go or no-go for a role (R9).
type Vote struct {
	Role    Role      `json:"role"`             // the role voted for
	By      string    `json:"by"`               // a member of the go-live team with that role
	Verdict Verdict   `json:"verdict"`          // Go or NoGo
	Reason  string    `json:"reason,omitempty"` // required for a No-Go
	At      time.Time `json:"at"`               // zero: the project's clock
	// T0 is the cutover start the vote was given for; set by Vote.
	T0 time.Time `json:"t0"`
	// Digest is the readiness checklist's digest when the vote was given
	// (checklist.Run.Digest): the vote cites the exact state it saw, and
	// counts only while the run is in that state; set by Vote.
	Digest string `json:"digest"`
	// Stale, in a [Decision]'s Stale votes, says why the vote does not
	// count.
	Stale string `json:"stale,omitempty"`

	gen  uint64      // the rollout's T0 generation when given
	rule policy.Rule // the rule that makes a stale vote not count
}

// String describes the vote for people, e.g. "GO from operations by olga".
func (v Vote) String() string {
	s := "GO"
	if v.Verdict != Go {
		s = "No-Go"
	}
	s += " from " + v.Role.String() + " by " + v.By
	if v.Reason != "" {
		s += ": " + v.Reason
	}
	return s
}

func (v Vote) approval() policy.Approval {
	return policy.Approval{Role: v.Role.String(), By: v.By, At: v.At, Go: v.Verdict == Go, Reason: v.Reason}
}

// Vote records a go or no-go and returns it with T0 and Digest set. It
// returns an error wrapping [ErrNotFound] for a voter who is not a project member, and a
// *FieldError for a voter outside the go-live team or without the role,
// a verdict that is neither Go nor NoGo, or a No-Go without a reason. A
// later vote by the same person for the same role replaces the earlier
// one.
//
// A vote counts only if it was given once readiness was complete, and
// while the readiness run is in the state it cites: any later change to
// the run (a tick, a failure, a reschedule) makes it stale, with a reason
// in the decision (R9).
func (g GoNoGo) Vote(v Vote) (Vote, error) {
	r := g.r
	switch {
	case v.Verdict != Go && v.Verdict != NoGo:
		return Vote{}, fieldErr("vote.verdict", v.Verdict.String(), "neither go nor no-go")
	case v.Verdict == NoGo && strings.TrimSpace(v.Reason) == "":
		return Vote{}, fieldErr("vote.reason", "", "a No-Go needs a reason")
	case !v.Role.isValid():
		return Vote{}, fieldErr("vote.role", v.Role.String(), "unknown role")
	}
	v.At, v.Stale = r.p.stamp(v.At), ""
	ev := &evVote{At: v.At, Rollout: r.name, Vote: v}
	if err := r.p.record(ev); err != nil {
		return Vote{}, err
	}
	return ev.Vote, nil
}

// Votes returns every vote given, in order, including those that no
// longer count.
func (g GoNoGo) Votes() []Vote {
	r := g.r
	var out []Vote
	r.with(func(_ *state, ro *rollout) {
		out = make([]Vote, len(ro.votes))
		copy(out, ro.votes)
	})
	return out
}

// countVotes returns the votes that count at now, the last of each person
// for each role, and those that do not, each with the reason why: a vote
// counts while its voter is in the go-live team with the role (R3, R9).
//
// Before the first go-live, a vote given before the operations readiness
// was complete (R13) does not count either.
func (ro *rollout) countVotes(st *state, now time.Time) (current, stale []Vote) {
	opsReady, first := st.opsReadyAt(), st.firstGoLive(ro)
	digest := ro.readiness.Digest()
	readyAt := ro.readiness.ReadyAt()
	loc := ro.t0.Location()
	latest := map[[2]string]int{}
	for i, v := range ro.votes {
		if !v.At.After(now) {
			latest[[2]string{v.Role.String(), v.By}] = i
		}
	}
	for i, v := range ro.votes {
		if v.At.After(now) {
			continue
		}
		switch {
		case latest[[2]string{v.Role.String(), v.By}] != i:
			continue // replaced by a later vote of the same person
		case st.people.inTeam(v.By, v.Role) != nil:
			v.Stale = "the voter is no longer in the go-live team with the " + v.Role.String() + " role (R3)"
		case v.gen != ro.gen:
			v.Stale = fmt.Sprintf("given for T0 %s; T0 is now %s: vote again",
				v.T0.In(loc).Format("2006-01-02 15:04 MST"), ro.t0.In(loc).Format("2006-01-02 15:04 MST"))
		case readyAt.IsZero() || v.At.Before(readyAt):
			v.Stale, v.rule = "given before readiness was complete: vote again once it is", policy.R9
		case first && (opsReady.IsZero() || v.At.Before(opsReady)):
			v.Stale, v.rule = "given before operations readiness was complete: vote again once it is", policy.R13
		case v.Digest != digest:
			v.Stale, v.rule = "the readiness checklist changed since the vote: vote again on its current state", policy.R9
		}
		if v.Stale != "" {
			stale = append(stale, v)
		} else {
			current = append(current, v)
		}
	}
	return current, stale
}

// evVote is a go or no-go (R9).
type evVote struct {
	At      time.Time
	Rollout string
	Vote    Vote
}

func (*evVote) kind() string      { return "vote" }
func (v *evVote) when() time.Time { return v.At }
func (v *evVote) fields(c codec) {
	c.at(&v.At)
	c.need("rollout", &v.Rollout)
	c.by(&v.Vote.By)
	c.text(&v.Vote.Reason)
	c.time("t0", &v.Vote.T0)
	c.str("digest", &v.Vote.Digest)
	c.require("role")
	c.enum("role", &v.Vote.Role)
	c.require("verdict")
	c.enum("verdict", &v.Vote.Verdict)
	if c.d != nil {
		v.Vote.At = v.At
	}
}

var _ = register[evVote]()

// prepare has the vote cite the T0 and the readiness run's digest it sees.
func (v *evVote) prepare(_ *Project, st *state) error {
	ro, err := st.rollout(v.Rollout)
	if err != nil {
		return err
	}
	v.Vote.T0, v.Vote.Digest = ro.t0, ro.readiness.Digest()
	return nil
}

// check holds that a vote comes from a member of the go-live team with
// the role voted for, says go or no-go, and gives a No-Go's reason (R9).
func (v *evVote) check(st *state) error {
	if _, err := st.rollout(v.Rollout); err != nil {
		return err
	}
	vt := &v.Vote
	switch {
	case vt.Verdict != Go && vt.Verdict != NoGo:
		return fieldErr("vote.verdict", vt.Verdict.String(), "neither go nor no-go")
	case vt.Verdict == NoGo && strings.TrimSpace(vt.Reason) == "":
		return fieldErr("vote.reason", "", "a No-Go needs a reason")
	case !vt.Role.isValid():
		return fieldErr("vote.role", vt.Role.String(), "unknown role")
	}
	return st.people.inTeam(vt.By, vt.Role)
}

func (v *evVote) apply(st *state) {
	r := st.byName[v.Rollout]
	vt := v.Vote
	// A vote counts from when it was recorded (R9: after readiness).
	vt.At, vt.Reason = recordedLate(vt.At, st.now, vt.Reason)
	vt.gen = r.gen
	r.votes = append(r.votes, vt)
}

// goBy names who gave the GO: the first operations voter, else the first.
func goBy(votes []Vote) string {
	for _, v := range votes {
		if v.Verdict == Go && v.Role == RoleOperations {
			return v.By
		}
	}
	for _, v := range votes {
		if v.Verdict == Go {
			return v.By
		}
	}
	return ""
}
