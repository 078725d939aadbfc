package mep_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/mepkit/mepkit/mep"
)

// bigProject returns a project whose tracker holds 10,000 actions handed
// out over 500 weekly meetings, four in five of them closed.
func bigProject(b *testing.B) (*mep.Project, time.Time) {
	b.Helper()
	start := utc(2026, 1, 5, 10, 0)
	p, err := mep.New("big", &mep.Options{Now: func() time.Time { return start }, Cadence: mep.Cadence{Days: 7}})
	if err != nil {
		b.Fatal(err)
	}
	tr := p.Tracker()
	at := start
	for m := range 500 {
		specs := make([]mep.ActionSpec, 20)
		for i := range specs {
			specs[i] = mep.ActionSpec{Title: fmt.Sprintf("action %d of meeting %d", i, m), Owner: fmt.Sprintf("owner-%d", i%12)}
		}
		mt, err := tr.Hold(mep.Minutes{At: at, Title: fmt.Sprintf("weekly %d", m), Attendees: []string{"Bea", "Otto", "Mia"}, Actions: specs})
		if err != nil {
			b.Fatal(err)
		}
		for i, id := range mt.Actions {
			if i%5 != 0 {
				if err := tr.Done(id, "Bea", at.Add(time.Hour), ""); err != nil {
					b.Fatal(err)
				}
			}
		}
		at = at.AddDate(0, 0, 7)
	}
	return p, at
}

func BenchmarkOverdue(b *testing.B) {
	p, end := bigProject(b)
	now := end.AddDate(0, 0, -100)
	tr := p.Tracker()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if len(tr.Overdue(now)) == 0 {
			b.Fatal("no overdue action")
		}
	}
}

func BenchmarkAgenda(b *testing.B) {
	p, end := bigProject(b)
	now := end.AddDate(0, 0, -100)
	tr := p.Tracker()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if ag := tr.Agenda(now); len(ag.Open) == 0 {
			b.Fatal("no open action")
		}
	}
}

func BenchmarkSave(b *testing.B) {
	p, _ := bigProject(b)
	dir := b.TempDir()
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := p.Save(dir); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkLoad(b *testing.B) {
	p, _ := bigProject(b)
	dir := b.TempDir()
	if err := p.Save(dir); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := mep.Load(dir, nil); err != nil {
			b.Fatal(err)
		}
	}
}
