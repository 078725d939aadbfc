package mep

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mepkit/mepkit/timeline"
)

// Lesson is a lesson learned (retex) at a review, with the action that
// applies it in later deployments (R12).
type Lesson struct {
	ID      int           `json:"id"`           // 1, 2, 3, ... assigned by the project
	At      time.Time     `json:"at"`           // when it was recorded
	From    string        `json:"from"`         // the deployment or rollout whose review taught it
	Text    string        `json:"text"`         // what was learned
	Action  string        `json:"action"`       // what later deployments do to apply it
	By      string        `json:"by,omitempty"` // who recorded it
	Applied []Application `json:"applied,omitempty"`
}

// Application records that a deployment applied a lesson.
type Application struct {
	Rollout string    `json:"rollout"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Note    string    `json:"note,omitempty"`
}

func (l Lesson) clone() Lesson {
	l.Applied = slices.Clone(l.Applied)
	return l
}

// IsAppliedIn reports whether the lesson was applied in the named rollout.
func (l Lesson) IsAppliedIn(rollout string) bool {
	return slices.ContainsFunc(l.Applied, func(a Application) bool { return a.Rollout == rollout })
}

// LessonSpec describes a lesson to record.
type LessonSpec struct {
	From   string    // the deployment or rollout whose review taught it; required
	Text   string    // what was learned; required
	Action string    // the action that applies it; required (R12)
	By     string    // who records it; optional
	At     time.Time // zero: the project's clock
}

// AddLesson records a lesson and journals it (kind lesson). It returns a
// *FieldError for an empty From, Text or Action.
func (p *Project) AddLesson(s LessonSpec) (Lesson, error) {
	switch {
	case strings.TrimSpace(s.From) == "":
		return Lesson{}, fieldErr("lesson.from", s.From, "empty")
	case strings.TrimSpace(s.Text) == "":
		return Lesson{}, fieldErr("lesson.text", s.Text, "empty")
	case strings.TrimSpace(s.Action) == "":
		return Lesson{}, fieldErr("lesson.action", s.Action, "empty: a lesson comes with the action that applies it (R12)")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	at := s.At
	if at.IsZero() {
		at = p.now()
	}
	l := Lesson{ID: len(p.lessons) + 1, At: at.Round(0), From: s.From, Text: s.Text, Action: s.Action, By: s.By}
	if _, err := p.journal.Record(timeline.Entry{
		At: l.At, Kind: kindLesson, Actor: l.By, Text: l.Text,
		Attrs: map[string]string{"lesson": strconv.Itoa(l.ID), "event": "recorded", "from": l.From, "action": l.Action},
	}); err != nil {
		return Lesson{}, fmt.Errorf("mep: journal lesson: %w", err)
	}
	p.lessons = append(p.lessons, l)
	p.rev++
	return l.clone(), nil
}

// ApplyLesson records that rollout applied lesson id, and journals it. It
// returns a *NotFoundError for an unknown lesson, a *FieldError for an
// empty rollout or by, and nil if the lesson was already applied in that
// rollout.
func (p *Project) ApplyLesson(id int, rollout, by string, at time.Time, note string) error {
	if strings.TrimSpace(rollout) == "" {
		return fieldErr("application.rollout", rollout, "empty")
	}
	if strings.TrimSpace(by) == "" {
		return fieldErr("application.by", by, "empty")
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if id < 1 || id > len(p.lessons) {
		return &NotFoundError{What: "lesson", Key: strconv.Itoa(id)}
	}
	l := &p.lessons[id-1]
	if l.IsAppliedIn(rollout) {
		return nil
	}
	if at.IsZero() {
		at = p.now()
	}
	a := Application{Rollout: rollout, By: by, At: at.Round(0), Note: note}
	if _, err := p.journal.Record(timeline.Entry{
		At: a.At, Kind: kindLesson, Actor: by, Text: l.Text,
		Attrs: map[string]string{"lesson": strconv.Itoa(id), "event": "applied", "rollout": rollout},
	}); err != nil {
		return fmt.Errorf("mep: journal lesson: %w", err)
	}
	l.Applied = append(l.Applied, a)
	p.rev++
	return nil
}

// Lessons returns every lesson, in the order recorded.
func (p *Project) Lessons() []Lesson {
	p.mu.Lock()
	defer p.mu.Unlock()
	out := make([]Lesson, len(p.lessons))
	for i := range p.lessons {
		out[i] = p.lessons[i].clone()
	}
	return out
}

// Unapplied returns the lessons that rollout has not applied yet, in the
// order recorded, leaving out those learned from rollout itself (R12).
func (p *Project) Unapplied(rollout string) []Lesson {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []Lesson
	for i := range p.lessons {
		l := &p.lessons[i]
		if l.From != rollout && !l.IsAppliedIn(rollout) {
			out = append(out, l.clone())
		}
	}
	return out
}
