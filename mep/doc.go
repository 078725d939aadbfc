// Package mep runs a go-live project by the method of mepkit: a [Project]
// moves through the phases ([Scoping] to [Operations]) past gates that
// check the evidence of each phase, with its people, its meetings and
// actions ([Tracker]), its lessons, a phase budget and a journal of every
// transition, and saves to a directory that [Load] reads back.
//
// A [Rollout] is one go-live of a project, from its rehearsals to its
// debrief: a runbook of steps, the readiness checklist run against T0, the
// deployment policies, the go/no-go votes and the cutover's journal.
//
//	r, err := project.NewRollout(mep.RolloutOptions{
//		Name: "go-live", T0: t0, Runbook: steps, Policies: set,
//	})
//	r.AddRehearsal(timeline.Summarize(rehearsal.Entries())) // R5: the estimate
//	r.Readiness().Check("config-backup", "olga", at, "")     // R7, R8
//	r.Vote(mep.Vote{Role: "operations", By: "olga", Go: true})
//	verdict, err := r.Decide(ctx, now)                       // R9: Undecided, Go or NoGo, with every reason
//	r.StartStep("switch-dns", "olga")                        // only after a Go
//
// [Rollout.Evaluate] previews the decision without recording it;
// [Rollout.Propose] finds the next starts where the estimated duration fits
// the policies and says why the planned one was refused; [Rollout.Drift]
// tells during the cutover how late it runs and whether it will overrun
// its window; [Rollout.Debrief] gathers the facts for the review, and
// [Rollout.Report] fills the report model of package
// [github.com/mepkit/mepkit/mep/report], rendered as Markdown, HTML or JSON.
//
// Project, Tracker and Rollout are safe for simultaneous use by multiple
// goroutines.
package mep
