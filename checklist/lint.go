package checklist

import (
	"fmt"
	"strconv"

	"github.com/mepkit/mepkit/internal/timespan"
)

// MaxSectionItems is the longest section [List.Lint] accepts without a
// warning: past about nine items, people skip lines (the rule of The
// Checklist Manifesto).
const MaxSectionItems = 9

// Lint rules, in [Warning.Rule].
const (
	RuleLongSection      = "long-section"       // a section of more than MaxSectionItems items
	RuleNoOwner          = "no-owner"           // an item nobody answers for
	RuleDeadlineAfterT0  = "deadline-after-t0"  // a deadline after the operation starts
	RuleOrderedDoConfirm = "ordered-do-confirm" // Ordered has no effect in DO-CONFIRM mode
)

// Warning is something legal but unwise in a list, found by [List.Lint].
// The zero value is a warning of no rule, which Lint never returns.
type Warning struct {
	Rule    string `json:"rule"`              // one of the Rule* constants
	Section string `json:"section,omitempty"` // the section at fault, for RuleLongSection
	Item    string `json:"item,omitempty"`    // the item at fault; "" for the list or a section
	Message string `json:"message"`           // for people: what and why
}

// String returns the warning as a line for people.
func (w Warning) String() string { return w.Message }

// Lint reports what is legal but unwise in the list, in list order:
// sections longer than [MaxSectionItems] items, items without an owner,
// items due after T0 (a positive deadline, where preparation, rule R7,
// wants everything done before the operation), Ordered in DO-CONFIRM mode.
// It does not validate the list; see [List.Validate]. It returns nil when
// there is nothing to say.
func (l List) Lint() []Warning {
	var ws []Warning
	if l.Ordered && l.Mode == DoConfirm {
		ws = append(ws, Warning{Rule: RuleOrderedDoConfirm,
			Message: "ordered has no effect in do-confirm mode; use read-do to enforce the order"})
	}
	for _, s := range l.Sections() {
		if len(s.Items) > MaxSectionItems {
			name := strconv.Quote(s.Name)
			if s.Name == "" {
				name = "without a name"
			}
			ws = append(ws, Warning{Rule: RuleLongSection, Section: s.Name,
				Message: fmt.Sprintf("section %s has %d items; split it into sections of at most %d", name, len(s.Items), MaxSectionItems)})
		}
	}
	for _, it := range l.Items {
		if it.Owner == "" {
			ws = append(ws, Warning{Rule: RuleNoOwner, Item: it.ID,
				Message: fmt.Sprintf("item %q has no owner; name who answers for it", it.ID)})
		}
		if it.Deadline > 0 {
			ws = append(ws, Warning{Rule: RuleDeadlineAfterT0, Item: it.ID,
				Message: fmt.Sprintf("item %q is due %s after T0; preparation is done before the operation (R7), \"-1h\" for the readiness window", it.ID, timespan.Short(it.Deadline))})
		}
	}
	return ws
}
