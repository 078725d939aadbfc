package mep_test

import (
	"fmt"
	"io"
	"testing"
	"time"

	"github.com/mepkit/mepkit/checklist"
	"github.com/mepkit/mepkit/mep"
	"github.com/mepkit/mepkit/timeline"
)

// benchRollout is a rollout with a 200-item readiness checklist, all done,
// the standard policy set, two rehearsals and a GO vote.
func benchRollout(b *testing.B, steps int) (*mep.Rollout, time.Time) {
	b.Helper()
	loc, err := time.LoadLocation("Europe/Paris")
	if err != nil {
		b.Fatal(err)
	}
	t0 := time.Date(2026, 11, 24, 20, 30, 0, 0, loc)
	c := newClock(t0.Add(-48 * time.Hour))
	p, err := mep.New("bench", &mep.Options{Now: c.now, Location: loc})
	if err != nil {
		b.Fatal(err)
	}
	for _, m := range []mep.Member{{Name: "Otto", Roles: []mep.Role{mep.RoleOperations}}, {Name: "Bea", Roles: []mep.Role{mep.RoleBuild}}} {
		if err := p.AddMember(m); err != nil {
			b.Fatal(err)
		}
	}
	items := make([]checklist.Item, 200)
	for i := range items {
		items[i] = checklist.Item{ID: fmt.Sprintf("item-%03d", i), Title: "Item", Section: fmt.Sprintf("s%d", i/8), Owner: "Otto", Deadline: -time.Hour}
	}
	book := make([]mep.Step, steps)
	for i := range book {
		book[i] = mep.Step{ID: fmt.Sprintf("step-%05d", i), Impact: timeline.Impact(i % 3), Expected: time.Second}
	}
	r, err := p.NewRollout(mep.RolloutOptions{Name: "bench", T0: t0, Runbook: book,
		Readiness: checklist.List{Name: "readiness", Mode: checklist.DoConfirm, Items: items}, Policies: standardSet(b)})
	if err != nil {
		b.Fatal(err)
	}
	for _, it := range items {
		if err := r.Readiness().Check(it.ID, "Otto", t0.Add(-3*time.Hour), ""); err != nil {
			b.Fatal(err)
		}
	}
	if _, err := r.Vote(mep.Vote{Role: "operations", By: "Otto", Go: true, At: t0.Add(-40 * time.Minute)}); err != nil {
		b.Fatal(err)
	}
	return r, t0
}

// BenchmarkDecide evaluates a go/no-go: a 200-item checklist and the
// standard policy set (Evaluate is Decide without the journal write).
func BenchmarkDecide(b *testing.B) {
	r, t0 := benchRollout(b, 5)
	now := t0.Add(-30 * time.Minute)
	if v := r.Evaluate(ctx, now); v.Decision != mep.Go {
		b.Fatalf("got %s", v)
	}
	b.ReportAllocs()
	for b.Loop() {
		r.Evaluate(ctx, now)
	}
}

// BenchmarkReport builds the report of a rollout with 10,000 steps (20,000
// journal entries) and renders it in each format.
func BenchmarkReport(b *testing.B) {
	r, t0 := benchRollout(b, 10_000)
	if _, err := r.Decide(ctx, t0.Add(-30*time.Minute)); err != nil {
		b.Fatal(err)
	}
	j := r.Journal()
	at := t0
	for _, s := range r.Runbook() {
		if _, err := j.Record(timeline.Entry{At: at, Kind: timeline.KindStart, Step: s.ID, Impact: s.Impact}); err != nil {
			b.Fatal(err)
		}
		at = at.Add(time.Second)
		if _, err := j.Record(timeline.Entry{At: at, Kind: timeline.KindEnd, Step: s.ID}); err != nil {
			b.Fatal(err)
		}
	}
	for _, format := range []string{"markdown", "html", "json"} {
		b.Run(format, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				rep := r.Report(at)
				var err error
				switch format {
				case "markdown":
					err = rep.WriteMarkdown(io.Discard)
				case "html":
					err = rep.WriteHTML(io.Discard)
				default:
					err = rep.WriteJSON(io.Discard)
				}
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
