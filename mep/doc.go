// Package mep runs a go-live project by the method of mepkit, and keeps
// every fact of it in one record.
//
// # The record
//
// A [Project]'s record is one hash-chained [timeline.Journal]. Every fact
// that can change a go/no-go or that the method asks to keep is a typed
// event appended to it, of a kind "mep.…" (records written with the
// earlier spelling "x-mep.…" read the same): the project and its options,
// phase transitions (R1), planned times (R2), members, the round table's
// go-live team and the MCO contact (R3), the validation and
// operations-readiness checklists and each tick (R4, R13), rehearsals with
// their conditions (R5), meetings and their actions (R6), rollouts, their
// reschedules, readiness ticks, failures and waivers (R7, R8), votes,
// decisions with the policies' answers, overrides (R9), cutover steps,
// skips, notes and rollbacks (R10), the opt-out of the method's freeze
// (R11), lessons and their applications (R12). The state of the project
// and its rollouts is a fold over the record: [Open] replays it, and a
// replayed project states exactly what the one that wrote it did. Policies
// and gate criteria are code, not facts: attach them again after opening
// ([Project.NewRollout], [Project.AddCriterion]).
//
// A record lives in any [timeline.Store]: a file on local disk
// ([CreateFile], [OpenFile]), or a shared store for several writers. A
// write checks the event once against the state it will apply to,
// appends it, then applies that same event; a replay runs the same check
// and the same effect, so that nothing a replay would refuse is ever
// appended. When another writer appended first, the project reads what it
// wrote, folds it, checks again and retries, so the chain never forks. An
// event that the store cannot keep is refused before anything changes.
//
//	p, err := mep.CreateFile("billing.jsonl", "billing v2", &mep.Options{Location: paris, Country: "FR"})
//	p.Team().Add(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations}})
//	r, err := p.NewRollout(mep.RolloutOptions{Name: "go-live", T0: t0, Runbook: steps, Policies: set})
//	r.AddRehearsal(mep.RehearsalRun{Summary: s, ProductionLike: true}) // R5: the estimate
//	r.Readiness().Check("config-backup", "olga", at, "")                           // R7, R8
//	r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go})
//	d, err := r.GoNoGo().Decide(ctx, now)                                        // R9: Undecided, Go or NoGo, with every reason
//	r.Cutover().Start("switch-dns", "olga")                                   // only after a Go, in runbook order
//
// # Views
//
// A Project hands out small views that share its lock: [Project.Team] (the
// people, R3), [Project.Tracker] (meetings and actions, R6),
// [Project.Lessons] (R12), [Project.Validation] and [Project.Operations]
// (its checklists), and its rollouts ([Project.NewRollout],
// [Project.Rollout]). [GoNoGo.Evaluate] previews the decision;
// [Rollout.Propose] finds the next starts where the P90 end fits the
// policies; [Switchover.Drift] tells during the cutover how late it runs;
// [Rollout.Debrief] gathers the facts for the review, and [Rollout.Report]
// fills the model of package [github.com/mepkit/mepkit/mep/report]. Each
// of them reads one consistent state, and they agree on their figures:
// one estimate ([Rollout.Estimate]: durations and the expected outage)
// and one span of a cutover, from its first step's start to its last
// step's end, as [timeline.Summary] has it (votes, decisions and notes
// never widen it). While steps run, the drift and the report count them
// up to their instant and mark the figures ongoing.
//
// # Gates
//
// The gate that leaves a phase checks the method's criteria, then the
// user's: Scoping, a planned time for every phase up to Review and a
// builder (R1, R2); Build, the go-live team with every MCO member in it
// and a builder as the MCO team's contact (R3); Validation, the
// validation checklist complete with installation procedures checked
// (R4); Rehearsal, a complete timed rehearsal (R5); Planning, a meeting
// since Planning began and no overdue action (R6); Preparation, the
// current rollout's readiness complete by T0 minus the readiness lead
// (R7, R8), operations readiness (probes, backup process, known
// failures, R13) and the GO (R9); Cutover, the cutover finished (R10);
// Review, the post-deployment meeting after the cutover with operations
// present (R6) and lessons of this rollout, every failed functional test
// rolled back or accepted (R12); Industrialization, every lesson applied
// or waived (R12).
//
// # Concurrency
//
// Project, its views and its rollouts are safe for simultaneous use by
// multiple goroutines. There is one lock per project: every read and
// write of a project and its rollouts takes it. A write holds it while it
// checks its event, gives it its place in the record and applies it, and
// releases it before the store syncs, so that concurrent writers share the
// store's syncs (group commit); a fact is seen by readers from the moment
// it has its place, and if the store then refuses it, the project folds
// its state again from what the store holds. The journal's own lock is
// taken under the project's, never the other way round. Gate criteria run
// without it.
package mep
