package mep_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/mepkit/mepkit/mep"
)

func TestLessonsAppliedByLaterRollouts(t *testing.T) {
	c := newClock(utc(2026, 4, 1, 9, 0))
	p := newProject(t, c)
	l1, err := p.AddLesson(mep.LessonSpec{From: "site-A", Text: "the DNS TTL was a day long", Action: "lower the TTL to 300s the day before", By: "Otto"})
	require.NoError(t, err)
	assert.Equal(t, 1, l1.ID)
	assert.True(t, l1.At.Equal(c.now()), "a zero At is the project clock's time")
	_, err = p.AddLesson(mep.LessonSpec{From: "site-A", Text: "the printer was offline", Action: "print the runbook at T-1d"})
	require.NoError(t, err)

	assert.Empty(t, p.Unapplied("site-A"), "a rollout does not owe its own lessons")
	assert.Len(t, p.Unapplied("site-B"), 2)

	require.NoError(t, p.ApplyLesson(1, "site-B", "Bea", c.now(), "TTL lowered on the 3rd"))
	require.NoError(t, p.ApplyLesson(1, "site-B", "Bea", c.now(), ""), "applying twice is harmless")
	un := p.Unapplied("site-B")
	require.Len(t, un, 1)
	assert.Equal(t, 2, un[0].ID)
	assert.Len(t, p.Unapplied("site-C"), 2)
	assert.True(t, p.Lessons()[0].IsAppliedIn("site-B"))
	assert.Len(t, p.Lessons()[0].Applied, 1)

	var events []string
	for _, e := range p.Journal().Entries() {
		if e.Kind == "mep.lesson" {
			events = append(events, e.Attrs["lesson"]+":"+e.Attrs["event"])
		}
	}
	assert.Equal(t, []string{"1:recorded", "2:recorded", "1:applied"}, events)
}

func TestLessonBadInput(t *testing.T) {
	p := newProject(t, newClock(utc(2026, 4, 1, 9, 0)))
	for field, s := range map[string]mep.LessonSpec{
		"lesson.from":   {Text: "t", Action: "a"},
		"lesson.text":   {From: "f", Action: "a"},
		"lesson.action": {From: "f", Text: "t"},
	} {
		_, err := p.AddLesson(s)
		var fe *mep.FieldError
		require.True(t, errors.As(err, &fe))
		assert.Equal(t, field, fe.Field)
	}
	assert.ErrorIs(t, p.ApplyLesson(7, "r", "b", utc(2026, 4, 1, 9, 0), ""), mep.ErrNotFound)
	assert.ErrorIs(t, p.ApplyLesson(1, "", "b", utc(2026, 4, 1, 9, 0), ""), mep.ErrInvalid)
	assert.ErrorIs(t, p.ApplyLesson(1, "r", "", utc(2026, 4, 1, 9, 0), ""), mep.ErrInvalid)
}
