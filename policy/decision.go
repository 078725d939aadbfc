package policy

import (
	"strconv"
	"strings"
	"time"
)

// Verdict is the outcome of one policy. The zero value is Allow; a [Result]
// with a Deny anywhere is denied.
type Verdict uint8

// Verdicts, from the mildest.
const (
	Allow Verdict = iota // nothing against the change
	Warn                 // allowed, but someone should look (e.g. not ready yet)
	Deny                 // the change must not run
)

// String returns "allow", "warn" or "deny".
func (v Verdict) String() string {
	switch v {
	case Allow:
		return "allow"
	case Warn:
		return "warn"
	case Deny:
		return "deny"
	}
	return "verdict(" + strconv.Itoa(int(v)) + ")"
}

// Decision is one policy's answer about a change. The zero Decision is an
// Allow from no policy, with no reason: what a [Func] returns to say
// nothing against the change.
type Decision struct {
	Policy string // the policy's name
	// Index is the position in the [Set] of the policy that gave the
	// decision, so that s[d.Index] (or [Set.PolicyOf]) is that policy,
	// nil entries counted. [Set.Evaluate] sets it, whatever the policy
	// returned; it is -1 for the decision the Set adds itself (an ignored
	// break-glass request), which no policy gave. Outside a Set, in what a
	// policy's own Evaluate returns, it means nothing and is 0.
	Index   int
	Verdict Verdict // Allow, Warn or Deny; [Set.Evaluate] makes any other value a Deny
	// Rule is the rule of the method that the policy enforces: R7 for
	// [ReadinessWindow], R9 for [RequireGo] and [RequireQuorum], R11 for
	// [FridayFreeze], [WeekendFreeze] and holiday calendars, R5 for
	// [MaxOutage], NoRule for the others unless a [Func] sets it. Wrappers
	// ([Mandatory], [Named], [In], [Scoped]) keep the rule of the policy
	// they wrap.
	Rule Rule
	// Overridden reports that this denial was bypassed by a valid
	// [Override]. The Verdict stays Deny. [Set.Evaluate] sets it,
	// whatever the policy returned.
	Overridden bool
	// Reason says what was decided and why, for people: the day, the time
	// zone and, for calendar denials, when the change could run instead.
	Reason string
	// Next is, for a denial, the earliest start after the change's Start
	// that this policy alone would allow, when the policy knows it:
	//
	//   - a calendar: the earliest start at or after Start at which the
	//     whole operation is allowed; zero when there is none within five
	//     years, or when the operation is longer than any run of time the
	//     calendar allows (the reason then says it never fits);
	//   - [ReadinessWindow]: c.ReadyAt+lead, or c.Now+lead when not ready,
	//     for the change moved there with Now kept (a zero Now stands for
	//     the original Start; see [Set.NextSlot]).
	//
	// It is zero for allowed and warned changes, and for the other
	// policies of this package; a [Func] policy may set it, and
	// [Set.NextSlot] follows it.
	Next time.Time
}

// blocks reports whether d stops the change: a Deny that was not
// overridden, or a verdict that is not Allow, Warn or Deny (which fails
// closed, overridden or not: [Set.Evaluate] never gives one).
func (d *Decision) blocks() bool {
	return (d.Verdict == Deny && !d.Overridden) || d.Verdict > Deny
}

// String returns "policy: reason", or the verdict when there is no reason.
func (d Decision) String() string {
	r := d.Reason
	if r == "" {
		r = d.Verdict.String()
	}
	if d.Policy == "" {
		return r
	}
	return d.Policy + ": " + r
}

// Result is the outcome of a [Set] for one change: one Decision per policy,
// in the Set's order. The zero Result, with no decisions, is allowed.
type Result struct {
	Decisions []Decision
	// Override is the break-glass request that was applied, nil if none was
	// (or if it lacked By or Reason).
	Override *Override
}

// Allowed reports whether the change may run: no Decision is a Deny that
// was not overridden. Warnings do not block; a verdict that is none of
// Allow, Warn and Deny counts as a Deny that was not overridden.
func (r Result) Allowed() bool {
	for i := range r.Decisions {
		if r.Decisions[i].blocks() {
			return false
		}
	}
	return true
}

// Verdict returns the worst verdict, counting an overridden denial as Warn
// and a verdict that is none of Allow, Warn and Deny as Deny.
func (r Result) Verdict() Verdict {
	v := Allow
	for i := range r.Decisions {
		d := &r.Decisions[i]
		dv := d.Verdict
		switch {
		case d.blocks():
			return Deny
		case dv == Deny: // overridden
			dv = Warn
		}
		v = max(v, dv)
	}
	return v
}

// Denials returns the denials that were not overridden, in order, with
// the decisions whose verdict is none of Allow, Warn and Deny.
func (r Result) Denials() []Decision {
	var out []Decision
	for _, d := range r.Decisions {
		if d.blocks() {
			out = append(out, d)
		}
	}
	return out
}

// Err returns nil when the change is allowed, else a *[DeniedError]
// wrapping [ErrDenied].
func (r Result) Err() error {
	if r.Allowed() {
		return nil
	}
	return &DeniedError{Denials: r.Denials()}
}

// String explains the result, one line per decision, each starting with
// its verdict:
//
//	DENY  friday-freeze: Fri 2026-11-27 is a Friday in Europe/Paris; allowed again from Sat 2026-11-28 00:00 CET
//	ALLOW readiness: ready at 20:10 CET, at least 1h before the start
//
// An overridden denial reads "DENY (overridden by NAME: REASON)".
func (r Result) String() string {
	var b strings.Builder
	for i, d := range r.Decisions {
		if i > 0 {
			b.WriteByte('\n')
		}
		switch d.Verdict {
		case Allow:
			b.WriteString("ALLOW ")
		case Warn:
			b.WriteString("WARN  ")
		default:
			b.WriteString("DENY  ")
		}
		b.WriteString(d.String())
		if d.Overridden && r.Override != nil {
			b.WriteString(" (overridden by ")
			b.WriteString(r.Override.By)
			b.WriteString(": ")
			b.WriteString(r.Override.Reason)
			b.WriteByte(')')
		}
	}
	return b.String()
}
