package policy

import (
	"context"
	"time"

	"github.com/mepkit/mepkit/internal/timespan"
)

// MaxOutage returns a policy that denies a change whose expected user
// outage, c.Outage (from rehearsals, rule R5), exceeds limit. Its name is
// "max-outage". An outage that is not known, a zero c.Outage without
// c.OutageKnown, is a Warn that says so: rehearse the change, or state
// that it causes no outage.
func MaxOutage(limit time.Duration) Policy {
	return &maxOutage{limit: limit,
		allow:   "expected outage within the limit of " + timespan.Short(limit),
		unknown: "expected outage unknown (the limit is " + timespan.Short(limit) + "); measure it in a rehearsal, or state that there is none"}
}

type maxOutage struct {
	limit          time.Duration
	allow, unknown string // the reasons of Allow and Warn decisions
}

func (p *maxOutage) Name() string { return "max-outage" }

func (p *maxOutage) Evaluate(ctx context.Context, c Change) Decision {
	return alone(ctx, p, &c)
}

func (p *maxOutage) eval(_ context.Context, c *Change, d *Decision, b []byte) []byte {
	switch {
	case c.Outage <= 0 && !c.OutageKnown:
		*d = Decision{Policy: "max-outage", Rule: R5, Verdict: Warn, Reason: p.unknown}
		return b
	case c.Outage <= p.limit:
		*d = Decision{Policy: "max-outage", Rule: R5, Verdict: Allow, Reason: p.allow}
		return b
	}
	b = append(b, "expected outage "...)
	b = appendShort(b, c.Outage)
	b = append(b, " exceeds the limit of "...)
	b = appendShort(b, p.limit)
	b = append(b, "; shorten the outage steps or ask for a longer window"...)
	*d = Decision{Policy: "max-outage", Rule: R5, Verdict: Deny}
	return b
}
