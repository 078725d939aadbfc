package checklist

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/internal/durfmt"
	"github.com/mepkit/mepkit/internal/jsonyaml"
)

// Parse reads a checklist file, YAML or JSON (one schema, see the package
// documentation), and validates the list as [List.Validate] does.
//
// Fields are the snake_case of the Go names: name, mode ("read-do" or
// "do-confirm"), ordered, waive_required, items; per item id, title,
// section, owner, optional, deadline (a Go duration such as "-1h" or
// "-30m"), depends_on (a list of IDs) and offline. Unknown and repeated
// fields are rejected, and so are numbers, booleans and dates where a
// string is wanted (in YAML, quote them: id: "1"). JSON is checked as
// JSON first, so its syntax errors are JSON's, with the line. On error the returned List is the zero List and the
// error is one [*Error] per problem (joined with [errors.Join] when there
// are several), each naming the line, the item ID when it has one, and the
// field.
func Parse(data []byte) (List, error) {
	l, lines, err := decode(data)
	if err != nil {
		return List{}, err
	}
	if errs := l.problems(); len(errs) > 0 {
		for _, e := range errs {
			e.Line = lines.of(e.Index, e.Field)
		}
		return List{}, joinErrors(errs)
	}
	return l, nil
}

// fileLines keeps where things were in a parsed file, for the errors
// found after decoding.
type fileLines struct {
	mode  int
	items []itemLines
}

type itemLines struct {
	item, id, title, dependsOn int
}

