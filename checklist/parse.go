package checklist

import (
	"bytes"
	"cmp"
	"errors"
	"io"
	"os"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/internal/jsonyaml"
)

// DefaultMaxBytes is the largest checklist file [Parse] reads: 2 MiB.
// A checklist people work through holds tens or hundreds of items, about
// 150 bytes each in YAML; 2 MiB is over 10,000 such items, which parse in
// well under a second and about 60 MB of memory. Raise it with
// [ParseOptions.MaxBytes] for generated lists.
const DefaultMaxBytes = 2 << 20

// ParseOptions configure [ParseWith] and [ParseFile]. A nil *ParseOptions
// and the zero value mean the defaults. The parser copies what it needs
// and never changes the options.
type ParseOptions struct {
	// MaxBytes is the largest input accepted, in bytes, byte order mark
	// included; larger input is refused at once, before decoding, with an
	// error wrapping [ErrTooLarge]. Zero or less: [DefaultMaxBytes].
	MaxBytes int
	// MaxProblems is how many problems a [*ListError] keeps; the others
	// are counted in [ListError.More]. Zero or less: [DefaultMaxProblems].
	MaxProblems int
}

func (o *ParseOptions) maxBytes() int {
	if o == nil || o.MaxBytes <= 0 {
		return DefaultMaxBytes
	}
	return o.MaxBytes
}

func (o *ParseOptions) maxProblems() int {
	if o == nil || o.MaxProblems <= 0 {
		return DefaultMaxProblems
	}
	return o.MaxProblems
}

// Parse reads a checklist file, YAML or JSON (one schema, see the package
// documentation), of at most [DefaultMaxBytes], and validates the list as
// [List.Validate] does. It is [ParseWith] with default options.
//
// Fields are the snake_case of the Go names: name, mode ("read-do" or
// "do-confirm"), ordered, waive_required, items; per item id, title,
// section, owner, optional, deadline (a Go duration such as "-1h" or
// "-30m"), depends_on (a list of IDs), offline and purpose (what the item
// is for, as [ParsePurpose] reads it: "install-procedure",
// "config-backup", ...; omitted for a general item). Unknown and repeated
// fields are rejected, and so are numbers, booleans and dates where a
// string is wanted (in YAML, quote them: id: "1"), and so is an unknown
// purpose. JSON is checked as JSON first, so its syntax errors are JSON's,
// with the line and column; control characters and invalid UTF-8, which
// YAML refuses, are reported with theirs too. Anchors and aliases may
// reuse a value, but a document that its aliases expand beyond twice its
// written size, or with an alias inside the node it names, is refused at
// the alias.
//
// On error the returned List is the zero List and the error is a
// [*ListError] holding every problem found, in file order, each an
// [*Error] naming the line, the item ID when it has one, and the field:
// the parser goes on after a problem in a field or an item, and stops at
// the first syntax error.
func Parse(data []byte) (List, error) {
	return ParseWith(data, nil)
}

// ParseWith is [Parse] with options: a larger size limit, or more
// problems kept. opts may be nil. Parse time and memory grow linearly with
// the size of data.
func ParseWith(data []byte, opts *ParseOptions) (List, error) {
	if limit := opts.maxBytes(); len(data) > limit {
		return List{}, tooLarge(int64(len(data)), limit)
	}
	max := opts.maxProblems()
	doc, err := decodeDocument(data)
	if err != nil {
		return List{}, &ListError{Problems: []*Error{err}}
	}
	var d decoder
	var l List
	if err := d.list(doc, &l); err != nil {
		return List{}, &ListError{Problems: []*Error{err}}
	}
	if err := d.finish(l, max); err != nil {
		return List{}, err
	}
	return l, nil
}

// ParseFile reads the checklist file at path as [ParseWith] does. The size
// limit applies before the file is read: a larger file is refused without
// reading it, with an error wrapping [ErrTooLarge]. Errors opening or
// reading the file are returned as they are (an [*fs.PathError]).
func ParseFile(path string, opts *ParseOptions) (List, error) {
	f, err := os.Open(path)
	if err != nil {
		return List{}, err
	}
	defer f.Close()
	limit := opts.maxBytes()
	fi, err := f.Stat()
	if err != nil {
		return List{}, err
	}
	if fi.Mode().IsRegular() && fi.Size() > int64(limit) {
		return List{}, tooLarge(fi.Size(), limit)
	}
	// The file may grow, or not be a regular file: read one byte more
	// than the limit to know.
	data, err := io.ReadAll(io.LimitReader(f, int64(limit)+1))
	if err != nil {
		return List{}, err
	}
	if len(data) > limit {
		return List{}, tooLarge(-1, limit)
	}
	return ParseWith(data, opts)
}

