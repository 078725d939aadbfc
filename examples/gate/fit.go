package main

import (
	"errors"
	"strings"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/risk"
	"github.com/mepkit/mepkit/timeline"
)

// filesFlag collects a repeatable flag's file names.
type filesFlag []string

func (f *filesFlag) String() string { return strings.Join(*f, ", ") }

func (f *filesFlag) Set(s string) error {
	if strings.TrimSpace(s) == "" {
		return errors.New("want a file name")
	}
	*f = append(*f, s)
	return nil
}

// fitOf returns the name and the quantile label ("P90") of the first
// policy of set that requires the operation to fit its window at a
// quantile (policy.FitAt, "kind: fit" in a policy file), or false.
func fitOf(set policy.Set) (name, label string, ok bool) {
	for _, p := range set {
		if f, is := policy.As[*policy.Fit](p); is {
			return p.Name(), f.Label(), true
		}
	}
	return "", "", false
}

// needDurations fails closed when a policy of set requires a fit at a
// quantile and no rehearsal was given: without the distribution of the
// duration the fit policy would only warn that it is not known, and the
// change would pass unchecked.
func needDurations(set policy.Set, rehearsals []string) error {
	name, label, ok := fitOf(set)
	if !ok || len(rehearsals) > 0 {
		return nil
	}
	return badf("the policy file requires the operation to end within its window at %s (policy %s), "+
		"and the gate cannot know the %s without the timed rehearsals: give -rehearsal FILE, the journal of a rehearsal "+
		"(JSON Lines, as package timeline writes it), once per rehearsal", label, name, label)
}

// durations simulates the operation's durations from the rehearsals'
// journals at paths (risk.Simulate, its default trials and seed: the
// same files give the same figures). The runbook is the steps in the
// order they first started, each waiting for those before it: steps a
// rehearsal ran side by side count one after the other, which makes the
// figures longer, never shorter. A step that cut users off in any
// rehearsal counts in the outage. It returns the simulation's warnings
// (thin data), and an error naming the file for a journal that cannot be
// read or times no step.
func durations(paths []string) (risk.Distribution, []string, error) {
	var (
		runbook []risk.Step
		index   = map[string]int{}
		runs    []risk.Run
	)
	for _, path := range paths {
		entries, err := timeline.ReadFile(path)
		if err != nil {
			return risk.Distribution{}, nil, badf("-rehearsal %s: %w", path, err)
		}
		sum := timeline.Summarize(entries)
		var run risk.Run
		for _, sp := range sum.Steps {
			i, seen := index[sp.Step]
			if !seen {
				i = len(runbook)
				index[sp.Step] = i
				runbook = append(runbook, risk.Step{ID: sp.Step})
			}
			runbook[i].Outage = runbook[i].Outage || sp.Impact == timeline.Outage
			run.Attempts = append(run.Attempts, risk.Attempt{Step: sp.Step, Start: sp.Start, End: sp.End,
				Failed: sp.Outcome == timeline.Failed, Open: sp.Open})
		}
		if len(run.Attempts) == 0 {
			return risk.Distribution{}, nil, badf("-rehearsal %s: the journal times no step", path)
		}
		runs = append(runs, run)
	}
	ov, err := risk.Simulate(runbook, runs, risk.Options{})
	if err != nil {
		return risk.Distribution{}, nil, badf("-rehearsal: %w", err)
	}
	return ov.Duration, ov.Warnings, nil
}
