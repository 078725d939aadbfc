package checklist

import (
	"errors"
	"strings"
)

// Validate reports whether the list is well formed: every item has a
// non-empty ID, unique in the list, and a non-empty title; every
// dependency names an item of the list; dependencies have no cycle; the
// mode is known. It returns nil, or one [*Error] per problem in item order
// (joined with [errors.Join] when there are several), each naming the item
// and wrapping a sentinel: [ErrEmptyID], [ErrDuplicateID], [ErrEmptyTitle],
// [ErrUnknownDependency], [ErrCycle] (with a [*CycleError] naming the
// cycle) or [ErrInvalidMode].
func (l List) Validate() error {
	return joinErrors(l.problems())
}

func joinErrors(errs []*Error) error {
	switch len(errs) {
	case 0:
		return nil
	case 1:
		return errs[0]
	}
	all := make([]error, len(errs))
	for i, e := range errs {
		all[i] = e
	}
	return errors.Join(all...)
}

// problems returns the problems Validate reports, in item order.
func (l List) problems() []*Error {
	var errs []*Error
	if l.Mode > DoConfirm {
		errs = append(errs, &Error{Index: -1, Field: "mode", Err: detail(ErrInvalidMode, "%d", uint8(l.Mode))})
	}
	index := make(map[string]int, len(l.Items))
	for i, it := range l.Items {
		switch {
		case strings.TrimSpace(it.ID) == "":
			errs = append(errs, &Error{Index: i, Field: "id", Err: ErrEmptyID})
		default:
			if first, dup := index[it.ID]; dup {
				errs = append(errs, &Error{Index: i, Item: it.ID, Field: "id",
					Err: detail(ErrDuplicateID, "also item #%d", first+1)})
			} else {
				index[it.ID] = i
			}
		}
		if strings.TrimSpace(it.Title) == "" {
			errs = append(errs, &Error{Index: i, Item: it.ID, Field: "title", Err: ErrEmptyTitle})
		}
	}
	for i, it := range l.Items {
		for _, d := range it.DependsOn {
			if _, ok := index[d]; !ok {
				errs = append(errs, &Error{Index: i, Item: it.ID, Field: "depends_on",
					Err: detail(ErrUnknownDependency, "%q", d)})
			}
		}
	}
	errs = append(errs, l.cycles(index)...)
	return errs
}

// cycles finds the dependency cycles, each reported once, on the item
// where the search met it. index maps IDs to their first position.
func (l List) cycles(index map[string]int) []*Error {
	const (
		white = iota
		grey
		black
	)
	color := make([]uint8, len(l.Items))
	var (
		errs  []*Error
		stack []int // the current path, for naming a cycle
	)
	var visit func(i int)
	visit = func(i int) {
		color[i] = grey
		stack = append(stack, i)
		for _, d := range l.Items[i].DependsOn {
			j, ok := index[d]
			if !ok {
				continue
			}
			switch color[j] {
			case white:
				visit(j)
			case grey:
				k := len(stack) - 1
				for stack[k] != j {
					k--
				}
				path := make([]string, 0, len(stack)-k+1)
				for _, s := range stack[k:] {
					path = append(path, l.Items[s].ID)
				}
				path = append(path, d)
				errs = append(errs, &Error{Index: j, Item: l.Items[j].ID, Field: "depends_on",
					Err: &CycleError{Path: path}})
			}
		}
		stack = stack[:len(stack)-1]
		color[i] = black
	}
	for i, it := range l.Items {
		if j, ok := index[it.ID]; ok && j == i && color[i] == white {
			visit(i)
		}
	}
	return errs
}
