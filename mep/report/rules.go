package report

import "strings"

// MethodDoc is where the method, its rules R1 to R13 and its glossary are
// written down; the reports cite it under the rules they refer to.
const MethodDoc = "docs/method.md in the mepkit repository (github.com/mepkit/mepkit)"

// rule is one rule of the method, as a report's footnote states it.
type rule struct {
	ID   string // "R7"
	Text string
}

// rules are the method's rules in one sentence each (docs/method.md says
// more).
var rules = [...]string{
	1:  "Phases run in order; a gate opens the next one, and every transition is recorded with who and when.",
	2:  "Building takes about three quarters of the project's time.",
	3:  "The project names its people and roles; a round table picks the go-live team, which includes the operations (MCO) people.",
	4:  "Validation tests the installation procedures too, offline or in real conditions where possible.",
	5:  "Rehearsals are timed; the last one, closest to production, estimates the go-live's duration and outage.",
	6:  "Every meeting ends with actions, each with an owner and a due date.",
	7:  "Everything is ready at least one hour before the operation starts; a late item blocks the GO.",
	8:  "Before the switch, hardware is verified against the checklist and impacted configurations are backed up.",
	9:  "The cutover starts only on the operations team's final GO, given after every other check.",
	10: "Every step is timestamped as it happens, procedures are followed to the letter, and reports come from the journal.",
	11: "No go-live on a Friday; teams often add weekends, public holidays, their eves and year-end freezes.",
	12: "Each deployment's lessons are recorded with the action that applies them, and checked in later deployments.",
	13: "Probes, a backup process and known recurring failures exist before the first go-live; operations start with it.",
}

// citedRules returns the rules v cites: in section headings, facts,
// bullet lists and tables.
func citedRules(v *view) []rule {
	var seen [len(rules)]bool
	scan := func(s string) {
		if !strings.Contains(s, "R") {
			return
		}
		refs := ruleRefs(s)
		for i := 1; i < len(refs); i += 2 {
			n := 0
			for _, c := range refs[i][1:] {
				n = n*10 + int(c-'0')
			}
			seen[n] = true
		}
	}
	for _, f := range v.Headline {
		scan(f.Value)
	}
	for i := range v.Sections {
		s := &v.Sections[i]
		scan(s.Rules)
		for _, f := range s.Facts {
			scan(f.Value)
		}
		for _, it := range s.Items {
			scan(it)
		}
		for _, t := range s.Tables {
			for _, rw := range t.Rows {
				for _, c := range rw.Cells {
					scan(c)
				}
			}
		}
	}
	var out []rule
	for n, ok := range seen {
		if ok {
			out = append(out, rule{ID: "R" + itoa(n), Text: rules[n]})
		}
	}
	return out
}

func isWordByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_' || c == '-'
}

func itoa(n int) string {
	if n < 10 {
		return string(rune('0' + n))
	}
	return string(rune('0'+n/10)) + string(rune('0'+n%10))
}

// sectionTitle returns the heading of s with its rules: "Checklist (R7, R8)".
func sectionTitle(s *section) string {
	if s.Rules == "" {
		return s.Title
	}
	return s.Title + " (" + s.Rules + ")"
}

// ruleRefs splits text around its rule citations ("R7"), for the HTML
// writer to link them to the footnote. Even elements are text, odd ones
// rule IDs.
func ruleRefs(text string) []string {
	var out []string
	last := 0
	for i := 0; i+1 < len(text); i++ {
		if text[i] != 'R' || i > 0 && isWordByte(text[i-1]) {
			continue
		}
		j := i + 1
		for j < len(text) && j < i+3 && text[j] >= '0' && text[j] <= '9' {
			j++
		}
		if j == i+1 || j < len(text) && isWordByte(text[j]) {
			continue
		}
		n := 0
		for _, c := range text[i+1 : j] {
			n = n*10 + int(c-'0')
		}
		if n < 1 || n >= len(rules) {
			continue
		}
		out = append(out, text[last:i], text[i:j])
		last = j
		i = j - 1
	}
	if last == 0 {
		return []string{text}
	}
	return append(out, text[last:])
}
