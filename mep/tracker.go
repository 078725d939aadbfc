package mep

import (
	"slices"
	"strings"
	"time"
)

// Tracker is the meetings of a project and the actions they hand out,
// across meetings (R6): open, done, cancelled, overdue, and the next
// meeting's agenda. Every change is recorded. Get it with
// [Project.Tracker]; it shares the project's lock.
type Tracker struct{ p *Project }

// Tracker returns the project's meetings and actions.
func (p *Project) Tracker() Tracker { return Tracker{p} }

// SetCadence changes the meeting cadence for the meetings to come, for
// instance from weekly to fortnightly once the project is stable (R10).
// It returns a *FieldError for a negative count.
func (t Tracker) SetCadence(c Cadence, by string) error {
	if err := c.validate(); err != nil {
		return err
	}
	return t.p.record(&evCadence{At: t.p.now(), Cadence: c, By: by})
}

// Cadence returns the meeting cadence last set with SetCadence; the
// zero Cadence when none was.
func (t Tracker) Cadence() Cadence {
	var c Cadence
	t.p.read(func(st *state) { c = st.cadence })
	return c
}

// Hold records a meeting and hands out its actions, each due by default on
// the next meeting's date (R6). It returns the meeting as stored, with its
// ID and the IDs of its actions.
//
// Hold returns a *FieldError naming the field for a zero At, no attendee,
// an empty attendee, one who is neither a member nor a declared guest,
// an empty decision, action title or owner, a Next not after At, an
// action with no due date when the next meeting's date is unknown, and a
// meeting that neither hands out actions nor says why not in NoActions
// (or does both). Nothing is recorded then.
func (t Tracker) Hold(m Minutes) (Meeting, error) {
	if m.At.IsZero() {
		return Meeting{}, fieldErr("meeting.at", "", "zero time")
	}
	ev := &evMeeting{
		At: m.At.Round(0), Title: m.Title, Attendees: slices.Clone(m.Attendees), Notes: m.Notes,
		Decisions: slices.Clone(m.Decisions), Actions: slices.Clone(m.Actions), NoActions: m.NoActions,
		Next: m.Next.Round(0), By: m.By,
	}
	if err := t.p.record(ev); err != nil {
		return Meeting{}, err
	}
	var out Meeting
	t.p.read(func(st *state) { out = st.meetings[ev.id-1].clone() })
	return out, nil
}

// Assign hands out an action outside a meeting, at the given time (zero:
// the project's clock). A zero Due means the latest meeting's Next date,
// or the cadence's suggestion. It returns a *FieldError for an empty
// title or owner, or no due date to be found.
func (t Tracker) Assign(s ActionSpec, by string, at time.Time) (Action, error) {
	if err := s.validate("action"); err != nil {
		return Action{}, err
	}
	s.Due = s.Due.Round(0)
	ev := &evAssign{At: t.p.stamp(at), Spec: s, By: by}
	if err := t.p.record(ev); err != nil {
		return Action{}, err
	}
	var out Action
	t.p.read(func(st *state) { out = st.actions[ev.id-1] })
	return out, nil
}

// nextDate returns the next meeting's date: the latest meeting's Next, or
// the cadence's suggestion after it.
func (st *state) nextDate(loc *time.Location) time.Time {
	if st.latest == 0 {
		return time.Time{}
	}
	last := &st.meetings[st.latest-1]
	if !last.Next.IsZero() {
		return last.Next
	}
	return st.cadence.next(last.At, loc)
}

// Done closes action id as done by by at at (zero: the project's clock),
// with an optional note. It returns an error wrapping [ErrNotFound] for an unknown ID, a
// *FieldError for an empty by, and an error wrapping [ErrActionClosed] if the
// action is already closed.
func (t Tracker) Done(id int, by string, at time.Time, note string) error {
	return t.close(id, by, at, note, ActionDone)
}

// Cancel closes action id as cancelled, with a reason (required). Errors
// are those of [Tracker.Done], and a *FieldError for an empty reason.
func (t Tracker) Cancel(id int, by string, at time.Time, reason string) error {
	if strings.TrimSpace(reason) == "" {
		return fieldErr("action.reason", "", "a cancelled action needs a reason")
	}
	return t.close(id, by, at, reason, ActionCancelled)
}

func (t Tracker) close(id int, by string, at time.Time, note string, s ActionStatus) error {
	if strings.TrimSpace(by) == "" {
		return fieldErr("action.closed_by", by, "empty")
	}
	return t.p.record(&evClose{At: t.p.stamp(at), ID: id, Status: s, By: by, Note: note})
}

// Actions returns every action, in the order handed out.
func (t Tracker) Actions() []Action {
	var out []Action
	t.p.read(func(st *state) { out = slices.Clone(st.actions) })
	return out
}

func (st *state) overdue(now time.Time) []Action {
	var out []Action
	for i := range st.actions {
		if st.actions[i].isOverdue(now) {
			out = append(out, st.actions[i])
		}
	}
	return out
}

// Agenda returns the next meeting's agenda as it stands at now: its date
// and the open actions it carries over, the overdue ones (due before now)
// apart.
func (t Tracker) Agenda(now time.Time) Agenda {
	var ag Agenda
	t.p.read(func(st *state) {
		ag.At = st.nextDate(t.p.loc)
		for i := range st.actions {
			a := &st.actions[i]
			switch {
			case a.Status != ActionOpen:
			case a.Due.Before(now):
				ag.Overdue = append(ag.Overdue, *a)
			default:
				ag.Open = append(ag.Open, *a)
			}
		}
	})
	return ag
}

// Meetings returns every meeting, in the order held.
func (t Tracker) Meetings() []Meeting {
	var out []Meeting
	t.p.read(func(st *state) {
		out = clones(st.meetings)
	})
	return out
}
