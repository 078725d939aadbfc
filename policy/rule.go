package policy

import (
	"fmt"
	"strconv"
)

// Rule is a rule of the method that a decision enforces, R1 to R13 (see
// the method in the module's documentation). The zero value, NoRule, says
// that the decision enforces no rule of the method: a team's own policy, a
// maintenance window, a one-off freeze.
type Rule uint8

// The rules of the method. The policies of this package enforce R5
// ([MaxOutage]), R7 ([ReadinessWindow]), R9 ([RequireGo],
// [RequireQuorum]) and R11 ([FridayFreeze], [WeekendFreeze], [Holidays],
// [HolidayCalendar]); a [Func] policy may set the rule it enforces in its
// Decision.
const (
	NoRule Rule = iota // no rule of the method
	R1                 // phases in order, through gates
	R2                 // phase budget: Build about 75% of the time
	R3                 // people and the go-live team
	R4                 // validation checks installation procedures
	R5                 // rehearsals are timed; outage and disruption kept
	R6                 // meetings end with actions
	R7                 // readiness window: ready at least 1h before
	R8                 // hardware verified, configurations backed up
	R9                 // the operations team's final GO
	R10                // every step timestamped; procedures to the letter
	R11                // Friday freeze (and weekends, holidays, eves)
	R12                // lessons recorded and applied
	R13                // operations ready before the first go-live
)

// lastRule is the highest known Rule.
const lastRule = R13

// ruleOf returns the rule that p enforces, when p is a policy of this
// package or wraps one; NoRule otherwise.
func ruleOf(p Policy) Rule {
	switch p := p.(type) {
	case *wallCalendar:
		return p.cites
	case *Readiness:
		return R7
	case *Quorum:
		return R9
	case *maxOutage:
		return R5
	case *wrapped:
		return ruleOf(p.p)
	case *wrappedCalendar:
		return ruleOf(p.p)
	case *scoped:
		return p.rule
	}
	return NoRule
}

// IsValid reports whether r is NoRule or one of R1 to R13: whether
// MarshalText takes it.
func (r Rule) IsValid() bool { return r.valid() }

// valid reports whether r is NoRule or one of R1 to R13.
func (r Rule) valid() bool { return r <= lastRule }

// ruleNames are the names of the rules, by value.
var ruleNames = [lastRule + 1]string{"", "R1", "R2", "R3", "R4", "R5", "R6", "R7", "R8", "R9", "R10", "R11", "R12", "R13"}

// String returns "R1" to "R13", "" for NoRule and "rule(N)" for an
// unknown value.
func (r Rule) String() string {
	if r.valid() {
		return ruleNames[r]
	}
	return "rule(" + strconv.Itoa(int(r)) + ")"
}

// MarshalText returns "R1" to "R13", or "" for NoRule; an unknown value is
// an error wrapping [ErrInvalid].
func (r Rule) MarshalText() ([]byte, error) {
	if !r.valid() {
		return nil, fmt.Errorf("policy: cannot marshal %v: want R1 to R13: %w", r, ErrInvalid)
	}
	return []byte(r.String()), nil
}

// UnmarshalText reads what MarshalText writes, as [ParseRule].
func (r *Rule) UnmarshalText(b []byte) error {
	x, err := ParseRule(string(b))
	if err != nil {
		return err
	}
	*r = x
	return nil
}

// ParseRule reads "R1" to "R13" (the R in any case), and "" as NoRule.
// Anything else, "R0", "R14", "R07" or "7" say, is an error wrapping
// [ErrInvalid].
func ParseRule(s string) (Rule, error) {
	if s == "" {
		return NoRule, nil
	}
	if s[0] == 'R' || s[0] == 'r' {
		switch n := s[1:]; {
		case len(n) == 1 && n[0] >= '1' && n[0] <= '9':
			return Rule(n[0] - '0'), nil
		case len(n) == 2 && n[0] == '1' && n[1] >= '0' && n[1] <= '3':
			return Rule(10 + n[1] - '0'), nil
		}
	}
	return NoRule, fmt.Errorf("policy: rule %q: want R1 to R13: %w", s, ErrInvalid)
}
