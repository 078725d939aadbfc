package mep

// The kinds of the journal entries that mep writes, in the dotted syntax
// that timeline leaves to its callers.
const (
	kindDecision = "mep.decision"
	kindVote     = "mep.vote"
	kindPhase    = "mep.phase"
	kindAction   = "mep.action"
	kindLesson   = "mep.lesson"
	kindOverride = "mep.override"
)
