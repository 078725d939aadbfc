package policy

import (
	"context"
	"time"

	"github.com/mepkit/mepkit/internal/durfmt"
)

// MaxOutage returns a policy that denies a change whose expected user
// outage, c.Outage (from rehearsals, rule R5), exceeds limit. Its name is
// "max-outage". A zero c.Outage is taken as no outage.
func MaxOutage(limit time.Duration) Policy {
	return &maxOutage{limit: limit, allow: "expected outage within the limit of " + durfmt.Short(limit)}
}

type maxOutage struct {
	limit time.Duration
	allow string // the reason of an Allow decision
}

func (p *maxOutage) Name() string { return "max-outage" }

func (p *maxOutage) Evaluate(_ context.Context, c Change) Decision {
	if c.Outage <= p.limit {
		return Decision{Policy: "max-outage", Verdict: Allow, Reason: p.allow}
	}
	return Decision{Policy: "max-outage", Verdict: Deny,
		Reason: "expected outage " + durfmt.Short(c.Outage) + " exceeds the limit of " + durfmt.Short(p.limit) +
			"; shorten the outage steps or ask for a longer window"}
}
