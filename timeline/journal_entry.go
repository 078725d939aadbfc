package timeline

import (
	"maps"
	"time"
)

// Entry kinds of the journal itself. Every other kind belongs to the
// caller and is written as dotted, lowercase tokens, such as "mep.vote" or
// "deploy.tag" (see [Entry]); kinds starting with "x-", the syntax of
// earlier versions, stay accepted.
const (
	KindNote  = "note"  // free text from an actor
	KindStart = "start" // a step starts (Step and Impact set)
	KindEnd   = "end"   // a step ends (Step and Outcome set)
)

// Entry is one timestamped line of a journal.
//
// Seq and Hash are assigned by the [Journal]; values given to Record are
// ignored. At keeps the location it was given in; it is stored with its UTC
// offset and without its monotonic clock reading. Kind, Step and Actor
// are names, shown on one line: Record refuses one holding a control
// character, a line separator or a direction override; Text may span
// lines. The zero Entry has no kind: Record refuses it.
type Entry struct {
	Seq     uint64            `json:"seq"`               // 1, 2, 3, ... assigned by the journal
	At      time.Time         `json:"at"`                // when it happened (set from the clock if zero)
	Kind    string            `json:"kind"`              // KindNote, KindStart, KindEnd, or the caller's "pkg.kind"
	Step    string            `json:"step,omitempty"`    // step ID for start and end
	Actor   string            `json:"actor,omitempty"`   // who did it
	Text    string            `json:"text,omitempty"`    // free text
	Impact  Impact            `json:"impact,omitempty"`  // on start: what the step does to users
	Outcome Outcome           `json:"outcome,omitempty"` // on end: how the step ended
	Attrs   map[string]string `json:"attrs,omitempty"`   // extra fields, covered by the hash
	Hash    string            `json:"hash"`              // chain hash, set by the journal: hex, after "<KeyID>." when keyed
}

// validKind reports whether a journal accepts entries of kind k: one of
// its own kinds, a caller's kind in the dotted syntax
// ^[a-z][a-z0-9_-]*(\.[a-z][a-z0-9_-]*)+$, or a legacy kind that starts
// with "x-" and has something after it.
func validKind(k string) bool {
	switch k {
	case KindNote, KindStart, KindEnd:
		return true
	}
	if len(k) > 2 && k[:2] == "x-" {
		return true
	}
	dots, tokenStart := 0, true
	for i := 0; i < len(k); i++ {
		c := k[i]
		switch {
		case c >= 'a' && c <= 'z':
		case c >= '0' && c <= '9', c == '_', c == '-':
			if tokenStart {
				return false
			}
		case c == '.':
			if tokenStart {
				return false
			}
			dots++
			tokenStart = true
			continue
		default:
			return false
		}
		tokenStart = false
	}
	return dots > 0 && !tokenStart
}

// clone returns e with its own copy of Attrs.
func (e Entry) clone() Entry {
	if e.Attrs != nil {
		e.Attrs = maps.Clone(e.Attrs)
	}
	return e
}
