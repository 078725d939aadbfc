// Package mep runs a go-live project by the method of mepkit: a [Project]
// moves through the phases ([Scoping] to [Operations]) past gates that
// check the evidence of each phase, with its people, its meetings and
// actions ([Tracker]), its lessons, a phase budget and a journal of every
// transition, and saves to a directory that [Load] reads back.
package mep
