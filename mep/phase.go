package mep

import (
	"github.com/mepkit/mepkit/internal/enum"
)

// Phase is a phase of the method (METHOD.md), in order. A [Project] moves
// forward through them one at a time (R1). The zero value is [Scoping].
type Phase uint8

// The phases, in method order.
const (
	Scoping           Phase = iota // cadrage commercial: scope, time and resources (R1)
	Build                          // phase technique: about 75% of the project's time (R2, R3)
	Validation                     // validation: deliverables and installation procedures (R4)
	Rehearsal                      // répétitions: timed runs in production-like conditions (R5)
	Planning                       // planification: steps finalised, meetings end with actions (R6)
	Preparation                    // préparation: everything ready by T-1h, backups (R7, R8)
	Cutover                        // bascule: after the operations team's GO (R9, R10, R11)
	Review                         // réunion post-déploiement: lessons learned (R6, R12)
	Industrialization              // industrialisation: later deployments apply the lessons (R10, R12)
	Operations                     // MCO: keeping the system in working order (R3, R13)
)

// numPhases is the number of phases.
const numPhases = int(Operations) + 1

var phases = enum.Enum[Phase]{Package: "mep", Type: "Phase", What: "phase", Aliases: frenchPhases,
	Invalid: ErrInvalid, Fail: enumFail("phase"), Names: []string{
		Scoping:           "scoping",
		Build:             "build",
		Validation:        "validation",
		Rehearsal:         "rehearsal",
		Planning:          "planning",
		Preparation:       "preparation",
		Cutover:           "cutover",
		Review:            "review",
		Industrialization: "industrialization",
		Operations:        "operations",
	}}

// Phases returns every phase in method order.
func Phases() []Phase {
	ps := make([]Phase, numPhases)
	for i := range ps {
		ps[i] = Phase(i)
	}
	return ps
}

// String returns the phase's lower-case English name, such as "cutover",
// or "Phase(N)" for an invalid value.
func (p Phase) String() string { return phases.String(p) }

// isValid reports whether p is one of the phase constants.
func (p Phase) isValid() bool { return phases.Valid(p) }

// ParsePhase returns the phase named s, ignoring case and surrounding
// space: "scoping", "Build", "CUTOVER", ... It also accepts the French
// names of the method ("cadrage", "technique", "répétition", "planification",
// "préparation", "bascule", "retex", "industrialisation", "mco"). Any other
// string returns a *FieldError wrapping [ErrInvalid].
func ParsePhase(s string) (Phase, error) { return phases.Parse(s) }

var frenchPhases = map[string]Phase{
	"cadrage":                  Scoping,
	"cadrage commercial":       Scoping,
	"technique":                Build,
	"phase technique":          Build,
	"recette":                  Validation,
	"répétition":               Rehearsal,
	"répétitions":              Rehearsal,
	"planification":            Planning,
	"préparation":              Preparation,
	"bascule":                  Cutover,
	"mise en production":       Cutover,
	"retex":                    Review,
	"réunion post-déploiement": Review,
	"industrialisation":        Industrialization,
	"mco":                      Operations,
}

// MarshalText returns the phase's name; an invalid phase is an error.
func (p Phase) MarshalText() ([]byte, error) { return phases.MarshalText(p) }

// UnmarshalText parses a name as [ParsePhase] does.
func (p *Phase) UnmarshalText(b []byte) error { return phases.UnmarshalText(p, b) }