// tooLarge is the error for input of size bytes (-1: unknown, over the
// limit) over limit.
func tooLarge(size int64, limit int) error {
	what := "more than"
	if size >= 0 {
		what = thousands(int(size)) + " bytes, more than"
	}
	return &ListError{Problems: []*Error{{Index: -1, Err: why(ErrTooLarge,
		"input too large: %s the limit of %s bytes (ParseOptions.MaxBytes)", what, thousands(limit))}}}
}

// decodeDocument reads data as one YAML document (JSON is prepared as
// YAML first).
func decodeDocument(data []byte) (*yaml.Node, *Error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	// JSON: check it with the JSON decoder, for JSON's own errors, then
	// read it as the YAML it also is, once prepared. YAML: Prepare checks
	// for the characters YAML refuses, to name their line.
	data, err := jsonyaml.Prepare(data)
	if err != nil {
		var se *jsonyaml.SyntaxError
		if !errors.As(err, &se) {
			return nil, &Error{Index: -1, Err: why(ErrInvalid, "syntax error: %v", err)}
		}
		return nil, &Error{Line: se.Line, Column: se.Column, Index: -1, Err: why(ErrInvalid, "syntax error: %s", se.Msg)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return nil, &Error{Line: 1, Index: -1, Err: why(ErrInvalid, "empty document")}
		}
		return nil, yamlError(err, data)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			return nil, yamlError(err, data)
		}
		return nil, &Error{Line: next.Line, Index: -1, Err: why(ErrInvalid, "syntax error: a second document; a file holds one list")}
	}
	return &doc, nil
}

// decoder turns a YAML document into a List, and keeps the problems it
// finds on the way and where things were, for the problems found after.
type decoder struct {
	errs  []*Error
	mode  int // line of the mode
	items []itemLines
	// bad marks what a decoding problem was reported on: validation says
	// nothing more about it.
	bad map[place]bool
}

type place struct {
	index int
	field string
}

type itemLines struct {
	item, id, title, dependsOn int
}

func (d *decoder) add(e *Error) {
	d.errs = append(d.errs, e)
	if d.bad == nil {
		d.bad = map[place]bool{}
	}
	d.bad[place{e.Index, e.Field}] = true
}

// finish validates the decoded list, and returns the problems of
// decoding and validation in file order, or nil.
func (d *decoder) finish(l List, max int) error {
	verrs, more := l.problems(max)
	if len(verrs) == 0 && len(d.errs) == 0 {
		return nil
	}
	errs := d.errs
	for _, e := range verrs {
		if d.bad[place{e.Index, e.Field}] || (e.Index >= 0 && d.bad[place{e.Index, ""}]) {
			continue // follows from a problem already reported
		}
		e.Line = d.line(e.Index, e.Field)
		errs = append(errs, e)
	}
	slices.SortStableFunc(errs, func(a, b *Error) int { return cmp.Compare(a.Line, b.Line) })
	return newListError(errs, more, max)
}

// line returns the line of an item's field, or of the item.
func (d *decoder) line(index int, field string) int {
	if index < 0 || index >= len(d.items) {
		if field == "mode" {
			return d.mode
		}
		return 0
	}
	il := d.items[index]
	line := 0
	switch field {
	case "id":
		line = il.id
	case "title":
		line = il.title
	case "depends_on":
		line = il.dependsOn
	}
	if line == 0 {
		line = il.item
	}
	return line
}

