package checklist

import (
	"strings"
	"unicode/utf8"
)

var errUTF8 = why(ErrInvalid, "not valid UTF-8")

// Validate reports whether the list is well formed: every item has a
// non-empty ID, unique in the list, and a non-empty title; names, IDs,
// titles, sections and owners are valid UTF-8; every purpose is known; every
// dependency names an item of the list; dependencies have no cycle; the
// mode is known. It returns nil, or a [*ListError] holding one [*Error]
// per problem in item order (at most [DefaultMaxProblems], the others
// counted), each naming the item and the field and wrapping [ErrInvalid];
// a cycle is a [*CycleError] naming it. It takes time linear in the size
// of the list.
func (l List) Validate() error {
	errs, more := l.problems(DefaultMaxProblems)
	return newListError(errs, more, DefaultMaxProblems)
}

// problems returns the problems Validate reports, in item order: every
// one, except cycles past the max-th, which are only counted in more.
func (l List) problems(max int) (errs []*Error, more int) {
	if l.Mode > DoConfirm {
		errs = append(errs, &Error{Index: -1, Field: "mode", Err: why(ErrInvalid, "invalid mode: %d", uint8(l.Mode))})
	}
	if !utf8.ValidString(l.Name) {
		errs = append(errs, &Error{Index: -1, Field: "name", Err: errUTF8})
	}
	index := make(map[string]int, len(l.Items))
	for i, it := range l.Items {
		// A snapshot, in JSON, could not give back such strings.
		for _, f := range [...]struct{ name, s string }{{"id", it.ID}, {"title", it.Title}, {"section", it.Section}, {"owner", it.Owner}} {
			if !utf8.ValidString(f.s) {
				errs = append(errs, &Error{Index: i, Field: f.name, Err: errUTF8})
			}
		}
		switch {
		case strings.TrimSpace(it.ID) == "":
			errs = append(errs, &Error{Index: i, Field: "id", Err: why(ErrInvalid, "empty item ID")})
		default:
			if first, dup := index[it.ID]; dup {
				errs = append(errs, &Error{Index: i, Item: it.ID, Field: "id",
					Err: why(ErrInvalid, "duplicate item ID: also item #%d", first+1)})
			} else {
				index[it.ID] = i
			}
		}
		if strings.TrimSpace(it.Title) == "" {
			errs = append(errs, &Error{Index: i, Item: it.ID, Field: "title", Err: why(ErrInvalid, "empty title")})
		}
		if !it.Purpose.valid() {
			errs = append(errs, &Error{Index: i, Item: it.ID, Field: "purpose", Err: errPurpose(it.Purpose)})
		}
	}
	for i, it := range l.Items {
		for _, d := range it.DependsOn {
			if _, ok := index[d]; !ok {
				errs = append(errs, &Error{Index: i, Item: it.ID, Field: "depends_on",
					Err: why(ErrInvalid, "unknown dependency: %q", d)})
			}
		}
	}
	cycles, more := l.cycles(index, max)
	return append(errs, cycles...), more
}

// cycles finds the dependency cycles, each reported once, on the item
// where the search met it; it names the first max of them and counts the
// others. index maps IDs to their first position. The search is a depth-
// first walk without recursion, linear in the items and dependencies.
func (l List) cycles(index map[string]int, max int) (errs []*Error, more int) {
	const (
		white = iota
		grey
		black
	)
	type frame struct{ item, next int } // next: the next dependency to follow
	color := make([]uint8, len(l.Items))
	pos := make([]int, len(l.Items)) // a grey item's position on the path
	var path []frame
	push := func(i int) {
		color[i] = grey
		pos[i] = len(path)
		path = append(path, frame{item: i})
	}
	for root, it := range l.Items {
		if j, ok := index[it.ID]; !ok || j != root || color[root] != white {
			continue
		}
		push(root)
		for len(path) > 0 {
			top := &path[len(path)-1]
			deps := l.Items[top.item].DependsOn
			if top.next == len(deps) {
				color[top.item] = black
				path = path[:len(path)-1]
				continue
			}
			d := deps[top.next]
			top.next++
			j, ok := index[d]
			if !ok {
				continue
			}
			switch color[j] {
			case white:
				push(j)
			case grey:
				if len(errs) >= max {
					more++
					continue
				}
				ids := make([]string, 0, len(path)-pos[j]+1)
				for _, f := range path[pos[j]:] {
					ids = append(ids, l.Items[f.item].ID)
				}
				ids = append(ids, d)
				errs = append(errs, &Error{Index: j, Item: l.Items[j].ID, Field: "depends_on",
					Err: &CycleError{Path: ids}})
			}
		}
	}
	return errs, more
}
