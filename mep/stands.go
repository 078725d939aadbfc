package mep

import (
	"context"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/mepkit/mepkit/policy"
)

// What a replay checks of a GO: that it stands on the record's own facts.

// goStands reports why a GO at now, for an operation that starts at
// start, has nothing to stand on in the record: the checks of evaluate
// that the record alone can make again, so that a replay refuses a GO,
// or a first step on one, that the API would not have recorded. They are
// the phase (R1), the votes that count and the quorum the rollout records
// (R9), the readiness list in time and its hardware and backup items (R7,
// R8), operations readiness before the first go-live (R13), the go-live
// team (R3), an estimate (R5), and the method's freeze (R11) and
// readiness window (R7) in the options the record states (a record
// written before it stated them is not held to the items by purpose nor
// to an estimate, which the mepkit that wrote it did not check). The
// policies a program attached in code are not in the record: they only
// ever take a GO away, so a GO they allowed passes these checks too. It
// returns who gives the GO that stands (see goBy).
func (ro *rollout) goStands(st *state, now, start time.Time) (by string, err error) {
	d, err := ro.standing(st, now, start)
	if err != nil {
		return "", err
	}
	if d.Verdict != Go {
		return "", wrapf(ErrNoGo, "a GO the record's facts do not support: %s", d.Reasons[0].Text)
	}
	return d.By, nil
}

// standing returns the decision that the record's facts alone give at
// now for an operation that starts at start (see goStands), its verdict
// and its reasons.
func (ro *rollout) standing(st *state, now, start time.Time) (Decision, error) {
	est := ro.estimate()
	current, _ := ro.countVotes(st, now)
	d := Decision{At: now, T0: ro.t0}
	v := verdict{d: &d}
	if why := st.phaseAllows(ro); why != "" {
		v.block(Reason{Source: "phase", Rule: policy.R1, Text: why})
	}
	for _, vt := range current {
		if vt.Verdict == NoGo {
			v.block(Reason{Source: "vote", Rule: policy.R9, Text: "a No-Go that counts: " + vt.String()})
		}
	}
	ro.readinessChecks(now, &v)
	if st.opts != nil {
		// A record that states its options was written by a mepkit that
		// checked these at every GO; an older one, not by purpose.
		ro.methodChecks(st, nil, now, &v)
		if len(est.Unknown) > 0 {
			v.wait(Reason{Source: "estimate", Rule: policy.R5, Text: "no expected duration for " + strings.Join(est.Unknown, ", ")})
		}
	}
	if err := ro.recordPolicies(st, &v, ro.change(st, now, start, est, current)); err != nil {
		return Decision{}, err
	}
	v.finish(current)
	return d, nil
}

// recordPolicies has the policies the record states judge c into v (see
// recordSet).
func (ro *rollout) recordPolicies(st *state, v *verdict, c policy.Change) error {
	set, err := ro.recordSet(st)
	if err != nil {
		return err
	}
	for _, pd := range set.Evaluate(context.Background(), c).Decisions {
		switch {
		case pd.Verdict == policy.Deny && !pd.Overridden:
			v.block(policyReason(pd, ""))
		case pd.Verdict == policy.Warn && waitsFor(set.PolicyOf(pd)):
			v.wait(policyReason(pd, ""))
		}
	}
	return nil
}

// recordedSet is the set of policies the record states, with what it was
// built from: it is built again when any of these changes.
type recordedSet struct {
	file      string
	opts      *recorded
	freezeOff *evOptOut
	loc       *time.Location
	set       policy.Set
}

// recordSet returns the policies the record states: the method's, each
// mandatory, the freeze unless the project opted out (R11), the readiness
// window (R7), in the options the record states (without them: Fridays
// and weekends in T0's zone, and the least lead), and the GO quorum of
// each role the rollout records, the operations GO at least (R9); and
// those of the rollout's policy file, as evaluate has them, but for a
// conflicts check, which only code fills.
func (ro *rollout) recordSet(st *state) (policy.Set, error) {
	if r := ro.recorded; r != nil && r.file == ro.policyFile && r.opts == st.opts && r.freezeOff == st.freezeOff && r.loc == ro.t0.Location() {
		return r.set, nil
	}
	file, err := parsePolicyFile(ro.policyFile)
	if err != nil {
		return nil, err
	}
	var set policy.Set
	for _, q := range file {
		_, isReady := readinessLead(q)
		_, _, isQuorum := quorumOf(q)
		if _, ok := policy.As[*policy.Conflicts](q); ok {
			continue
		}
		if isReady || isQuorum {
			q = policy.Mandatory(q)
		}
		set = append(set, q)
	}
	lead := defaultReadinessLead
	switch o := st.opts; {
	case st.freezeOff != nil:
	case o == nil:
		// A record that does not state its options: the freeze of
		// Fridays and weekends in T0's zone, and the least lead.
		set = append(policy.Set{policy.Mandatory(policy.FridayFreeze(ro.t0.Location())),
			policy.Mandatory(policy.WeekendFreeze(ro.t0.Location()))}, set...)
	default:
		if o.freeze == nil {
			freeze, err := methodFreeze(o.loc, o.Country)
			if err != nil {
				return nil, err
			}
			o.freeze = freeze
		}
		set = append(slices.Clip(o.freeze), set...)
	}
	if st.opts != nil {
		lead = st.opts.ReadinessLead
	}
	set = append(set, policy.Mandatory(readinessWindow(lead)))
	quorum := maps.Clone(ro.quorum)
	if quorum == nil {
		quorum = map[Role]int{}
	}
	quorum[RoleOperations] = max(quorum[RoleOperations], 1)
	for _, role := range slices.Sorted(maps.Keys(quorum)) {
		set = append(set, policy.Mandatory(requireQuorum(role.String(), quorum[role])))
	}
	ro.recorded = &recordedSet{file: ro.policyFile, opts: st.opts, freezeOff: st.freezeOff, loc: ro.t0.Location(), set: set}
	return set, nil
}
