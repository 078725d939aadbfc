package policy

import (
	"context"
	"time"

	"github.com/mepkit/mepkit/internal/durfmt"
)

// ReadinessWindow returns the readiness rule R7: everything must be ready
// at least lead before the operation starts (the method says one hour).
// Its name is "readiness". With D = c.Start - lead, the deadline:
//
//   - ready (c.ReadyAt set) no later than D: Allow;
//   - ready after D: Deny (readiness came too late);
//   - not ready and c.Now not after D: Warn (there is still time);
//   - not ready and c.Now after D: Deny.
//
// In [Set.NextSlot] it keeps the start no earlier than c.ReadyAt+lead, or
// c.Now+lead when not ready. Times in reasons use the location of c.Start.
func ReadinessWindow(lead time.Duration) Policy {
	return &readiness{lead: lead, allow: "ready at least " + durfmt.Short(lead) + " before the start"}
}

type readiness struct {
	lead  time.Duration
	allow string // the reason of an Allow decision
}

func (r *readiness) Name() string { return "readiness" }

func (r *readiness) Evaluate(_ context.Context, c Change) Decision {
	loc := c.Start.Location()
	deadline := c.Start.Round(0).Add(-r.lead)
	if !c.ReadyAt.IsZero() && !c.ReadyAt.After(deadline) {
		return Decision{Policy: "readiness", Verdict: Allow, Reason: r.allow}
	}
	lead := durfmt.Short(r.lead)
	if !c.ReadyAt.IsZero() {
		return Decision{Policy: "readiness", Verdict: Deny,
			Reason: "ready at " + formatLocal(c.ReadyAt, loc) + ", " + durfmt.Short(c.ReadyAt.Sub(deadline)) +
				" after the deadline " + formatLocal(deadline, loc) + " (" + lead + " before the start)",
			Next: c.ReadyAt.Round(0).Add(r.lead).In(loc)}
	}
	now := c.now()
	if !now.After(deadline) {
		return Decision{Policy: "readiness", Verdict: Warn,
			Reason: "not ready yet; everything must be ready by " + formatLocal(deadline, loc) + " (" + lead + " before the start)"}
	}
	return Decision{Policy: "readiness", Verdict: Deny,
		Reason: "not ready at the deadline " + formatLocal(deadline, loc) + " (" + lead + " before the start); the earliest start is " +
			lead + " after readiness",
		Next: now.Add(r.lead).In(loc)}
}

func (r *readiness) earliestStart(c Change) (time.Time, bool) {
	if !c.ReadyAt.IsZero() {
		return c.ReadyAt.Round(0).Add(r.lead), true
	}
	return c.now().Add(r.lead), true
}