// list decodes the document into l, keeping the problems it can go on
// after; it returns the one it cannot go on after.
func (d *decoder) list(doc *yaml.Node, l *List) *Error {
	if err := checkAliases(doc); err != nil {
		return err
	}
	root := doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return &Error{Line: 1, Index: -1, Err: why(ErrInvalid, "empty document")}
		}
		root = root.Content[0]
	}
	root = deref(root)
	if root.Kind != yaml.MappingNode {
		return &Error{Line: root.Line, Index: -1, Err: why(ErrInvalid, "invalid value: want a mapping with name and items")}
	}
	var seen [len(listFields)]bool
	for k := 0; k+1 < len(root.Content); k += 2 {
		key, val := deref(root.Content[k]), deref(root.Content[k+1])
		field := slices.Index(listFields[:], key.Value)
		if field < 0 {
			d.add(&Error{Line: key.Line, Index: -1, Field: key.Value,
				Err: why(ErrInvalid, "unknown field: want name, mode, ordered, waive_required or items")})
			continue
		}
		if seen[field] {
			d.add(&Error{Line: key.Line, Index: -1, Field: key.Value, Err: why(ErrInvalid, "field given twice")})
			continue
		}
		seen[field] = true
		var err error
		switch key.Value {
		case "name":
			l.Name, err = str(val)
		case "mode":
			var s string
			if s, err = str(val); err == nil {
				l.Mode, err = ParseMode(s)
				d.mode = val.Line
			}
		case "ordered":
			l.Ordered, err = boolean(val)
		case "waive_required":
			l.WaiveRequired, err = boolean(val)
		case "items":
			err = d.itemList(val, l)
		}
		if err != nil {
			d.add(&Error{Line: val.Line, Index: -1, Field: key.Value, Err: err})
		}
	}
	return nil
}

var listFields = [...]string{"name", "mode", "ordered", "waive_required", "items"}

func (d *decoder) itemList(val *yaml.Node, l *List) error {
	if val.Kind == yaml.ScalarNode && val.ShortTag() == "!!null" {
		return nil
	}
	if val.Kind == yaml.SequenceNode && len(val.Content) == 0 {
		return nil // no items: a nil slice, as in Go
	}
	if val.Kind != yaml.SequenceNode {
		return why(ErrInvalid, "invalid value: want a list of items")
	}
	l.Items = make([]Item, len(val.Content))
	d.items = make([]itemLines, len(val.Content))
	for i, n := range val.Content {
		d.item(deref(n), i, &l.Items[i], &d.items[i])
	}
	return nil
}

func (d *decoder) item(n *yaml.Node, index int, it *Item, il *itemLines) {
	il.item = n.Line
	if n.Kind != yaml.MappingNode {
		d.add(&Error{Line: n.Line, Index: index, Err: why(ErrInvalid, "invalid value: want a mapping with id and title")})
		return
	}
	// The ID first, so that every error can name the item.
	for k := 0; k+1 < len(n.Content); k += 2 {
		if deref(n.Content[k]).Value == "id" {
			if v := deref(n.Content[k+1]); v.Kind == yaml.ScalarNode && v.ShortTag() == "!!str" {
				it.ID = v.Value
			}
			break
		}
	}
	var seen [len(itemFields)]bool
	for k := 0; k+1 < len(n.Content); k += 2 {
		key, val := deref(n.Content[k]), deref(n.Content[k+1])
		field := slices.Index(itemFields[:], key.Value)
		if field < 0 {
			d.add(&Error{Line: key.Line, Index: index, Item: it.ID, Field: key.Value,
				Err: why(ErrInvalid, "unknown field: want one of %s", strings.Join(itemFields[:], ", "))})
			continue
		}
		if seen[field] {
			d.add(&Error{Line: key.Line, Index: index, Item: it.ID, Field: key.Value, Err: why(ErrInvalid, "field given twice")})
			continue
		}
		seen[field] = true
		var err error
		switch field {
		case 0:
			it.ID, err = str(val)
			il.id = val.Line
		case 1:
			it.Title, err = str(val)
			il.title = val.Line
		case 2:
			it.Section, err = str(val)
		case 3:
			it.Owner, err = str(val)
		case 4:
			it.Optional, err = boolean(val)
		case 5:
			it.Deadline, err = duration(val)
		case 6:
			il.dependsOn = val.Line
			it.DependsOn, err = strs(val)
		case 7:
			it.Offline, err = boolean(val)
		case 8:
			var text string
			if text, err = str(val); err == nil {
				it.Purpose, err = ParsePurpose(text)
			}
		}
		if err != nil {
			d.add(&Error{Line: val.Line, Index: index, Item: it.ID, Field: key.Value, Err: err})
		}
	}
}

var itemFields = [...]string{"id", "title", "section", "owner", "optional", "deadline", "depends_on", "offline", "purpose"}

// deref follows an alias to its anchored node, one level: an anchored
// node is never itself an alias.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// yamlError turns an error of the YAML decoder of data into an [*Error]
// with the line, as [jsonyaml.DecodeError] finds it.
func yamlError(err error, data []byte) *Error {
	se := jsonyaml.DecodeError(err, data)
	return &Error{Line: se.Line, Index: -1, Err: why(ErrInvalid, "syntax error: %s", se.Msg)}
}
