package policy

import (
	"context"
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// MinLead is the shortest readiness lead the method allows (rule R7:
// everything ready at least one hour before the start).
const MinLead = time.Hour

// Readiness is the readiness rule R7, the policy [ReadinessWindow] returns:
// everything must be ready at least Lead before the operation starts. Find
// it in a Set with [As]:
//
//	r, ok := policy.As[*policy.Readiness](p)
//
// Its name is "readiness". With D = c.Start - Lead, the deadline:
//
//   - ready (c.ReadyAt set) no later than D: Allow;
//   - ready after D: Deny (readiness came too late);
//   - not ready and c.Now not after D: Warn (there is still time);
//   - not ready and c.Now after D: Deny.
//
// In [Set.NextSlot] it keeps the start no earlier than c.ReadyAt+Lead, or
// c.Now+Lead when not ready. Times in reasons are in [Change.Zone].
//
// A Lead below [MinLead], zero included, counts as MinLead: the zero
// Readiness is the one-hour rule. Its methods take a pointer; it must not
// be changed once in use.
type Readiness struct {
	// Lead is how long before the start everything must be ready; never
	// below MinLead in a Readiness made by ReadinessWindow.
	Lead time.Duration

	asked  time.Duration // the lead ReadinessWindow was given
	raised bool          // asked was below MinLead
	allow  string        // the reason of an Allow decision, when made by ReadinessWindow
}

// ReadinessWindow returns the readiness rule R7 with the given lead, as a
// *[Readiness]. The method says one hour; a longer lead is kept, a shorter
// one is raised to [MinLead] and every reason of the policy says so.
func ReadinessWindow(lead time.Duration) Policy {
	r := &Readiness{Lead: max(lead, MinLead)}
	if lead < MinLead {
		r.asked, r.raised = lead, true
	}
	r.allow = r.allowReason()
	return r
}

// Name returns "readiness".
func (r *Readiness) Name() string { return "readiness" }

// lead returns the lead in force.
func (r *Readiness) lead() time.Duration { return max(r.Lead, MinLead) }

// note returns what every reason adds when the lead asked was too short.
func (r *Readiness) note() string {
	asked := r.Lead
	switch {
	case r.raised:
		asked = r.asked
	case r.Lead == 0 || r.Lead >= MinLead:
		return ""
	}
	return "; the lead " + timespan.Short(asked) + " asked is below the minimum of " + timespan.Short(MinLead) + " (rule R7), which applies"
}

func (r *Readiness) allowReason() string {
	return "ready at least " + timespan.Short(r.lead()) + " before the start" + r.note()
}

// Evaluate applies the rule to c.
func (r *Readiness) Evaluate(ctx context.Context, c Change) Decision {
	return alone(ctx, r, &c)
}

func (r *Readiness) eval(_ context.Context, c *Change, d *Decision, b []byte) []byte {
	loc := c.zone()
	lead := r.lead()
	deadline := c.Start.Round(0).Add(-lead)
	if !c.ReadyAt.IsZero() && !c.ReadyAt.After(deadline) {
		reason := r.allow
		if reason == "" {
			reason = r.allowReason()
		}
		*d = Decision{Policy: "readiness", Rule: R7, Verdict: Allow, Reason: reason}
		return b
	}
	if !c.ReadyAt.IsZero() {
		b = append(b, "ready at "...)
		b = appendLocal(b, c.ReadyAt, loc)
		b = append(b, ", "...)
		b = appendShort(b, c.ReadyAt.Sub(deadline))
		b = append(b, " after the deadline "...)
		b = r.appendDeadline(b, deadline, loc, lead)
		*d = Decision{Policy: "readiness", Rule: R7, Verdict: Deny, Next: c.ReadyAt.Round(0).Add(lead).In(loc)}
		return b
	}
	now := c.now()
	if !now.After(deadline) {
		b = append(b, "not ready yet; everything must be ready by "...)
		b = r.appendDeadline(b, deadline, loc, lead)
		*d = Decision{Policy: "readiness", Rule: R7, Verdict: Warn}
		return b
	}
	b = append(b, "not ready at the deadline "...)
	b = appendLocal(b, deadline, loc)
	b = append(b, " ("...)
	b = appendShort(b, lead)
	b = append(b, " before the start); the earliest start is "...)
	b = appendShort(b, lead)
	b = append(b, " after readiness"...)
	b = append(b, r.note()...)
	*d = Decision{Policy: "readiness", Rule: R7, Verdict: Deny, Next: now.Add(lead).In(loc)}
	return b
}

// appendDeadline appends "DEADLINE (LEAD before the start)" and the note.
func (r *Readiness) appendDeadline(b []byte, deadline time.Time, loc *time.Location, lead time.Duration) []byte {
	b = appendLocal(b, deadline, loc)
	b = append(b, " ("...)
	b = appendShort(b, lead)
	b = append(b, " before the start)"...)
	return append(b, r.note()...)
}

func (r *Readiness) earliestStart(c Change) (time.Time, bool) {
	if !c.ReadyAt.IsZero() {
		return c.ReadyAt.Round(0).Add(r.lead()), true
	}
	return c.now().Add(r.lead()), true
}
