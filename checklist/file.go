package checklist

import (
	"bytes"
	"encoding/json"

	"go.yaml.in/yaml/v3"

	"github.com/mepkit/mepkit/internal/jsonyaml"
	"github.com/mepkit/mepkit/internal/timespan"
)

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
	Purpose   string   `json:"purpose,omitempty" yaml:"purpose,omitempty"`
}

// file returns the list in the file schema, or the problem that keeps it
// from being written: an unknown mode or purpose.
func (l List) file() (fileList, error) {
	if l.Mode > DoConfirm {
		return fileList{}, &Error{Index: -1, Field: "mode", Err: why(ErrInvalid, "invalid mode: %d", uint8(l.Mode))}
	}
	f := fileList{Name: l.Name, Mode: l.Mode.String(), Ordered: l.Ordered, WaiveRequired: l.WaiveRequired,
		Items: make([]fileItem, len(l.Items))}
	for i, it := range l.Items {
		if !it.Purpose.valid() {
			return fileList{}, &Error{Index: i, Item: it.ID, Field: "purpose", Err: errPurpose(it.Purpose)}
		}
		f.Items[i], _ = it.file() // the purpose is known: no error
	}
	return f, nil
}

// file returns the item in the file schema, or an [*Error] for an unknown
// purpose.
func (it Item) file() (fileItem, error) {
	if !it.Purpose.valid() {
		return fileItem{}, &Error{Item: it.ID, Field: "purpose", Err: errPurpose(it.Purpose)}
	}
	f := fileItem{ID: it.ID, Title: it.Title, Section: it.Section, Owner: it.Owner,
		Optional: it.Optional, DependsOn: it.DependsOn, Offline: it.Offline, Purpose: purposeNames[it.Purpose]}
	if it.Deadline != 0 {
		f.Deadline = timespan.Short(it.Deadline)
	}
	return f, nil
}

// MarshalJSON writes the item as an item of the file schema that [Parse]
// reads: snake_case fields, the deadline as a Go duration ("-1h"), the
// purpose as its text, omitted for [General]. It fails for an unknown
// purpose.
func (it Item) MarshalJSON() ([]byte, error) {
	f, err := it.file()
	if err != nil {
		return nil, err
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads an item written by [Item.MarshalJSON], as [Parse]
// reads an item of a list: unknown fields (names are in lower case),
// repeated fields, values of the wrong kind, a deadline that is not a Go
// duration and an unknown purpose are [*Error]s wrapping [ErrInvalid],
// with the line. JSON null leaves the item as it is. The item is not
// validated (see [List.Validate]).
func (it *Item) UnmarshalJSON(data []byte) error {
	if string(bytes.TrimSpace(data)) == "null" {
		return nil
	}
	if !jsonyaml.Is(data) {
		return &Error{Line: 1, Index: -1, Err: why(ErrInvalid, "invalid item: want a JSON object")}
	}
	doc, e := decodeDocument(data)
	if e != nil {
		return e
	}
	var d decoder
	var parsed Item
	d.item(doc.Content[0], -1, &parsed, &itemLines{})
	if len(d.errs) > 0 {
		return d.errs[0]
	}
	*it = parsed
	return nil
}

// MarshalJSON writes the list in the file schema that [Parse] reads. It
// fails with an [*Error] for an invalid mode or purpose.
func (l List) MarshalJSON() ([]byte, error) {
	f, err := l.file()
	if err != nil {
		return nil, err
	}
	return json.Marshal(f)
}

// UnmarshalJSON reads a list as [Parse] does, validation and size limit
// included.
func (l *List) UnmarshalJSON(data []byte) error {
	parsed, err := Parse(data)
	if err != nil {
		return err
	}
	*l = parsed
	return nil
}

// MarshalYAML writes the list in the file schema that [Parse] reads, for
// go.yaml.in/yaml/v3: a template saved this way is a file to adapt. It
// fails with an [*Error] for an invalid mode or purpose.
func (l List) MarshalYAML() (any, error) {
	return l.file()
}

// UnmarshalYAML reads a list from a YAML node as [Parse] does, validation
// included, for lists embedded in larger YAML documents.
func (l *List) UnmarshalYAML(n *yaml.Node) error {
	var d decoder
	var parsed List
	if err := d.list(n, &parsed); err != nil {
		return &ListError{Problems: []*Error{err}}
	}
	if err := d.finish(parsed, DefaultMaxProblems); err != nil {
		return err
	}
	*l = parsed
	return nil
}