func (fl *fileLines) of(index int, field string) int {
	if index < 0 || index >= len(fl.items) {
		if field == "mode" && fl.mode > 0 {
			return fl.mode
		}
		return 0
	}
	il := fl.items[index]
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

// decode turns a file into a List, without validating it.
func decode(data []byte) (List, *fileLines, error) {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	// JSON: check it with the JSON decoder, for JSON's own errors, then
	// read it as the YAML it also is, once prepared.
	data, err := jsonyaml.Prepare(data)
	if err != nil {
		var se *jsonyaml.SyntaxError
		if !errors.As(err, &se) {
			return List{}, nil, &Error{Index: -1, Err: detail(ErrSyntax, "%v", err)}
		}
		return List{}, nil, &Error{Line: se.Line, Index: -1, Err: detail(ErrSyntax, "%s", se.Msg)}
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if err == io.EOF {
			return List{}, nil, &Error{Line: 1, Index: -1, Err: ErrEmptyDocument}
		}
		return List{}, nil, yamlError(err)
	}
	var next yaml.Node
	if err := dec.Decode(&next); err != io.EOF {
		if err != nil {
			return List{}, nil, yamlError(err)
		}
		return List{}, nil, &Error{Line: next.Line, Index: -1, Err: detail(ErrSyntax, "a second document; a file holds one list")}
	}
	fl := &fileLines{}
	var l List
	if err := decodeList(&doc, &l, fl); err != nil {
		return List{}, nil, err
	}
	return l, fl, nil
}

func decodeList(doc *yaml.Node, l *List, fl *fileLines) error {
	root := doc
	if root.Kind == yaml.DocumentNode {
		if len(root.Content) == 0 {
			return &Error{Line: 1, Index: -1, Err: ErrEmptyDocument}
		}
		root = root.Content[0]
	}
	root = deref(root)
	if root.Kind != yaml.MappingNode {
		return &Error{Line: root.Line, Index: -1, Err: detail(ErrInvalidValue, "want a mapping with name and items")}
	}
	seen := map[string]bool{}
	for k := 0; k+1 < len(root.Content); k += 2 {
		key, val := deref(root.Content[k]), deref(root.Content[k+1])
		fail := func(err error) error { return &Error{Line: val.Line, Index: -1, Field: key.Value, Err: err} }
		if seen[key.Value] {
			return &Error{Line: key.Line, Index: -1, Field: key.Value, Err: ErrDuplicateKey}
		}
		seen[key.Value] = true
		var err error
		switch key.Value {
		case "name":
			l.Name, err = str(val)
		case "mode":
			var s string
			if s, err = str(val); err == nil {
				l.Mode, err = ParseMode(s)
				fl.mode = val.Line
			}
		case "ordered":
			l.Ordered, err = boolean(val)
		case "waive_required":
			l.WaiveRequired, err = boolean(val)
		case "items":
			if val.Kind == yaml.ScalarNode && val.ShortTag() == "!!null" {
				continue
			}
			if val.Kind == yaml.SequenceNode && len(val.Content) == 0 {
				continue // no items: a nil slice, as in Go
			}
			if val.Kind != yaml.SequenceNode {
				return fail(detail(ErrInvalidValue, "want a list of items"))
			}
			l.Items = make([]Item, len(val.Content))
			fl.items = make([]itemLines, len(val.Content))
			for i, n := range val.Content {
				if err := decodeItem(deref(n), i, &l.Items[i], &fl.items[i]); err != nil {
					return err
				}
			}
		default:
			return &Error{Line: key.Line, Index: -1, Field: key.Value,
				Err: detail(ErrUnknownField, "want name, mode, ordered, waive_required or items")}
		}
		if err != nil {
			return fail(err)
		}
	}
	return nil
}

func decodeItem(n *yaml.Node, index int, it *Item, il *itemLines) error {
	il.item = n.Line
	if n.Kind != yaml.MappingNode {
		return &Error{Line: n.Line, Index: index, Err: detail(ErrInvalidValue, "want a mapping with id and title")}
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
	var seen [8]bool
	for k := 0; k+1 < len(n.Content); k += 2 {
		key, val := deref(n.Content[k]), deref(n.Content[k+1])
		field := -1
		for f, name := range itemFields {
			if key.Value == name {
				field = f
				break
			}
		}
		if field < 0 {
			return &Error{Line: key.Line, Index: index, Item: it.ID, Field: key.Value,
				Err: detail(ErrUnknownField, "want one of %s", strings.Join(itemFields[:], ", "))}
		}
		if seen[field] {
			return &Error{Line: key.Line, Index: index, Item: it.ID, Field: key.Value, Err: ErrDuplicateKey}
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
		}
		if err != nil {
			return &Error{Line: val.Line, Index: index, Item: it.ID, Field: key.Value, Err: err}
		}
	}
	return nil
}

var itemFields = [8]string{"id", "title", "section", "owner", "optional", "deadline", "depends_on", "offline"}

// deref follows an alias to its anchored node, one level: an anchored
// node is never itself an alias.
func deref(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode && n.Alias != nil {
		return n.Alias
	}
	return n
}

// str reads a string field: a scalar that YAML reads as a string (a
// number, a boolean or a date must be quoted), or null for "".
func str(n *yaml.Node) (string, error) {
	if n.Kind != yaml.ScalarNode {
		return "", detail(ErrInvalidValue, "want a string, got %s", describe(n))
	}
	switch n.ShortTag() {
	case "!!null":
		return "", nil
	case "!!str":
		return n.Value, nil
	}
	return "", notString(n)
}

// notString explains that a scalar is not a string.
func notString(n *yaml.Node) error {
	what := "a " + strings.TrimPrefix(n.ShortTag(), "!!")
	switch n.ShortTag() {
	case "!!int", "!!float":
		what = "a number"
	case "!!bool":
		what = "a boolean"
	case "!!timestamp":
		what = "a date"
	}
	return detail(ErrInvalidValue, "want a string, got %s, %s: quote it", what, n.Value)
}

func boolean(n *yaml.Node) (bool, error) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!bool" {
		return strings.EqualFold(n.Value, "true"), nil
	}
	return false, detail(ErrInvalidValue, "want true or false, got %s", describe(n))
}

func duration(n *yaml.Node) (time.Duration, error) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return 0, nil
	}
	if n.Kind != yaml.ScalarNode {
		return 0, detail(ErrInvalidValue, "want a duration such as \"-1h\", got %s", describe(n))
	}
	d, err := time.ParseDuration(n.Value)
	if err != nil {
		return 0, detail(ErrInvalidValue, "want a duration such as \"-1h\" or \"-30m\", got %q", n.Value)
	}
	return d, nil
}

func strs(n *yaml.Node) ([]string, error) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return nil, nil
	}
	if n.Kind != yaml.SequenceNode {
		return nil, detail(ErrInvalidValue, "want a list of item IDs, got %s", describe(n))
	}
	if len(n.Content) == 0 {
		return nil, nil
	}
	out := make([]string, 0, len(n.Content))
	for _, c := range n.Content {
		c = deref(c)
		if c.Kind != yaml.ScalarNode || c.ShortTag() == "!!null" {
			return nil, detail(ErrInvalidValue, "want a list of item IDs, got %s in it", describe(c))
		}
		if c.ShortTag() != "!!str" {
			return nil, notString(c)
		}
		out = append(out, c.Value)
	}
	return out, nil
}

