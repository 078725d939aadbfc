package policy_test

import (
	"errors"
	"testing"
	"time"

	"github.com/mepkit/mepkit/policy"
	"github.com/mepkit/mepkit/policy/policytest"
)

// FuzzWindows checks that any spec either parses into a calendar that keeps
// the Calendar contract or fails with a *SpecError whose position lies in
// the spec.
func FuzzWindows(f *testing.F) {
	for _, s := range []string{
		"Mon-Thu 20:00-23:30",
		"Fri 22:00-02:00, Sat 08:00-12:00",
		"Fri-Mon 00:00-24:00",
		"06:00-07:00",
		"Mun 20:00-23:00",
		"Mon 24:00-02:00",
		",",
	} {
		f.Add(s)
	}
	from := time.Date(2026, 10, 22, 0, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, spec string) {
		w, err := policy.Windows("w", spec, paris)
		if err != nil {
			var se *policy.SpecError
			if !errors.As(err, &se) {
				t.Fatalf("error %v is not a *SpecError", err)
			}
			if se.Column < 1 || se.Column > len(spec)+1 || se.Range < 1 {
				t.Fatalf("position range %d column %d outside %q", se.Range, se.Column, spec)
			}
			return
		}
		if err := policytest.CheckCalendar(w, from, from.Add(5*24*time.Hour), 7*time.Hour+13*time.Minute); err != nil {
			t.Fatal(err)
		}
	})
}
