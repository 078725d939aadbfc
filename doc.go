// Package mepkit is a library for taking software live the structured way:
// a mise en production (MEP), run phase by phase with gates, checklists, a
// timestamped journal, go/no-go decisions and deployment policies.
//
// Package mepkit itself holds no code; it is the tour of the module. Its
// packages can be used alone:
//
//   - [github.com/mepkit/mepkit/timeline]: the timed, tamper-evident journal
//     of a rehearsal or a cutover, its summaries (duration, outage,
//     disruption), comparisons, estimates and exports.
//   - [github.com/mepkit/mepkit/checklist]: checklists read from YAML or
//     JSON, and their runs against the operation's start (T0).
//   - [github.com/mepkit/mepkit/policy]: deployment policies (Friday freeze,
//     holidays and their eves, maintenance windows, readiness, the GO) and
//     the next allowed slot; [github.com/mepkit/mepkit/policy/policyfile]
//     reads them from a file.
//   - [github.com/mepkit/mepkit/mep]: the method that ties them together:
//     the project and its phases, people, meetings and actions, lessons, and
//     the rollout with its go/no-go and reports
//     ([github.com/mepkit/mepkit/mep/report]).
//
// A go-live in a few lines (errors left out):
//
//	project, _ := mep.CreateFile("billing.jsonl", "billing v2", &mep.Options{Location: paris, Country: "FR"})
//	project.Team().Add(mep.Member{Name: "olga", Roles: []mep.Role{mep.RoleOperations}})
//	set, _ := policyfile.Parse(policyYAML)
//	r, _ := project.NewRollout(mep.RolloutOptions{Name: "go-live", T0: t0, Runbook: steps, Policies: set})
//	r.AddRehearsal(mep.RehearsalRun{Summary: s, ProductionLike: true}) // R5: how long, how much outage
//	r.Readiness().Check("config-backup", "olga", at, "")
//	r.GoNoGo().Vote(mep.Vote{Role: mep.RoleOperations, By: "olga", Verdict: mep.Go})
//	d, _ := r.GoNoGo().Decide(ctx, time.Now())            // Undecided, Go or NoGo, with every reason
//	r.Cutover().Start("switch-dns", "olga")            // refused until Go
//	r.Report(time.Now()).WriteHTML(w)
//
// The program examples/golive plays a whole project this way; run it with
// go run ./examples/golive.
//
// # Phases
//
// The method has ten phases, [github.com/mepkit/mepkit/mep.Phase] from
// Scoping to Operations, and thirteen rules (R1 to R13) that doc comments
// cite; docs/method.md in the repository explains them and the method's
// words (MCO, round table, retex, cutover, outage and disruption). A [github.com/mepkit/mepkit/mep.Project] moves forward past gates
// that check each phase's evidence (a validation checklist with
// installation procedures, timed rehearsals, readiness by T-1h, the
// operations GO, probes and backups) and list every unmet criterion at
// once; going back needs a reason. Every transition is journaled.
//
// # Policies
//
// A [github.com/mepkit/mepkit/policy.Set] evaluates a
// [github.com/mepkit/mepkit/policy.Change] (the whole operation, from its
// start to its end, not only its start) and explains each decision in a
// sentence that names the day, the time zone and when the change could run
// instead. Calendar policies compute on the local wall clock of their own
// location, with a stated rule for the hours that daylight saving time
// skips or repeats; [github.com/mepkit/mepkit/policy.Set.NextSlot] finds the
// earliest start that fits. Break-glass overrides need a name and a reason
// and stay visible in the result; mandatory policies cannot be overridden.
//
// # Journal
//
// Every step of a rehearsal and of a cutover is timestamped as it happens
// (rules R5 and R10). A [github.com/mepkit/mepkit/timeline.Journal] assigns
// sequence numbers, chains each entry to the previous one with SHA-256 (or
// HMAC-SHA256 with a key), and, opened on a file with
// [github.com/mepkit/mepkit/timeline.Open], makes every entry durable
// before Record returns; a crash leaves at most a torn last line, which the
// next Open truncates and reports.
// [github.com/mepkit/mepkit/timeline.Summarize] turns entries into per-step
// spans and the time users were cut off or degraded, and
// [github.com/mepkit/mepkit/timeline.Estimate] turns rehearsals into the
// expected duration and impact of the real go-live.
//
// # Concurrency
//
// Types shared between goroutines say so in their documentation and are
// tested under the race detector: a Journal (concurrent Records share file
// syncs), a checklist Run, a policy (holiday and cron caches), a Project,
// its Tracker and a Rollout. Plain values (entries, summaries, lists,
// decisions, verdicts, reports) need no lock.
//
// # Time
//
// Nothing in the module reads the clock unless it was given one: times are
// arguments, and types that must read a clock take a func() time.Time whose
// nil value means time.Now. Stored times carry no monotonic reading.
// Library packages do not embed the time zone database; programs that need
// it import time/tzdata.
package mepkit