func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if n.ShortTag() == "!!null" {
			return "null"
		}
		return strconv.Quote(n.Value)
	}
	return "an alias"
}

// yamlError turns an error of the YAML decoder, "yaml: line 3: ...", into
// an [*Error] with the line.
func yamlError(err error) *Error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	line := 0
	if rest, ok := strings.CutPrefix(msg, "line "); ok {
		if num, tail, ok := strings.Cut(rest, ": "); ok {
			if n, convErr := strconv.Atoi(num); convErr == nil {
				line, msg = n, tail
			}
		}
	}
	return &Error{Line: line, Index: -1, Err: detail(ErrSyntax, "%s", msg)}
}

// fileList and fileItem are the file schema, for writing lists.
type fileList struct {
	Name          string     `json:"name" yaml:"name"`
	Mode          string     `json:"mode" yaml:"mode"`
	Ordered       bool       `json:"ordered,omitempty" yaml:"ordered,omitempty"`
	WaiveRequired bool       `json:"waive_required,omitempty" yaml:"waive_required,omitempty"`
	Items         []fileItem `json:"items" yaml:"items"`
}

type fileItem struct {
	ID        string   `json:"id" yaml:"id"`
	Title     string   `json:"title" yaml:"title"`
	Section   string   `json:"section,omitempty" yaml:"section,omitempty"`
	Owner     string   `json:"owner,omitempty" yaml:"owner,omitempty"`
	Optional  bool     `json:"optional,omitempty" yaml:"optional,omitempty"`
	Deadline  string   `json:"deadline,omitempty" yaml:"deadline,omitempty"`
	DependsOn []string `json:"depends_on,omitempty" yaml:"depends_on,omitempty,flow"`
	Offline   bool     `json:"offline,omitempty" yaml:"offline,omitempty"`
}

func (l List) file() fileList {
	f := fileList{Name: l.Name, Mode: l.Mode.String(), Ordered: l.Ordered, WaiveRequired: l.WaiveRequired,
		Items: make([]fileItem, len(l.Items))}
	for i, it := range l.Items {
		f.Items[i] = fileItem{ID: it.ID, Title: it.Title, Section: it.Section, Owner: it.Owner,
			Optional: it.Optional, DependsOn: it.DependsOn, Offline: it.Offline}
		if it.Deadline != 0 {
			f.Items[i].Deadline = durfmt.Short(it.Deadline)
		}
	}
	return f
}

// MarshalJSON writes the list in the file schema that [Parse] reads. It
// fails for an invalid mode.
func (l List) MarshalJSON() ([]byte, error) {
	if l.Mode > DoConfirm {
		return nil, &Error{Index: -1, Field: "mode", Err: detail(ErrInvalidMode, "%d", uint8(l.Mode))}
	}
	return json.Marshal(l.file())
}

// UnmarshalJSON reads a list as [Parse] does, validation included.
func (l *List) UnmarshalJSON(data []byte) error {
	parsed, err := Parse(data)
	if err != nil {
		return err
	}
	*l = parsed
	return nil
}

// MarshalYAML writes the list in the file schema that [Parse] reads, for
// go.yaml.in/yaml/v3: a template saved this way is a file to adapt.
func (l List) MarshalYAML() (any, error) {
	if l.Mode > DoConfirm {
		return nil, &Error{Index: -1, Field: "mode", Err: detail(ErrInvalidMode, "%d", uint8(l.Mode))}
	}
	return l.file(), nil
}

// UnmarshalYAML reads a list from a YAML node as [Parse] does, validation
// included, for lists embedded in larger YAML documents.
func (l *List) UnmarshalYAML(n *yaml.Node) error {
	var parsed List
	fl := &fileLines{}
	if err := decodeList(n, &parsed, fl); err != nil {
		return err
	}
	if errs := parsed.problems(); len(errs) > 0 {
		for _, e := range errs {
			e.Line = fl.of(e.Index, e.Field)
		}
		return joinErrors(errs)
	}
	*l = parsed
	return nil
}
