package mep

import (
	"slices"
	"strconv"
	"strings"
	"time"
)

// Lesson is a lesson learned (retex) at a review, with the action that
// applies it in later deployments (R12).
type Lesson struct {
	ID      int           `json:"id"`           // 1, 2, 3, ... in the order recorded
	At      time.Time     `json:"at"`           // when it was recorded
	From    string        `json:"from"`         // the rollout whose review taught it
	Text    string        `json:"text"`         // what was learned
	Action  string        `json:"action"`       // what later deployments do to apply it
	By      string        `json:"by,omitempty"` // who recorded it
	Applied []Application `json:"applied,omitempty"`
}

// Application records that a deployment applied a lesson, or waived it
// with a reason.
type Application struct {
	Rollout string    `json:"rollout"`
	By      string    `json:"by"`
	At      time.Time `json:"at"`
	Note    string    `json:"note,omitempty"`   // a waiver: the reason
	Waived  bool      `json:"waived,omitempty"` // not applied, for the reason in Note
}

// clones returns a copy of xs that shares nothing with it, each element
// by its clone.
func clones[T interface{ clone() T }](xs []T) []T {
	out := make([]T, len(xs))
	for i := range xs {
		out[i] = xs[i].clone()
	}
	return out
}

func (l Lesson) clone() Lesson {
	l.Applied = slices.Clone(l.Applied)
	return l
}

// isAppliedIn reports whether the lesson was applied, or waived, in the
// named rollout.
func (l Lesson) isAppliedIn(rollout string) bool {
	return slices.ContainsFunc(l.Applied, func(a Application) bool { return a.Rollout == rollout })
}

// isSettled reports whether the lesson was applied or waived in some
// deployment (R12).
func (l Lesson) isSettled() bool { return len(l.Applied) > 0 }

// Lessons is the lessons of a project (R12). Every change is recorded.
// Get it with [Project.Lessons]; it shares the project's lock.
type Lessons struct{ p *Project }

// Lessons returns the project's lessons.
func (p *Project) Lessons() Lessons { return Lessons{p} }

// Learn records a lesson from the review of rollout from, with the
// action that applies it (R12), at at (zero: the project's clock). It
// returns a *FieldError for an empty text or action, and a
// *notFoundError for a rollout the project does not have.
func (ls Lessons) Learn(from, text, action, by string, at time.Time) (Lesson, error) {
	switch {
	case strings.TrimSpace(text) == "":
		return Lesson{}, fieldErr("lesson.text", text, "empty")
	case strings.TrimSpace(action) == "":
		return Lesson{}, fieldErr("lesson.action", action, "empty: a lesson comes with the action that applies it (R12)")
	}
	ev := &evLesson{At: ls.p.stamp(at), From: from, Text: text, Action: action, By: by}
	if err := ls.p.record(ev); err != nil {
		return Lesson{}, err
	}
	var out Lesson
	ls.p.read(func(st *state) { out = st.lessons[ev.id-1].clone() })
	return out, nil
}

// Apply records that rollout applied lesson id (R12). With waive, the
// lesson is waived instead, and note, the reason, is required. It
// returns an error wrapping [ErrNotFound] for an unknown lesson or rollout, a
// *FieldError for an empty by, and nil if the lesson was already applied
// or waived in that rollout.
func (ls Lessons) Apply(id int, rollout, by string, at time.Time, note string, waive bool) error {
	switch {
	case strings.TrimSpace(by) == "":
		return fieldErr("application.by", by, "empty")
	case waive && strings.TrimSpace(note) == "":
		return fieldErr("application.note", note, "empty: a waived lesson needs the reason (R12)")
	}
	return ls.p.record(&evApply{At: ls.p.stamp(at), ID: id, Rollout: rollout, By: by, Note: note, Waived: waive})
}

// All returns every lesson, in the order recorded.
func (ls Lessons) All() []Lesson {
	var out []Lesson
	ls.p.read(func(st *state) {
		out = clones(st.lessons)
	})
	return out
}

// Unapplied returns the lessons that rollout has not applied nor waived
// yet, in the order recorded, leaving out those learned from rollout
// itself (R12).
func (ls Lessons) Unapplied(rollout string) []Lesson {
	var out []Lesson
	ls.p.read(func(st *state) { out = st.unapplied(rollout) })
	return out
}

func (st *state) unapplied(rollout string) []Lesson {
	var out []Lesson
	for i := range st.lessons {
		l := &st.lessons[i]
		if l.From != rollout && !l.isAppliedIn(rollout) {
			out = append(out, l.clone())
		}
	}
	return out
}

// evLesson records a lesson (R12).
type evLesson struct {
	At                 time.Time
	From, Text, Action string
	By                 string

	id int // set by apply: the lesson's ID
}

func (*evLesson) kind() string      { return "lesson" }
func (v *evLesson) when() time.Time { return v.At }
func (v *evLesson) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Text)
	c.need("from", &v.From)
	c.need("action", &v.Action)
}

var _ = register[evLesson]()

func (v *evLesson) check(st *state) error {
	switch {
	case strings.TrimSpace(v.Text) == "":
		return fieldErr("lesson.text", v.Text, "empty")
	case strings.TrimSpace(v.Action) == "":
		return fieldErr("lesson.action", v.Action, "empty: a lesson comes with the action that applies it (R12)")
	case !st.mayAct(v.By):
		return fieldErr("lesson.by", v.By, unknownPerson)
	}
	_, err := st.rollout(v.From)
	return err
}

func (v *evLesson) apply(st *state) {
	v.id = len(st.lessons) + 1
	st.lessons = append(st.lessons, Lesson{ID: v.id, At: v.At, From: v.From, Text: v.Text, Action: v.Action, By: v.By})
}

// evApply records that a rollout applied a lesson, or waived it with a
// reason (R12).
type evApply struct {
	At                time.Time
	ID                int
	Rollout, By, Note string
	Waived            bool
}

func (*evApply) kind() string      { return "lesson.apply" }
func (v *evApply) when() time.Time { return v.At }
func (v *evApply) fields(c codec) {
	c.at(&v.At)
	c.by(&v.By)
	c.text(&v.Note)
	c.int("id", &v.ID)
	c.str("rollout", &v.Rollout)
	c.bool("waived", &v.Waived)
}

var _ = register[evApply]()

// prepare makes applying a lesson twice in a rollout a no-op.
func (v *evApply) prepare(_ *Project, st *state) error {
	if v.ID >= 1 && v.ID <= len(st.lessons) && st.lessons[v.ID-1].isAppliedIn(v.Rollout) {
		return errNothing
	}
	return nil
}

func (v *evApply) check(st *state) error {
	if _, err := st.rollout(v.Rollout); err != nil {
		return err
	}
	switch {
	case v.ID < 1 || v.ID > len(st.lessons):
		return &notFoundError{What: "lesson", Key: strconv.Itoa(v.ID)}
	case strings.TrimSpace(v.By) == "":
		return fieldErr("application.by", v.By, "empty")
	case !st.mayAct(v.By):
		return fieldErr("application.by", v.By, unknownPerson)
	case v.Waived && strings.TrimSpace(v.Note) == "":
		return fieldErr("application.note", v.Note, "empty: a waived lesson needs the reason (R12)")
	}
	return nil
}

func (v *evApply) apply(st *state) {
	l := &st.lessons[v.ID-1]
	l.Applied = append(l.Applied, Application{Rollout: v.Rollout, By: v.By, At: v.At, Note: v.Note, Waived: v.Waived})
}
