package timeline

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// stepState is what a journal knows of one step: how many times it was
// started and whether an attempt is running.
type stepState struct {
	attempts int
	open     bool
	startAt  time.Time
}

// steps tracks the state of every step of a journal, to validate entries in
// order. The zero value is ready to use.
type steps map[string]*stepState

// check reports whether e may follow the entries already applied.
func (s steps) check(e *Entry) error {
	if !validKind(e.Kind) {
		return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid,
			Detail: "unknown kind " + quote(e.Kind) + ` (want "note", "start", "end" or a dotted kind such as "deploy.tag")`}
	}
	if !e.Impact.IsValid() {
		return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: "impact out of range"}
	}
	if !e.Outcome.IsValid() {
		return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: "outcome out of range"}
	}
	if e.At.IsZero() {
		return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: "no time"}
	}
	if err := checkTime(e.At); err != nil {
		return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: err.Error()}
	}
	if field := invalidUTF8(e); field != "" {
		return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: field + " is not valid UTF-8"}
	}
	if e.Impact != NoImpact && e.Kind != KindStart {
		return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: "impact on a " + e.Kind + " entry (only start has one)"}
	}
	if e.Outcome != Done && e.Kind != KindEnd {
		return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid, Detail: "outcome on a " + e.Kind + " entry (only end has one)"}
	}
	switch e.Kind {
	case KindStart, KindEnd:
		if e.Step == "" {
			return &EntryError{Seq: e.Seq, Err: ErrInvalid, Detail: e.Kind + " without a step"}
		}
	default:
		return nil
	}
	st := s[e.Step]
	if e.Kind == KindStart {
		if st != nil && st.open {
			return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrAlreadyStarted,
				Detail: "attempt " + itoa(st.attempts) + " has not ended"}
		}
		return nil
	}
	if st == nil || !st.open {
		return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrNotStarted}
	}
	if e.At.Before(st.startAt) {
		return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid,
			Detail: "ends at " + e.At.Format(time.RFC3339Nano) + ", before its start at " + st.startAt.Format(time.RFC3339Nano)}
	}
	return nil
}

// invalidUTF8 names the first text field of e that is not valid UTF-8, or
// returns "": such text would not survive the JSON of a file journal.
func invalidUTF8(e *Entry) string {
	switch {
	case !utf8.ValidString(e.Kind):
		return "kind"
	case !utf8.ValidString(e.Step):
		return "step"
	case !utf8.ValidString(e.Actor):
		return "actor"
	case !utf8.ValidString(e.Text):
		return "text"
	}
	for k, v := range e.Attrs {
		if !utf8.ValidString(k) || !utf8.ValidString(v) {
			return "attribute " + strconv.Quote(k)
		}
	}
	return ""
}

// checkNames reports an [*EntryError] wrapping [ErrInvalid] when the
// kind, the step or the actor of e, which print on one line wherever an
// entry is shown, holds a character that breaks or rewrites that line:
// a control character (Unicode category Cc: C0 controls, tab included,
// DEL and C1 controls, among them ESC, which starts terminal escape
// sequences), a line or paragraph separator (U+2028, U+2029), or a
// bidirectional control (U+202E and the like, which reorder what is
// shown after them, so that a name reads as another). Text is free and
// may span lines; attributes are not checked. Queue checks this, not a
// replay: an entry recorded before the rule still reads.
func checkNames(e *Entry) error {
	for _, f := range [...]struct{ name, s string }{{"kind", e.Kind}, {"step", e.Step}, {"actor", e.Actor}} {
		if i := strings.IndexFunc(f.s, BreaksLine); i >= 0 {
			r, _ := utf8.DecodeRuneInString(f.s[i:])
			return &EntryError{Seq: e.Seq, Step: e.Step, Err: ErrInvalid,
				Detail: fmt.Sprintf("%s %s holds %U: a kind, a step or an actor is one line, without control characters or direction overrides", f.name, quote(f.s), r)}
		}
	}
	return nil
}

// BreaksLine reports whether r may not appear in a name that prints on
// one line (an entry's kind, step or actor, which Record refuses with
// it): a control character (a line break, a tab, ESC, DEL, a C1
// control), a line or paragraph separator (U+2028, U+2029), or a
// bidirectional control (U+202E and the like). Printed, such a character
// breaks its line, rewrites the terminal or reorders what follows, so
// that a name reads as another. Writers of text for people may replace
// it with a space.
func BreaksLine(r rune) bool {
	return unicode.IsControl(r) || r == '\u2028' || r == '\u2029' || unicode.Is(unicode.Bidi_Control, r)
}

// apply records the effect of a checked entry.
func (s steps) apply(e *Entry) {
	switch e.Kind {
	case KindStart:
		st := s[e.Step]
		if st == nil {
			st = &stepState{}
			s[e.Step] = st
		}
		st.attempts++
		st.open = true
		st.startAt = e.At
	case KindEnd:
		st := s[e.Step]
		st.open = false
	}
}
